"""``open_webui.models.chats`` as of 0.12.4: ``ChatModel``, ``ChatForm`` and ``Chats``.

The run's chat is a row (unless it is temporary: ``local:`` chats are never stored), holding
the chat as saved when the button was clicked; events the action emits during the run are not
reflected in it. Reads return ``None`` for unknown ids and for another user's chat, as the
0.12.4 methods do (they swallow their errors and return ``None``). Every method is ``async``.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel, ConfigDict

from .._chat import _EPOCH
from ._backend import current

__all__ = ["ChatForm", "ChatModel", "ChatTable", "Chats"]


class ChatModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    user_id: str
    title: str
    chat: dict[str, Any]
    created_at: int
    updated_at: int
    share_id: str | None = None
    archived: bool = False
    pinned: bool | None = False
    meta: dict[str, Any] = {}
    variables: dict[str, Any] = {}
    folder_id: str | None = None
    tasks: list[Any] | None = None
    summary: str | None = None
    current_message_id: str | None = None
    last_read_at: int | None = None
    timer_at: int | None = None


class ChatForm(BaseModel):
    chat: dict[str, Any]
    variables: dict[str, Any] | None = None
    folder_id: str | None = None


def _model(row: dict[str, Any] | None) -> ChatModel | None:
    return ChatModel.model_validate(copy.deepcopy(row)) if row is not None else None


def _current_id(chat: dict[str, Any]) -> str | None:
    history = chat.get("history") if isinstance(chat.get("history"), dict) else {}
    found = (history or {}).get("currentId") or chat.get("currentId")
    if found:
        return str(found)
    for message in reversed(chat.get("messages") or []):
        if isinstance(message, dict) and message.get("id"):
            return str(message["id"])
    return None


class ChatTable:
    """The ``Chats`` singleton over the run's chats."""

    async def get_chat_by_id(self, id: str, db: Any = None) -> ChatModel | None:
        return _model(current().chats.get(id))

    async def get_chat_by_id_and_user_id(self, id: str, user_id: str,
                                         db: Any = None) -> ChatModel | None:
        row = current().chats.get(id)
        return _model(row) if row is not None and row["user_id"] == user_id else None

    async def is_chat_owner(self, id: str, user_id: str, db: Any = None) -> bool:
        row = current().chats.get(id)
        return row is not None and row["user_id"] == user_id

    async def get_chat_folder_id(self, id: str, user_id: str, db: Any = None) -> str | None:
        row = current().chats.get(id)
        return row["folder_id"] if row is not None and row["user_id"] == user_id else None

    async def get_chat_title_by_id(self, id: str) -> str | None:
        row = current().chats.get(id)
        return str(row["title"]) if row is not None else None

    async def get_messages_map_by_chat_id(self, id: str) -> dict[str, Any] | None:
        row = current().chats.get(id)
        if row is None:
            return None
        return copy.deepcopy(row["chat"].get("history", {}).get("messages", {}) or {})

    async def get_message_by_id_and_message_id(self, id: str,
                                               message_id: str) -> dict[str, Any] | None:
        messages = await self.get_messages_map_by_chat_id(id)
        return None if messages is None else messages.get(message_id, {})

    async def insert_new_chat(self, id: str, user_id: str, form_data: ChatForm, db: Any = None,
                              *, internal_meta: dict[str, Any] | None = None,
                              timer_at: int | None = None) -> ChatModel | None:
        row = {
            "id": id, "user_id": user_id,
            "title": form_data.chat.get("title", "New Chat"),
            "chat": copy.deepcopy(form_data.chat), "folder_id": form_data.folder_id,
            "meta": internal_meta or {}, "timer_at": timer_at,
            "variables": form_data.variables or {},
            "current_message_id": _current_id(form_data.chat),
            "created_at": _EPOCH, "updated_at": _EPOCH, "last_read_at": _EPOCH,
        }
        current().chats[id] = row
        return _model(row)

    async def update_chat_by_id(self, id: str, chat: dict[str, Any], db: Any = None, *,
                                touch: bool = True) -> ChatModel | None:
        """Top-level keys of ``chat`` replace the stored ones; ``history`` messages merge by
        id (0.12.4 keeps messages saved meanwhile)."""
        row = current().chats.get(id)
        if row is None:
            return None
        stored = row["chat"]
        updated = {**stored, **copy.deepcopy(chat)}
        if "history" in chat:
            old = stored.get("history") or {}
            new = chat["history"] or {}
            messages = {**(old.get("messages") or {}), **copy.deepcopy(new.get("messages") or {})}
            current_id = new.get("currentId") if new.get("currentId") in messages else (
                old.get("currentId") if old.get("currentId") in messages else None)
            updated["history"] = {**old, **new, "messages": messages, "currentId": current_id}
        row["chat"] = updated
        row["title"] = updated.get("title", "New Chat")
        row["current_message_id"] = _current_id(updated)
        return _model(row)

    async def update_chat_title_by_id(self, id: str, title: str) -> ChatModel | None:
        row = current().chats.get(id)
        if row is None:
            return None
        row["title"] = title
        row["chat"] = {**row["chat"], "title": title}
        return _model(row)

    async def upsert_message_to_chat_by_id_and_message_id(
            self, id: str, message_id: str, message: dict[str, Any], *,
            touch: bool = True) -> ChatModel | None:
        """Merge ``message`` into ``history.messages[message_id]`` (created if new)."""
        row = current().chats.get(id)
        if row is None:
            return None
        history = row["chat"].setdefault("history", {})
        messages = history.setdefault("messages", {})
        messages[message_id] = {**messages.get(message_id, {}), **copy.deepcopy(message)}
        return _model(row)


Chats = ChatTable()
