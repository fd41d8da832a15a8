"""
title: Sample
expect: OWA107, OWA706
"""
from open_webui.apps.webui.models.users import Users


class Action:
    async def action(self, body: dict, __user__=None, __request__=None):
        engine = __request__.app.state.config.TTS_ENGINE
        user = await Users.get_user_by_id(__user__["id"])
        return None
