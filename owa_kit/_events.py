"""The one catalogue of ``__event_emitter__`` event types Open WebUI 0.12.4 handles.

Each entry names the canonical type, its aliases, the pydantic model of the ``data`` fields
the 0.12.4 frontend reads (extra keys allowed, as the browser ignores them), and whether the
server persists it for saved chats. ``_chat.py`` applies entries to the chat state;
``_check.py`` uses the names for static findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, StrictBool, StrictStr, ValidationError


class _Data(BaseModel):
    model_config = ConfigDict(extra="allow")


class StatusData(_Data):
    description: StrictStr | None = None
    done: Any = None  # checked separately: only exactly ``False`` shimmers
    hidden: StrictBool | None = None
    action: StrictStr | None = None


class ContentData(_Data):
    content: StrictStr


class FilesData(_Data):
    files: list[Any]


class EmbedsData(_Data):
    embeds: list[Any]


class SourceData(_Data):
    source: dict[str, Any] | None = None
    document: list[Any] | None = None
    metadata: list[Any] | None = None


class NotificationData(_Data):
    type: StrictStr = "info"
    content: StrictStr


class ErrorData(_Data):
    error: StrictStr | dict[str, Any]


class FollowUpsData(_Data):
    follow_ups: list[StrictStr]


class FavoriteData(_Data):
    favorite: StrictBool


class CodeData(_Data):
    code: StrictStr


Effect = Literal["message", "chat", "toast", "none", "internal", "dialog"]


@dataclass(frozen=True)
class EventSpec:
    name: str
    aliases: tuple[str, ...]
    model: type[BaseModel] | None
    effect: Effect
    persisted: bool = False
    hint: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


CATALOGUE: tuple[EventSpec, ...] = (
    EventSpec("status", (), StatusData, "message", persisted=True,
              hint='{"description": "Working...", "done": False}'),
    EventSpec("message", ("chat:message:delta",), ContentData, "message", persisted=True,
              hint='{"content": "text to append"}'),
    EventSpec("replace", ("chat:message",), ContentData, "message", persisted=True,
              hint='{"content": "the new text"}'),
    EventSpec("files", ("chat:message:files",), FilesData, "message", persisted=True,
              hint='{"files": [{"type": "image", "url": "..."}]}'),
    EventSpec("embeds", ("chat:message:embeds",), EmbedsData, "message", persisted=True,
              hint='{"embeds": ["<html>...</html>"]}'),
    EventSpec("source", ("citation",), SourceData, "message", persisted=True,
              hint=('{"source": {"name": "..."}, "document": ["..."], '
                    '"metadata": [{"source": "..."}]}')),
    EventSpec("notification", (), NotificationData, "toast",
              hint='{"type": "success", "content": "Done"}'),
    EventSpec("chat:message:error", (), ErrorData, "message",
              hint='{"error": {"content": "what went wrong"}}'),
    EventSpec("chat:message:follow_ups", (), FollowUpsData, "message",
              hint='{"follow_ups": ["Tell me more"]}'),
    EventSpec("chat:message:favorite", (), FavoriteData, "message", hint='{"favorite": True}'),
    EventSpec("chat:message:voice", (), None, "message"),
    EventSpec("chat:message:tasks", (), None, "chat"),
    EventSpec("chat:title", (), None, "chat", hint='"The title" (a plain string as data)'),
    EventSpec("chat:tags", (), None, "chat"),
    EventSpec("chat:reload", (), None, "chat"),
    EventSpec("chat:outlet", (), None, "chat"),
    EventSpec("execute", (), CodeData, "none", hint='{"code": "console.log(1)"}'),
    EventSpec("confirmation", (), None, "dialog"),
    EventSpec("input", (), None, "dialog"),
    # types the frontend handles for its own purposes; an action has no business sending them
    *(EventSpec(n, (), None, "internal") for n in (
        "chat:completion", "response:completion", "chat:active", "chat:tasks:cancel",
        "context_compaction", "chat:list", "chat:messages", "typing", "chat:presence",
        "voice:play_animation", "request:interaction:done",
    )),
)

BY_NAME: dict[str, EventSpec] = {n: spec for spec in CATALOGUE for n in spec.names}

#: every type an action may usefully emit (for messages and static checks)
KNOWN_EVENT_TYPES: frozenset[str] = frozenset(
    n for spec in CATALOGUE if spec.effect != "internal" for n in spec.names
)

#: types people send that Open WebUI does not have, and what they meant
MISTAKEN_TYPES: dict[str, str] = {
    "follow_ups": "chat:message:follow_ups",
    "followups": "chat:message:follow_ups",
    "title": "chat:title",
    "tags": "chat:tags",
    "progress": "status",
    "error": "chat:message:error",
    "toast": "notification",
}

PROGRESS_FIELDS = ("progress", "percent", "percentage", "step", "total")


def validation_problem(spec: EventSpec, data: Any) -> str | None:
    """Why ``data`` does not fit what the 0.12.4 frontend reads for ``spec``, or None."""
    if spec.model is None:
        return None
    if not isinstance(data, dict):
        return f"`data` must be an object, got {type(data).__name__}"
    try:
        spec.model.model_validate(data)
    except ValidationError as exc:
        parts = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "data"
            parts.append(f"`{loc}`: {err['msg'].lower()}")
        return "; ".join(parts)
    return None


def known_types_text() -> str:
    return ", ".join(spec.name for spec in CATALOGUE if spec.effect not in ("internal", "dialog"))
