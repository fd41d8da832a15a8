"""
title: Sample
expect: OWA125
"""
from pydantic import BaseModel, Field

icon_url = "https://example.com/icon.svg"


class Action:
    async def action(self, body: dict):
        return None
