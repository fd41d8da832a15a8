"""
title: Sample
expect: OWA133
"""
from pydantic import BaseModel, Field


class Action:
    async def action(self, body: dict):
        for word in ("a", "b"):
            yield word
