"""
title: Sample
expect: 
"""


class Action:
    async def action(self, body: dict, __event_call__=None):
        ok = await __event_call__({"type": "confirmation",
                                   "data": {"title": "Go?", "message": "Continue?"}})
        if ok is False or isinstance(ok, dict):
            return None
        choice = await __event_call__({
            "type": "input",
            "data": {"title": "Pick", "type": "select", "options": ["a", "b"]},
        })
        js = await __event_call__({"type": "execute", "data": {"code": "return 1"}})
        return {"messages": [{"id": body["id"], "content": str(choice)}]}
