"""
title: Sample
expect: OWA605
"""


class Action:
    async def action(self, body: dict):
        message_id = body["message_id"]
        return {"messages": [{"id": message_id, "content": str(body.get("metadata"))}]}
