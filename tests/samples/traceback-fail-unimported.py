"""
title: Sample
expect: OWA608
"""
from pydantic import BaseModel, Field


class Action:
    async def action(self, body: dict, __event_emitter__=None):
        try:
            1 / 0
        except ZeroDivisionError:
            detail = traceback.format_exc()
            await __event_emitter__({"type": "notification",
                                     "data": {"type": "error", "content": detail}})
