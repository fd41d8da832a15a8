"""
title: [Your Action Name]
author: [Your Name]
author_url: [Your GitHub/Website]
funding_url: [Optional Sponsorship Link]
version: [Semantic Version]
required_open_webui_version: [Minimum Compatible Version]
expect: OWA301, OWA401, OWA604, OWA609
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

    async def action(self, body: dict, __event_emitter__=None, __event_call__=None):
        # Step 1: Confirm action
        confirm = await __event_call__({
            "type": "confirm",
            "data": {
                "title": "Data Analysis",
                "message": "This will process the message for insights. Continue?"
            }
        })
        if not confirm:
            return {"status": "cancelled"}

        # Step 2: Select analysis type
        analysis_type = await __event_call__({
            "type": "select",
            "data": {
                "options": [
                    {"label": "Sentiment Analysis", "value": "sentiment"},
                    {"label": "Keyword Extraction", "value": "keywords"},
                    {"label": "Summary Generation", "value": "summary"}
                ]
            }
        })

        # Step 3: Process analysis
        result = await self._analyze_content(body['content'], analysis_type)

        return {
            "content": result,
            "metadata": {"analysis_type": analysis_type}
        }
