"""How Open WebUI 0.12.4 applies an event or a return value to the clicked message.

Two sides, as in the real system: the browser tab (``apply_to_view``, ``Chat.svelte``'s
``events`` handler and ``chatActionHandler``) and the server's own database writes for
saved chats (``apply_to_saved``, ``socket/main.py`` ``get_event_emitter``). The facts and
their source lines are in docs/research/frontend-facts.md (Q1, Q2, Q10).

The tab is JavaScript: reading a missing key gives ``undefined``, which string concatenation
spells ``"undefined"`` and JSON drops on save. ``_UNDEFINED`` stands for it here.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from ._chat import set_output_text
from ._events import EventSpec

Msg = dict[str, Any]
_UNDEFINED: Any = object()

#: types whose tab handler reads ``data.x`` without ``?.``: null data throws, nothing changes
_THROW_ON_NULL = frozenset({
    "message", "replace", "files", "embeds", "chat:message:error", "chat:message:follow_ups",
    "chat:message:favorite", "chat:message:voice",
})


def apply_to_view(msg: Msg, spec: EventSpec, data: Any, *, temporary: bool) -> None:
    """The tab's handler for message-level event ``spec`` (``msg`` is changed in place).

    ``data`` is ``event.data ?? null`` (``None`` when missing or null)."""
    name = spec.name
    if data is None and name in _THROW_ON_NULL:
        return  # TypeError in the tab: the handler stops before its write-back
    if name == "status":
        msg["statusHistory"] = [*(msg.get("statusHistory") or []), data]
    elif name == "message":
        msg["content"] = _js_str(msg.get("content", _UNDEFINED)) + _js_str(_prop(data, "content"))
    elif name == "replace":
        _assign(msg, "content", _prop(data, "content"))
    elif name == "files":
        files = _prop(data, "files")
        if temporary:  # temporary chats append (and throw on a non-list)
            if isinstance(files, list):
                msg["files"] = [*(msg.get("files") or []), *files]
        else:
            _assign(msg, "files", files)
    elif name == "embeds":
        _assign(msg, "embeds", _prop(data, "embeds"))
    elif name == "source":
        if isinstance(data, dict) and data.get("type") == "code_execution":
            runs = list(msg.get("code_executions") or [])
            at = [i for i, run in enumerate(runs)
                  if isinstance(run, dict) and run.get("id") == data.get("id")]
            if at:
                runs[at[0]] = data
            else:
                runs.append(data)
            msg["code_executions"] = runs
        else:
            msg["sources"] = [*(msg.get("sources") or []), data]
    elif name == "chat:message:error":
        msg["error"] = {"content": error_text(_prop(data, "error"))}
        msg["done"] = True
    elif name == "chat:message:follow_ups":
        _assign(msg, "followUps", _prop(data, "follow_ups"))
    elif name == "chat:message:favorite":
        _assign(msg, "favorite", _prop(data, "favorite"))
    elif name == "chat:message:voice":  # message.meta = {...message.meta, voice: data.voice}
        meta = dict(msg.get("meta") or {})
        _assign(meta, "voice", _prop(data, "voice"))
        msg["meta"] = meta


def apply_to_saved(msg: Msg, event: dict[str, Any]) -> None:
    """The server's database write for a persisted short-name event on a saved chat.

    ``event`` is the action's own dict, as the server gets it. Python on both sides, so this
    does the same ``.get``/``+``/``.extend`` steps as ``socket/main.py``: the same inputs raise
    the same errors inside the action, and new ``embeds``/``files`` are prepended by extending
    the action's own list (``socket/main.py:1545-1566``: re-emitting the same dict shows it
    grown). What is stored is a copy, as the database holds JSON."""
    kind = event.get("type")
    if kind == "status":
        _store(msg, "statusHistory", [*(msg.get("statusHistory") or []), event.get("data", {})])
    elif kind == "message":
        content = msg.get("content", "")
        content += event.get("data", {}).get("content", "")
        msg["content"] = content
    elif kind == "replace":
        _store(msg, "content", event.get("data", {}).get("content", ""))
    elif kind == "embeds":
        payload = event.get("data", {})
        embeds = payload.get("embeds", [])
        if not payload.get("replace", False) and isinstance(msg.get("embeds"), list):
            embeds.extend(copy.deepcopy(msg["embeds"]))  # new first, then the stored ones
        _store(msg, "embeds", embeds)
    elif kind == "files":
        files = event.get("data", {}).get("files", [])
        if isinstance(msg.get("files"), list):
            files.extend(copy.deepcopy(msg["files"]))
        _store(msg, "files", files)
    elif kind in ("source", "citation"):
        data = event.get("data", {})
        if data.get("type") is None:
            sources = msg.get("sources")
            _store(msg, "sources", [*(sources if isinstance(sources, list) else []), data])


def _store(msg: Msg, key: str, value: Any) -> None:
    msg[key] = json.loads(json.dumps(value))


def error_text(error: Any) -> str:
    """The text of the error box: the frontend's ``getErrorMessage`` with its fallback."""
    if isinstance(error, list):
        return "Server connection failed"
    paths = (("detail", "error", "message"), ("detail", "message"), ("detail", "content"),
             ("detail", "error"), ("detail",), ("error", "message"), ("error", "content"),
             ("error",), ("message",), ("content",), ())
    for path in paths:
        value = error
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str):
            return value
    return "Server connection failed"


def merge_returned(history: dict[str, Msg], entry: dict[str, Any]) -> None:
    """Merge one ``{"messages": [entry]}`` item the way ``chatActionHandler`` does.

    Raises ``KeyError`` for an id that is not in the chat (the browser throws there)."""
    existing = history[entry["id"]]
    merged = dict(existing)
    content = entry.get("content", _UNDEFINED)
    if content is _UNDEFINED or content != existing.get("content", _UNDEFINED):
        # the *current* content, even when the entry has no content key (strict !==)
        _assign(merged, "originalContent", existing.get("content", _UNDEFINED))
    if isinstance(content, str) and existing.get("output"):
        merged["output"] = set_output_text(existing["output"], content)
    merged.update(copy.deepcopy(entry))
    history[entry["id"]] = merged


def _prop(data: Any, key: str) -> Any:
    """``data.key`` in JavaScript (``data`` is not null here)."""
    return data.get(key, _UNDEFINED) if isinstance(data, dict) else _UNDEFINED


def _assign(msg: Msg, key: str, value: Any) -> None:
    """``msg.key = value``; an ``undefined`` value disappears when the chat is saved."""
    if value is _UNDEFINED:
        msg.pop(key, None)
    else:
        msg[key] = value


def _js_str(value: Any) -> str:
    """String concatenation's view of a value in JavaScript."""
    if value is _UNDEFINED:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict):
        return "[object Object]"
    if isinstance(value, list):
        return ",".join("" if v is None else _js_str(v) for v in value)
    return value if isinstance(value, str) else json.dumps(value)
