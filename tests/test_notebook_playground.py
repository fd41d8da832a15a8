"""``owa.play``: the playground runs the action with what its widgets hold."""

from __future__ import annotations

import asyncio
import textwrap
from pathlib import Path
from typing import Any

import pytest

import owa_kit as owa
from owa_kit.notebook import play
from owa_kit.notebook._playground import PLAYGROUND_REPR, Playground

DEMO = Path(__file__).parent / "notebooks" / "demo_action.py"


def demo() -> owa.LoadedAction:
    return owa.load(str(DEMO))


def test_playground_runs_with_message_valves_and_answers() -> None:
    pg = play(demo(), message="Old text", answers=[True, "Ada"], mode="scripted")
    assert isinstance(pg, Playground) and repr(pg) == PLAYGROUND_REPR
    pg.valves.fields["greeting"].widget.value = "Howdy"
    run = asyncio.run(pg.run())
    assert run.message.text == "Howdy, **Ada**!"
    assert "Howdy, <strong>Ada</strong>!" in pg.frontend.view.parts["content"].value
    assert "done" in pg.status.value and pg.last_run is run
    assert "answers=[True, &#x27;Ada&#x27;]" in pg.frontend.footer.value


def test_playground_transcript_matches_owa_run_with_the_same_valves() -> None:
    pg = play(demo(), message="Old text", answers=[True, "Ada"], mode="scripted")
    untouched = asyncio.run(pg.run())
    direct = asyncio.run(owa.run(demo(), "Old text", answers=[True, "Ada"]))
    assert "valves:" not in untouched.transcript
    assert untouched.transcript == direct.transcript
    pg.valves.fields["greeting"].widget.value = "Howdy"
    assert 'valves: greeting="Howdy"' in asyncio.run(pg.run()).transcript


def test_playground_refuses_invalid_valves_and_answers() -> None:
    pg = play(demo(), mode="scripted")
    pg.answers.value = "[True,"
    with pytest.raises(owa.OwaKitError, match="not a Python list literal"):
        asyncio.run(pg.run())
    src = DEMO.read_text().replace('greeting: str = Field(default="Hello"',
                                   'greeting: str = Field(default="Hello", min_length=3')
    pg = play(owa.load(src, id="demo_action"), mode="scripted")
    pg.valves.fields["greeting"].widget.value = "Hi"
    with pytest.raises(owa.OwaKitError, match="fix the valves"):
        asyncio.run(pg.run())


def test_run_button_starts_a_task_and_shows_its_error() -> None:
    pg = play(demo(), mode="scripted")  # no answers: the first call fails

    async def main() -> None:
        pg.button.click()
        assert pg.task is not None
        with pytest.raises(owa.MissingAnswerError):
            await pg.task
        await asyncio.sleep(0)

    asyncio.run(main())
    assert "MissingAnswerError" in pg.status.value
    assert pg.button.disabled is False


def test_playground_interactive_human_clicks() -> None:
    pg = play(demo(), answers=[True, "Pre"])  # interactive: answers only pre-fill

    async def main() -> owa.Run:
        task = pg.start()
        assert task is not None
        for step in ("confirm", "type"):
            while pg.frontend.dialog is None:
                await asyncio.sleep(0.01)
            d: Any = pg.frontend.dialog
            if step == "type":
                assert d.field.value == "Pre"
                d.field.value = "Grace"
            d.confirm.click()
            while pg.frontend.dialog is d:
                await asyncio.sleep(0.01)
        return await task

    run = asyncio.run(main())
    assert run.message.text == "Hello, **Grace**!"


SUB = '''"""
title: Two Buttons
"""
class Action:
    actions = [{"id": "up", "name": "Up"}, {"id": "down", "name": "Down"}]
    async def action(self, body, __id__=None):
        return {"messages": [{"id": body["id"], "content": __id__}]}
'''


def test_sub_action_chooser() -> None:
    pg = play(owa.load(textwrap.dedent(SUB), id="two"), mode="scripted")
    assert pg.sub_action.options == ("up", "down")
    pg.sub_action.value = "down"
    assert asyncio.run(pg.run()).message.text == "down"
