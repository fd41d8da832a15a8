"""What recording a live run's model completions costs (a script, not a test): prints figures.

    python scripts/bench_record.py          # needs .venv-owui (make owui)

Starts a throw-away Open WebUI 0.12.4 and times live runs of two model-calling actions with
the live copy's recorder (``owa_kit/server/_recorder.py``) and without it (the copy deployed
as the bare action, by swapping ``_live.instrument`` for the identity: benchmark only):

- ``actions/summarize.py``: one non-streamed completion from the echo pipe;
- a streaming action reading 200 chunks from a generator pipe (one socket message each).

Prints the median time of the click (the action's POST, in which it runs) of each, the
difference, and the cost per completion and per stream item; and the time ``owa.llm.save``
and an offline replay take.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import owa_kit as owa  # noqa: E402
from owa_kit.server import Client, _live, start_server  # noqa: E402

OWUI = os.environ.get("OWA_KIT_OWUI_PYTHON", str(ROOT / ".venv-owui" / "bin" / "python"))
RUNS, ROUNDS, CHUNKS = 20, 3, 200
REPLY = "Photosynthesis turns light, water and CO2 into sugar and oxygen."

CHUNK_PIPE = f'''"""
title: Bench Chunks
"""


class Pipe:
    def pipe(self, body: dict):
        return (f"w{{i}} " for i in range({CHUNKS}))
'''

STREAMS = '''"""
title: Bench Streams
"""
from open_webui.models.users import Users
from open_webui.utils.chat import generate_chat_completion


class Action:
    async def action(self, body, __user__=None, __request__=None):
        user = await Users.get_user_by_id(__user__["id"])
        payload = {"model": "bench_chunks", "stream": True,
                   "messages": [{"role": "user", "content": "go"}]}
        response = await generate_chat_completion(__request__, payload, user)
        n = 0
        async for _line in response.body_iterator:
            n += 1
        return {"lines": n}
'''


async def timed(act: owa.LoadedAction, server: owa.Server, n: int) -> list[float]:
    """The click of each live run (``run.elapsed``: the POST, in which the action runs)."""
    out = []
    for _ in range(n):
        r = await owa.run(act, REPLY, server=server, show=False)
        assert r.ok, r.traceback
        out.append(r.elapsed)
    return out


async def compare(act: owa.LoadedAction, server: owa.Server) -> tuple[list[float], list[float]]:
    """Clicks without and with the recorder (rounds alternate; the first two runs of a
    round redeploy the copy and warm it, and are not counted)."""
    recorder = _live.instrument
    times: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(ROUNDS):
        for on in (False, True):
            _live.instrument = recorder if on else (lambda source: source)  # type: ignore[assignment]
            await timed(act, server, 2)
            times[on] += await timed(act, server, RUNS)
    _live.instrument = recorder
    return times[False], times[True]


def iqr(values: list[float]) -> float:
    q = statistics.quantiles(values, n=4)
    return q[2] - q[0]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


async def bench(server: owa.Server) -> None:
    summarize = owa.load(ROOT / "actions" / "summarize.py")
    streams = owa.load(STREAMS, id="bench_streams")
    print(f"{'click of a live run':<34}{'bare copy':>12}{'recorded':>12}{'cost':>12}")
    for name, act, per in (("summarize (1 completion)", summarize, 1),
                           (f"stream ({CHUNKS + 2} items read)", streams, CHUNKS + 2)):
        bare_runs, recorded_runs = await compare(act, server)
        bare, recorded = statistics.median(bare_runs), statistics.median(recorded_runs)
        noise = max(iqr(bare_runs), iqr(recorded_runs))
        print(f"{name:<34}{ms(bare):>12}{ms(recorded):>12}{ms(recorded - bare):>12}"
              f"  (IQR {ms(noise).strip()}; {(recorded - bare) / per * 1e6:.0f} µs per "
              f"{'item' if per > 1 else 'call'})")
    print(f"(medians of {RUNS * ROUNDS} live runs per column, rounds alternating; the click "
          "is the POST /api/chat/actions in which the action runs)")

    run = await owa.run(streams, REPLY, server=server, show=False)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        path = owa.llm.save(run, Path(tmp) / "streams.json")
        saved, size = time.perf_counter() - t, path.stat().st_size
        replay = owa.llm.replay(path)
        t = time.perf_counter()
        for _ in range(50):
            await owa.run(streams, REPLY, llm=replay, show=False)
        replayed = (time.perf_counter() - t) / 50
    items = len(run.completions.last.received.items)
    print(f"owa.llm.save of a stream run ({items} items, {size / 1024:.0f} KiB): {ms(saved)}; "
          f"its offline replay: {ms(replayed)} per run")


def main() -> int:
    if not Path(OWUI).exists():
        print(f"owa-kit: no Open WebUI python at {OWUI}; run `make owui` first")
        return 1
    with start_server(OWUI) as proc:
        with Client(proc.url) as client:
            token = str(client.signup("Kit Admin", "admin@example.com", "kit-Passw0rd!")["token"])
            client.create_function({"id": "bench_chunks", "name": "Bench Chunks",
                                    "content": CHUNK_PIPE, "meta": {"description": "bench"}})
            client.toggle("bench_chunks")
            client.models(refresh=True)
        asyncio.run(bench(owa.Server(proc.url, token)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
