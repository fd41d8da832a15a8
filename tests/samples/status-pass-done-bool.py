"""
title: Sample
expect: OWA203
"""


class Action:
    async def action(self, body: dict, __event_emitter__=None):
        finished = len(body["messages"]) > 0
        await __event_emitter__({"type": "status", "data": {"description": "go", "done": False}})
        await __event_emitter__({"type": "status", "data": {"description": "x", "done": finished}})
        await __event_emitter__({"type": "status", "data": {"description": "no done key"}})
        await __event_emitter__({"type": "status", "data": {"description": "end", "done": True}})
