"""
title: [Your Action Name]
author: [Your Name]
version: [Semantic Version]
expect: OWA604, OWA605
"""

from pydantic import BaseModel, Field
from typing import Optional

class Action:
    class Valves(BaseModel):
        pass

    def __init__(self):
        self.valves = self.Valves()

    # The guide's "body" contains content, metadata, message_id and timestamp; none exist.
    async def action(self, body: dict, __user__=None, __event_emitter__=None,
                     __event_call__=None) -> Optional[dict]:
        text = body["content"]
        meta = body["metadata"]
        message_id = body["message_id"]
        when = body.get("timestamp")
        return None
