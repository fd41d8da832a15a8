"""``tab=``: the kit's tab state carries across live clicks as across emulated ones."""

from __future__ import annotations

import asyncio
import textwrap

import owa_kit as owa

PICK = textwrap.dedent('''
    class Action:
        async def action(self, body, __event_call__=None):
            s = await __event_call__({"type": "input", "data": {"title": "Style",
                                      "type": "select", "options": ["formal", "simple"],
                                      "value": "formal"}})
            return {"messages": [{"id": body["id"], "content": str(s)}]}
''')
CONFIRM = textwrap.dedent('''
    class Action:
        async def action(self, body, __event_call__=None):
            ok = await __event_call__({"type": "confirmation", "data": {"title": "Sure?",
                                                                        "message": "Go?"}})
            return {"got": ok}
''')


def test_one_tab_across_two_live_clicks_matches_the_emulator(live: owa.Server) -> None:
    pick, confirm = owa.load(PICK, id="kit_tab_pick"), owa.load(CONFIRM, id="kit_tab_confirm")

    async def two_clicks(server: owa.Server | None) -> owa.Run:
        tab = owa.Tab()
        await owa.run(pick, "Reply", answers=[True], tab=tab, server=server)
        return await owa.run(confirm, "Reply", answers=[True], tab=tab, server=server)

    emulated, real = asyncio.run(two_clicks(None)), asyncio.run(two_clicks(live))
    assert real.server is not None and emulated.server is None
    assert emulated.http_body == real.http_body == {"got": "formal"}
    assert emulated.codes == real.codes and "OWA307" in real.codes
