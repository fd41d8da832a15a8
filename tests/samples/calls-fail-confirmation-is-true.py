"""
title: Confirmation Is True
expect: OWA308
"""


class Action:
    async def action(self, body, __event_call__=None):
        name = await __event_call__({"type": "input", "data": {"title": "Name", "value": "Ada"}})
        ok = await __event_call__({"type": "confirmation", "data": {"title": "Sure?",
                                                                    "message": "Go on?"}})
        if ok is not True:
            return None
        return {"messages": [{"id": body["id"], "content": f"Hello {name}"}]}
