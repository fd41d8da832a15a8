"""``owa-kit run --live``: the same transcript from the real server as from the emulator."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

ASKS = '''
async def action(self, body: dict, __event_emitter__=None, __event_call__=None):
    name = await __event_call__({"type": "input", "data": {"title": "Name?"}})
    await __event_emitter__({"type": "status", "data": {"description": "hi", "done": True}})
    return {"messages": [{"id": body["id"], "content": f"Hello, {name}!"}]}
'''


def test_run_live_prints_the_emulators_transcript(
        cli: Callable[..., tuple[int, str]], action_file: Callable[..., Path]) -> None:
    path = action_file(ASKS)
    code, emulated = cli("run", str(path), "-m", "The reply", "-a", "Ada")
    assert code == 0, emulated
    code, live = cli("run", str(path), "-m", "The reply", "-a", "Ada", "--live")
    assert code == 0, live
    assert "Hello, Ada!" in live
    head, _, rest = live.partition("\n")
    assert head.endswith(" · live")
    assert rest == emulated.partition("\n")[2]
