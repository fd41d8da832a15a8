"""
title: Sample
expect: OWA301
"""


class Action:
    async def action(self, body: dict, __event_call__=None):
        ok = await __event_call__({"type": "confirm", "data": {"title": "Sure?"}})
        text = await __event_call__({"type": "prompt", "data": {"title": "Name?"}})
        return None
