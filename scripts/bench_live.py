"""The emulator against a real Open WebUI 0.12.4 (a script, not a test): prints figures.

    python scripts/bench_live.py            # or: make bench (when .venv-owui exists)

Starts a throw-away server from ``.venv-owui`` (or ``OWA_KIT_OWUI_PYTHON``) on 127.0.0.1 and
prints:
- the server's start time (spawn to ``/health``) and the first live run (deploys the copy
  and the echo model);
- for a few conformance scenarios, the median time per run in the emulator and on the
  server (after start-up), the ratio, and how much of a live run is the click itself
  (the ``/api/chat/actions`` request) rather than the set-up around it;
- the time of the whole conformance suite (contract scenarios plus ``actions/``).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import owa_kit as owa  # noqa: E402
from owa_kit.server import Client, start_server  # noqa: E402
from owa_kit.server._conformance import conformance, scenarios_for  # noqa: E402
from owa_kit.server._scenarios import CONTRACT, Scenario  # noqa: E402

OWUI = os.environ.get("OWA_KIT_OWUI_PYTHON", str(ROOT / ".venv-owui" / "bin" / "python"))
BENCHED = ("calls-answered", "events-saved-chat", "events-temporary-chat", "messages-return")
EMULATED_RUNS, LIVE_RUNS = 200, 20


async def timed(scenario: Scenario, action: owa.LoadedAction, n: int,
                server: owa.Server | None) -> tuple[list[float], list[float]]:
    totals, clicks = [], []
    for _ in range(n):
        t = time.perf_counter()
        r = await owa.run(action, scenario.message, answers=scenario.answers,
                          valves=scenario.valves, user_valves=scenario.user_valves,
                          sub_action=scenario.sub_action, show=False, server=server)
        totals.append(time.perf_counter() - t)
        clicks.append(r.elapsed)
    return totals, clicks


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


async def bench(server: owa.Server) -> None:
    first = CONTRACT[0]
    act = owa.load(str(first.action), id=first.action_id)
    t = time.perf_counter()
    await owa.run(act, first.message, server=server, show=False)
    print(f"first live run (deploys the echo model and the copy): {ms(time.perf_counter() - t)}")
    print()
    print(f"{'scenario':<24}{'emulator':>12}{'server':>12}{'ratio':>9}{'click':>12}")
    for name in BENCHED:
        scenario = next(s for s in CONTRACT if s.name == name)
        action = owa.load(str(scenario.action), id=scenario.action_id)
        await timed(scenario, action, 2, server)  # deploy the copy, warm both sides
        emu, _ = await timed(scenario, action, EMULATED_RUNS, None)
        live, clicks = await timed(scenario, action, LIVE_RUNS, server)
        e, s, c = statistics.median(emu), statistics.median(live), statistics.median(clicks)
        print(f"{name:<24}{ms(e):>12}{ms(s):>12}{s / e:>8.0f}x{ms(c):>12}")
    print(f"(medians: {EMULATED_RUNS} emulated runs, {LIVE_RUNS} live runs; 'click' is the "
          "POST /api/chat/actions part of a live run)")
    print()
    scenarios = scenarios_for(sorted((ROOT / "actions").glob("*.py")))
    report = await conformance(server, scenarios)
    print(f"{report.summary}: {report.seconds:.1f} s for the whole suite")


def main() -> int:
    if not Path(OWUI).exists():
        print(f"owa-kit: no Open WebUI python at {OWUI}; run `make owui` first")
        return 1
    with start_server(OWUI, env={"WEBSOCKET_EVENT_CALLER_TIMEOUT": "2"}) as proc:
        print(f"Open WebUI 0.12.4 start (spawn to /health): {proc.startup_seconds:.1f} s")
        with Client(proc.url) as client:
            token = str(client.signup("Kit Admin", "admin@example.com", "kit-Passw0rd!")["token"])
        asyncio.run(bench(owa.Server(proc.url, token)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
