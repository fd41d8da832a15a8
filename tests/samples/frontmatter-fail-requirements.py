"""
title: Sample
requirements: pydantic >= 2, definitely-not-installed-pkg, httpx
expect: OWA114, OWA115
"""
from pydantic import BaseModel, Field

class Action:
    async def action(self, body: dict):
        return None
