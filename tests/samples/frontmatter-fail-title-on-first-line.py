"""title: Not Parsed
# expect: OWA110
version: 1.0
"""


class Action:
    async def action(self, body: dict):
        return None
