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
        # The guide says the reply's text is in body["content"] ...
        text = body["content"]
        await __event_emitter__({"type": "status",
                                 "data": {"description": "Summarising...", "done": 0}})
        first = text.split(". ")[0].rstrip(".") + "."
        # ... and that returning {"content": ...} replaces the reply.
        return {"content": f"**{self.valves.label}:** {first}\n\n{text}"}
