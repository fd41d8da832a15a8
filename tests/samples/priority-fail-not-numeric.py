"""
title: Sample
expect: OWA124
"""
from pydantic import BaseModel, Field


class Action:
    class Valves(BaseModel):
        priority: str = Field(default="high", description="not a number")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict):
        return None
