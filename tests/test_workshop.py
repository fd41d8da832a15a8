"""``owa_kit.workshop.check``: goals met or missed, hints drawn from the run and findings."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

import owa_kit as owa
from owa_kit.workshop import Report, check

HEAD = '"""\ntitle: Shout\n"""\nfrom pydantic import BaseModel, Field\n\n\n'
GOOD = HEAD + '''class Action:
    class Valves(BaseModel):
        priority: int = Field(default=0, description="Button order")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body, __event_emitter__=None, __event_call__=None):
        ok = await __event_call__({"type": "confirmation", "data": {"title": "Shout?",
                                                                    "message": "Sure?"}})
        if ok is False or isinstance(ok, dict):
            return None
        await __event_emitter__({"type": "status", "data": {"description": "Done",
                                                            "done": True}})
        await __event_emitter__({"type": "notification", "data": {"type": "success",
                                                                  "content": "Shouted"}})
        text = body["messages"][-1]["content"]
        return {"messages": [{"id": body["id"], "content": text.upper()}]}
'''
GUIDE_STYLE = HEAD + '''class Action:
    async def action(self, body, __event_emitter__=None, __event_call__=None):
        ok = await __event_call__({"type": "confirm", "data": {"title": "Shout?"}})
        await __event_emitter__({"type": "status", "data": {"description": "Shouting",
                                                            "done": 0.5}})
        return {"content": body["content"].upper()}
'''
RAISES = HEAD + '''class Action:
    async def action(self, body, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "Shouting",
                                                            "done": False}})
        return {"messages": [{"id": body["id"], "content": body["id"].uper()}]}
'''
REQUIRED_VALVE = HEAD + '''class Action:
    class Valves(BaseModel):
        key: str = Field(..., description="The key")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body):
        return None
'''
GOALS: dict[str, Any] = {"text": "HELLO THERE.", "calls": ["confirmation"], "status": "Done",
                         "toast": "Shouted"}


def checked(source: str, answers: list[Any], **goals: Any) -> Report:
    action = owa.load(source, id="shout") if source is not REQUIRED_VALVE else source
    return asyncio.run(check(action, "Hello there.", answers=answers, **goals))


def test_all_goals_met_reads_as_done() -> None:
    report = checked(GOOD, [True], **GOALS)
    assert report.ok and report.hints == []
    assert str(report) == "\n".join([
        "── check: 5 of 5 goals met",
        "  ✓ the click works (no error, nothing left hanging)",
        "  ✓ the reply reads as expected",
        "  ✓ dialogs: confirmation",
        "  ✓ the status line ends with 'Done' (done)",
        "  ✓ a notification says 'Shouted'",
        "all goals met, no hints left: well done.",
    ])
    assert report.run is not None and report.run.message.text == "HELLO THERE."


def test_guide_style_mistakes_become_hints_with_lines_and_fixes() -> None:
    report = checked(GUIDE_STYLE, [owa.answers.timeout()], **GOALS)
    assert not report.ok
    assert [met for met, _ in report.goals] == [False] * 5
    assert report.goals[2][1] == "dialogs should be confirmation; the action asked confirm"
    assert report.goals[3][1] == ("the status line should end with 'Done' (done); it ends "
                                  "with 'Shouting' (done)")
    first, *rest = report.hints
    assert first.startswith("the action raised KeyError: 'content' at line 12: "
                            '`return {"content": body["content"].upper()}`')
    assert [h.split()[2] for h in rest] == ["OWA301", "OWA202", "OWA401", "OWA604"]
    assert rest[0].startswith("line 9: OWA301 `__event_call__` type `confirm`")
    assert "\nfix: use {\"type\": \"confirmation\"" in rest[0]
    assert "OWA407" not in str(report)  # the raised-error hint says it already


def test_the_reply_difference_is_shown_around_the_first_change() -> None:
    message, want = "a" * 100 + "c", "A" * 100 + "B" + "z" * 100
    r = asyncio.run(check(owa.load(GOOD, id="shout"), message, answers=[True], text=want))
    a30 = "A" * 30
    assert r.goals[1] == (False, f"the reply should read …'{a30}B{'z' * 29}'…, but reads "
                                 f"…'{a30}C'")


def test_an_exception_points_at_the_line_and_a_running_status_fails_the_click() -> None:
    report = checked(RAISES, [], status="Done")
    assert report.goals == [
        (False, "the click works (no error, nothing left hanging)"),
        (False, "the status line should end with 'Done' (done); it ends with 'Shouting' "
                "(still running: send done=True)")]
    assert report.hints == [
        "the action raised AttributeError: 'str' object has no attribute 'uper' at line 11: "
        '`return {"messages": [{"id": body["id"], "content": body["id"].uper()}]}`. Open WebUI '
        "shows 'Error: ...' on the message; catch what you expect and tell the user with a "
        "status or a notification."]


@pytest.mark.parametrize(("answers", "hint"), [
    ([], "no scripted answer left for event call #1 confirmation"),
    ([True, True], "1 scripted answer(s) left unused: [True]"),
])
def test_a_missing_or_leftover_answer_is_a_hint(answers: list[Any], hint: str) -> None:
    report = checked(GOOD, answers, calls=["confirmation"])
    assert report.goals[0][0] is False
    assert report.goals[1] == (True, "dialogs: confirmation")
    assert report.hints[-1].startswith(hint)


def test_a_file_that_does_not_load_is_one_goal_and_its_findings(tmp_path: Path) -> None:
    path = tmp_path / "shout.py"
    path.write_text(REQUIRED_VALVE)
    report = asyncio.run(check(str(path), "Hi", text="HI"))
    assert report.goals == [(False, "the action loads, as Open WebUI would load it")]
    [hint] = report.hints
    assert hint.startswith("line 9: OWA104 Valves field `key` has no default")
    assert str(tmp_path) not in str(report)


def test_contains_and_missing_status() -> None:
    report = checked(GOOD, [False], contains="HELLO", status="Done", calls=[])
    assert report.goals[1:] == [
        (False, "the reply should contain 'HELLO'; it reads 'Hello there.'"),
        (False, "dialogs should be none; the action asked confirmation"),
        (False, "the status line should end with 'Done'; the action emitted no status")]


def test_show_prints_the_transcript(capsys: pytest.CaptureFixture[str]) -> None:
    asyncio.run(check(owa.load(GOOD, id="shout"), "Hi", answers=[True], show=True))
    assert capsys.readouterr().out.startswith("── owa-kit · shout (Shout)")
    asyncio.run(check(owa.load(GOOD, id="shout"), "Hi", answers=[True]))
    assert capsys.readouterr().out == ""


def test_a_goal_of_the_notebook_joins_the_report() -> None:
    report = checked(GOOD, [True], text="HELLO THERE.")
    assert report.goal(False, "no request was sent") is report
    assert not report.ok
    assert str(report).splitlines()[0] == "── check: 2 of 3 goals met"
    assert "  ✗ no request was sent" in str(report)


def test_a_missing_file_is_named_without_its_directory(tmp_path: Path) -> None:
    report = asyncio.run(check(str(tmp_path / "nowhere.py"), "Hi"))
    [hint] = report.hints
    assert "nowhere.py" in hint and str(tmp_path) not in hint
