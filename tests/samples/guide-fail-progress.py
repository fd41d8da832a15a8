"""
title: [Your Action Name]
author: [Your Name]
author_url: [Your GitHub/Website]
funding_url: [Optional Sponsorship Link]
version: [Semantic Version]
required_open_webui_version: [Minimum Compatible Version]
expect: OWA202, OWA401
"""

from pydantic import BaseModel, Field
from typing import Optional, Union, Generator, Iterator
import os
import requests
import asyncio

class Action:
    class Valves(BaseModel):
        # Configuration parameters
        pass

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict, __event_emitter__=None, __event_call__=None):
        await __event_emitter__({
            "type": "status",
            "data": {"description": "Starting process...", "done": 0}
        })

        for i in range(1, 6):
            await asyncio.sleep(0.5)  # Simulate work
            await __event_emitter__({
                "type": "status",
                "data": {"description": f"Processing step {i}/5", "done": i/5}
            })

        await __event_emitter__({
            "type": "status",
            "data": {"description": "Process complete", "done": 1}
        })

        return {"content": "Operation completed successfully"}
