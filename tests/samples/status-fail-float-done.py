"""
title: Sample
expect: OWA202
"""


class Action:
    async def action(self, body: dict, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "half", "done": 0.5}})
        await __event_emitter__({"type": "status", "data": {"description": "end", "done": True}})
