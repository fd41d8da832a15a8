"""
title: Module Import
"""
import logging


class Action:
    async def action(self, body: dict):
        logging.getLogger(__name__).addFilter(logging.Filter("x"))
        return None
