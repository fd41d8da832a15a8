"""
title: Sample
expect: 
"""
from pydantic import BaseModel, Field


class Action:
    icon_url = "https://example.com/icon.svg"

    async def action(self, body: dict):
        return None
