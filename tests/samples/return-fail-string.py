"""
title: Sample
expect: OWA401
"""


class Action:
    async def action(self, body: dict):
        name = "x"
        if body["messages"]:
            return f"Hello {name}"
        return "done"
