"""``owa.run(..., server=owa.Server(url, token))``: the same click, on a real Open WebUI 0.12.4.

The kit plays the browser tab; the server does everything else for real. The tab's part:
open its socket.io connection, create the chat (saved chats), post the body the tab posts
to ``/api/chat/actions/{id}``, show each event and answer each ``__event_call__`` through the
same front-end as an emulated run (scripted answers or the notebook's dialogs), apply the
return value, and save the chat when the tab would (frontend-facts Q1). The server's part:
load the function, apply valves, inject parameters, persist events, time out calls.

What a live run cannot mirror, by nature:

- The action runs as a copy, ``<id>__owa_kit_live`` (see :func:`live_id`), so the author's
  own function is untouched; ``__id__`` is the copy's id. The copy is active but neither
  global nor on any model, so no user sees its button (admins may call any active action).
- ``user=``, ``model=`` and ``llm=`` cannot apply: the action gets the token's user and the
  server's model. The copy records each model completion instead (``_recorder``): they are
  in ``run.completions``, and ``owa.llm.save(run, path)`` keeps them for offline replays.
- Saved chats get a server id, temporary ones ``local:<socket id>`` as in the tab.
- ``owa.answers.disconnect()`` is refused: the run keeps its tab open to see the events.
- Concurrent live runs of one action share its copy, and so its stored valves (as any two
  users of one server do).
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import httpx

from .._chat import DEFAULT_MODEL_ID, Chat, Message, Tab, as_chat
from .._findings import finding
from .._frontmatter import replace_imports
from .._profile import DEFAULT_PROFILE, Profile
from .._response import apply_return, http_detail, show_error, tab_cannot_parse
from .._run import Run
from .._runtime import (
    _WAKE,
    Frontend,
    _button,
    _check_valves,
    _final_findings,
    _in_kernel,
    _make_emitter,
    _make_event_call,
    _masked,
    _secrets,
    _Stop,
    check_leftover,
    finish_or_background,
    pick_frontend,
)
from ..answers import Answer
from ..errors import (
    ActionTimeoutError,
    FunctionLoadError,
    IdTakenError,
    OwaKitError,
    ScriptError,
    ServerError,
    ServerRejected,
    ServerUnreachable,
    UnansweredCallError,
)
from ._client import Client, _translate
from ._deploy import load_reason
from ._recorder import EVENT, LiveCompletions, instrument
from ._socket import NO_ACK, TabSocket
from ._target import Server

if TYPE_CHECKING:
    from .._loader import LoadedAction

__all__ = ["COPY_MARK", "LIVE_SUFFIX", "live_id", "run_live"]

LIVE_SUFFIX = "__owa_kit_live"
COPY_MARK = "(owa-kit live copy)"
#: call types whose data the server extends with ``interaction_id`` (socket/main.py:1630-1649);
#: the action never sees it, so the run records the call as the action made it
_INTERACTIVE = ("confirmation", "input")
#: 400 details that mean the click never reached the action (utils/actions.py:29-60)
_SETUP_DETAILS = ("Action not found", "Action not available", "Model not found",
                  "Functions are disabled")

#: The model the kit's chats name by default: a pipe that echoes, so no LLM is needed.
ECHO_PIPE = '''"""
title: Kit Echo
description: A model without an LLM for owa-kit live runs: it echoes the last message.
"""


class Pipe:
    def pipe(self, body: dict) -> str:
        messages = body.get("messages") or []
        return f"echo: {messages[-1]['content'] if messages else ''}"
'''


def live_id(action_id: str) -> str:
    """The id of the server copy a live run deploys for ``action_id``."""
    return f"{action_id}{LIVE_SUFFIX}"


async def run_live(
    server: Server,
    action: LoadedAction,
    message: Any = "Hello! How can I help?",
    *,
    answers: Iterable[Any] = (),
    valves: Mapping[str, Any] | None = None,
    user_valves: Mapping[str, Any] | None = None,
    user: Mapping[str, Any] | None = None,
    model: Mapping[str, Any] | None = None,
    sub_action: str | None = None,
    timeout: float | None = 60.0,
    frontend: Frontend | None = None,
    mode: str | None = None,
    show: bool | None = None,
    profile: Profile = DEFAULT_PROFILE,
    llm: Any = None,
    tab: Tab | None = None,
) -> Run:
    """Run ``action`` on ``server`` as ``owa.run`` does in the emulator; return the ``Run``.

    >>> live = owa.Server(url, token)                                    # doctest: +SKIP
    >>> run = await owa.run(act, "Hi", answers=[True], server=live)       # doctest: +SKIP
    >>> run.events.types, run.http_status, run.saved                     # doctest: +SKIP

    Raises ``ServerUnreachable``/``AuthError``/``NotAdminError`` when the server cannot be
    used, ``FunctionLoadError`` when it refuses the action's code, and the same
    ``ScriptError``s as an emulated run for answers that do not fit.
    """
    if not isinstance(server, Server):
        raise TypeError(f"owa-kit: server= takes owa.Server(url, token), not "
                        f"{type(server).__name__}")
    for name, value in (("user", user), ("model", model), ("llm", llm)):
        if value is not None:
            raise ScriptError(
                f"owa-kit: {name}= cannot be applied on a real server: the action receives "
                f"the token's user, the server's model and no scripted LLM. Drop {name}= for "
                "the live run (or run it in the emulator)"
                + ("; the live run records the model's replies: owa.llm.save(run, path), "
                   "then llm=owa.llm.replay(path) offline" if name == "llm" else ""))
    if server.token is None:
        raise ServerError(f"owa-kit: no token for {server.url}; pass owa.Server(url, token) "
                          "or set OWA_KIT_TOKEN (an admin's token)")
    action = action.refreshed()
    chat = as_chat(message, profile)
    button, _ = _button(action, sub_action)
    kernel = _in_kernel()
    fe = pick_frontend(frontend, answers, mode, kernel)
    stored_valves = _check_valves(action, action.Valves, valves, "valves")
    stored_user_valves = _check_valves(action, action.UserValves, user_valves, "user_valves")
    secrets = _secrets(action, stored_valves, stored_user_valves)
    # chat and body are the kit's until the tab's socket and the server's chat exist
    r = Run(action=action, button=button, chat=chat, body={}, secrets=secrets,
            valves=_masked(stored_valves, secrets), user_valves=_masked(stored_user_valves,
                                                                        secrets),
            profile=profile, server=server.url)
    if tab is not None:
        r.tab = tab
    for f in action.findings:
        r.add_finding(f)
    click = _LiveClick(server, r, fe, timeout)

    async def finish() -> Run:
        await click.run(stored_valves, stored_user_valves)
        if show if show is not None else kernel:
            print(r.transcript)
        return r

    return await finish_or_background(fe, r, finish)


class _LiveClick:
    """One click on the server: the tab's socket, the chat, the request and the record."""

    def __init__(self, server: Server, r: Run, fe: Frontend, timeout: float | None) -> None:
        self.server, self.r, self.fe, self.timeout = server, r, fe, timeout
        self.action = r.action
        self.copy_id = live_id(r.action.id)
        self.aborted: OwaKitError | None = None
        self.listening = False
        self.client: Client | None = None  # for the tab's own reads (chat:reload)
        self._in_order = asyncio.Lock()
        # the tab applies real events with the same handlers as the emulator; the server
        # keeps its own copy, read back at the end, so the emulated database is off (None)
        self._emit = _make_emitter(r, fe, r.profile, lambda: None)
        self._call = _make_event_call(r, fe, r.profile)
        self.completions = LiveCompletions(r, fe)  # what the copy's recorder sends

    async def run(self, valves: dict[str, Any], user_valves: dict[str, Any]) -> None:
        token = self.server.token or ""
        socket = TabSocket(self.server.url, token, self._on_events)
        socket.on(EVENT, self._on_completion)
        r = self.r
        model_id = str(r.chat.messages[r.chat.current_id].get("model", r.chat.model))
        with Client(self.server.url, token) as client:
            self.client = client
            try:
                # the REST set-up and the socket's handshake overlap; a set-up error wins
                user, sid = await asyncio.gather(
                    asyncio.to_thread(_prepare, client, self.action, self.copy_id, model_id,
                                      valves, user_valves),
                    socket.connect(), return_exceptions=True)
                for outcome in (user, sid):
                    if isinstance(outcome, BaseException):
                        raise outcome
                assert isinstance(user, dict) and isinstance(sid, str)
                if not r.chat.temporary:
                    r.chat.stored_by(str(user["id"]), str(user.get("name", "")))
                await self._click(client, socket, sid, model_id)
            finally:
                await socket.close()

    async def _click(self, client: Client, socket: TabSocket, sid: str, model_id: str) -> None:
        r = self.r
        if r.chat.temporary:
            r.chat = dataclasses.replace(r.chat, id=f"local:{sid}")  # what the tab uses
        else:
            created = await asyncio.to_thread(client.create_chat,
                                              _chat_payload(r.chat, model_id, self.action))
            r.chat = dataclasses.replace(r.chat, id=str(created["id"]))
        chat, mid = r.chat, r.chat.current_id
        r.body = chat.body(session_id=sid, profile=r.profile)
        snapshot = Message(dict(chat.messages[mid])).copy()
        self.fe.start(r)
        self.listening = True

        started = time.perf_counter()
        resp = await self._post(r.body, socket)
        r.elapsed = time.perf_counter() - started
        if resp is not None:
            await socket.barrier()  # events queued before the response (reference §4.2)
        self.completions.finish()
        if isinstance(self.aborted, ScriptError):
            self.fe.finish(r)
            self.aborted.run = r  # type: ignore[attr-defined]
            raise self.aborted
        tab_saved = self._answer(r, resp)

        if not chat.temporary:
            r.persisted = Message(await asyncio.to_thread(_read_message, client, chat.id, mid))
            if tab_saved and Message(r.chat.messages[mid]) != snapshot:
                await asyncio.to_thread(client.update_chat, chat.id, _tab_save(r.chat, model_id))
                r.saved = Message(await asyncio.to_thread(_read_message, client, chat.id, mid))
            else:
                r.saved = r.persisted.copy()
        _final_findings(r)
        self.fe.finish(r)
        check_leftover(self.fe, r)

    async def _post(self, body: dict[str, Any], socket: TabSocket) -> httpx.Response | None:
        """POST the click; None when the run stopped it (``timeout`` or a script error)."""
        r = self.r
        path = f"/api/chat/actions/{self.copy_id}{r.button[len(self.action.id):]}"
        headers = {"Authorization": f"Bearer {self.server.token}"}
        async with httpx.AsyncClient(base_url=self.server.url,
                                     timeout=httpx.Timeout(30.0, read=None)) as http:
            task = asyncio.ensure_future(http.post(path, json=body, headers=headers))
            start = time.monotonic()
            try:
                while not task.done():
                    if self.aborted is not None:
                        break
                    now = time.monotonic()
                    paused = r.paused + (now - r.asking_since if r.asking_since else 0.0)
                    left = None if self.timeout is None else start + paused + self.timeout - now
                    if left is not None and left <= 0:
                        self.aborted = ActionTimeoutError(
                            f"owa-kit: {self.action.id} did not return within timeout="
                            f"{self.timeout:g} s on {self.server.url}; Open WebUI has no "
                            "execution timeout. Check for a loop, an await that never ends, or "
                            "a call left unanswered on a server without "
                            "WEBSOCKET_EVENT_CALLER_TIMEOUT (or raise timeout=)")
                        break
                    await asyncio.wait({task}, timeout=_WAKE if left is None else
                                       min(_WAKE, left))
            finally:
                if not task.done():
                    task.cancel()
                    await asyncio.gather(task, return_exceptions=True)
                    await socket.close()  # pending calls return "disconnected" on the server
            if task.cancelled():
                return None
            try:
                return task.result()
            except httpx.TransportError as exc:
                raise ServerUnreachable(
                    f"owa-kit: the click on {self.server.url} failed ({type(exc).__name__}: "
                    f"{exc}); is the server still running?", url=self.server.url) from exc

    async def _on_completion(self, data: Any) -> None:
        """The recorder's ``owa-kit:completion`` messages: ordered with the events."""
        if self.listening:
            async with self._in_order:
                self.completions.feed(data)

    def _answer(self, r: Run, resp: httpx.Response | None) -> bool:
        """Record the HTTP answer and apply it as the tab does; True when the tab saves."""
        if resp is None:  # stopped by the run
            error = self.aborted or ActionTimeoutError("owa-kit: the run was stopped")
            r.error = error
            r.http_status, r.http_body = 400, {"detail": f"Error: {error}"}
            show_error(r, f"Error: {error}", toast=True)
            return True
        r.http_status = resp.status_code
        try:
            r.http_body = resp.json()
        except ValueError:
            r.http_body, r.http_raw = resp.text, True
        if resp.status_code in (401, 403):
            raise _translate(resp, "POST", str(resp.request.url))
        if r.http_raw:  # the tab's res.json() throws, whatever the status
            if resp.status_code >= 500:
                r.add_finding(finding("OWA403", error=f"HTTP {resp.status_code}"))
            tab_cannot_parse(r, resp.text)
            return True
        if resp.status_code == 200:
            r.result = r.http_body
            last = r.events[-1] if r.events else None
            # an inline HTMLResponse: the server emitted `embeds` after the action returned
            # and answers with a JSON string (utils/actions.py:129-148)
            r.embedded = bool(last and last.type == "embeds" and isinstance(r.result, str)
                              and r.result.lstrip().startswith(("{", "[", '"')))
            return apply_return(r, r.result, r.profile)
        detail = http_detail(r.http_body)
        if resp.status_code == 400 and detail.startswith(_SETUP_DETAILS):
            raise ServerRejected(
                f"owa-kit: {self.server.url} did not run {self.copy_id}: {detail}; run "
                f"`owa-kit doctor {self.copy_id}` to see why", method="POST",
                url=str(resp.request.url), status=400, detail=detail)
        if resp.status_code >= 500:
            r.add_finding(finding("OWA403", error=f"HTTP {resp.status_code}: {detail}"))
            show_error(r, detail, toast=False)
            return True
        r.error = ServerRejected(f"owa-kit: the action failed on the server: {detail}",
                                 method="POST", url=str(resp.request.url),
                                 status=resp.status_code, detail=detail)
        r.add_finding(finding("OWA407", error=detail.removeprefix("Error: ")))
        show_error(r, detail, toast=True)
        return True

    async def _on_events(self, payload: dict[str, Any], wants_ack: bool) -> Any:
        """The tab's ``events`` handler: only this chat's clicked message counts."""
        r = self.r
        if not self.listening or (payload.get("chat_id"), payload.get("message_id")) != (
                r.chat.id, r.chat.current_id):
            return NO_ACK
        event = payload.get("data")
        if not wants_ack:
            if isinstance(event, dict) and event.get("type") == "request:interaction:done":
                return None  # the server's bookkeeping after a call, not the action's
            async with self._in_order:  # each event runs in its own task: keep their order
                await self._emit(event)
                if (isinstance(event, dict) and event.get("type") == "chat:reload"
                        and not r.chat.temporary and self.client is not None):
                    # the tab's loadChat(): the message as the server holds it now
                    r.chat.messages[r.chat.current_id] = await asyncio.to_thread(
                        _read_message, self.client, r.chat.id, r.chat.current_id)
            return None
        if isinstance(event, dict) and event.get("type") in _INTERACTIVE and isinstance(
                event.get("data"), dict):
            data = {k: v for k, v in event["data"].items() if k != "interaction_id"}
            event = {**event, "data": data}
        try:
            answer = await self._call(event)
        except _Stop as stop:
            if not isinstance(stop.error, UnansweredCallError):
                self.aborted = stop.error  # a script error: the run ends with it
            return NO_ACK  # the tab stays silent; the server waits or times out
        given = r.calls.last.given
        if isinstance(given, Answer) and given.kind in ("timeout", "disconnect"):
            if given.kind == "disconnect":
                self.aborted = ScriptError(
                    "owa-kit: owa.answers.disconnect() is emulator-only: a live run keeps its "
                    "tab open. Script owa.answers.timeout() (the server must set "
                    "WEBSOCKET_EVENT_CALLER_TIMEOUT) or run this in the emulator")
            return NO_ACK  # the server's WEBSOCKET_EVENT_CALLER_TIMEOUT answers instead
        return answer


