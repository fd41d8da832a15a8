"""
title: A Tool
expect: OWA101
"""


class Tools:
    async def search(self, query: str) -> str:
        return query
