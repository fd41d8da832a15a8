"""
title: Sample
"""
from open_webui.models.users import UserModel, Users
from open_webui.utils.chat import generate_chat_completion
from open_webui.utils.misc import get_last_user_message


class Action:
    async def action(self, body: dict, __user__=None, __request__=None, __event_emitter__=None):
        user = await Users.get_user_by_id(__user__["id"]) or UserModel(**__user__)
        prompt = get_last_user_message(body["messages"]) or ""
        payload = {"model": body["model"], "stream": False,
                   "messages": [{"role": "user", "content": prompt}]}
        response = await generate_chat_completion(__request__, payload, user)
        if "error" in response:
            await __event_emitter__({"type": "notification",
                                     "data": {"type": "error", "content": "the model failed"}})
            return None
        text = response["choices"][0]["message"]["content"]
        return {"messages": [{"id": body["id"], "content": text}]}
