"""
title: Sample
expect: 
"""
import asyncio

import httpx
import requests


class Action:
    async def action(self, body: dict):
        async with httpx.AsyncClient() as client:
            await client.get("https://example.com")

        def fetch() -> int:
            # sync code run in a thread does not block the event loop
            return requests.get("https://example.com", timeout=5).status_code

        await asyncio.to_thread(fetch)
        await asyncio.sleep(0.1)
        return None

    def sync_helper(self) -> None:
        requests.post("https://example.com", timeout=5)
