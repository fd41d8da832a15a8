"""
title: Demo Greeter
author: owa-kit
version: 0.1.0
description: Asks for confirmation and a name, then rewrites the reply (fixture for nbval).
"""

from pydantic import BaseModel, Field


class Action:
    class Valves(BaseModel):
        greeting: str = Field(default="Hello", description="How the new reply starts")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body, __event_emitter__=None, __event_call__=None):
        async def status(text, done):
            await __event_emitter__({"type": "status", "data": {"description": text,
                                                                "done": done}})

        await status("Asking the user", False)
        ok = await __event_call__({"type": "confirmation", "data": {
            "title": "Rewrite the reply?", "message": "The reply becomes a **greeting**."}})
        if not ok:
            await status("Cancelled", True)
            await __event_emitter__({"type": "notification",
                                     "data": {"type": "warning", "content": "Nothing changed"}})
            return None
        name = await __event_call__({"type": "input", "data": {
            "title": "Your name", "message": "Who is greeted?", "placeholder": "Ada"}})
        text = f"{self.valves.greeting}, **{name}**!"
        await __event_emitter__({"type": "chat:message:follow_ups",
                                 "data": {"follow_ups": ["Say it again"]}})
        await __event_emitter__({"type": "notification",
                                 "data": {"type": "success", "content": f"Greeted {name}"}})
        await status("Done", True)
        return {"messages": [{"id": body["id"], "content": text}]}
