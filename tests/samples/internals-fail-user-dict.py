"""
title: Sample
expect: OWA705
"""
from open_webui.utils.chat import generate_chat_completion


class Action:
    async def action(self, body: dict, __user__=None, __request__=None):
        payload = {"model": body["model"], "messages": body["messages"], "stream": False}
        response = await generate_chat_completion(__request__, payload, __user__)
        if "error" in response:
            return None
        text = response["choices"][0]["message"]["content"]
        return {"messages": [{"id": body["id"], "content": text}]}
