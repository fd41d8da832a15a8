"""
title: Sample
expect: OWA502
"""
from pydantic import BaseModel, Field


class Action:
    class UserValves(BaseModel):
        shout: bool = Field(default=False, description="upper-case the reply")

    async def action(self, body: dict, __user__=None):
        if __user__["valves"]["shout"]:
            return None
        loud = __user__.get("valves").get("shout")
        return None
