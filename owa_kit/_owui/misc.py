"""``open_webui.utils.misc`` as of 0.12.4: the pure message helpers and response templates.

Written from the behaviour of ``utils/misc.py`` (0.12.4), not copied: a message's text is
its string ``content``, the first ``{"type": "text"}`` part of a list ``content``, or else the
text of its structured ``output`` (message items joined by newlines). Helpers index
``message["role"]`` directly, so a message without ``role`` raises ``KeyError`` as on the
server. The completion templates carry a random ``id`` and the current time, as in 0.12.4;
the kit's emulated model passes fixed ones so transcripts stay stable.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Mapping
from typing import Any

__all__ = [
    "add_or_update_system_message",
    "add_or_update_user_message",
    "append_or_update_assistant_message",
    "calculate_sha256_string",
    "deep_update",
    "get_content_from_message",
    "get_last_assistant_message",
    "get_last_assistant_message_item",
    "get_last_user_message",
    "get_last_user_message_item",
    "get_message_list",
    "get_messages_content",
    "get_output_text",
    "get_system_message",
    "openai_chat_chunk_message_template",
    "openai_chat_completion_message_template",
    "openai_chat_message_template",
    "pop_system_message",
    "prepend_to_first_user_message_content",
    "remove_system_message",
    "update_message_content",
]

Msg = dict[str, Any]


def deep_update(d: dict[str, Any], u: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in u.items():
        d[key] = deep_update(d.get(key, {}), value) if isinstance(value, Mapping) else value
    return d


def calculate_sha256_string(string: str) -> str:
    return hashlib.sha256(string.encode("utf-8")).hexdigest()


def get_message_list(messages_map: dict[str, Msg] | None, message_id: str | None) -> list[Msg]:
    """Root-to-``message_id`` chain by ``parentId``; ``[]`` when either is unknown."""
    if not messages_map or messages_map.get(message_id or "") is None:
        return []
    chain: list[Msg] = []
    seen: set[str] = set()
    mid = message_id
    while mid and mid not in seen and messages_map.get(mid):
        seen.add(mid)
        chain.append(messages_map[mid])
        mid = messages_map[mid].get("parentId")
    return chain[::-1]


def get_output_text(output: list[Any] | None) -> str:
    if not isinstance(output, list):
        return ""
    texts = []
    for item in output:
        if not (isinstance(item, dict) and item.get("type") == "message"):
            continue
        parts = item.get("content") or []
        if not isinstance(parts, list):
            continue
        text = "".join(str(p["text"]) for p in parts
                       if isinstance(p, dict) and p.get("text") is not None)
        if text.strip():
            texts.append(text)
    return "\n".join(texts)


def get_content_from_message(message: Msg) -> str | None:
    content = message.get("content")
    if isinstance(content, list):
        for part in content:
            if isinstance(part, dict) and part.get("type") == "text":
                text: str | None = part.get("text")
                return text
    elif content:
        return content  # type: ignore[no-any-return]
    return get_output_text(message.get("output")) or (
        content if isinstance(content, str) else None)


def get_messages_content(messages: list[Msg]) -> str:
    return "\n".join(f"{m['role'].upper()}: {get_content_from_message(m)}" for m in messages)


def _last(messages: list[Msg], role: str) -> Msg | None:
    return next((m for m in reversed(messages) if m["role"] == role), None)


def get_last_user_message_item(messages: list[Msg]) -> Msg | None:
    return _last(messages, "user")


def get_last_user_message(messages: list[Msg]) -> str | None:
    message = _last(messages, "user")
    return None if message is None else get_content_from_message(message)


def get_last_assistant_message_item(messages: list[Msg]) -> Msg | None:
    return _last(messages, "assistant")


def get_last_assistant_message(messages: list[Msg]) -> str | None:
    message = _last(messages, "assistant")
    return None if message is None else get_content_from_message(message)


def get_system_message(messages: list[Msg]) -> Msg | None:
    return next((m for m in messages if m["role"] == "system"), None)


def remove_system_message(messages: list[Msg]) -> list[Msg]:
    return [m for m in messages if m["role"] != "system"]


def pop_system_message(messages: list[Msg]) -> tuple[Msg | None, list[Msg]]:
    return get_system_message(messages), remove_system_message(messages)


def update_message_content(message: Msg, content: str, append: bool = True) -> Msg:
    """Add ``content`` on a new line after (or before) the text, in place."""
    def joined(old: str) -> str:
        return f"{old}\n{content}" if append else f"{content}\n{old}"

    if isinstance(message["content"], list):
        for part in message["content"]:
            if part["type"] == "text":
                part["text"] = joined(part["text"])
    else:
        message["content"] = joined(message["content"])
    return message


def add_or_update_system_message(content: str, messages: list[Msg],
                                 append: bool = False) -> list[Msg]:
    if messages and messages[0].get("role") == "system":
        messages[0] = update_message_content(messages[0], content, append)
    else:
        messages.insert(0, {"role": "system", "content": content})
    return messages


def add_or_update_user_message(content: str, messages: list[Msg],
                               append: bool = True) -> list[Msg]:
    if messages and messages[-1].get("role") == "user":
        messages[-1] = update_message_content(messages[-1], content, append)
    else:
        messages.append({"role": "user", "content": content})
    return messages


def prepend_to_first_user_message_content(content: str, messages: list[Msg]) -> list[Msg]:
    first = next((m for m in messages if m["role"] == "user"), None)
    if first is not None:
        update_message_content(first, content, append=False)
    return messages


def append_or_update_assistant_message(content: str, messages: list[Msg]) -> list[Msg]:
    if messages and messages[-1].get("role") == "assistant":
        messages[-1]["content"] = f"{messages[-1]['content']}\n{content}"
    else:
        messages.append({"role": "assistant", "content": content})
    return messages


def template(model: str, message_id: str | None, created: int) -> dict[str, Any]:
    return {"id": message_id or f"{model}-{uuid.uuid4()}", "created": created, "model": model,
            "choices": [{"index": 0, "logprobs": None, "finish_reason": None}]}


def openai_chat_message_template(model: str, message_id: str | None = None) -> dict[str, Any]:
    return template(model, message_id, int(time.time()))


def chunk(base: dict[str, Any], content: str | None = None, reasoning_content: str | None = None,
          tool_calls: list[Any] | None = None, usage: dict[str, Any] | None = None
          ) -> dict[str, Any]:
    """Fill ``base`` (a template) as a ``chat.completion.chunk``: the delta holds what is
    given, and a chunk with none of it finishes the stream (``finish_reason: stop``)."""
    base["object"] = "chat.completion.chunk"
    choice = base["choices"][0]
    choice["index"] = 0
    delta: dict[str, Any] = {}
    if content:
        delta["content"] = content
    if reasoning_content:
        delta["reasoning_content"] = reasoning_content
    if tool_calls:
        delta["tool_calls"] = tool_calls
    choice["delta"] = delta
    if not delta:
        choice["finish_reason"] = "stop"
    if usage:
        base["usage"] = usage
    return base


def completion(base: dict[str, Any], message: str | None = None,
               reasoning_content: str | None = None, tool_calls: list[Any] | None = None,
               usage: dict[str, Any] | None = None) -> dict[str, Any]:
    """Fill ``base`` (a template) as a whole ``chat.completion``."""
    base["object"] = "chat.completion"
    choice = base["choices"][0]
    if message is not None:
        reply: dict[str, Any] = {"role": "assistant", "content": message}
        if reasoning_content:
            reply["reasoning_content"] = reasoning_content
        if tool_calls:
            reply["tool_calls"] = tool_calls
        choice["message"] = reply
    choice["finish_reason"] = "tool_calls" if tool_calls else "stop"
    if usage:
        base["usage"] = usage
    return base


def openai_chat_chunk_message_template(
        model: str, content: str | None = None, reasoning_content: str | None = None,
        tool_calls: list[Any] | None = None, usage: dict[str, Any] | None = None,
        message_id: str | None = None) -> dict[str, Any]:
    return chunk(openai_chat_message_template(model, message_id), content, reasoning_content,
                 tool_calls, usage)


def openai_chat_completion_message_template(
        model: str, message: str | None = None, reasoning_content: str | None = None,
        tool_calls: list[Any] | None = None, usage: dict[str, Any] | None = None
        ) -> dict[str, Any]:
    return completion(openai_chat_message_template(model), message, reasoning_content,
                      tool_calls, usage)
