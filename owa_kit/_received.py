"""What ``generate_chat_completion`` handed the action, exactly, so it can be replayed.

Both the emulator (``owa_kit._owui.chat``) and a live run (the live copy's recorder,
``owa_kit.server._recorder``) fill ``Completion.received`` with a :class:`Received`; a saved
recording (``owa.llm.save``) is a list of requests and their ``Received``, and a replay hands
each one back as it was. Four kinds cover what 0.12.4 can give an action:

==========  ====================================================================================
``json``    a dict (a completion, a pipe's own dict, ``{"error": {"detail": ...}}``): ``value``
``stream``  a ``StreamingResponse``: ``items`` are the ``body_iterator`` items the action read
            (``binary`` when they were bytes, as from an OpenAI connection)
``response`` another starlette response (an upstream error as ``JSONResponse``): ``value``
            holds its class, status, media type and body
``raised``  an exception (``Model not found``, an ``HTTPException``): ``value`` holds its
            class, module and args
==========  ====================================================================================

:meth:`Received.readable` is what transcripts and the panel show: the model's text when the
shape is a plain completion, so a live run, its replay and the emulator read alike, and no
changing ids or timestamps reach a transcript.
"""

from __future__ import annotations

import builtins
import copy
import json
import re
from dataclasses import dataclass, field
from typing import Any

from .errors import ScriptError

__all__ = ["KINDS", "Received", "mask_ids"]

KINDS = ("json", "stream", "response", "raised")
#: exception classes a replay may rebuild by import (anything else: a same-named stand-in)
_HTTP_EXCEPTIONS = {("fastapi.exceptions", "HTTPException"),
                    ("starlette.exceptions", "HTTPException")}
_ID = re.compile(r'("id"\s*:\s*)"[^"]*"')
_CREATED = re.compile(r'("created"\s*:\s*)\d+')


def json_safe(value: Any) -> Any:
    """``value`` as JSON would carry it (what a live run's socket message holds)."""
    return json.loads(json.dumps(value, default=str))


@dataclass
class Received:
    """One reply as the action received it; see the module docstring for the kinds."""

    kind: str
    value: Any = None
    items: list[str] = field(default_factory=list)
    binary: bool = False

    @classmethod
    def of_exception(cls, exc: BaseException) -> Received:
        return cls("raised", {"type": type(exc).__name__, "module": type(exc).__module__,
                              "args": json_safe(list(exc.args))})

    # --- JSON (the saved file) -------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        if self.kind == "stream":
            return {"stream": list(self.items), **({"bytes": True} if self.binary else {})}
        return {self.kind: self.value}

    @classmethod
    def from_json(cls, data: Any, where: str) -> Received:
        kinds = [k for k in KINDS if isinstance(data, dict) and k in data]
        if len(kinds) != 1:
            raise ScriptError(f"owa-kit: {where}: 'received' must hold exactly one of "
                              f"{', '.join(KINDS)}; got {data!r:.120}")
        kind = kinds[0]
        if kind == "stream":
            items = data["stream"]
            if not (isinstance(items, list) and all(isinstance(i, str) for i in items)):
                raise ScriptError(f"owa-kit: {where}: 'stream' must be a list of strings")
            return cls("stream", items=list(items), binary=bool(data.get("bytes")))
        value = data[kind]
        if kind == "raised" and not (isinstance(value, dict) and isinstance(
                value.get("type"), str) and isinstance(value.get("args", []), list)):
            raise ScriptError(f"owa-kit: {where}: 'raised' needs a 'type' and a list of 'args'")
        if kind == "response" and not isinstance(value, dict):
            raise ScriptError(f"owa-kit: {where}: 'response' must be an object")
        return cls(kind, value)

    # --- handing it back (a replay) -------------------------------------------------------
    def exception(self) -> Exception:
        """The exception a ``raised`` reply stands for: the builtin or HTTPException class
        itself, else an ``Exception`` subclass of the same name (same ``str`` and repr)."""
        name, module = str(self.value["type"]), str(self.value.get("module", "builtins"))
        args = self.value.get("args", [])
        cls: Any = None
        if module == "builtins":
            cls = getattr(builtins, name, None)
        elif (module, name) in _HTTP_EXCEPTIONS:
            try:
                cls = getattr(__import__(module, fromlist=[name]), name)
            except ImportError:
                cls = None
        if not (isinstance(cls, type) and issubclass(cls, Exception)):
            cls = type(name, (Exception,), {"__module__": module})
        try:
            exc: Exception = cls(*args)
        except TypeError:  # a constructor that wants other arguments
            exc = type(name, (Exception,), {"__module__": module})(*args)
        return exc

    def response(self) -> Any:
        """A starlette response like the recorded ``response``."""
        from starlette import responses

        v = self.value
        status, media, body = int(v.get("status_code", 200)), v.get("media_type"), v.get(
            "body", "")
        if v.get("class") == "JSONResponse":
            try:
                return responses.JSONResponse(json.loads(body), status_code=status)
            except ValueError:
                pass
        if v.get("class") == "PlainTextResponse":
            return responses.PlainTextResponse(body, status_code=status)
        return responses.Response(body, status_code=status, media_type=media)

    def stream_items(self) -> list[str | bytes]:
        return [i.encode() for i in self.items] if self.binary else list(self.items)

    # --- how it reads -----------------------------------------------------------------------
    def readable(self) -> Any:
        """The reply as the transcript shows it: a plain completion's text, a stream's chunks,
        ``owa.llm.error(detail)`` for a model error; else this ``Received`` itself."""
        from .llm import ModelError

        if self.kind == "json" and isinstance(self.value, dict):
            detail = _error_detail(self.value)
            if detail is not None:
                return ModelError(detail)
            text = _completion_text(self.value)
            if text is not None:
                return text
        if self.kind == "stream":
            return _stream_reading(self.items) or self
        return self

    def describe(self) -> str:
        """A deterministic one-line text of a reply that has no readable form."""
        if self.kind == "raised":
            args = ", ".join(repr(a) for a in self.value.get("args", []))
            return f"raised {self.value['type']}({args})"
        masked = mask_ids(self)
        if self.kind == "stream":
            return f"stream {json.dumps(masked.items, ensure_ascii=False)}"
        if self.kind == "response":
            v = masked.value
            return f"response {v.get('status_code')} {v.get('media_type')} {v.get('body')}"
        return f"json {json.dumps(masked.value, sort_keys=True, ensure_ascii=False)}"

    def __repr__(self) -> str:
        return f"Received({self.describe()})"

    def copy(self) -> Received:
        return Received(self.kind, copy.deepcopy(self.value), list(self.items), self.binary)


