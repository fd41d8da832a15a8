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
        async def cancelled() -> None:
            await __event_emitter__({"type": "status",
                                     "data": {"description": "Cancelled", "done": True}})

        # "confirm" is never answered by Open WebUI: a yes/no question is a "confirmation".
        confirm = await __event_call__({"type": "confirmation", "data": {
            "title": "Sign off", "message": "Add a sign-off to this reply?"}})
        # Cancel gives False; a timeout or a closed tab gives {"error": ...}, which is truthy.
        if confirm is False or isinstance(confirm, dict):
            await cancelled()
            return None

        # A dropdown is an "input" of type "select"; its initial choice is `value`.
        closing = await __event_call__({"type": "input", "data": {
            "type": "select", "title": "Sign off", "message": "Which closing?",
            "options": [{"label": c, "value": c} for c in CLOSINGS],
            "value": CLOSINGS[0]}})
        if closing not in CLOSINGS:  # False (Cancel) or {"error": ...}
            await cancelled()
            return None

        text = body["messages"][-1]["content"]
        await __event_emitter__({"type": "status", "data": {"description": "Signed", "done": True}})
        return {"messages": [{"id": body["id"],
                              "content": f"{text}\n\n{closing},\n{self.valves.name}"}]}
