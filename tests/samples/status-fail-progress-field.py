"""
title: Sample
expect: OWA205
"""


class Action:
    async def action(self, body: dict, __event_emitter__=None):
        await __event_emitter__({"type": "status",
                                 "data": {"description": "Step 2", "progress": 40, "done": False}})
        await __event_emitter__({"type": "status", "data": {"description": "end", "done": True}})
