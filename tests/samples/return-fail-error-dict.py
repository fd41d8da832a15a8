"""
title: Sample
expect: OWA406
"""


class Action:
    async def action(self, body: dict):
        return {"error": "nothing to do"}
