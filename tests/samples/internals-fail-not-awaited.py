"""
title: Sample
expect: OWA701
"""
import asyncio

from open_webui.models.chats import Chats
from open_webui.models.users import Users


class Action:
    async def action(self, body: dict, __user__=None):
        user = Users.get_user_by_id(__user__["id"])
        chat = await asyncio.to_thread(Chats.get_chat_by_id, body["chat_id"])
        if user.role == "admin" and chat:
            return None
        return None
