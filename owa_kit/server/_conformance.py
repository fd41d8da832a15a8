"""Prove the emulator against a real Open WebUI 0.12.4: each scenario runs both ways.

For every scenario (``_scenarios``) the same click runs in the emulator and on the server
with the same answers and valves, and the two ``Run`` records are compared: the events, the
calls and what they returned, the model completions (each request, and the reply exactly as
the action received it), the HTTP status and body, the tab's message, and what the server
persisted (before and after the tab's save). Ids that must differ (chat, socket session,
user, the live copy's function id, a completion's ``id`` and ``created``) are mapped to
placeholders first; nothing else is normalised, so any difference left is a difference in
behaviour, which is an emulator bug or a fact missing from the contract reference.

>>> scenarios = scenarios_for(["actions/weather.py"])              # doctest: +SKIP
>>> report = await conformance(owa.Server(url, token), scenarios)  # doctest: +SKIP
>>> print(report.render())                                         # doctest: +SKIP
"""

from __future__ import annotations

import difflib
import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._chat import kit_uuid
from .._context import ADMIN_ID
from .._loader import LoadedAction, load
from .._received import mask_ids
from .._run import MASK, Completion, Run
from .._runtime import SESSION_ID, ScriptedFrontend, run
from ..errors import AuthError, OwaKitError, ServerUnreachable
from ._client import Client
from ._live import live_id, run_live
from ._scenarios import CONTRACT, Scenario, for_action_file
from ._target import Server

__all__ = ["Outcome", "Report", "compare", "conformance", "observe", "scenarios_for"]

#: the parts of a run that are compared, in report order
PARTS = ("events", "calls", "completions", "http", "message", "persisted", "saved")


def observe(r: Run) -> dict[str, Any]:
    """What is compared of a run (before ids are mapped)."""
    return {
        "events": [{"type": e.type, "data": e.data} for e in r.events],
        "calls": [{"type": c.type, "data": c.data,
                   "answer": c.answer if c.answered else "<never answered>"} for c in r.calls],
        "completions": [{"request": c.payload, "received": _received(c)}
                        for c in r.completions],
        "http": {"status": r.http_status, "body": r.http_body},
        "message": r.message.data,
        "persisted": r.persisted.data if r.persisted is not None else None,
        "saved": r.saved.data if r.saved is not None else None,
    }


def _received(c: Completion) -> Any:
    return None if c.received is None else mask_ids(c.received).to_json()


