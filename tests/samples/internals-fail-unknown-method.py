"""
title: Sample
expect: OWA704, OWA706
"""
from open_webui.models.knowledge import Knowledges


class Action:
    async def action(self, body: dict, __user__=None):
        bases = await Knowledges.get_knowledge_bases_by_user_id(__user__["id"], "read")
        return None
