"""
title: [Your Action Name]
author: [Your Name]
author_url: [Your GitHub/Website]
funding_url: [Optional Sponsorship Link]
version: [Semantic Version]
required_open_webui_version: [Minimum Compatible Version]
expect: OWA301, OWA401, OWA604
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

    async def action(self, body: dict, __user__=None, __event_emitter__=None, __event_call__=None):
        # Request user input for enhancement type
        enhancement = await __event_call__({
            "type": "select",
            "data": {
                "title": "Enhance Message",
                "options": [
                    {"label": "Formal Tone", "value": "formal"},
                    {"label": "Simplify Language", "value": "simple"},
                    {"label": "Add Examples", "value": "examples"}
                ],
                "default": "formal"
            }
        })

        # Show processing status
        await __event_emitter__({
            "type": "status",
            "data": {"description": "Enhancing message...", "done": False}
        })

        # Process enhancement (mock implementation)
        enhanced_text = await self._enhance_message(body['content'], enhancement)

        # Return enhanced message
        return {
            "content": enhanced_text,
            "metadata": {
                "original_message": body['content'],
                "enhancement_type": enhancement
            }
        }

    async def _enhance_message(self, text: str, style: str) -> str:
        """Apply text transformations based on enhancement type"""
        styles = {
            "formal": f"Formal version: {text.capitalize()}",
            "simple": f"Simplified: {text.lower()}",
            "examples": f"{text}\n\nExamples:\n- Example 1\n- Example 2"
        }
        return styles.get(style, text)
