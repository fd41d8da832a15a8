"""
title: Sample
author: owa-kit
version: 0.1.0
required_open_webui_version: 0.12.4
icon_url: https://example.com/icon.svg
description: everything in order
expect: OWA116
"""
from pydantic import BaseModel, Field

class Action:
    class Valves(BaseModel):
        priority: int = Field(default=0, description="button order")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "ok", "done": True}})
        return {"messages": [{"id": body["id"], "content": "done"}]}
