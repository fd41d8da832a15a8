"""
title: Weather Lite
author: owa-kit workshop
version: 0.1.0
description: Appends the current weather (OpenWeatherMap) for a city you type.
"""

import httpx
from pydantic import BaseModel, Field

URL = "https://api.openweathermap.org/data/2.5/weather"


class Action:
    class Valves(BaseModel):
        # A default, so Valves() builds and the function can be saved; a password field,
        # so the valves form masks it.
        api_key: str = Field(default="", description="OpenWeatherMap API key",
                             json_schema_extra={"input": {"type": "password"}})
        timeout: float = Field(default=10.0, gt=0, description="Seconds to wait for the service")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict, __event_emitter__=None, __event_call__=None):
        async def status(description: str, done: bool) -> None:
            await __event_emitter__(
                {"type": "status", "data": {"description": description, "done": done}})

        async def fail(problem: str) -> None:
            await __event_emitter__({"type": "notification", "data": {
                "type": "error", "content": f"Weather unavailable: {problem}"}})
            await status(f"Weather unavailable: {problem}", True)

        if not self.valves.api_key:
            await fail("no API key is set (Admin Panel > Functions > Weather Lite > Valves).")
            return None

        city = await __event_call__({"type": "input", "data": {
            "title": "Weather", "message": "Which city?", "placeholder": "Zocca"}})
        if not isinstance(city, str) or not city.strip():  # Cancel, timeout, closed tab
            await status("Cancelled", True)
            return None

        await status(f"Fetching the weather for {city}...", False)
        params = {"q": city, "appid": self.valves.api_key, "units": "metric"}
        try:
            async with httpx.AsyncClient(timeout=self.valves.timeout) as client:
                response = await client.get(URL, params=params)
        except httpx.TimeoutException:
            await fail(f"the service did not answer within {self.valves.timeout:g} s.")
            return None
        except httpx.TransportError:
            await fail("the service is unreachable.")
            return None
        if response.status_code == 404:
            await fail(f"{city} was not found.")
            return None
        if response.status_code != 200:  # never show the URL: it holds the key
            await fail(f"the service answered HTTP {response.status_code}.")
            return None

        data = response.json()
        text = body["messages"][-1]["content"]
        line = f"{city}: {data['main']['temp']} °C, {data['weather'][0]['description']}"
        await status("Weather added", True)
        return {"messages": [{"id": body["id"], "content": f"{text}\n\n{line}"}]}
