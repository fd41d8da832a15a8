"""
title: Sample
expect: OWA127
"""
from pydantic import BaseModel, Field


class Action:
    actions = []

    async def action(self, body: dict):
        return None
