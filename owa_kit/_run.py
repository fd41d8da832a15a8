"""What a run records: events, calls, the final message, findings, and the transcript."""

from __future__ import annotations

import json
import traceback
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, SupportsIndex, TypeVar, overload

from ._chat import Chat, Message, Tab
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


@dataclass
class Completion:
    """One ``generate_chat_completion`` call: the request the action sent and the reply.

    ``payload`` is the request as sent (``model``, ``messages``, ``stream`` and the rest);
    ``reply`` the model's reply (a string, chunks, a dict, or ``owa.llm.error(...)``) and
    ``source`` where it came from: ``script`` (``llm=``), ``echo``, ``typed`` (a human),
    ``live`` (a real server's model) or ``replay`` (``owa.llm.replay``). ``received`` is
    what the action got back, exactly (``owa_kit._received.Received``: the dict, the stream
    items it read, or the exception raised, as for an unknown model); it is what
    ``owa.llm.save`` writes. ``type`` is the model asked, so ``run.completions.of("kit_echo")``
    picks one model.
    """

    seq: int
    index: int
    payload: dict[str, Any]
    reply: Any = None
    source: str = ""
    answered: bool = False
    received: Any = None

    @property
    def model(self) -> str:
        return str(self.payload.get("model"))

    @property
    def type(self) -> str:
        return self.model

    @property
    def messages(self) -> list[dict[str, Any]]:
        messages = self.payload.get("messages")
        return messages if isinstance(messages, list) else []

    @property
    def stream(self) -> bool:
        return bool(self.payload.get("stream", False))

    @property
    def params(self) -> dict[str, Any]:
        """Everything else the request carried (temperature, max_tokens, response_format...)."""
        return {k: v for k, v in self.payload.items() if k not in ("model", "messages", "stream")}

    @property
    def prompt(self) -> str | None:
        """The last user message's text (what an ``llm=`` mapping is keyed by)."""
        for m in reversed(self.messages):
            if isinstance(m, dict) and m.get("role") == "user":
                content = m.get("content")
                if isinstance(content, list):
                    return next((p.get("text") for p in content if isinstance(p, dict)
                                 and p.get("type") == "text"), None)
                return content if isinstance(content, str) else None
        return None

    def __repr__(self) -> str:
        return f"Completion({self.model!r}, {len(self.messages)} messages) -> {self.reply!r}"


T = TypeVar("T", Event, Call, Completion)


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
    state); ``saved`` is what the server's database holds (None for temporary chats), and
    ``persisted`` what the server wrote by itself before the tab saved its copy.
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
    #: what the server wrote from the events alone, before the tab's save (saved chats)
    persisted: Message | None = None
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
    http_raw: bool = False  # the HTTP body is raw text, not JSON (the tab cannot parse it)
    server: str | None = None  # the Open WebUI URL of a live run; None when emulated
    tab: Tab = field(default_factory=Tab)  # the browser tab this click happens in
    #: each ``generate_chat_completion`` the action made, with the model's reply
    completions: Recorded[Completion] = field(default_factory=Recorded)
    #: the emulated Open WebUI state the action saw (``owa_kit._owui._backend.Backend``)
    backend: Any = None

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
