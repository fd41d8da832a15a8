"""
title: Sample
expect: OWA121, OWA122
"""
from pydantic import BaseModel, Field


class Action:
    def __init__(self):
        self.actions = [
            {"id": "ok", "name": "OK"},
            {"name": "No id"},
            {"id": "v1.2", "name": "Dotted"},
        ]

    async def action(self, body: dict, __id__=None):
        return None
