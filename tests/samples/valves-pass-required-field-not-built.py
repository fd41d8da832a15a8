"""
title: Sample
expect: 
"""
from pydantic import BaseModel, Field


class Action:
    # Open WebUI accepts this: `__init__` does not build Valves, and only `missing` errors
    # occur when the stored valves are validated on save.
    class Valves(BaseModel):
        limit: int = Field(..., description="required, set by the admin")

    async def action(self, body: dict):
        return None
