"""
title: Sample
expect: OWA201, OWA209, OWA211, OWA212
"""


class Action:
    async def action(self, body: dict, __event_emitter__=None):
        await __event_emitter__({"type": "progress", "data": {"value": 10}})
        await __event_emitter__({"type": "follow_ups", "data": {"follow_ups": ["More?"]}})
        await __event_emitter__({"type": "title", "data": "New title"})
        await __event_emitter__({"type": "chat:title", "data": {"title": "New title"}})
        await __event_emitter__({"type": "confirmation", "data": {"title": "No answer"}})
