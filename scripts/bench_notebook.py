"""Benchmarks of the notebook front (owa_kit.notebook); prints the figures and the targets.

1. Streaming: an action emits 10,000 ``message`` deltas inside a real kernel. Kernel time
   with the live panel vs the same run headless (target <= 2x); widget state messages the
   panel sent (target <= 300).
2. nbval: wall time of ``pytest --nbval`` over the fixture notebook vs over a one-cell
   notebook (a bare kernel start and shutdown), measured in the same run (target <= 1.3x).
3. ``import owa_kit`` does not import ipywidgets.

usage: python scripts/bench_notebook.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "notebooks"

SETUP = '''
import time, owa_kit as owa
SRC = """
class Action:
    async def action(self, body, __event_emitter__=None):
        await __event_emitter__({"type": "status",
                                 "data": {"description": "streaming", "done": False}})
        for i in range(10_000):
            await __event_emitter__({"type": "message", "data": {"content": f"w{i} "}})
        await __event_emitter__({"type": "status", "data": {"description": "done", "done": True}})
"""
act = owa.load(SRC, id="stream")
def chat():
    return owa.chat("Stream please", "", output=False)  # a legacy reply: deltas are visible
'''
HEADLESS = '''
t = time.perf_counter()
r = await owa.run(act, chat(), frontend=owa.ScriptedFrontend(), show=False)
print(json.dumps({"headless": time.perf_counter() - t, "chars": len(r.message.text)}))
'''
PANEL = '''
t = time.perf_counter()
r = await owa.run(act, chat(), show=False)
print(json.dumps({"panel": time.perf_counter() - t, "chars": len(r.message.text)}))
'''


def execute(kc: Any, code: str, timeout: float = 120) -> tuple[dict[str, Any], int]:
    """Run ``code``; return the JSON it printed and the widget ``update`` messages it sent."""
    msg_id = kc.execute(code)
    out: dict[str, Any] = {}
    updates = 0
    deadline = time.monotonic() + timeout
    while True:
        try:
            msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            raise TimeoutError("owa-kit: bench cell timed out") from None
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "comm_msg" and content["data"].get("method") == "update":
            updates += 1
        elif kind == "stream" and content["text"].startswith("{"):
            out.update(json.loads(content["text"]))
        elif kind == "error":
            raise RuntimeError("\n".join(content["traceback"]))
        elif kind == "status" and content["execution_state"] == "idle":
            return out, updates


def bench_streaming(rounds: int) -> dict[str, float]:
    from jupyter_client.manager import start_new_kernel

    env = {**os.environ, "OWA_KIT_MODE": "scripted"}
    km, kc = start_new_kernel(kernel_name="python3", env=env)
    try:
        execute(kc, "import json\n" + SETUP)
        execute(kc, HEADLESS)  # warm up imports and caches
        execute(kc, PANEL)
        headless, panel, updates = [], [], []
        for _ in range(rounds):
            h, _ = execute(kc, HEADLESS)
            p, n = execute(kc, PANEL)
            assert h["chars"] == p["chars"], (h, p)
            headless.append(h["headless"])
            panel.append(p["panel"])
            updates.append(n)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    return {"headless": statistics.median(headless), "panel": statistics.median(panel),
            "updates": max(updates)}


def _pytest_wall(nb: Path, rounds: int) -> float:
    env = {k: v for k, v in os.environ.items() if k != "OWA_KIT_MODE"}
    from owa_kit.notebook._cli import plugin_registered

    plugin = [] if plugin_registered() else ["-p", "owa_kit.pytest_plugin"]
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *plugin,
           "--nbval", str(nb)]
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=nb.parent)
        times.append(time.perf_counter() - t)
        if out.returncode != 0:
            raise RuntimeError(f"owa-kit: nbval failed on {nb}:\n"
                               f"{(out.stdout + out.stderr)[-2000:]}")
    return statistics.median(times)


def bench_nbval(rounds: int) -> dict[str, float]:
    import nbformat

    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        for f in ("demo_action.ipynb", "demo_action.py"):
            shutil.copy(FIXTURE / f, d / f)
        bare = nbformat.v4.new_notebook()
        bare.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        bare.cells = [nbformat.v4.new_code_cell("pass")]  # one cell: the kernel must start
        nbformat.write(bare, d / "bare.ipynb")
        bare_t = _pytest_wall(d / "bare.ipynb", rounds)
        kit_t = _pytest_wall(d / "demo_action.ipynb", rounds)
    return {"bare": bare_t, "kit": kit_t}


def import_pulls_widgets() -> list[str]:
    code = ("import sys, owa_kit; print([m for m in ('ipywidgets', 'ipykernel', 'IPython') "
            "if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return list(json.loads(out.stdout.replace("'", '"')))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    ok = True

    s = bench_streaming(rounds)
    ratio = s["panel"] / s["headless"]
    ok &= ratio <= 2.0 and s["updates"] <= 300
    print("streaming 10,000 message deltas in a kernel (median of "
          f"{rounds}):\n  headless {s['headless'] * 1000:7.1f} ms\n"
          f"  panel    {s['panel'] * 1000:7.1f} ms   ratio {ratio:.2f}x   (target <= 2x)\n"
          f"  widget state messages sent: {s['updates']:.0f}   (target <= 300)")

    n = bench_nbval(rounds)
    ratio = n["kit"] / n["bare"]
    ok &= ratio <= 1.3
    print(f"nbval wall time per notebook (median of {rounds}, whole pytest command):\n"
          f"  bare one-cell notebook (kernel start+shutdown) {n['bare']:5.2f} s\n"
          f"  fixture demo_action.ipynb (6 cells, 4 runs)    {n['kit']:5.2f} s   "
          f"ratio {ratio:.2f}x   (target <= 1.3x)")

    pulled = import_pulls_widgets()
    ok &= not pulled
    print(f"import owa_kit pulls in: {pulled or 'none of ipywidgets/ipykernel/IPython'}")
    print("owa-kit: all targets met" if ok else "owa-kit: a target was missed (see above)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
