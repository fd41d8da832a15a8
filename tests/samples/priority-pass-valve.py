"""
title: Sample
expect: 
"""
from pydantic import BaseModel, Field


class Action:
    class Valves(BaseModel):
        priority: int = Field(default=-1, description="lower is further left")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict):
        return None
