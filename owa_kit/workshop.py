"""Workshop checks: click a learner's action once and turn what went wrong into hints.

An exercise notebook states goals (what the reply should read, which dialogs appear, how the
status line ends); ``check`` runs the action in scripted mode, prints the transcript, and
reports each goal met or missed, with hints drawn from the run: the action's exception and
its line, the findings (static and from the run) with their fixes, a missing or leftover
answer. The same call in the solution notebook is a regression test (``report.ok``).

>>> from owa_kit.workshop import check
>>> report = await check("shout.py", "Hello there.", answers=[True],   # doctest: +SKIP
...                      text="HELLO THERE.", calls=["confirmation"], status="Done")
>>> report                                                             # doctest: +SKIP
── check: 4 of 4 goals met
  ✓ the click works (no error, nothing left hanging)
  ...
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._chat import Chat
from ._check import check as static_check
from ._findings import Finding
from ._loader import LoadedAction, load
from ._run import Run
from ._runtime import _in_kernel, run
from .errors import LeftoverAnswersError, LoadError, OwaKitError, UnansweredCallError

__all__ = ["Report", "check"]

_SHOWN = 60  # characters of a text shown around its first difference


@dataclass
class Report:
    """Goals met or missed, and hints; ``ok`` when every goal is met and no hint is left.

    Its text (``str`` and ``repr``) is deterministic, so nbval can compare it.
    """

    goals: list[tuple[bool, str]] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    run: Run | None = None

    @property
    def ok(self) -> bool:
        return all(met for met, _ in self.goals) and not self.hints

    def goal(self, met: bool, text: str) -> Report:
        """Add a goal the notebook checks itself (e.g. ``not route.called``); returns self."""
        self.goals.append((bool(met), text))
        return self

    def __str__(self) -> str:
        met = sum(1 for m, _ in self.goals if m)
        lines = [f"── check: {met} of {len(self.goals)} goals met"]
        lines += [f"  {'✓' if m else '✗'} {text}" for m, text in self.goals]
        if self.hints:
            lines.append("hints:")
            lines += ["  • " + h.replace("\n", "\n    ") for h in self.hints]
        elif self.ok:
            lines.append("all goals met, no hints left: well done.")
        return "\n".join(lines)

    __repr__ = __str__


async def check(
    action: LoadedAction | str | os.PathLike[str],
    message: str | Chat = "Hello! How can I help?",
    *,
    answers: Iterable[Any] = (),
    valves: Mapping[str, Any] | None = None,
    text: str | None = None,
    contains: str | None = None,
    calls: Sequence[str] | None = None,
    status: str | None = None,
    toast: str | None = None,
    show: bool | None = None,
) -> Report:
    """Click ``action`` under ``message`` (scripted: dialogs answered from ``answers``) and
    check the goals given: the reply ``text`` (exactly) or that it ``contains`` a piece, the
    event ``calls`` in order (their types), the final ``status`` description (done), a
    notification (``toast``) containing a piece. The click must always work (no error, no
    hang, no answer missing or left over). ``show`` prints the transcript (default: in a
    Jupyter kernel). Never raises for a mistake in the action: it becomes a hint.
    """
    report = Report()
    worked = "the click works (no error, nothing left hanging)"
    try:
        act = load(action) if not isinstance(action, LoadedAction) else action.refreshed()
    except LoadError as exc:
        report.goals.append((False, "the action loads, as Open WebUI would load it"))
        found = getattr(exc, "findings", None) or []
        report.hints += [_finding_hint(f) for f in found] or [_without_path(str(exc), action)]
        return report
    script_error = None
    try:
        r = await run(act, message, answers=answers, valves=valves, mode="scripted", show=False)
    except OwaKitError as exc:  # a scripted answer missing or left over (or a bad valve)
        script_error = exc
        partial: Run | None = getattr(exc, "run", None)
        if partial is None:
            report.goals.append((False, worked))
            report.hints.append(str(exc).removeprefix("owa-kit: "))
            return report
        r = partial
    if _show(show):
        print(r.transcript)
    report.run = r
    report.goals.append((script_error is None and r.error is None and not r.message.shimmer,
                         worked))
    report.goals += _goals(r, text, contains, calls, status, toast)
    if r.error is not None and not isinstance(r.error, UnansweredCallError):
        report.hints.append(_error_hint(r, act))  # for a hang, OWA301 below explains it
    report.hints += _findings_hints(act, r, skip={"OWA407"} if r.error is not None else set())
    # answers left over after a failure are its consequence: the hints above explain it
    if script_error is not None and not (
            isinstance(script_error, LeftoverAnswersError) and r.error is not None):
        report.hints.append(str(script_error).removeprefix("owa-kit: "))
    return report


def _show(show: bool | None) -> bool:
    return _in_kernel() if show is None else show


def _goals(r: Run, text: str | None, contains: str | None, calls: Sequence[str] | None,
           status: str | None, toast: str | None) -> list[tuple[bool, str]]:
    goals: list[tuple[bool, str]] = []
    seen = r.message.text
    if text is not None:
        goals.append((seen == text, "the reply reads as expected" if seen == text
                      else "the reply should read " + _difference(text, seen)))
    if contains is not None:
        goals.append((contains in seen, f"the reply contains {contains!r}" if contains in seen
                      else f"the reply should contain {contains!r}; it reads {_cut(seen, 0)}"))
    if calls is not None:
        got = [t or "<malformed>" for t in r.calls.types]
        goals.append((got == list(calls), f"dialogs: {_names(calls)}" if got == list(calls)
                      else f"dialogs should be {_names(calls)}; the action asked {_names(got)}"))
    if status is not None:
        last = r.message.status
        desc = None if last is None else last.get("description")
        done = last is not None and not r.message.shimmer
        if desc == status and done:
            goals.append((True, f"the status line ends with {status!r} (done)"))
        elif last is None:
            goals.append((False, f"the status line should end with {status!r}; the action "
                                 "emitted no status"))
        else:
            state = "done" if done else "still running: send done=True"
            goals.append((False, f"the status line should end with {status!r} (done); it ends "
                                 f"with {desc!r} ({state})"))
    if toast is not None:
        shown = [str(n.get("content", "")) for n in r.notifications]
        hit = any(toast in s for s in shown)
        goals.append((hit, f"a notification says {toast!r}" if hit else
                      f"a notification should say {toast!r}; shown: {shown or 'none'}"))
    return goals


def _names(types: Iterable[str]) -> str:
    names = list(types)
    return ", ".join(names) if names else "none"


def _difference(want: str, got: str) -> str:
    """Both texts around their first difference, so a long reply stays readable."""
    at = next((i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b),
              min(len(want), len(got)))
    return f"{_cut(want, at)}, but reads {_cut(got, at)}"


def _cut(text: str, at: int) -> str:
    start = max(0, at - _SHOWN // 2)
    piece = text[start:start + _SHOWN]
    return ("…" if start else "") + repr(piece) + ("…" if start + _SHOWN < len(text) else "")


def _error_hint(r: Run, act: LoadedAction) -> str:
    error = r.error
    assert error is not None
    if isinstance(error, OwaKitError):
        return str(error).removeprefix("owa-kit: ")
    where = ""
    label = str(act.path) if act.path is not None else f"<action {act.id}>"
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == label]
    if frames:
        frame = frames[-1]
        code = f": `{frame.line.strip()}`" if frame.line else ""
        where = f" at line {frame.lineno}{code}"
    return (f"the action raised {type(error).__name__}: {error}{where}. Open WebUI shows "
            "'Error: ...' on the message; catch what you expect and tell the user with a "
            "status or a notification.")


def _findings_hints(act: LoadedAction, r: Run, skip: set[str]) -> list[str]:
    """Static findings (with a line) first, then what only the run revealed; each once."""
    found = [*static_check(act.path if act.path is not None else act.source, id=act.id),
             *r.findings]
    seen: set[tuple[str, str]] = set()
    hints: list[str] = []
    for f in found:
        if f.severity == "info" or f.code in skip or (f.code, f.message) in seen:
            continue
        seen.add((f.code, f.message))
        hints.append(_finding_hint(f))
    return hints


def _finding_hint(f: Finding) -> str:
    where = f"line {f.line}: " if f.line else ""
    return f"{where}{f.code} {f.message}\nfix: {f.fix}"


def _without_path(text: str, action: object) -> str:
    """The message without the absolute path (it differs between machines)."""
    text = text.removeprefix("owa-kit: ")
    if isinstance(action, str | os.PathLike):
        text = text.replace(str(Path(action).absolute()), Path(action).name)
    return text
