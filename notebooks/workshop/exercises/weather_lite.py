"""
title: Weather Lite
author: owa-kit workshop
version: 0.1.0
description: Appends the current weather (OpenWeatherMap) for a city you type.
"""

import requests
from pydantic import BaseModel, Field

URL = "https://api.openweathermap.org/data/2.5/weather"


class Action:
    class Valves(BaseModel):
        api_key: str = Field(..., description="OpenWeatherMap API key")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict, __event_emitter__=None, __event_call__=None):
        city = await __event_call__({"type": "input", "data": {
            "title": "Weather", "message": "Which city?", "placeholder": "Zocca"}})

        params = {"q": city, "appid": self.valves.api_key, "units": "metric"}
        async with requests.AsyncClient() as client:
            response = await client.get(URL, params=params, timeout=self.valves.timeout)
            data = response.json()

        text = body["messages"][-1]["content"]
        line = f"{city}: {data['main']['temp']} °C, {data['weather'][0]['description']}"
        await __event_emitter__({"type": "status",
                                 "data": {"description": "Weather added", "done": True}})
        return {"messages": [{"id": body["id"], "content": f"{text}\n\n{line}"}]}
