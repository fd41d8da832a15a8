"""
title: Classified As Filter
expect: OWA102
"""
from logging import Filter


class Action:
    async def action(self, body: dict):
        return None
