"""
title: Sample
expect: OWA131
"""
import requests


class Action:
    async def action(self, body: dict):
        async with requests.AsyncClient() as client:
            await client.get("https://example.com")
