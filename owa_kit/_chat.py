"""The chat the action runs in, and how Open WebUI 0.12.4 changes it.

A ``Message`` wraps the message dict exactly as Open WebUI keeps it in ``chat.history``
(camelCase keys: ``statusHistory``, ``followUps``, ``originalContent``), so merges behave as
they do in the browser. Two copies are kept during a run: the open tab's (``view``: what the
user sees) and the database's (``saved``: what the server persists by itself).

Build a conversation in a line::

    chat = owa.chat("What is 2+2?", "4")          # user, assistant (the clicked message)
    chat = owa.chat("Hi", "Hello!", "Why?", "Because.", temporary=True)
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._profile import DEFAULT_PROFILE, Profile

DEFAULT_MODEL_ID = "kit_echo"
DEFAULT_MODEL_NAME = "Kit Echo"
DEFAULT_PROMPT = "Hello"
_EPOCH = 1_767_225_600  # 2026-01-01T00:00:00Z: fixed so transcripts are stable


def kit_uuid(kind: int, n: int) -> str:
    """A deterministic UUID-shaped id: ``kind`` tells chats, messages and users apart."""
    return f"{kind:08x}-0000-4000-8000-{n:012x}"


def output_text(output: Any) -> str:
    """The text Open WebUI renders from structured ``output``: message items joined by newline."""
    if not isinstance(output, list):
        return ""
    texts = []
    for item in output:
        if isinstance(item, dict) and item.get("type") == "message":
            for part in item.get("content") or []:
                if isinstance(part, dict) and isinstance(part.get("text"), str):
                    texts.append(part["text"])
    return "\n".join(texts)


def set_output_text(output: list[Any], text: str) -> list[Any]:
    """Rewrite ``output`` so it renders ``text``: the last message item gets the text and
    earlier message items are emptied (as the 0.12.4 frontend's ``setOutputText``)."""
    if text == output_text(output):
        return output
    new = copy.deepcopy(output)
    idx = [i for i, it in enumerate(new) if isinstance(it, dict) and it.get("type") == "message"]
    if not idx:  # appended without `id` or `status`, as the frontend does
        new.append({"type": "message", "role": "assistant",
                    "content": [{"type": "output_text", "text": text}]})
        return new
    for i in idx[:-1]:
        new[i]["content"] = []
    new[idx[-1]]["content"] = [{"type": "output_text", "text": text}]
    return new


def _output_item(text: str, n: int) -> dict[str, Any]:
    return {
        "type": "message",
        "id": f"msg_{n:04d}",
        "status": "completed",
        "role": "assistant",
        "content": [{"type": "output_text", "text": text}],
    }


class Message:
    """One message as Open WebUI stores it; attributes read the underlying dict ``.data``.

    ``content`` is the stored ``content`` field; ``text`` is what the user sees (0.10+
    renders ``output`` when a reply has it, and ignores ``content``).
    """

    __slots__ = ("data",)

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    id = property(lambda self: str(self.data["id"]))
    role = property(lambda self: str(self.data.get("role", "")))
    content = property(lambda self: self.data.get("content", ""))
    output = property(lambda self: self.data.get("output"))
    status_history = property(lambda self: list(self.data.get("statusHistory") or []))
    sources = property(lambda self: list(self.data.get("sources") or []))
    code_executions = property(lambda self: list(self.data.get("code_executions") or []))
    files = property(lambda self: list(self.data.get("files") or []))
    embeds = property(lambda self: list(self.data.get("embeds") or []))
    follow_ups = property(lambda self: list(self.data.get("followUps") or []))
    error = property(lambda self: self.data.get("error"))
    original_content = property(lambda self: self.data.get("originalContent"))

    @property
    def text(self) -> str:
        rendered = output_text(self.data.get("output"))
        if self.data.get("output"):
            return rendered
        content = self.data.get("content", "")
        return content if isinstance(content, str) else str(content)

    @property
    def status(self) -> dict[str, Any] | None:
        """The status line shown: the last status, or None if none or the last is hidden."""
        history = self.data.get("statusHistory") or []
        if not history:
            return None
        last = history[-1]
        if isinstance(last, dict) and last.get("hidden") is True:
            return None
        return last if isinstance(last, dict) else {"description": str(last)}

    @property
    def shimmer(self) -> bool:
        """True while the status line shimmers: only when ``done`` is exactly ``False``."""
        status = self.status
        return status is not None and status.get("done") is False

    def copy(self) -> Message:
        return Message(copy.deepcopy(self.data))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and other.data == self.data

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Message {self.role} id={self.id!r} text={self.text[:40]!r}>"


@dataclass
class Tab:
    """The browser tab, across clicks.

    Open WebUI 0.12.4's tab keeps one thing between dialogs, across clicks and chats: the
    last input dialog's ``value`` (``data.value ?? ''``), which a later confirmation's Confirm
    hands back instead of ``True`` (frontend-facts Q5; seen in the real UI by
    tests/server/test_real_tab.py). Each ``owa.run`` gets a fresh tab unless you pass the
    same one: ``tab = owa.Tab()``, then ``owa.run(..., tab=tab)`` for each click.
    """

    input_value: Any = ""


@dataclass
class Chat:
    """A chat history: messages by id, each with ``parentId``; ``current_id`` is clicked."""

    id: str
    messages: dict[str, dict[str, Any]]
    current_id: str
    title: str = "New Chat"
    model: str = DEFAULT_MODEL_ID
    temporary: bool = False
    tags: list[str] = field(default_factory=list)

    def branch(self, message_id: str | None = None) -> list[dict[str, Any]]:
        """The messages from the root to ``message_id`` (default: the clicked one)."""
        out: list[dict[str, Any]] = []
        mid: str | None = message_id or self.current_id
        while mid is not None:
            msg = self.messages[mid]
            out.append(msg)
            mid = msg.get("parentId")
        return out[::-1]

    def message(self, message_id: str | None = None) -> Message:
        return Message(self.messages[message_id or self.current_id])

    def stored_by(self, user_id: str, name: str) -> None:
        """Stamp the messages as the server stores a saved chat: each gets the owner's
        ``user_id``, user messages also ``user`` (``B:routers/chats.py:171-178``, on create
        and on every save of the tab)."""
        for m in self.messages.values():
            m["user_id"] = user_id
            if m.get("role") == "user":
                m["user"] = {"id": user_id, "name": name}

    def copy(self) -> Chat:
        return Chat(self.id, copy.deepcopy(self.messages), self.current_id, self.title,
                    self.model, self.temporary, list(self.tags))

    def body(self, *, session_id: str, profile: Profile = DEFAULT_PROFILE) -> dict[str, Any]:
        """The request body the 0.12.4 frontend sends for a click on ``current_id``
        (``model_item`` is popped by the server before the action sees it)."""
        messages = []
        for m in self.branch():
            content = output_text(m.get("output")) or m.get("content", "")
            entry: dict[str, Any] = {"id": m["id"], "role": m["role"], "content": content}
            if m.get("info"):
                entry["info"] = m["info"]
            entry["timestamp"] = m.get("timestamp")
            if m.get("sources"):
                entry["sources"] = m["sources"]
            messages.append(entry)
        clicked = self.messages[self.current_id]
        return {
            "model": clicked.get("model", self.model),
            "messages": messages,
            "chat_id": self.id,
            "session_id": session_id,
            "id": self.current_id,
        }


Turn = str | Mapping[str, Any] | tuple[str, str]


def chat(
    *turns: Turn,
    model: str = DEFAULT_MODEL_ID,
    model_name: str = DEFAULT_MODEL_NAME,
    temporary: bool = False,
    output: bool | None = None,
    title: str = "New Chat",
    profile: Profile = DEFAULT_PROFILE,
) -> Chat:
    """Describe a conversation in a line; the last assistant message is the clicked one.

    Plain strings alternate user/assistant starting with the user; ``("assistant", "x")``
    tuples or dicts (``{"role": ..., "content": ..., **extra}``) set roles explicitly. One
    string alone is the assistant reply to a default prompt. Replies carry structured
    ``output`` as 0.12.4 model replies do, unless ``output=False`` (a legacy message).

    >>> c = chat("What is 2+2?", "4")
    >>> [m["role"] for m in c.branch()]
    ['user', 'assistant']
    """
    if len(turns) == 1 and isinstance(turns[0], str):
        turns = (DEFAULT_PROMPT, turns[0])
    if not turns:
        raise ValueError("owa-kit: chat() needs at least one turn, e.g. chat('Hi', 'Hello!')")
    with_output = profile.replies_have_output if output is None else output
    messages: dict[str, dict[str, Any]] = {}
    parent: str | None = None
    clicked: str | None = None
    for n, turn in enumerate(turns, start=1):
        extra: dict[str, Any] = {}
        if isinstance(turn, str):
            role, content = ("user" if n % 2 else "assistant"), turn
        elif isinstance(turn, tuple):
            role, content = turn
        else:
            extra = dict(turn)
            role, content = extra.pop("role"), extra.pop("content", "")
        mid = str(extra.pop("id", kit_uuid(2, n)))
        msg: dict[str, Any] = {
            "id": mid,
            "parentId": parent,
            "childrenIds": [],
            "role": role,
            "content": content,
            "timestamp": _EPOCH + n,
        }
        if role == "assistant":
            msg.update(model=model, modelName=model_name, modelIdx=0, done=True)
            if with_output and isinstance(content, str):
                msg["output"] = [_output_item(content, 0)]
            clicked = mid
        else:
            msg["models"] = [model]
        msg.update(extra)
        if parent is not None:
            messages[parent]["childrenIds"].append(mid)
        messages[mid] = msg
        parent = mid
    if clicked is None:
        raise ValueError("owa-kit: chat() needs an assistant message to click on")
    chat_id = "local:" + kit_uuid(1, 1) if temporary else kit_uuid(1, 1)
    return Chat(id=chat_id, messages=messages, current_id=clicked, title=title, model=model,
                temporary=temporary)


def as_chat(message: str | Chat | Iterable[Turn], profile: Profile = DEFAULT_PROFILE) -> Chat:
    if isinstance(message, Chat):
        return message.copy()
    if isinstance(message, str):
        return chat(message, profile=profile)
    return chat(*message, profile=profile)
