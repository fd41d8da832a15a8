"""Benchmarks of the core (a script, not a test): prints figures and ratios.

    python scripts/bench.py            # or: make bench

- per-event cost of the emulated ``__event_emitter__`` over 10,000 events, against a bare
  emitter that appends to a list (target: <= 15 us per event)
- load time of an action file (cold: new content; warm: cached content)
- ``import owa_kit`` time in a fresh interpreter (target: <= 200 ms, without ipywidgets)
- load + run of an action that asks the model (emulated ``open_webui``, scripted reply)
  against a self-contained action of the same size, as a ratio; and the one-time cost of the
  first such load in a process (the 0.12.4 name tables)
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


def bench_import() -> tuple[float, float, bool]:
    """``import owa_kit`` alone (the core loads lazily), and import + first load + first run
    in a fresh interpreter: what a CLI call or a notebook's first cell pays."""
    code = ("import time, sys; t = time.perf_counter(); import owa_kit; "
            "i = time.perf_counter() - t; import asyncio; "
            "a = owa_kit.load('actions/progress_demo.py'); "
            "asyncio.run(owa_kit.run(a, 'Hi', valves={'delay': 0})); "
            "print(i, time.perf_counter() - t, 'ipywidgets' in sys.modules)")
    imports, firsts, widgets = [], [], False
    for _ in range(7):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, cwd=ROOT).stdout.split()
        imports.append(float(out[0]))
        firsts.append(float(out[1]))
        widgets = widgets or out[2] == "True"
    return statistics.median(imports) * 1e3, statistics.median(firsts) * 1e3, widgets


ASKS = '''"""
title: Bench Asks
"""
from open_webui.models.users import Users
from open_webui.utils.chat import generate_chat_completion


class Action:
    async def action(self, body, __user__=None, __request__=None):
        user = await Users.get_user_by_id(__user__["id"])
        payload = {"model": body["model"], "stream": False,
                   "messages": [{"role": "user", "content": body["messages"][-1]["content"]}]}
        response = await generate_chat_completion(__request__, payload, user)
        text = response["choices"][0]["message"]["content"]
        return {"messages": [{"id": body["id"], "content": text}]}
'''

PLAIN = '''"""
title: Bench Plain
"""
import re
import textwrap


class Action:
    async def action(self, body, __user__=None, __request__=None):
        name = (__user__ or {}).get("name", "")
        words = {"words": re.findall(r"[a-z]+", body["messages"][-1]["content"].lower()),
                 "short": textwrap.shorten(body["messages"][-1]["content"], width=60)}
        counted = {"n": len(words["words"]), "who": name, "kind": "plain"}
        text = f"{words[\'short\']} ({counted[\'n\']} words)"
        return {"messages": [{"id": body["id"], "content": text}]}
'''


def bench_model_action(rounds: int = 40) -> tuple[float, float, float, float]:
    """Median ms of load (new content) + run: model-calling vs self-contained, and the
    first load of each in a fresh interpreter."""
    assert len(ASKS.splitlines()) == len(PLAIN.splitlines())

    def one(source: str, i: int, **kw: object) -> float:
        t = time.perf_counter()
        act = owa.load(source + f"\n# variant {i}\n", id=f"bench_{i}_{len(source)}")
        asyncio.run(owa.run(act, "Some reply text to work on.", show=False, **kw))
        return time.perf_counter() - t

    one(ASKS, -1, llm=["A reply."])  # the name tables load once per process
    asks = statistics.median(one(ASKS, i, llm=["A reply."]) for i in range(rounds)) * 1e3
    plain = statistics.median(one(PLAIN, i) for i in range(rounds)) * 1e3
    code = ("import sys, time, owa_kit as owa; src = sys.stdin.read(); t = time.perf_counter(); "
            "owa.load(src, id='first'); print(time.perf_counter() - t)")
    first = []
    for source in (ASKS, PLAIN):
        runs = [float(subprocess.run([sys.executable, "-c", code], input=source, text=True,
                                     capture_output=True, check=True, cwd=ROOT).stdout)
                for _ in range(5)]
        first.append(statistics.median(runs) * 1e3)
    return asks, plain, first[0], first[1]


def main() -> None:
    kit, base = bench_events()
    print(f"emitter: {kit:.2f} us/event emulated vs {base:.2f} us/event bare list-append "
          f"(ratio {kit / base:.1f}x) over {N:,} events; target <= 15 us")
    cold, warm = bench_load()
    print(f"load: {cold:.2f} ms cold (new content), {warm:.3f} ms warm (cached content)")
    imp, first, widgets = bench_import()
    print(f"import owa_kit: {imp:.0f} ms (median of 7); ipywidgets imported: {widgets}; "
          "target <= 200 ms, no ipywidgets")
    print(f"import + first load + first run (actions/progress_demo.py, delay 0) in a "
          f"fresh interpreter: {first:.0f} ms (median of 7)")
    asks, plain, first_asks, first_plain = bench_model_action()
    print(f"model-calling action, load + run with a scripted reply: {asks:.2f} ms vs "
          f"{plain:.2f} ms self-contained, same size (ratio {asks / plain:.2f}x); first load "
          f"in a process {first_asks:.1f} ms vs {first_plain:.1f} ms (0.12.4 name tables)")


if __name__ == "__main__":
    main()
