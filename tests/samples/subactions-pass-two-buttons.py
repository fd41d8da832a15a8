"""
title: Sample
expect: 
"""
from pydantic import BaseModel, Field


class Action:
    actions = [
        {"id": "summarize", "name": "Summarize", "icon_url": "https://example.com/s.svg"},
        {"id": "translate"},
    ]

    async def action(self, body: dict, __id__=None):
        return {"messages": [{"id": body["id"], "content": f"clicked {__id__}"}]}
