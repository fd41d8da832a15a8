"""
title: TL;DR
author: owa-kit workshop
version: 0.1.0
description: Puts a one-line summary (the first sentence) above the reply.
"""

from pydantic import BaseModel, Field


class Action:
    class Valves(BaseModel):
        label: str = Field(default="TL;DR", description="The label before the summary")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict, __event_emitter__=None):
        async def status(description: str, done: bool) -> None:
            await __event_emitter__(
                {"type": "status", "data": {"description": description, "done": done}})

        text = body["messages"][-1]["content"]  # the reply the button is under
        if not text.strip():
            await __event_emitter__({"type": "notification", "data": {
                "type": "warning", "content": "Nothing to summarise: the reply is empty."}})
            await status("Nothing to summarise", True)
            return None
        await status("Summarising...", False)
        first = text.split(". ")[0].rstrip(".") + "."
        await status("Summary added", True)
        new = f"**{self.valves.label}:** {first}\n\n{text}"
        return {"messages": [{"id": body["id"], "content": new}]}
