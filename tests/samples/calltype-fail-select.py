"""
title: Sample
expect: OWA301
"""


class Action:
    async def action(self, body: dict, __event_call__=None):
        choice = await __event_call__({
            "type": "select",
            "data": {"title": "Pick", "options": ["a", "b"]},
        })
        return None
