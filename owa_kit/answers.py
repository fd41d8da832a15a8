"""Scripted answers for ``__event_call__`` dialogs, in the order the action asks.

``owa.run(act, text, answers=[...])`` takes one item per event call:

=====================  =====================================================================
answer                 what the action receives
=====================  =====================================================================
``True``               confirmation: Confirm (``True``); input: Confirm without typing (the
                       dialog's initial ``value``, or ``''``; for a select, its default)
``False``              Cancel: ``False`` (confirmation and input)
``"text"``             input: the typed text; select: the chosen option's value
any JSON value         execute: the JavaScript's return value
``cancel()``           Cancel, spelled out: ``False``
``timeout()``          what Open WebUI returns once ``WEBSOCKET_EVENT_CALLER_TIMEOUT``
                       passes: ``{"error": "Event call timed out. ..."}`` (also answers a call
                       type the browser never answers, as a server with a timeout would)
``disconnect()``       the tab closed: ``{"error": "Client session disconnected."}``
a callable             called with the ``Call``; its result is used as the answer
=====================  =====================================================================

>>> import owa_kit as owa
>>> owa.answers.cancel()
cancel()
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Answer", "cancel", "disconnect", "timeout"]


@dataclass(frozen=True)
class Answer:
    """A special answer: ``cancel``, ``timeout`` or ``disconnect``."""

    kind: str

    def __repr__(self) -> str:
        return f"{self.kind}()"


def cancel() -> Answer:
    """The user clicks Cancel (or presses Escape): the action receives ``False``."""
    return Answer("cancel")


def timeout() -> Answer:
    """No answer before ``WEBSOCKET_EVENT_CALLER_TIMEOUT``: the action receives the error dict."""
    return Answer("timeout")


def disconnect() -> Answer:
    """The browser tab went away.

    The action receives ``{"error": "Client session disconnected."}``."""
    return Answer("disconnect")
