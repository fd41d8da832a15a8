"""
title: Summarize Reply
author: owa-kit
version: 0.1.0
description: Asks the model for a short summary of the reply and puts it above the reply.
required_open_webui_version: 0.12.4
"""

from typing import Literal

from open_webui.models.users import UserModel, Users
from open_webui.utils.chat import generate_chat_completion
from pydantic import BaseModel, Field

PROMPT = (
    "Summarize the text the user sends in at most {words} words. Reply with the summary "
    "only: no heading, no preamble, the same language as the text."
)


class Action:
    class Valves(BaseModel):
        model: str = Field(
            default="", description="Model that writes the summary; empty: the chat's model"
        )
        max_words: int = Field(default=40, ge=5, le=400, description="Longest summary, in words")
        placement: Literal["above", "below", "replace"] = Field(
            default="above", description="Where the summary goes: above or below the reply, "
            "or instead of it"
        )
        priority: int = Field(default=0, description="Order among the action buttons")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict, __user__=None, __request__=None, __event_emitter__=None):
        reply = body["messages"][-1]["content"]
        if not reply.strip():
            await self._fail(__event_emitter__, "there is no text to summarize")
            return None
        await __event_emitter__(
            {"type": "status", "data": {"description": "Summarizing...", "done": False}}
        )
        # generate_chat_completion reads user.role: it needs the user object, not the dict
        user = await Users.get_user_by_id(__user__["id"]) or UserModel(**__user__)
        payload = {
            "model": self.valves.model or body["model"],
            "stream": False,
            "messages": [
                {"role": "system", "content": PROMPT.format(words=self.valves.max_words)},
                {"role": "user", "content": reply},
            ],
        }
        try:
            response = await generate_chat_completion(__request__, payload, user)
        except Exception as exc:  # 'Model not found' and other refusals before the model runs
            await self._fail(__event_emitter__, str(exc))
            return None
        if "error" in response:  # a model's failure comes back as a dict, not as an exception
            await self._fail(__event_emitter__, _detail(response["error"]))
            return None
        summary = (response["choices"][0]["message"]["content"] or "").strip()
        if not summary:
            await self._fail(__event_emitter__, "the model returned an empty summary")
            return None
        await __event_emitter__(
            {"type": "status", "data": {"description": "Summary added", "done": True}}
        )
        return {"messages": [{"id": body["id"], "content": self._place(summary, reply)}]}

    def _place(self, summary: str, reply: str) -> str:
        if self.valves.placement == "replace":
            return summary
        block = f"> **Summary:** {summary}"
        if self.valves.placement == "below":
            return f"{reply}\n\n---\n\n{block}"
        return f"{block}\n\n---\n\n{reply}"

    async def _fail(self, emit, why: str) -> None:
        await emit({"type": "notification", "data": {"type": "error",
                                                     "content": f"No summary: {why}."}})
        await emit({"type": "status", "data": {"description": "No summary", "done": True}})


def _detail(error) -> str:
    if isinstance(error, dict):
        return str(error.get("detail") or error.get("message") or error)
    return str(error)
