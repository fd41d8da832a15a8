"""Benchmarks of the core (a script, not a test): prints figures and ratios.

    python scripts/bench.py            # or: make bench

- per-event cost of the emulated ``__event_emitter__`` over 10,000 events, against a bare
  emitter that appends to a list (target: <= 15 us per event)
- load time of an action file (cold: new content; warm: cached content)
- ``import owa_kit`` time in a fresh interpreter (target: <= 200 ms, without ipywidgets)
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import owa_kit as owa  # noqa: E402

N = 10_000

STREAM = textwrap.dedent('''
class Action:
    async def action(self, body, __event_emitter__):
        await __event_emitter__({"type": "status", "data": {"description": "go", "done": False}})
        for i in range(N - 2):
            await __event_emitter__({"type": "message", "data": {"content": "tok "}})
        await __event_emitter__({"type": "status", "data": {"description": "ok", "done": True}})
''')


def bench_events() -> tuple[float, float]:
    act = owa.load(f"N = {N}\n" + STREAM, id="bench_stream")
    chat = owa.chat("Hi", "", output=False)
    kit = []
    for _ in range(5):
        t = time.perf_counter()
        asyncio.run(owa.run(act, chat))
        kit.append(time.perf_counter() - t)

    sink: list[object] = []

    async def bare(event: object) -> None:
        sink.append(event)

    async def baseline() -> None:
        await act.instance.action({"messages": []}, __event_emitter__=bare)

    base = []
    for _ in range(5):
        sink.clear()
        t = time.perf_counter()
        asyncio.run(baseline())
        base.append(time.perf_counter() - t)
    return statistics.median(kit) / N * 1e6, statistics.median(base) / N * 1e6


def bench_load() -> tuple[float, float]:
    path = ROOT / "actions" / "enhance_message.py"
    if not path.exists():
        path = next((ROOT / "tests" / "samples").glob("*-pass-*.py"))
    text = path.read_text(encoding="utf-8")
    cold = []
    for i in range(20):
        t = time.perf_counter()
        owa.load(text + f"\n# variant {i}\n", id=f"bench_load_{i}")
        cold.append(time.perf_counter() - t)
    owa.load(text, id="bench_warm")
    warm = []
    for _ in range(20):
        t = time.perf_counter()
        owa.load(text, id="bench_warm")
        warm.append(time.perf_counter() - t)
    return statistics.median(cold) * 1e3, statistics.median(warm) * 1e3


def bench_import() -> tuple[float, bool]:
    code = ("import time, sys; t = time.perf_counter(); import owa_kit; "
            "print(time.perf_counter() - t, 'ipywidgets' in sys.modules)")
    times, widgets = [], False
    for _ in range(7):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, cwd=ROOT).stdout.split()
        times.append(float(out[0]))
        widgets = widgets or out[1] == "True"
    return statistics.median(times) * 1e3, widgets


def main() -> None:
    kit, base = bench_events()
    print(f"emitter: {kit:.2f} us/event emulated vs {base:.2f} us/event bare list-append "
          f"(ratio {kit / base:.1f}x) over {N:,} events; target <= 15 us")
    cold, warm = bench_load()
    print(f"load: {cold:.2f} ms cold (new content), {warm:.3f} ms warm (cached content)")
    imp, widgets = bench_import()
    print(f"import owa_kit: {imp:.0f} ms (median of 7); ipywidgets imported: {widgets}; "
          "target <= 200 ms, no ipywidgets")


if __name__ == "__main__":
    main()
