"""
title: Sample
expect: OWA132
"""
import time
import urllib.request

import requests


class Action:
    async def action(self, body: dict):
        requests.get("https://example.com", timeout=5)
        time.sleep(1)
        urllib.request.urlopen("https://example.com")
        return None
