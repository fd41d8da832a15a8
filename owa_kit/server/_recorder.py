"""Model completions of a live run: recorded inside the server, received by the kit's tab.

On a live run the action calls the server's own ``generate_chat_completion`` in the server
process, so the kit never sees the model's replies. The copy a live run deploys
(``_live.live_id``) therefore carries a small recorder, and only the copy: the author's own
function is never changed. :func:`instrument` appends :func:`_owa_kit_recorder`'s source and
a call to it to the action's source (after the author's code, so its line numbers hold).

Inside the server, once the module has run, the recorder

1. replaces each module-level name bound to 0.12.4's ``generate_chat_completion`` (or its
   alias ``chat_completion``) with a wrapper that calls the real one, and
2. wraps ``Action.action`` so a click puts the tab's socket id (``body["session_id"]``) in a
   context variable; outside a click the wrapper only passes the call on.

The wrapper sends each completion to that socket alone, as the socket.io event
``owa-kit:completion`` (the browser UI has no listener for it; the action's events are
untouched), one message per step, each with the completion's ``index`` in the click:

=================================  =========================================================
``{"request": payload}``           before the call: ``form_data`` without ``metadata``
``{"json": value}``                a dict (or other JSON value) returned
``{"stream": []}``                 a ``StreamingResponse``; then per item the action reads:
``{"chunk": text, "bytes": b}``    one ``body_iterator`` item (``b``: it was bytes)
``{"response": {...}}``            another starlette response: class, status, media type, body
``{"raised": {...}}``              an exception: class name, module and args
=================================  =========================================================

:class:`LiveCompletions` (the tab's end) turns them into ``run.completions``, kept apart from
``run.events``. Not seen: a ``generate_chat_completion`` imported inside the method, or
called through its module (``open_webui.utils.chat.generate_chat_completion(...)``).
"""

import inspect
from typing import Any

from .._received import KINDS, Received
from .._run import Completion, Run

__all__ = ["EVENT", "LiveCompletions", "instrument"]

EVENT = "owa-kit:completion"
_HEADER = """

# --- owa-kit live-run recorder -------------------------------------------------------------
# Only in owa-kit's live copy of this action, never in the author's own function. It sends
# each model completion the action makes to the owa-kit run that clicked; what the action
# gets is unchanged. Source: owa_kit/server/_recorder.py.
"""


def instrument(source: str) -> str:
    """The live copy's source: the action's own, then the recorder and the call to it."""
    return (f"{source.rstrip()}\n{_HEADER}\n{inspect.getsource(_owa_kit_recorder)}\n\n"
            "_owa_kit_recorder(globals())\n")


