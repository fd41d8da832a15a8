"""
title: Sample
expect: OWA130
"""
from pydantic import BaseModel, Field


class Action:
    def action(self, body: dict):
        return {"messages": [{"id": body["id"], "content": "sync"}]}
