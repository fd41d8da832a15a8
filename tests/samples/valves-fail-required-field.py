"""
title: Sample
expect: OWA104
"""
from pydantic import BaseModel, Field


class Action:
    class Valves(BaseModel):
        endpoint: str = Field(default="https://example.com", description="where to send")
        api_token: str = Field(..., description="the token",
                               json_schema_extra={"input": {"type": "password"}})
        retries: int

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict):
        return None
