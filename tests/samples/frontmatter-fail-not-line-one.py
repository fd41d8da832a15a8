# expect: OWA110
"""
title: Not Parsed
description: the comment above means Open WebUI reads no frontmatter at all
"""


class Action:
    async def action(self, body: dict):
        return None
