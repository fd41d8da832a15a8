"""
title: Sample
description: a sample action for owa.check
expect: OWA118
"""
from pydantic import BaseModel, Field

HELP = "pick the model from main menu"


class Action:
    async def action(self, body: dict, __event_emitter__=None):
        await __event_emitter__({"type": "notification", "data": {"content": HELP}})
