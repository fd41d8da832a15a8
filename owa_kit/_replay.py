"""Save the model completions of a run, and replay them offline (``owa.llm.save``/``replay``).

A live run records each completion the action made on the server: the request and the
reply exactly as the action received it (``Completion.received``). Saved to a JSON file,
they replay in the emulator with the same replies, so a test of a model-calling action
needs neither the server nor the model:

>>> live_run = await owa.run(act, REPLY, server=owa.Server(url, token))   # doctest: +SKIP
>>> owa.llm.save(live_run, "summarize.completions.json")                # doctest: +SKIP
>>> run = await owa.run(act, REPLY,                                     # doctest: +SKIP
...                     llm=owa.llm.replay("summarize.completions.json"))

The file::

    {"owa_kit": "completions", "version": 1, "action": "summarize", "recorded": "live",
     "completions": [{"index": 1, "request": {"model": ..., "messages": [...], ...},
                      "received": {"json": {...}}}]}

A replay checks each request against the recorded one (model, messages, stream and the
other parameters) and stops the run with :class:`~owa_kit.errors.ReplayMismatchError` at the
first difference. Secret valve values and typed passwords are written as ``••••••``; a masked
part of a recorded request matches any text.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._received import Received
from ._run import MASK, Completion, Run
from .errors import MissingReplyError, ReplayMismatchError, ScriptError

__all__ = ["FORMAT", "Entry", "Replay", "replay", "request_diff", "save"]

FORMAT, VERSION = "completions", 1


@dataclass(frozen=True)
class Entry:
    """One recorded completion: the request as sent and what the action received."""

    index: int
    request: dict[str, Any]
    received: Received | None

    @property
    def model(self) -> str:
        return str(self.request.get("model"))


class Replay:
    """Recorded completions, handed back in order by ``llm=owa.llm.replay(...)``.

    It holds no state of its own, so one replay can serve many runs.
    """

    def __init__(self, entries: list[Entry], origin: str) -> None:
        self.entries = tuple(entries)
        self.origin = origin

    def __repr__(self) -> str:
        return f"<owa-kit replay of {len(self.entries)} completion(s) from {self.origin}>"

    def models(self) -> set[str]:
        """The models the recorded server answered for (the emulated server knows them)."""
        return {e.model for e in self.entries
                if e.received is not None and e.received.kind != "raised"}

    def reply(self, c: Completion) -> Received:
        """The recorded reply to ``c``, once its request matches the recording."""
        entry = self._entry(c)
        if entry.received is None:
            raise MissingReplyError(
                f"owa-kit: completion #{c.index} (model {c.model!r}) has no reply in "
                f"{self.origin}: the recorded run ended before the model answered. Record "
                "the run again")
        return entry.received.copy()

    def check_refused(self, c: Completion, received: Received) -> None:
        """The emulator refused ``c`` before any model answered (``received`` is what it
        raised): the recording must show the same refusal."""
        entry = self._entry(c)
        rec = entry.received
        if rec is not None and rec.kind == "raised" and (rec.value["type"], rec.value.get(
                "args")) == (received.value["type"], received.value.get("args")):
            return
        got = "no reply" if rec is None else (rec.describe() if rec.kind == "raised" else
                                              "a reply")
        raise ReplayMismatchError(
            f"owa-kit: completion #{c.index} (model {c.model!r}) {received.describe()} in "
            f"the emulator before reaching the model, but {self.origin} has {got} for it. "
            "Replay with the user= and chat model the recorded run had")

    def _entry(self, c: Completion) -> Entry:
        if c.index > len(self.entries):
            raise MissingReplyError(
                f"owa-kit: the action asked model {c.model!r} (completion #{c.index}) and "
                f"{self.origin} holds {len(self.entries)} completion(s): the action asks the "
                "model more often than when it was recorded. Record the run again (a live "
                "run, then owa.llm.save(run, path))")
        entry = self.entries[c.index - 1]
        diff = request_diff(entry.request, c.payload)
        if diff is not None:
            raise ReplayMismatchError(
                f"owa-kit: completion #{c.index} does not match {self.origin}: {diff}. The "
                "action or its input changed since the recording; run it with the same "
                "message and valves, or record it again")
        return entry

    def leftover(self, used: int) -> list[str]:
        return [f"completion #{e.index} (model {e.model!r})" for e in self.entries[used:]]


def save(run: Run, path: str | os.PathLike[str]) -> Path:
    """Write the completions of ``run`` to ``path`` as JSON, for ``owa.llm.replay(path)``.

    Secret valve values and typed passwords are written as ``••••••`` wherever they occur
    (a replay then hands back ``••••••`` where a reply held one). Returns the path.
    """
    if not isinstance(run, Run):
        raise TypeError(f"owa-kit: owa.llm.save takes the Run of owa.run(...), not "
                        f"{type(run).__name__}")
    data = {
        "owa_kit": FORMAT, "version": VERSION, "action": run.action.id,
        "recorded": "live" if run.server is not None else "emulated",
        "completions": [{"index": c.index, "request": c.payload,
                         "received": None if c.received is None else c.received.to_json()}
                        for c in run.completions],
    }
    out = Path(path)
    out.write_text(json.dumps(_masked(data, _secrets_of(run)), indent=2, ensure_ascii=False)
                   + "\n", encoding="utf-8")
    return out


def replay(source: Run | str | os.PathLike[str]) -> Replay:
    """The completions of a run, or of a file written by :func:`save`, as ``llm=``.

    >>> run = await owa.run(act, REPLY, llm=owa.llm.replay(live_run))   # doctest: +SKIP
    """
    if isinstance(source, Run):
        return Replay([Entry(c.index, c.payload, c.received) for c in source.completions],
                      f"the run of {source.action.id}")
    if not isinstance(source, str | os.PathLike):
        raise TypeError(f"owa-kit: owa.llm.replay takes a Run or the path of a file written "
                        f"by owa.llm.save, not {type(source).__name__}")
    return _load(Path(source))


def _load(path: Path) -> Replay:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScriptError(f"owa-kit: no recording at {path}; write one with "
                          "owa.llm.save(run, path) after a live run") from None
    except ValueError as exc:
        raise ScriptError(f"owa-kit: {path} is not valid JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("owa_kit") != FORMAT:
        raise ScriptError(f"owa-kit: {path} is not a recording of completions (no "
                          f'"owa_kit": "{FORMAT}"); write one with owa.llm.save(run, path)')
    if data.get("version") != VERSION:
        raise ScriptError(f"owa-kit: {path} is a version {data.get('version')!r} recording; "
                          f"this owa-kit reads version {VERSION}. Record it again")
    entries = []
    for n, item in enumerate(data.get("completions") or [], start=1):
        where = f"{path}, completion #{n}"
        if not (isinstance(item, dict) and isinstance(item.get("request"), dict)):
            raise ScriptError(f"owa-kit: {where}: each completion needs a 'request' object")
        received = item.get("received")
        entries.append(Entry(n, item["request"], None if received is None else
                             Received.from_json(received, where)))
    return Replay(entries, str(path))


def request_diff(recorded: Any, now: Any, path: str = "") -> str | None:
    """The first difference between a recorded request and the one made now, in words."""
    if isinstance(recorded, dict) and isinstance(now, dict):
        for key in recorded:
            if key not in now:
                return (f"{_at(path, key)} is gone (recorded: {_short(recorded[key])})")
            diff = request_diff(recorded[key], now[key], _at(path, key))
            if diff is not None:
                return diff
        extra = next((k for k in now if k not in recorded), None)
        return None if extra is None else (f"{_at(path, extra)} is new: {_short(now[extra])} "
                                           "(not in the recording)")
    if isinstance(recorded, list) and isinstance(now, list):
        for i, (a, b) in enumerate(zip(recorded, now, strict=False)):
            diff = request_diff(a, b, f"{path}[{i}]")
            if diff is not None:
                return diff
        if len(recorded) != len(now):
            return (f"{path or 'the request'} has {len(now)} item(s), the recording "
                    f"{len(recorded)}")
        return None
    if isinstance(recorded, str) and MASK in recorded and isinstance(now, str):
        pattern = ".*?".join(re.escape(part) for part in recorded.split(MASK))
        if re.fullmatch(pattern, now, re.DOTALL):
            return None
    if isinstance(recorded, str) and isinstance(now, str) and recorded != now and max(
            len(recorded), len(now)) > 60:
        return _text_diff(path or "the request", recorded, now)
    if recorded != now or type(recorded) is not type(now):
        return f"{path or 'the request'} was {_short(recorded)} when recorded, now {_short(now)}"
    return None


def _text_diff(path: str, recorded: str, now: str) -> str:
    """Two long texts, shown around their first difference."""
    at = next((i for i, (a, b) in enumerate(zip(recorded, now, strict=False)) if a != b),
              min(len(recorded), len(now)))
    start = max(0, at - 25)

    def around(text: str) -> str:
        piece = json.dumps(text[start:at + 35], ensure_ascii=False)
        return ("…" if start else "") + piece + ("…" if len(text) > at + 35 else "")
    return (f"{path} differs from character {at + 1}: recorded {around(recorded)}, "
            f"now {around(now)}")


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def _secrets_of(run: Run) -> list[str]:
    from ._calls import typed_passwords

    return sorted({*run.secrets, *typed_passwords(run)}, key=len, reverse=True)


def _masked(value: Any, secrets: list[str]) -> Any:
    if not secrets:
        return value
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, MASK)
        return value
    if isinstance(value, dict):
        return {_masked(k, secrets): _masked(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v, secrets) for v in value]
    return value
