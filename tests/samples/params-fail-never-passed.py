"""
title: Sample
expect: OWA601, OWA602
"""
from pydantic import BaseModel, Field


class Action:
    async def action(self, body: dict, __chat_id__, __metadata__=None, __files__=None):
        return None
