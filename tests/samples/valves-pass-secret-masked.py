"""
title: Sample
expect: 
"""
from pydantic import BaseModel, Field


class Action:
    class Valves(BaseModel):
        api_key: str = Field(default="", description="key",
                             json_schema_extra={"input": {"type": "password"}})

    class UserValves(BaseModel):
        password: str = Field(default="", json_schema_extra={"input": {"type": "password"}})

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict, __user__=None):
        key = self.valves.api_key
        mine = __user__["valves"].password
        return None
