"""How Open WebUI 0.12.4 applies an event or a return value to the clicked message.

Two sides, as in the real system: the browser tab (``apply_to_view``, ``Chat.svelte``'s
``events`` handler and ``chatActionHandler``) and the server's own database writes for
saved chats (``apply_to_saved``, ``socket/main.py`` ``get_event_emitter``).
"""

from __future__ import annotations

import copy
from typing import Any

from ._chat import set_output_text
from ._events import EventSpec

Msg = dict[str, Any]


def apply_to_view(msg: Msg, spec: EventSpec, data: Any, *, temporary: bool) -> None:
    """The tab's handler for message-level event ``spec`` (``msg`` is changed in place)."""
    d = data if isinstance(data, dict) else {}
    name = spec.name
    if name == "status":
        msg["statusHistory"] = [*(msg.get("statusHistory") or []), data]
    elif name == "message":
        msg["content"] = f"{msg.get('content', '')}{d.get('content', '')}"
    elif name == "replace":
        msg["content"] = d.get("content", "")
    elif name == "files":
        files = d.get("files", [])
        msg["files"] = [*(msg.get("files") or []), *files] if temporary else files
    elif name == "embeds":
        msg["embeds"] = d.get("embeds", [])
    elif name == "source":
        if d.get("type") == "code_execution":
            runs = [r for r in msg.get("code_executions") or [] if r.get("id") != d.get("id")]
            msg["code_executions"] = [*runs, data]
        else:
            msg["sources"] = [*(msg.get("sources") or []), data]
    elif name == "chat:message:error":
        msg["error"] = {"content": error_text(d.get("error"))}
        msg["done"] = True
    elif name == "chat:message:follow_ups":
        msg["followUps"] = d.get("follow_ups", [])
    elif name == "chat:message:favorite":
        msg["favorite"] = d.get("favorite")
    elif name == "chat:message:voice":
        msg.setdefault("meta", {})["voice"] = d.get("voice")


def apply_to_saved(msg: Msg, spec: EventSpec, data: Any) -> None:
    """The server's database write for a persisted short-name event on a saved chat."""
    d = data if isinstance(data, dict) else {}
    name = spec.name
    if name == "status":
        msg["statusHistory"] = [*(msg.get("statusHistory") or []), data]
    elif name == "message":
        msg["content"] = f"{msg.get('content', '')}{d.get('content', '')}"
    elif name == "replace":
        msg["content"] = d.get("content", "")
    elif name == "embeds":
        new = d.get("embeds", [])
        msg["embeds"] = list(new) if d.get("replace") else [*new, *(msg.get("embeds") or [])]
    elif name == "files":
        msg["files"] = [*d.get("files", []), *(msg.get("files") or [])]
    elif name == "source" and "type" not in d:
        msg["sources"] = [*(msg.get("sources") or []), data]


def error_text(error: Any) -> str:
    """Normalise an error payload to the text the error box shows."""
    if isinstance(error, dict):
        for key in ("content", "message", "detail"):
            if isinstance(error.get(key), str):
                return str(error[key])
        return str(error)
    return "" if error is None else str(error)


def merge_returned(history: dict[str, Msg], entry: dict[str, Any]) -> None:
    """Merge one ``{"messages": [entry]}`` item the way ``chatActionHandler`` does.

    Raises ``KeyError`` for an id that is not in the chat (the browser throws there).
    """
    existing = history[entry["id"]]
    merged = dict(existing)
    content = entry.get("content")
    if "content" in entry and content != existing.get("content"):
        merged["originalContent"] = existing.get("originalContent", existing.get("content"))
    if isinstance(content, str) and existing.get("output"):
        merged["output"] = set_output_text(existing["output"], content)
    merged.update(copy.deepcopy(entry))
    history[entry["id"]] = merged
