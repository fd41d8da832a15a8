"""
title: [Your Action Name]
author: [Your Name]
author_url: [Your GitHub/Website]
funding_url: [Optional Sponsorship Link]
version: [Semantic Version]
required_open_webui_version: [Minimum Compatible Version]
expect: OWA106
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
        # Extract potential data structures from message
        data = self._extract_structured_data(body['content'])

        if not data:
            return {"error": "No structured data found"}

        # Let user select visualization type
        viz_type = await __event_call__({
            "type": "select",
            "data": {
                "title": "Visualization Type",
                "options": [
                    {"label": "Bar Chart", "value": "bar"},
                    {"label": "Line Graph", "value": "line"},
                    {"label": "Pie Chart", "value": "pie"}
                ]
            }
        })

        # Generate visualization
        chart_url = await self._generate_chart(data, viz_type)

        # Return HTML embed
        return {
            "content": f"<img src='{chart_url}' alt='Generated chart'>",
            "metadata": {
                "chart_type": viz_type,
                "data_points": len(data)
            }
        }

    def _extract_structured_data(self, text: str) -> list:
        """Extract potential data points from message text"""
        import re
        # Simple pattern matching for demonstration
        return re.findall(r'\b\d+\b', text)

    async def _generate_chart(self, data: list, chart_type: str) -> str:
        """Generate chart using visualization service"""
        # In production, replace with actual API call
        return f"https://quickchart.io/chart?c={{type:'{chart_type}',data:{{labels:{data},datasets:[{{data:{data}}]}}}}"
