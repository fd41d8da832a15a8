"""
title: Sample
expect: OWA120
"""
from pydantic import BaseModel, Field

actions = [{"id": "one", "name": "One"}, {"id": "two", "name": "Two"}]


class Action:
    async def action(self, body: dict, __id__=None):
        return None
