"""What a run records: events, calls, the final message, findings, and the transcript."""

from __future__ import annotations

import json
import traceback
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, SupportsIndex, TypeVar, overload

from ._chat import Chat, Message
from ._findings import Finding
from ._profile import DEFAULT_PROFILE, Profile

if TYPE_CHECKING:
    import asyncio

    from ._loader import LoadedAction

MASK = "••••••"


def dumps(value: Any) -> str:
    """Deterministic JSON for transcripts: sorted keys, non-JSON values by ``repr``."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=_fallback)


def _fallback(value: Any) -> Any:
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump()
    iso = getattr(value, "isoformat", None)
    if callable(iso):
        return iso()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=repr) if isinstance(value, set | frozenset) else list(value)
    return f"<{type(value).__name__}>"


@dataclass
class Event:
    """One ``__event_emitter__`` call: ``type`` as sent, ``data``, ``seq`` (order in the run)."""

    seq: int
    type: str | None
    data: Any
    raw: Any
    kind: str | None = None  # canonical catalogue name, None when Open WebUI does not know it

    def __repr__(self) -> str:
        return f"Event({self.type!r}, {dumps(self.data)})"


@dataclass
class Call:
    """One ``__event_call__``: ``type``, ``data``, and the ``answer`` the action received."""

    seq: int
    type: str | None
    data: Any
    raw: Any
    answer: Any = None
    given: Any = None  # the answer as scripted or clicked, before Open WebUI's conversion
    answered: bool = False

    def __repr__(self) -> str:
        return f"Call({self.type!r}, {dumps(self.data)}) -> {self.answer!r}"


T = TypeVar("T", Event, Call)


class Recorded(list[T], Generic[T]):
    """A list of events or calls that also reads like a mock's call record.

    >>> run.events.types            # doctest: +SKIP
    ['status', 'status']
    >>> run.calls.last.answer       # doctest: +SKIP
    True
    """

    @property
    def types(self) -> list[str | None]:
        return [item.type for item in self]

    @property
    def called(self) -> bool:
        return bool(self)

    @property
    def call_count(self) -> int:
        return len(self)

    @property
    def last(self) -> T:
        if not self:
            raise AssertionError("owa-kit: nothing was recorded")
        return self[-1]

    def of(self, type: str) -> Recorded[T]:
        """Items of one type; for events, aliases count (``of("message")`` has deltas too)."""
        out: Recorded[T] = Recorded()
        for item in self:
            kind = getattr(item, "kind", None)
            if item.type == type or (kind is not None and kind == _canonical(type)):
                out.append(item)
        return out

    @overload
    def __getitem__(self, i: SupportsIndex) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...
    def __getitem__(self, i: Any) -> Any:
        return super().__getitem__(i)


def _canonical(name: str) -> str | None:
    from ._events import BY_NAME

    spec = BY_NAME.get(name)
    return spec.name if spec else None


@dataclass
class Run:
    """The record of one click: what the action emitted, asked, returned, and left behind.

    ``message`` is the clicked message as the user sees it after the run (the open tab's
    state); ``saved`` is what the server's database holds (None for temporary chats).
    """

    action: LoadedAction
    button: str
    chat: Chat
    body: dict[str, Any]
    events: Recorded[Event] = field(default_factory=Recorded)
    calls: Recorded[Call] = field(default_factory=Recorded)
    notifications: list[dict[str, Any]] = field(default_factory=list)
    title: str | None = None
    result: Any = None
    error: BaseException | None = None
    http_status: int = 200
    http_body: Any = None
    findings: list[Finding] = field(default_factory=list)
    saved: Message | None = None
    valves: dict[str, Any] = field(default_factory=dict)
    user_valves: dict[str, Any] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()
    seq: int = 0
    profile: Profile = DEFAULT_PROFILE
    elapsed: float = 0.0
    paused: float = 0.0  # seconds spent waiting for answers (finished waits)
    asking_since: float | None = None  # time.monotonic() when the open call was asked
    task: asyncio.Task[Run] | None = None  # set when the run goes on in the background
    embedded: bool = False

    @property
    def message(self) -> Message:
        return self.chat.message()

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def add_finding(self, f: Finding) -> None:
        if all((f.code, f.message) != (g.code, g.message) for g in self.findings):
            self.findings.append(f)

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    @property
    def traceback(self) -> str:
        """The action's traceback, as text ('' if it did not raise)."""
        if self.error is None:
            return ""
        return "".join(traceback.format_exception(self.error))

    @property
    def transcript(self) -> str:
        from ._transcript import render

        return render(self)

    def __str__(self) -> str:
        return self.transcript

    def __repr__(self) -> str:
        return (f"<Run {self.button}: {len(self.events)} events, {len(self.calls)} calls, "
                f"HTTP {self.http_status}>")