def mask_ids(r: Received) -> Received:
    """``r`` with completion ids and ``created`` times replaced: they differ on every call."""
    def text(s: str) -> str:
        return _CREATED.sub(r"\1<created>", _ID.sub(r'\1"<id>"', s))

    out = r.copy()
    if r.kind == "json" and isinstance(r.value, dict):
        out.value = {k: ("<id>" if k == "id" else "<created>" if k == "created" else v)
                     for k, v in r.value.items()}
    elif r.kind == "stream":
        out.items = [text(i) for i in r.items]
    elif r.kind == "response" and isinstance(r.value, dict):
        out.value = {**r.value, "body": text(str(r.value.get("body", "")))}
    return out


def _error_detail(value: dict[str, Any]) -> str | None:
    """The detail of a model error as 0.12.4 hands it back (``{"error": {"detail": ...}}``)."""
    error = value.get("error") if list(value) == ["error"] else None
    if isinstance(error, dict) and list(error) == ["detail"]:
        return str(error["detail"])
    return None


def _completion_text(value: dict[str, Any]) -> str | None:
    choices = value.get("choices")
    if value.get("object") != "chat.completion" or not isinstance(choices, list) or len(
            choices) != 1 or not isinstance(choices[0], dict):
        return None
    message = choices[0].get("message")
    if not isinstance(message, dict) or set(message) != {"role", "content"}:
        return None
    content = message["content"]
    return content if isinstance(content, str) else None


def _stream_reading(items: list[str]) -> Any:
    """A stream of plain chunks as its pieces of text; a one-line error stream as the error;
    None for anything else (shown raw)."""
    from .llm import ModelError

    events = []
    for line in "".join(items).splitlines():
        line = line.strip()
        if not line:
            continue
        if not line.startswith("data:"):
            return None
        events.append(line[5:].strip())
    if len(events) == 1 and events[0] != "[DONE]":
        try:
            only = json.loads(events[0])
        except ValueError:
            return None
        detail = _error_detail(only) if isinstance(only, dict) else None
        if detail is not None:
            return ModelError(detail)
    pieces = []
    for data in events:
        if data == "[DONE]":
            continue
        try:
            chunk = json.loads(data)
        except ValueError:
            return None
        if not isinstance(chunk, dict) or chunk.get("object") != "chat.completion.chunk":
            return None
        choices = chunk.get("choices")
        if not isinstance(choices, list) or len(choices) != 1:
            return None
        delta = choices[0].get("delta") if isinstance(choices[0], dict) else None
        if not isinstance(delta, dict) or not set(delta) <= {"content"}:
            return None
        if delta.get("content"):
            pieces.append(str(delta["content"]))
    return pieces
