"""
title: Confirmation Is False
"""


class Action:
    async def action(self, body, __event_call__=None):
        ok = await __event_call__({"type": "confirmation", "data": {"title": "Sure?",
                                                                    "message": "Go on?"}})
        if ok is False or isinstance(ok, dict):
            return None
        return {"messages": [{"id": body["id"], "content": "Confirmed"}]}
