"""
title: Sign Off
author: owa-kit workshop
version: 0.1.0
description: Asks whether to sign the reply, then which closing to use, and appends it.
"""

from pydantic import BaseModel, Field

CLOSINGS = ["Best regards", "Cheers", "Thanks"]


class Action:
    class Valves(BaseModel):
        name: str = Field(default="The team", description="Who signs the reply")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict, __event_emitter__=None, __event_call__=None):
        confirm = await __event_call__({"type": "confirm", "data": {
            "title": "Sign off", "message": "Add a sign-off to this reply?"}})
        if not confirm:
            return None

        closing = await __event_call__({"type": "select", "data": {
            "title": "Sign off",
            "options": [{"label": c, "value": c} for c in CLOSINGS],
            "default": CLOSINGS[0]}})

        text = body["messages"][-1]["content"]
        await __event_emitter__({"type": "status", "data": {"description": "Signed", "done": True}})
        return {"messages": [{"id": body["id"],
                              "content": f"{text}\n\n{closing},\n{self.valves.name}"}]}
