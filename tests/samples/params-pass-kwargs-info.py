"""
title: Sample
expect: OWA603
"""
from pydantic import BaseModel, Field


class Action:
    # `**kwargs` gets only `body` here; OWA603 is an info note: a -pass- sample
    # that still requires the info code.
    async def action(self, body: dict, **kwargs):
        emitter = kwargs.get("__event_emitter__")
        return None
