"""
title: Sample
requirements: pydantic>=2, httpx
expect: 
"""
from pydantic import BaseModel, Field

class Action:
    async def action(self, body: dict):
        return None
