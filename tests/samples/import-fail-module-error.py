"""
title: Broken Import
expect: OWA107
"""
import definitely_not_installed_module


class Action:
    async def action(self, body: dict):
        return None
