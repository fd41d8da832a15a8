"""
title: Sample
expect: OWA604
"""


class Action:
    async def action(self, body: dict):
        text = body.get("content", "")
        return {"messages": [{"id": body["id"], "content": text}]}
