"""
title: Sample
expect: 
"""


def outside(body: dict) -> str:
    # not the action's body: a module-level helper's own argument
    return body["content"]


class Action:
    async def action(self, body: dict):
        ids = (body["chat_id"], body["id"], body["session_id"], body["model"])
        text = body["messages"][-1]["content"]
        return {"messages": [{"id": body["id"], "content": text}]}
