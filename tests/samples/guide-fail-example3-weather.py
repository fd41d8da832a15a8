"""
title: [Your Action Name]
author: [Your Name]
author_url: [Your GitHub/Website]
funding_url: [Optional Sponsorship Link]
version: [Semantic Version]
required_open_webui_version: [Minimum Compatible Version]
expect: OWA104, OWA131, OWA401, OWA503, OWA604, OWA609, OWA610
"""

from pydantic import BaseModel, Field
from typing import Optional, Union, Generator, Iterator
import os
import requests
import asyncio

class Action:
    class Valves(BaseModel):
        weather_api_key: str = Field(..., description="OpenWeatherMap API key")
        default_location: str = Field("New York", description="Fallback location")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict, __event_emitter__=None, __event_call__=None):
        # Extract location from message or request input
        location = self._extract_location(body['content'])

        if not location:
            response = await __event_call__({
                "type": "input",
                "data": {
                    "title": "Weather Check",
                    "message": "Enter location for weather:",
                    "placeholder": self.valves.default_location
                }
            })
            location = response or self.valves.default_location

        # Get weather data
        weather = await self._fetch_weather(location)

        # Format response
        return {
            "content": (
                f"Weather in {location}:\n"
                f"Temperature: {weather['temp']}Â°C\n"
                f"Conditions: {weather['description']}\n"
                f"Humidity: {weather['humidity']}%"
            ),
            "metadata": {
                "location": location,
                "source": "OpenWeatherMap"
            }
        }

    async def _fetch_weather(self, location: str) -> dict:
        """Fetch weather data from API"""
        url = f"https://api.openweathermap.org/data/2.5/weather?q={location}&appid={self.valves.weather_api_key}&units=metric"
        async with requests.AsyncClient() as client:
            response = await client.get(url, timeout=self.valves.timeout)
            data = response.json()
            return {
                "temp": data['main']['temp'],
                "description": data['weather'][0]['description'],
                "humidity": data['main']['humidity']
            }
