"""
title: "Quoted Title"
description: a sample action for owa.check
expect: OWA112
"""
from pydantic import BaseModel, Field

class Action:
    async def action(self, body: dict):
        return None
