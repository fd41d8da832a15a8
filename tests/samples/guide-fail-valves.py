"""
title: [Your Action Name]
author: [Your Name]
author_url: [Your GitHub/Website]
funding_url: [Optional Sponsorship Link]
version: [Semantic Version]
required_open_webui_version: [Minimum Compatible Version]
expect: OWA503
"""

from pydantic import BaseModel, Field
from typing import Optional, Union, Generator, Iterator
import os
import requests
import asyncio

class Action:
    class Valves(BaseModel):
        api_key: str = Field(default="", description="Third-party API key")
        max_retries: int = Field(default=3, description="Maximum retry attempts")
        timeout: int = Field(default=30, description="Request timeout in seconds")
        enable_logging: bool = Field(default=True, description="Enable debug logging")

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
