"""
title: Sample
expect: 
"""
from pydantic import BaseModel, Field


class Action:
    async def action(self, body: dict, __user__=None, __event_emitter__=None,
                     __event_call__=None, __model__=None, __request__=None, __id__=None):
        return None
