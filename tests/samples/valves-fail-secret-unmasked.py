"""
title: Sample
expect: OWA503
"""
from pydantic import BaseModel, Field


class Action:
    class Valves(BaseModel):
        openai_api_key: str = Field(default="", description="key")
        max_tokens: int = Field(default=256, description="not a secret")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict):
        return None
