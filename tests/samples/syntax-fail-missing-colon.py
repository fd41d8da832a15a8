"""
title: Broken
expect: OWA106
"""


class Action:
    async def action(self, body: dict)
        return None
