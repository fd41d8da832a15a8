"""
title: Reads Next To Itself
expect: OWA119
"""
import os

HERE = os.path.dirname(__file__)


class Action:
    async def action(self, body: dict):
        path = os.path.join(HERE, "data.json")
        return None
