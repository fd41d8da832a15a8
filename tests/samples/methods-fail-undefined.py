"""
title: Sample
expect: OWA609
"""
from pydantic import BaseModel, Field


class Action:
    async def action(self, body: dict):
        text = await self._transform(body["messages"][-1]["content"])
        return {"messages": [{"id": body["id"], "content": text}]}
