"""``open_webui.utils.chat`` as of 0.12.4: ``generate_chat_completion`` against a scripted model.

The path followed is the one 0.12.4 takes for a *pipe* model (``utils/chat.py:148-316``, then
``functions.py:154-338``), which is what the kit's chat model is:

1. ``request.state.bypass_filter``/``bypass_system_prompt`` are set on the request given.
2. ``form_data["model"]`` is looked up in ``request.app.state.MODELS``: a missing ``model``
   key raises ``KeyError('model')``, an unknown id ``Exception('Model not found')``.
3. Unless ``bypass_filter``, ``user.role`` is read (a ``__user__`` dict or an un-awaited
   coroutine raises ``AttributeError`` here, as on the server); a ``user``-role user needs a
   workspace row for the model that it owns, else ``Model not found``.
4. ``metadata`` is dropped and the pipe (here: ``llm=``) answers.
5. Not streamed: a ``chat.completion`` dict (no ``usage``), the pipe's dict as is, or
   ``{"error": {"detail": ...}}`` when the model fails (no exception). Streamed: a
   ``StreamingResponse`` whose ``body_iterator`` yields ``data: {chunk}\\n\\n`` strings, a
   finishing chunk and ``data: [DONE]``, or one ``data: {"error": ...}`` line on failure.
   The JSON is compact and not ASCII-escaped: 0.12.4 encodes with orjson by default
   (``ENABLE_ORJSON`` defaults to true, ``env.py:162``; ``utils/json_codec.py``).

Every call is recorded in ``run.completions`` with what the action got back
(``Completion.received``), also when step 2 or 3 refuses it with an exception, as a live run
records it. A replay (``llm=owa.llm.replay(...)``) hands back the recorded reply exactly:
the dict, the stream items, or the exception.

Deliberate differences: ids are ``{model}-<kit uuid>`` and ``created`` is fixed, so runs are
reproducible; workspace params and system prompts of a model row are not applied.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import AsyncIterator
from typing import Any

from .._chat import _EPOCH
from .._received import Received, json_safe
from .._run import Completion
from ..errors import OwaKitError, ScriptError
from ..llm import ModelError
from . import misc
from ._backend import Backend, running

__all__ = ["chat_completion", "generate_chat_completion"]


async def generate_chat_completion(request: Any, form_data: dict[str, Any], user: Any,
                                   bypass_filter: bool = False,
                                   bypass_system_prompt: bool = False) -> Any:
    backend = running()
    if backend is None:
        raise OwaKitError("owa-kit: generate_chat_completion was called outside owa.run(); "
                          "the kit's model answers only while it runs an action")
    record = _record(backend, form_data)
    try:
        payload = await _admit(backend, request, form_data, user, bypass_filter,
                               bypass_system_prompt)
    except Exception as exc:  # refused before any model ran: the action gets the exception
        _refused(backend, record, exc)
        raise
    return await _pipe(backend, record, payload)


chat_completion = generate_chat_completion


async def _admit(backend: Backend, request: Any, form_data: dict[str, Any], user: Any,
                 bypass_filter: bool, bypass_system_prompt: bool) -> dict[str, Any]:
    """0.12.4's checks before the model runs; the payload the pipe gets."""
    request.state.bypass_filter = bypass_filter
    request.state.bypass_system_prompt = bypass_system_prompt
    if hasattr(request.state, "metadata"):
        form_data["metadata"] = {**form_data.get("metadata", {}), **request.state.metadata}
    models = request.app.state.MODELS
    model_id = form_data["model"]
    model = models.get(model_id)
    if model is None:
        _model_not_found(backend, model_id, models)
        raise Exception("Model not found")
    if not bypass_filter and user.role == "user":
        from .models import Models  # only here: its pydantic classes cost a first load ~10 ms

        row = await Models.get_model_by_id(model_id)
        if row is None or row.user_id != user.id:
            raise Exception("Model not found")
    form_data.get("metadata", {}).pop("selected_model_id", None)
    return {k: v for k, v in form_data.items() if k != "metadata"}


def _model_not_found(backend: Backend, model_id: Any, models: Any) -> None:
    if backend.run is None:
        return
    from .._findings import finding

    backend.run.add_finding(finding("OWA702", model=model_id,
                                    known=", ".join(repr(m) for m in models)))


def _record(backend: Backend, form_data: Any) -> Completion:
    """The run's record of this call, made before anything can fail (as a live run's)."""
    run = backend.run
    payload = ({k: v for k, v in form_data.items() if k != "metadata"}
               if isinstance(form_data, dict) else {})
    record = Completion(seq=run.next_seq() if run is not None else 0,
                        index=len(run.completions) + 1 if run is not None else 1,
                        payload=json_safe(payload))
    backend.completion_record(record)
    return record


