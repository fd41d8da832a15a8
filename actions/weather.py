"""
title: Weather
author: owa-kit
version: 1.0.0
required_open_webui_version: 0.12.4
description: Append the current weather (OpenWeatherMap) for the city a reply names or you type.
"""

import asyncio
import re
from typing import Literal

import httpx
from pydantic import BaseModel, Field

CITY = r"([A-Z][\w'\u2019.-]*(?:[ -](?:[A-Z][\w'\u2019.-]*|de|del|am|upon|on))*)"
LOCATION_PATTERNS = [
    re.compile(rf"\b(?i:weather)\s+(?i:for|in|at)\s+{CITY}"),  # "weather for Paris"
    re.compile(rf"\b(?:in|for|at)\s+{CITY}"),  # "... in Berlin" (lower-case "in")
]
# capitalised words after "in" that are not cities
NOT_PLACES = {"English", "French", "German", "Spanish", "Python", "Markdown", "JSON", "Monday",
    "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
    "March", "April", "June", "July", "August", "September", "October", "November", "December"}
UNITS = {"metric": ("°C", "m/s"), "imperial": ("°F", "mph"), "standard": ("K", "m/s")}
SECTION = "\n\n---\n### Weather in "


class WeatherError(Exception):
    """A failure to show to the user (the text never contains the API key)."""


def find_location(text: str) -> str | None:
    text = text.split(SECTION)[0]
    for pattern in LOCATION_PATTERNS:
        for match in pattern.finditer(text):
            place = match.group(1).rstrip(".")
            if place.split()[0] not in NOT_PLACES:
                return place
    return None


class Action:
    class Valves(BaseModel):
        priority: int = Field(default=0, description="Button order (lower is further left)")
        api_key: str = Field(default="", description="OpenWeatherMap API key",
                             json_schema_extra={"input": {"type": "password"}})
        default_location: str = Field(default="New York",
                                      description="City proposed when the reply names none")
        units: Literal["metric", "imperial", "standard"] = Field(
            default="metric", description="metric (°C), imperial (°F) or standard (K)",
            json_schema_extra={"input": {"type": "select", "options": list(UNITS)}})
        base_url: str = Field(default="https://api.openweathermap.org/data/2.5",
                              description="OpenWeatherMap API base URL")
        timeout: float = Field(default=10.0, gt=0, description="Seconds per request")
        max_retries: int = Field(default=2, ge=0, le=5,
                                 description="Retries after a network error or a 5xx answer")
        retry_backoff: float = Field(default=0.5, ge=0,
                                     description="Seconds before the first retry (doubles)")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict, __user__=None, __event_emitter__=None,
                     __event_call__=None):
        async def status(description: str, done: bool) -> None:
            await __event_emitter__(
                {"type": "status", "data": {"description": description, "done": done}})

        async def fail(message: str, short: str | None = None) -> None:
            await __event_emitter__({"type": "notification", "data": {
                "type": "error", "content": f"Weather unavailable: {message}"}})
            await status(f"Weather unavailable: {short or message}", True)

        if not self.valves.api_key.strip():  # say so, and send no request
            await fail("no OpenWeatherMap API key is set. An admin can add it under Admin "
                       "Panel > Functions > Weather > Valves (api_key).", "no API key set")
            return None

        text = body["messages"][-1]["content"]
        location = find_location(text)
        if location is None:
            answer = await __event_call__({"type": "input", "data": {
                "title": "Weather", "message": "Which city?",
                "placeholder": self.valves.default_location,
                "value": self.valves.default_location}})
            if answer is False:
                await status("Cancelled", True)
                return None
            if not isinstance(answer, str):  # {"error": ...}: timeout or the tab went away
                error = answer.get("error") if isinstance(answer, dict) else answer
                await status(f"Cancelled: {error}", True)
                return None
            location = " ".join(answer.split()) or self.valves.default_location
        if len(location) > 100:
            await fail("that location name is too long.")
            return None

        await status(f"Fetching the weather for {location}...", False)
        try:
            data = await self._fetch(location, status)
            section = self._format(data, location)
        except WeatherError as exc:
            await fail(str(exc))
            return None
        await status(f"Weather for {location} added", True)
        # keep the reply and append the section (replacing one added by an earlier click)
        new = text.split(SECTION)[0].rstrip() + section
        return {"messages": [{"id": body["id"], "content": new}]}

    async def _fetch(self, location: str, status) -> dict:
        v = self.valves
        # OpenWeatherMap takes the key as the `appid` query parameter. Never put the URL or
        # an httpx exception's text in a message or a status: both can carry the key.
        # strip(): a key pasted into the valve often ends in a space or a newline (HTTP 401)
        params = {"q": location, "appid": v.api_key.strip(), "units": v.units}
        url = v.base_url.rstrip("/") + "/weather"
        attempts = v.max_retries + 1
        async with httpx.AsyncClient(timeout=v.timeout) as client:
            for attempt in range(1, attempts + 1):
                try:
                    response = await client.get(url, params=params)
                except httpx.TimeoutException:
                    problem = f"the weather service did not answer within {v.timeout:g} s"
                except httpx.TransportError as exc:
                    problem = f"the weather service is unreachable ({type(exc).__name__})"
                else:
                    if response.status_code < 500:
                        return self._check(response, location)
                    problem = f"the weather service is down (HTTP {response.status_code})"
                if attempt < attempts:
                    retry = f"; retry {attempt}/{v.max_retries}..."
                    await status(problem[0].upper() + problem[1:] + retry, False)
                    await asyncio.sleep(v.retry_backoff * 2 ** (attempt - 1))
        tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
        raise WeatherError(f"{problem} ({tries}).")

    def _check(self, response: httpx.Response, location: str) -> dict:
        try:
            data = response.json()
        except ValueError:
            data = {}
        code = response.status_code
        if code == 401:
            raise WeatherError("the API key was rejected (HTTP 401). Check the api_key valve.")
        if code == 404:
            raise WeatherError(f"no city called {location} was found.")
        if code == 429:
            raise WeatherError("too many requests for this API key (HTTP 429); try later.")
        if code != 200:
            detail = str(data.get("message", "")) if isinstance(data, dict) else ""
            detail = detail.replace(self.valves.api_key.strip(), "***")[:200]
            detail = f": {detail}" if detail else ""
            raise WeatherError(f"the weather service answered HTTP {code}{detail}.")
        if not isinstance(data, dict):
            raise WeatherError("the weather service sent an unexpected answer.")
        return data

    def _format(self, data: dict, location: str) -> str:
        temp_unit, wind_unit = UNITS[self.valves.units]
        try:
            main, sky = data["main"], data["weather"][0]
            place = ", ".join(p for p in (data.get("name") or location,
                                          (data.get("sys") or {}).get("country")) if p)
            feels = f"feels like {main['feels_like']:g} {temp_unit}"
            lines = [f"- Conditions: {sky['description']}",
                     f"- Temperature: {main['temp']:g} {temp_unit} ({feels})",
                     f"- Humidity: {main['humidity']:g}%"]
        except (KeyError, IndexError, TypeError, ValueError):
            raise WeatherError("the weather service sent an unexpected answer.") from None
        wind = (data.get("wind") or {}).get("speed")
        if isinstance(wind, int | float):
            lines.append(f"- Wind: {wind:g} {wind_unit}")
        return f"{SECTION}{place}\n" + "\n".join(lines) + "\n\n*Source: OpenWeatherMap*"
