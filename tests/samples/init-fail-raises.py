"""
title: Init Raises
expect: OWA103
"""
import os


class Action:
    def __init__(self):
        self.home = os.environ["OWA_KIT_SURELY_UNSET_VARIABLE"]

    async def action(self, body: dict):
        return None