def _answered(backend: Backend, record: Completion, reply: Any, source: str) -> None:
    record.reply, record.source, record.answered = reply, source, True
    notify = getattr(backend.frontend, "completion", None)
    if backend.run is not None and callable(notify):
        notify(backend.run, record)


def _refused(backend: Backend, record: Completion, exc: Exception) -> None:
    from .._runtime import _Stop

    record.received = Received.of_exception(exc)
    _answered(backend, record, record.received, "")
    if backend.script is not None:
        try:
            backend.script.refused(record, record.received)
        except ScriptError as err:
            raise _Stop(err) from None


async def _pipe(backend: Backend, record: Completion, payload: dict[str, Any]) -> Any:
    """The pipe model answers (``llm=``); the action gets the 0.12.4 shape, or a replay's
    recorded reply exactly."""
    reply, source = await _ask(backend, record)
    model, stream = str(payload["model"]), bool(payload.get("stream", False))
    if isinstance(reply, Received):
        record.received = reply
        _answered(backend, record, reply.readable(), source)
        if reply.kind == "raised":
            raise reply.exception()
        if reply.kind == "stream":
            record.received = Received("stream", binary=reply.binary)
            return _streaming(_read(_items(reply), record.received))
        return reply.response() if reply.kind == "response" else copy.deepcopy(reply.value)
    _answered(backend, record, reply, source)
    if stream:
        record.received = Received("stream")
        return _streaming(_read(_sse(backend, model, reply), record.received))
    whole = _whole(backend, model, reply)
    record.received = Received("json", copy.deepcopy(whole))
    return whole


async def _items(recorded: Received) -> AsyncIterator[str | bytes]:
    for item in recorded.stream_items():
        yield item


async def _read(body: AsyncIterator[Any], into: Received) -> AsyncIterator[Any]:
    """``body``, noting each item in ``into`` as the action reads it."""
    async for item in body:
        into.items.append(item.decode() if isinstance(item, bytes) else item)
        yield item


async def _ask(backend: Backend, record: Completion) -> tuple[Any, str]:
    """The reply from ``llm=``, or from a human at the notebook when ``llm`` is the echo."""
    from .._runtime import _Stop  # the action cannot catch it with `except Exception`

    script = backend.script
    if script is None:
        raise _Stop(OwaKitError("owa-kit: no model script for this run"))
    try:
        reply, source = script.reply(record)
    except ScriptError as exc:
        raise _Stop(exc) from None
    ask = getattr(backend.frontend, "complete", None)
    run = backend.run
    if script.echoes and callable(ask) and run is not None:
        run.asking_since = asked = time.monotonic()
        try:
            typed = await ask(run, record, reply)
        finally:
            run.paused += time.monotonic() - asked
            run.asking_since = None
        if typed != reply:
            return typed, "typed"
    return reply, source


def _whole(backend: Backend, model: str, reply: Any) -> Any:
    if isinstance(reply, ModelError):
        return {"error": {"detail": reply.detail}}
    if isinstance(reply, dict):
        return reply
    text = "".join(reply) if isinstance(reply, list) else reply
    return misc.completion(misc.template(model, f"{model}-{backend.new_id(5)}", _EPOCH), text)


async def _sse(backend: Backend, model: str, reply: Any) -> AsyncIterator[str]:
    if isinstance(reply, ModelError):
        yield f"data: {_dumps({'error': {'detail': reply.detail}})}\n\n"
        return
    if isinstance(reply, dict):
        yield f"data: {_dumps(reply)}\n\n"
        return
    if isinstance(reply, str):
        yield f"data: {_dumps(_chunk(backend, model, reply))}\n\n"
    else:  # chunks, as from a generator pipe: ready-made SSE lines pass through
        for piece in reply:
            line = piece if piece.startswith("data:") else (
                f"data: {_dumps(_chunk(backend, model, piece))}")
            yield f"{line}\n\n"
    yield f"data: {_dumps(_chunk(backend, model, ''))}\n\n"
    yield "data: [DONE]"


def _dumps(value: Any) -> str:
    """JSON as 0.12.4's default codec (orjson) writes it: compact, raw UTF-8, with the three
    line separators that would split an SSE frame escaped."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace(
        "\x85", "\\u0085")


def _chunk(backend: Backend, model: str, content: str) -> dict[str, Any]:
    return misc.chunk(misc.template(model, f"{model}-{backend.new_id(5)}", _EPOCH), content)


def _streaming(body: AsyncIterator[str]) -> Any:
    try:
        from starlette.responses import StreamingResponse
    except ImportError:
        raise OwaKitError("owa-kit: a streamed completion (stream=True) is a starlette "
                          "StreamingResponse, and starlette is not installed; install fastapi "
                          "(Open WebUI ships it): pip install fastapi") from None
    return StreamingResponse(body, media_type="text/event-stream")