def _owa_kit_recorder(ns: "dict[str, Any]") -> None:
    """Record the model completions of this module's action (see the header above).

    Runs inside Open WebUI, in the copy's module: it imports all it uses itself (standard
    library and the server's own modules) and adds no name to the module but its own.
    """
    import contextlib
    import contextvars
    import functools
    import importlib
    import inspect
    import json
    from typing import Any  # the inner annotations below are evaluated in the copy

    chat = importlib.import_module("open_webui.utils.chat")
    sio = importlib.import_module("open_webui.socket.main").sio
    responses = importlib.import_module("starlette.responses")
    real = (chat.generate_chat_completion, chat.chat_completion)
    names = [name for name, value in ns.items() if any(value is fn for fn in real)]
    cls = ns.get("Action")
    method = inspect.getattr_static(cls, "action", None) if isinstance(cls, type) else None
    if not (names and isinstance(cls, type) and inspect.isfunction(method)):
        return
    click: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
        "owa_kit_click", default=None)

    async def send(state: dict[str, Any], data: dict[str, Any]) -> None:
        with contextlib.suppress(Exception):  # a lost record must never break the action
            await sio.emit("owa-kit:completion", json.loads(json.dumps(data, default=str)),
                           to=state["sid"])

    def shape(response: Any) -> dict[str, Any]:
        if isinstance(response, responses.StreamingResponse):
            return {"stream": []}
        if isinstance(response, responses.Response):
            return {"response": {"class": type(response).__name__,
                                 "status_code": response.status_code,
                                 "media_type": response.media_type,
                                 "body": bytes(response.body).decode("utf-8", "replace")}}
        return {"json": response}

    async def tap(state: dict[str, Any], index: int, body: Any) -> Any:
        async for item in body:
            binary = isinstance(item, bytes | bytearray)
            await send(state, {"index": index, "bytes": binary, "chunk": bytes(item).decode(
                "utf-8", "replace") if binary else str(item)})
            yield item

    def recorded(fn: Any) -> Any:
        @functools.wraps(fn)
        async def completion(request: Any, form_data: Any, user: Any, *args: Any,
                             **kwargs: Any) -> Any:
            state = click.get()
            if state is None:
                return await fn(request, form_data, user, *args, **kwargs)
            state["n"] += 1
            index = state["n"]
            payload = ({k: v for k, v in form_data.items() if k != "metadata"}
                       if isinstance(form_data, dict) else {})
            await send(state, {"index": index, "request": payload})
            try:
                response = await fn(request, form_data, user, *args, **kwargs)
            except Exception as exc:
                await send(state, {"index": index, "raised": {
                    "type": type(exc).__name__, "module": type(exc).__module__,
                    "args": list(exc.args)}})
                raise
            await send(state, {"index": index, **shape(response)})
            if isinstance(response, responses.StreamingResponse):
                response.body_iterator = tap(state, index, response.body_iterator)
            return response
        return completion

    def enter(kwargs: dict[str, Any]) -> Any:
        body = kwargs.get("body")  # chat_action passes every argument by name
        sid = body.get("session_id") if isinstance(body, dict) else None
        return click.set({"sid": sid, "n": 0}) if sid else None

    @functools.wraps(method)
    async def action_async(*args: Any, **kwargs: Any) -> Any:
        token = enter(kwargs)
        try:
            return await method(*args, **kwargs)
        finally:
            if token is not None:
                click.reset(token)

    @functools.wraps(method)
    def action_sync(*args: Any, **kwargs: Any) -> Any:
        token = enter(kwargs)
        try:
            return method(*args, **kwargs)
        finally:
            if token is not None:
                click.reset(token)

    for name in names:
        ns[name] = recorded(ns[name])
    # functools.wraps keeps the signature chat_action reads to inject parameters
    cls.action = (  # type: ignore[attr-defined]
        action_async if inspect.iscoroutinefunction(method) else action_sync)


class LiveCompletions:
    """The tab's end: ``owa-kit:completion`` messages become ``run.completions``."""

    def __init__(self, run: Run, frontend: Any) -> None:
        self.run, self.frontend = run, frontend
        self.by_index: dict[int, Completion] = {}

    def feed(self, data: Any) -> None:
        """One message from the recorder (in the order the server sent them)."""
        if not (isinstance(data, dict) and isinstance(data.get("index"), int)):
            return
        index = data["index"]
        if "request" in data:
            request = data["request"]
            new = Completion(seq=self.run.next_seq(), index=index, source="live",
                             payload=request if isinstance(request, dict) else {})
            self.run.completions.append(new)
            self.by_index[index] = new
            return
        c = self.by_index.get(index)
        if c is None:
            return
        if "chunk" in data:
            if c.received is not None and c.received.kind == "stream":
                c.received.items.append(str(data["chunk"]))
                c.received.binary = bool(data.get("bytes"))
            return
        kind = next((k for k in KINDS if k in data), None)
        if kind is None:
            return
        c.received = Received(kind) if kind == "stream" else Received(kind, data[kind])
        c.answered = True
        if kind != "stream":
            self._show(c)

    def finish(self) -> None:
        """The run is over: a stream reads as far as the action read it."""
        for c in self.run.completions:
            if c.received is not None and c.received.kind == "stream":
                self._show(c)

    def _show(self, c: Completion) -> None:
        assert c.received is not None
        c.reply = c.received.readable()
        notify = getattr(self.frontend, "completion", None)
        if callable(notify):
            notify(self.run, c)
