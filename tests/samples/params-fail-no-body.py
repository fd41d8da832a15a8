"""
title: Sample
expect: OWA606
"""
from pydantic import BaseModel, Field


class Action:
    async def action(self, __user__=None, __event_emitter__=None):
        return None
