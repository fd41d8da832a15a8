"""
title: Keys
icon-url: https://example.com/icon.svg
expect: OWA111, OWA113
version: 1.0"""


class Action:
    async def action(self, body: dict):
        return None