# --- the server side of the set-up (blocking REST; run in a thread) ---------------------


def _prepare(client: Client, action: LoadedAction, copy_id: str, model_id: str,
             valves: dict[str, Any], user_valves: dict[str, Any]) -> dict[str, Any]:
    """Deploy the copy with exactly these stored valves, make sure the model exists; return
    the token's user."""
    user = client.require_admin()
    with _lock(client.url, copy_id):  # concurrent runs of one action share its copy
        state = _deploy_copy(client, copy_id, f"{action.name} {COPY_MARK}",
                             instrument(action.source),
                             f"owa-kit live-run copy of {action.id}; safe to delete")
        if not state.get("is_active"):
            client.toggle(copy_id)
        if client.valves(copy_id) != valves:
            client.update_valves(copy_id, valves)  # replaces the stored dict, as valves= means
        if action.UserValves is not None and client.user_valves(copy_id) != user_valves:
            client.update_user_valves(copy_id, user_valves)
    with _lock(client.url, model_id):
        _ensure_model(client, model_id)
    return user


_LOCKS: dict[tuple[str, str], threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _lock(url: str, fid: str) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault((url, fid), threading.Lock())


def _deploy_copy(client: Client, fid: str, name: str, source: str,
                 description: str) -> dict[str, Any]:
    form = {"id": fid, "name": name, "content": source, "meta": {"description": description}}
    existing = client.function(fid)
    try:
        if existing is None:
            return client.create_function(form)
        if not str(existing.get("name", "")).endswith(COPY_MARK):
            raise IdTakenError(
                f"owa-kit: the server has a function {fid!r} that owa-kit did not deploy "
                f"(named {existing.get('name')!r}); a live run will not overwrite it. Rename "
                "or delete it", method="GET", url=f"{client.url}/api/v1/functions/id/{fid}")
        if existing.get("content") != replace_imports(source) or existing.get("name") != name:
            return client.update_function(fid, form)
        return existing
    except ServerRejected as exc:
        if exc.status != 400 or isinstance(exc, IdTakenError):
            raise
        reason = exc.detail if existing is not None else (load_reason(client, source)
                                                          or exc.detail)
        raise FunctionLoadError(
            f"owa-kit: the server could not load the action for the live run: {reason}. "
            "Fix the file (owa-kit check shows most causes)", method=exc.method, url=exc.url,
            status=exc.status, detail=reason) from exc


#: (server URL, model id) pairs seen on the server: checked once per process
_MODELS_SEEN: set[tuple[str, str]] = set()


def _ensure_model(client: Client, model_id: str) -> None:
    if (client.url, model_id) in _MODELS_SEEN:
        return  # if it went away since, the click's "Model not found" says so
    ids = {m.get("id") for m in client.models(refresh=False)}
    if model_id in ids:
        _MODELS_SEEN.add((client.url, model_id))
        return
    if model_id == DEFAULT_MODEL_ID:  # the kit's own model: deploy or switch it on
        row = client.function(model_id) or client.create_function(
            {"id": model_id, "name": "Kit Echo", "content": ECHO_PIPE,
             "meta": {"description": "owa-kit's echo model (no LLM)"}})
        if row.get("type") == "pipe" and not row.get("is_active"):
            client.toggle(model_id)
    ids = {m.get("id") for m in client.models(refresh=True)}  # recomputes app.state.MODELS
    if model_id in ids:
        _MODELS_SEEN.add((client.url, model_id))
    else:
        raise ServerError(
            f"owa-kit: {client.url} has no model {model_id!r} (models: "
            f"{', '.join(sorted(str(i) for i in ids)) or 'none'}); build the chat with "
            f"owa.chat(..., model='<one of them>')")


def _chat_payload(chat: Chat, model_id: str, action: LoadedAction) -> dict[str, Any]:
    """The chat as the tab creates it (``POST /api/v1/chats/new``)."""
    return {"title": f"owa-kit live: {action.name}", "models": [model_id],
            "history": {"currentId": chat.current_id, "messages": chat.messages},
            "messages": chat.branch(), "tags": list(chat.tags)}


def _tab_save(chat: Chat, model_id: str) -> dict[str, Any]:
    """The tab's save after an action (Chat.svelte 3290-3300, frontend-facts Q1)."""
    return {"models": [model_id], "messages": chat.branch(),
            "history": {"currentId": chat.current_id, "messages": chat.messages}, "files": []}


def _read_message(client: Client, chat_id: str, mid: str) -> dict[str, Any]:
    row = client.chat(chat_id)
    if row is None:
        raise ServerError(f"owa-kit: the chat {chat_id} vanished from {client.url} during "
                          "the live run; was it deleted?")
    message: dict[str, Any] = row["chat"]["history"]["messages"][mid]
    return message
