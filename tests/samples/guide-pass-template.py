"""
title: [Your Action Name]
author: [Your Name]
author_url: [Your GitHub/Website]
funding_url: [Optional Sponsorship Link]
version: [Semantic Version]
required_open_webui_version: [Minimum Compatible Version]
expect: OWA116
"""

from pydantic import BaseModel, Field
from typing import Optional, Union, Generator, Iterator
import os
import requests
import asyncio

class Action:
    class Valves(BaseModel):
        # Configuration parameters
        pass

    def __init__(self):
        self.valves = self.Valves()

    async def action(
        self,
        body: dict,
        __user__=None,
        __event_emitter__=None,
        __event_call__=None,
    ) -> Optional[dict]:
        """Core action logic"""
        pass
