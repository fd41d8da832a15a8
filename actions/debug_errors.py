"""
title: Word Count (debugging example)
author: owa-kit
version: 1.0.0
required_open_webui_version: 0.12.4
description: Word count and reading time of a reply; shows how to log and report errors.
"""

import logging
import math
import re

from pydantic import BaseModel, Field

# One logger per module. Open WebUI's server log shows it (INFO and above by default);
# never print() the whole body: it holds the full conversation, and __user__ holds
# personal data. Log sizes and ids instead.
log = logging.getLogger(__name__)


class UserFacingError(Exception):
    """An expected failure: reported to the user, not raised to Open WebUI."""


def count_words(text: str, words_per_minute: int) -> tuple[int, int]:
    """(words, minutes to read). Raises UserFacingError when there is nothing to count."""
    words = re.findall(r"[^\W_]+(?:['\u2019-][^\W_]+)*", text)
    if not words:
        raise UserFacingError("This message has no words to count.")
    return len(words), max(1, math.ceil(len(words) / words_per_minute))


class Action:
    class Valves(BaseModel):
        priority: int = Field(default=0, description="Button order (lower is further left)")
        words_per_minute: int = Field(default=200, ge=50, le=1000,
                                      description="Reading speed used for the reading time")
        debug: bool = Field(default=False,
                            description="Log request details (ids, sizes) to the server log")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict, __user__=None, __event_emitter__=None,
                     __event_call__=None):
        async def status(description: str, done: bool) -> None:
            await __event_emitter__(
                {"type": "status", "data": {"description": description, "done": done}})

        text = body["messages"][-1]["content"]
        # Details at INFO behind a valve: Open WebUI logs INFO and above by default
        # (GLOBAL_LOG_LEVEL), so log.debug() lines would not show without a server change.
        if self.valves.debug:
            log.info("word count: chat=%s message=%s messages=%d chars=%d keys=%s",
                     body.get("chat_id"), body.get("id"), len(body["messages"]),
                     len(text), sorted(body))

        await status("Counting words...", False)
        try:
            words, minutes = count_words(text, self.valves.words_per_minute)
        except UserFacingError as exc:
            # Expected: tell the user in the chat (a toast and the status line) and stop.
            # Returning {"error": ...} would show nothing: Open WebUI ignores that shape.
            log.info("word count: %s", exc)
            await __event_emitter__({"type": "notification",
                                     "data": {"type": "warning", "content": str(exc)}})
            await status(f"Not counted: {exc}", True)
            return
        except Exception:
            # Unexpected: log it with its traceback (log.exception needs no `import
            # traceback`) and let it propagate. Open WebUI then answers HTTP 400 and shows
            # "Error: ..." on the message, so the bug is visible instead of swallowed.
            log.exception("word count failed on message %s", body.get("id"))
            await status("Word count failed", True)  # end the shimmer before raising
            raise

        if self.valves.debug:
            log.info("word count: %d words, %d min", words, minutes)
        # The result goes in the status line: the reply itself is left as it is, so
        # clicking again gives the same result (idempotent).
        await status(f"{words} words, about {minutes} min read", True)
        return