class _Ids:
    """Replaces id values (also inside strings and keys) with placeholders."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.pairs = sorted(((a, b) for a, b in pairs if a), key=lambda p: -len(p[0]))

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str):
            for old, new in self.pairs:
                value = value.replace(old, new)
            return value
        if isinstance(value, dict):
            return {self(k): self(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self(v) for v in value]
        return value


@dataclass
class Outcome:
    """One scenario, both ways: the mapped observations and the readable differences."""

    scenario: Scenario
    emulated: dict[str, Any] | None = None
    live: dict[str, Any] | None = None
    diffs: dict[str, str] = field(default_factory=dict)
    error: str | None = None  # the scenario could not be compared (a side raised)
    seconds: tuple[float, float] = (0.0, 0.0)

    @property
    def identical(self) -> bool:
        return self.error is None and not self.diffs

    def render(self) -> str:
        emu, live = self.seconds
        head = (f"{'ok  ' if self.identical else 'DIFF'} {self.scenario.name} "
                f"(emulator {emu * 1000:.0f} ms, server {live * 1000:.0f} ms)")
        lines = [head]
        if self.error:
            lines.append("     " + self.error.replace("\n", "\n     "))
        for part, text in self.diffs.items():
            lines.append(f"     {part}:")
            lines.extend("       " + ln for ln in text.splitlines())
        return "\n".join(lines)


@dataclass
class Report:
    outcomes: list[Outcome]
    seconds: float = 0.0

    @property
    def identical(self) -> int:
        return sum(o.identical for o in self.outcomes)

    @property
    def ok(self) -> bool:
        return self.identical == len(self.outcomes)

    @property
    def summary(self) -> str:
        return f"conformance: {self.identical}/{len(self.outcomes)} scenarios identical"

    def render(self) -> str:
        return "\n".join([*(o.render() for o in self.outcomes),
                          f"{self.summary} ({self.seconds:.1f} s)"])


def scenarios_for(files: Sequence[str | Path] = (), *, contract: bool = True) -> list[Scenario]:
    """The contract scenarios (unless ``contract=False``) and the clicks for ``files``."""
    out = list(CONTRACT) if contract else []
    for f in files:
        out.extend(for_action_file(Path(f)))
    return out


async def conformance(server: Server, scenarios: Sequence[Scenario] | None = None, *,
                      progress: Callable[[Outcome], None] | None = None) -> Report:
    """Run ``scenarios`` (default: the contract set) both ways and compare them."""
    started = time.monotonic()
    user_id = _user_id(server)
    outcomes = []
    for scenario in scenarios if scenarios is not None else CONTRACT:
        outcome = await compare(server, scenario, user_id)
        if progress is not None:
            progress(outcome)
        outcomes.append(outcome)
    return Report(outcomes, time.monotonic() - started)


def _user_id(server: Server) -> str:
    with Client(server.url, server.token) as client:
        return str(client.require_admin()["id"])


async def compare(server: Server, scenario: Scenario, user_id: str | None = None) -> Outcome:
    """One scenario in the emulator, then on ``server``; the outcome with its differences.

    ``user_id`` is the token's user (looked up when not given)."""
    if user_id is None:
        user_id = _user_id(server)
    out = Outcome(scenario)
    try:
        action = _load(scenario)
    except OwaKitError as exc:
        out.error = f"the action does not load: {exc}"
        return out
    emu, emu_s = await _side(scenario, action, None)
    live, live_s = await _side(scenario, action, server)
    out.seconds = (emu_s, live_s)
    if isinstance(emu, BaseException) or isinstance(live, BaseException):
        out.error = _errors(emu, live)
        return out
    secrets = (*emu.secrets, *live.secrets)
    emu_ids = _Ids([(emu.chat.id, "<chat>"), (SESSION_ID, "<session>"),
                    (ADMIN_ID, "<user>"), (kit_uuid(1, 1), "<chat>")])
    live_ids = _Ids([(live.chat.id, "<chat>"), (str(live.body.get("session_id", "")),
                                                "<session>"),
                     (user_id, "<user>"), (live_id(action.id), action.id)])
    out.emulated, out.live = emu_ids(observe(emu)), live_ids(observe(live))
    for part in PARTS:
        a, b = out.emulated[part], out.live[part]
        if a != b:
            out.diffs[part] = _diff(a, b, secrets)
    return out


def _load(scenario: Scenario) -> LoadedAction:
    if isinstance(scenario.action, Path):
        return load(scenario.action)
    return load(scenario.action, id=scenario.action_id)


async def _side(scenario: Scenario, action: LoadedAction,
                server: Server | None) -> tuple[Run | BaseException, float]:
    kw: dict[str, Any] = {
        "answers": scenario.answers, "valves": scenario.valves,
        "user_valves": scenario.user_valves, "sub_action": scenario.sub_action,
        "timeout": scenario.timeout, "show": False,
        "frontend": ScriptedFrontend(scenario.answers),
    }
    started = time.perf_counter()
    try:
        if server is None:
            r = await run(action, scenario.message, llm=scenario.llm, **kw)
        else:
            r = await run_live(server, action, scenario.message, **kw)
    except (ServerUnreachable, AuthError):
        raise  # the server is unusable: no scenario can run
    except OwaKitError as exc:  # this scenario's problem (e.g. the server cannot load it)
        return exc, time.perf_counter() - started
    return r, time.perf_counter() - started


def _errors(emu: Run | BaseException, live: Run | BaseException) -> str:
    def say(x: Run | BaseException) -> str:
        return f"raised {type(x).__name__}: {x}" if isinstance(x, BaseException) else "ran"
    return f"emulator {say(emu)}\nserver {say(live)}"


def _diff(a: Any, b: Any, secrets: Sequence[str]) -> str:
    def text(v: Any) -> list[str]:
        s = json.dumps(v, indent=1, sort_keys=True, ensure_ascii=False, default=repr)
        for secret in secrets:
            s = s.replace(secret, MASK)
        return s.splitlines()
    return "\n".join(difflib.unified_diff(text(a), text(b), "emulator", "server", lineterm="",
                                          n=2))
