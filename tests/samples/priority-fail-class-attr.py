"""
title: Sample
expect: OWA123
"""
from pydantic import BaseModel, Field


class Action:
    priority = 5

    async def action(self, body: dict):
        return None
