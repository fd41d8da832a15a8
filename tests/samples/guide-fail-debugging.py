"""
title: [Your Action Name]
author: [Your Name]
author_url: [Your GitHub/Website]
funding_url: [Optional Sponsorship Link]
version: [Semantic Version]
required_open_webui_version: [Minimum Compatible Version]
expect: OWA406, OWA603, OWA608, OWA609
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

    async def action(self, body: dict, **kwargs):
        # Log initial state
        print(f"Action triggered with: {body}")

        try:
            # Your action logic
            result = await self._process_action(body)

            # Log successful completion
            print(f"Action completed: {result}")
            return result

        except Exception as e:
            # Log errors
            print(f"Action failed: {str(e)}")
            return {
                "error": str(e),
                "traceback": traceback.format_exc()
            }
