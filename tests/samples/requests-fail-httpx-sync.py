"""
title: Sample
expect: OWA132
"""
import httpx


class Action:
    async def action(self, body: dict):
        reply = httpx.post("https://example.com/api", json={"q": 1}, timeout=5)
        return None
