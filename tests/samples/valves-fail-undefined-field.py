"""
title: Sample
expect: OWA610
"""
from pydantic import BaseModel, Field


class Action:
    class Valves(BaseModel):
        units: str = Field(default="metric", description="units")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict):
        fields = self.valves.model_dump()
        return {"messages": [{"id": body["id"], "content": self.valves.unit}]}
