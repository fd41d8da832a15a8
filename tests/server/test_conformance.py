"""The conformance suite against a real Open WebUI 0.12.4: the emulator must match it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

import owa_kit as owa
from owa_kit.server._conformance import Report, compare, conformance, scenarios_for
from owa_kit.server._scenarios import Scenario

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[2]
ACTION_FILES = sorted((ROOT / "actions").glob("*.py"))
Cli = Callable[..., tuple[int, str]]


def test_every_scenario_is_identical_in_the_emulator_and_on_the_server(
        live: owa.Server) -> None:
    scenarios = scenarios_for(ACTION_FILES)
    assert len(ACTION_FILES) == 7 and len(scenarios) > 30
    report: Report = asyncio.run(conformance(live, scenarios))
    print("\n" + report.render())
    assert report.ok, report.render()
    assert report.summary == f"conformance: {len(scenarios)}/{len(scenarios)} scenarios identical"


def test_a_real_difference_is_reported_with_a_readable_diff(live: owa.Server) -> None:
    # the emulator's process is not Open WebUI's: an action that looks around tells them apart
    source = ('"""\ntitle: Where\n"""\nimport os\n\n\nclass Action:\n'
              "    async def action(self, body):\n"
              "        return {'on_server': 'WEBUI_SECRET_KEY' in os.environ}\n")
    outcome = asyncio.run(compare(live, Scenario("where", source)))
    assert not outcome.identical and list(outcome.diffs) == ["http"]
    text = outcome.render()
    assert text.startswith("DIFF where")
    assert '-  "on_server": false' in text and '+  "on_server": true' in text


def test_the_cli_prints_the_count_and_exits_0(cli: Cli) -> None:
    code, out = cli("conformance", "--only", "sub-action", "--only", "calls-answered")
    assert code == 0, out
    assert "ok   sub-action" in out
    assert "conformance: 2/2 scenarios identical" in out


def test_the_cli_clicks_the_given_files(cli: Cli) -> None:
    code, out = cli("conformance", "--no-contract", str(ROOT / "actions" / "weather.py"))
    assert code == 0, out
    assert "conformance: 1/1 scenarios identical" in out
