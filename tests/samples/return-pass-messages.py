"""
title: Sample
expect: 
"""


class Action:
    async def action(self, body: dict):
        text = body["messages"][-1]["content"]
        return {"messages": [{"id": body["id"], "content": text.upper()}]}

    def _helper(self) -> dict:
        # helpers may return any dict; only `action`'s return reaches Open WebUI
        return {"content": "fine here"}
