"""
title: Sample
expect: 
"""
from pydantic import BaseModel, Field


class Action:
    def __init__(self):
        self.clicks = 0

    async def action(self, body: dict):
        self.clicks += 1
        return {"messages": [{"id": body["id"], "content": f"clicked {self.clicks} times"}]}
