"""``owa-kit check`` and ``owa-kit run``: output, exit codes, answers from the command line."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from owa_kit import answers
from owa_kit.cli import main, parse_answer

GOOD = textwrap.dedent('''\
    """
    title: Greeter
    """
    from pydantic import BaseModel, Field


    class Action:
        class Valves(BaseModel):
            greeting: str = Field(default="Hello", description="how to greet")

        def __init__(self):
            self.valves = self.Valves()

        async def action(self, body, __event_emitter__=None, __event_call__=None):
            name = await __event_call__({"type": "input", "data": {"title": "Name?"}})
            if name is False:
                return None
            await __event_emitter__({"type": "status",
                                     "data": {"description": "greeted", "done": True}})
            text = f"{self.valves.greeting}, {name}!"
            return {"messages": [{"id": body["id"], "content": text}]}
''')

BAD = textwrap.dedent('''\
    """
    title: Bad
    """
    class Action:
        async def action(self, body, __event_call__=None):
            choice = await __event_call__({"type": "select", "data": {"options": ["a"]}})
            return {"content": choice}
''')


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, text in (("greeter", GOOD), ("bad", BAD)):
        path = tmp_path / f"{name}.py"
        path.write_text(text, encoding="utf-8")
        out[name] = path
    return out


def test_check_clean_file_exits_0(files: dict[str, Path], capsys: pytest.CaptureFixture[str]
                                  ) -> None:
    assert main(["check", str(files["greeter"])]) == 0
    assert capsys.readouterr().out == f"{files['greeter']}: ok\n"


def test_check_reports_errors_with_line_and_fix(files: dict[str, Path],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(files["bad"])]) == 1
    out = capsys.readouterr().out
    assert f"{files['bad']}:6: OWA301 error: `__event_call__` type `select`" in out
    assert "fix: use {\"type\": \"input\", \"data\": {\"type\": \"select\"" in out
    assert "OWA401" in out


def test_run_prints_transcript(files: dict[str, Path], capsys: pytest.CaptureFixture[str]
                               ) -> None:
    code = main(["run", str(files["greeter"]), "-m", "Hi there", "-a", "Ada",
                 "--valve", "greeting=Howdy"])
    out = capsys.readouterr().out
    assert code == 0
    assert 'call input {"title": "Name?"} -> "Ada"' in out
    assert "text: Howdy, Ada!" in out


def test_run_script_error_exits_2(files: dict[str, Path], capsys: pytest.CaptureFixture[str]
                                  ) -> None:
    assert main(["run", str(files["greeter"])]) == 2
    assert "no scripted answer left for event call #1 input" in capsys.readouterr().err


def test_run_unanswered_call_exits_1(files: dict[str, Path],
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(files["bad"])]) == 1
    assert "(never answered)" in capsys.readouterr().out


def test_load_error_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("class Action:\n    def action(self, body)\n", encoding="utf-8")
    assert main(["run", str(broken)]) == 2
    assert f"{broken}:2" in capsys.readouterr().err


@pytest.mark.parametrize(("text", "value"), [
    ("true", True), ("False", False), ("Ada", "Ada"), ("json:42", 42),
    ("json:{\"a\": 1}", {"a": 1}), ("cancel", answers.cancel()),
    ("timeout", answers.timeout()), ("disconnect", answers.disconnect()),
])
def test_parse_answer(text: str, value: object) -> None:
    assert parse_answer(text) == value


def test_console_script_entry_point() -> None:
    out = subprocess.run([sys.executable, "-m", "owa_kit.cli", "--version"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.startswith("owa-kit ")


ROOT = Path(__file__).resolve().parents[1]


def test_run_with_scripted_model_replies(capsys: pytest.CaptureFixture[str]) -> None:
    summarize = str(ROOT / "actions" / "summarize.py")
    assert main(["run", summarize, "-m", "A long reply about owls.",
                 "--reply", "Owls, briefly."]) == 0
    out = capsys.readouterr().out
    assert "Owls, briefly." in out and " model " in out
    # the action handles the model error itself: a toast, and the run ends fine
    assert main(["run", summarize, "-m", "A long reply.", "--reply", "error:model offline"]) == 0
    out = capsys.readouterr().out
    assert '-> model error "model offline"' in out
    assert "toast error: No summary: model offline." in out


def test_run_live_without_a_server_url_says_how_to_give_one(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        files: dict[str, Path]) -> None:
    monkeypatch.delenv("OWA_KIT_URL", raising=False)
    assert main(["run", str(files["greeter"]), "--live"]) == 2
    assert "OWA_KIT_URL" in capsys.readouterr().err
