"""
title: Sample
expect: OWA401
"""


class Action:
    async def action(self, body: dict):
        text = body["messages"][-1]["content"]
        return {"content": text.upper()}
