"""
title: Sample
expect: 
"""


class Action:
    async def action(self, body: dict, __event_emitter__=None):
        await __event_emitter__({"type": "notification", "data": {"type": "info", "content": "x"}})
        await __event_emitter__({"type": "chat:message:follow_ups",
                                 "data": {"follow_ups": ["More?"]}})
        await __event_emitter__({"type": "chat:title", "data": "New title"})
        await __event_emitter__({"type": "source", "data": {"source": {"name": "doc"}}})
        await __event_emitter__({"type": "files", "data": {"files": []}})
