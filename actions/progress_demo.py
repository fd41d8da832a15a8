"""
title: Progress Demo
author: owa-kit
version: 1.0.0
required_open_webui_version: 0.12.4
description: Shows step-by-step progress in the status line of a message while it works.
"""

import asyncio

from pydantic import BaseModel, Field


class Action:
    class Valves(BaseModel):
        priority: int = Field(default=0, description="Button order (lower is further left)")
        steps: int = Field(default=5, ge=1, le=100, description="Number of steps to simulate")
        delay: float = Field(default=0.2, ge=0, le=10, description="Seconds per step")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict, __user__=None, __event_emitter__=None,
                     __event_call__=None):
        async def status(description: str, done: bool) -> None:
            # `done` must be a boolean: exactly False shows the working shimmer; anything
            # else (0, 0.4, 1) renders as finished. There is no `progress` field in Open
            # WebUI, so the progress goes into the description.
            await __event_emitter__(
                {"type": "status", "data": {"description": description, "done": done}})

        # Nothing in the message changes, so the action returns nothing (a returned
        # {"content": ...} would be ignored by Open WebUI anyway).
        steps = self.valves.steps
        await status("Starting...", False)
        for i in range(1, steps + 1):
            await asyncio.sleep(self.valves.delay)  # simulated work; never time.sleep here
            await status(f"Step {i}/{steps}", False)
        await status(f"Completed {steps} steps", True)
        await __event_emitter__({"type": "notification", "data": {
            "type": "success", "content": "Operation completed successfully"}})
