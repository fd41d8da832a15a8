"""Behaviour that differs between Open WebUI versions, kept as data in one place.

The kit emulates Open WebUI 0.12.4 (``OWUI_0_12``). An older release can be added as another
``Profile`` value; the runtime reads these fields instead of branching on version numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Profile:
    """What a given Open WebUI release does where releases differ.

    >>> OWUI_0_12.timeout_error
    {'error': 'Event call timed out. The browser tab may be inactive or closed.'}
    """

    version: str
    #: ``__event_call__`` types the browser answers; any other type is never answered.
    answered_call_types: frozenset[str]
    #: ``input`` sub-types with their own widget (anything else is a textarea).
    input_types: frozenset[str]
    #: what an unanswered call returns once ``WEBSOCKET_EVENT_CALLER_TIMEOUT`` passes
    timeout_error: dict[str, str]
    #: what a call returns when the tab is gone
    disconnect_error: dict[str, str]
    #: True where a timeout raised instead of returning ``timeout_error`` (before ~0.8.9)
    call_timeout_raises: bool
    #: True where confirming an empty input returned ``True`` (0.6 and older)
    empty_input_returns_true: bool
    #: replies produced by a model carry structured ``output`` (0.10+); it is what is rendered
    replies_have_output: bool
    #: how an exception raised by the action reaches the browser as the HTTP 400 detail
    action_error_format: str
    #: event types the server writes to the database for saved chats
    persisted_event_types: frozenset[str]
    #: ``__user__`` carries the full user record (0.6.43+) rather than ``{id,email,name,role}``
    full_user: bool
    #: names the runtime injects when ``action`` declares them
    injected_params: tuple[str, ...] = field(
        default=("body", "__model__", "__id__", "__event_emitter__", "__event_call__",
                 "__request__", "__user__")
    )


OWUI_0_12 = Profile(
    version="0.12.4",
    answered_call_types=frozenset({"confirmation", "input", "execute"}),
    input_types=frozenset({"password", "select"}),
    timeout_error={"error": "Event call timed out. The browser tab may be inactive or closed."},
    disconnect_error={"error": "Client session disconnected."},
    call_timeout_raises=False,
    empty_input_returns_true=False,
    replies_have_output=True,
    action_error_format="Error: {error}",
    persisted_event_types=frozenset(
        {"status", "message", "replace", "embeds", "files", "source", "citation"}
    ),
    full_user=True,
)

DEFAULT_PROFILE = OWUI_0_12
