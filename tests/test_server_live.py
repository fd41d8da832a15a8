"""Live runs and conformance without a server: arguments, errors, scenarios, the report."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

import owa_kit as owa
from owa_kit.cli import main
from owa_kit.errors import ScriptError, ServerError, ServerUnreachable
from owa_kit.server._conformance import Outcome, Report, _diff, _Ids, scenarios_for
from owa_kit.server._scenarios import CONTRACT, Scenario

ROOT = Path(__file__).resolve().parents[1]
ACT = owa.load('"""\ntitle: Tiny\n"""\nclass Action:\n    async def action(self, body):\n'
               '        return 1\n', id="tiny_live")
NOWHERE = "http://127.0.0.1:9"  # nothing listens on the discard port


def test_server_takes_url_and_token_from_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OWA_KIT_URL", "http://127.0.0.1:8080/")
    monkeypatch.setenv("OWA_KIT_TOKEN", "tok-SECRET")
    server = owa.Server()
    assert (server.url, server.token) == ("http://127.0.0.1:8080", "tok-SECRET")
    assert "SECRET" not in repr(server) and "token=set" in repr(server)


def test_server_without_a_url_says_how_to_give_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OWA_KIT_URL", raising=False)
    with pytest.raises(ServerUnreachable, match="OWA_KIT_URL"):
        owa.Server()


def test_an_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(ServerUnreachable, match="cannot reach Open WebUI at"):
        asyncio.run(owa.run(ACT, server=owa.Server(NOWHERE, "tok")))


@pytest.mark.parametrize("kw", [{"user": {"name": "X"}}, {"model": {"name": "M"}},
                                {"llm": ["reply"]}])
def test_emulator_only_arguments_are_refused(kw: dict[str, Any]) -> None:
    name = next(iter(kw))
    with pytest.raises(ScriptError, match=f"{name}= cannot be applied on a real server"):
        asyncio.run(owa.run(ACT, server=owa.Server(NOWHERE, "tok"), **kw))


def test_a_live_run_needs_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OWA_KIT_TOKEN", raising=False)
    with pytest.raises(ServerError, match="no token"):
        asyncio.run(owa.run(ACT, server=owa.Server(NOWHERE)))


def test_server_must_be_an_owa_server() -> None:
    with pytest.raises(TypeError, match=r"owa.Server\(url, token\)"):
        asyncio.run(owa.run(ACT, server=NOWHERE))


@pytest.mark.parametrize("scenario", CONTRACT, ids=[s.name for s in CONTRACT])
def test_every_contract_scenario_runs_in_the_emulator(scenario: Scenario) -> None:
    act = owa.load(str(scenario.action), id=scenario.action_id)
    r = asyncio.run(owa.run(act, scenario.message, answers=scenario.answers,
                            valves=scenario.valves, user_valves=scenario.user_valves,
                            sub_action=scenario.sub_action, show=False))
    assert r.calls.call_count == len(scenario.answers)


def test_action_files_get_their_known_clicks() -> None:
    files = sorted((ROOT / "actions").glob("*.py"))
    names = [s.name for s in scenarios_for(files, contract=False)]
    assert "enhance_message-1" in names and "weather" in names
    assert len(scenarios_for(files)) == len(CONTRACT) + len(names)
    assert scenarios_for([Path("x/my-action.py")], contract=False)[0].action_id == "my_action"


def test_ids_are_mapped_everywhere() -> None:
    ids = _Ids([("abc-123", "<chat>"), ("abc", "<short>")])
    value = {"abc-123": ["local:abc-123", {"k": "abc"}], "n": 1}
    assert ids(value) == {"<chat>": ["local:<chat>", {"k": "<short>"}], "n": 1}


def test_a_diff_masks_secrets() -> None:
    text = _diff({"key": "s3cret-value"}, {"key": "other"}, ["s3cret-value"])
    assert "s3cret-value" not in text and "••••••" in text
    assert text.splitlines()[:2] == ["--- emulator", "+++ server"]


def test_the_report_counts_identical_scenarios() -> None:
    same = Outcome(CONTRACT[0])
    differs = Outcome(CONTRACT[1], diffs={"http": "--- emulator\n+++ server"})
    failed = Outcome(CONTRACT[2], error="emulator ran\nserver raised X")
    report = Report([same, differs, failed], seconds=1.0)
    assert report.summary == "conformance: 1/3 scenarios identical" and not report.ok
    text = report.render()
    assert "ok   params" in text and "DIFF sub-action" in text and "server raised X" in text


def test_the_cli_lists_scenarios_without_a_server(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["conformance", "--list", "--no-contract",
                 str(ROOT / "actions" / "weather.py")]) == 0
    assert capsys.readouterr().out.split() == ["weather"]
    assert main(["conformance", "--only", "nope"]) == 2
    assert "no scenario named nope" in capsys.readouterr().err
