"""The kit's exceptions: one tree, each carrying the context needed to act on it.

::

    OwaKitError                    every error the kit raises itself
    ├── LoadError                  Open WebUI would not load this file as an action
    ├── ValveError                 a valve value fails validation (also a ValueError)
    ├── ScriptError                the test's script is wrong (not the action)
    │   ├── MissingAnswerError     an event call found no scripted answer left
    │   ├── LeftoverAnswersError   the run ended with scripted answers unused
    │   ├── MissingReplyError      the action asked the model and no scripted reply fits
    │   ├── LeftoverRepliesError   the run ended with scripted model replies unused
    │   └── ReplayMismatchError    a replayed completion's request differs from the recording
    ├── NotEmulatedError           an ``open_webui`` name the kit does not emulate (an
    │                              ImportError too); run the action live instead
    ├── ActionStopped              the run was stopped by the kit (recorded as ``run.error``)
    │   ├── UnansweredCallError    a call type Open WebUI never answers: it would hang there
    │   └── ActionTimeoutError     the action did not return within ``timeout``
    └── ServerError                a real Open WebUI server refused or could not be reached
        ├── ServerUnreachable      nothing answers at the server URL
        └── ServerRejected         the server answered with an error (status, detail, request)
            ├── AuthError          no token, or the server refused the token
            │   └── NotAdminError  the token is valid but its user is not an admin
            ├── IdTakenError       the id belongs to a server function of another type
            ├── FunctionLoadError  the server could not load the function (its reason)
            └── InvalidValvesError the server refused the valve values

Errors raised *inside* an action are never wrapped: ``run.error`` is the original exception
with its traceback. Every message starts with ``owa-kit:`` and names the next step.
"""

from __future__ import annotations

__all__ = [
    "ActionStopped",
    "ActionTimeoutError",
    "AuthError",
    "FunctionLoadError",
    "IdTakenError",
    "InvalidValvesError",
    "LeftoverAnswersError",
    "LeftoverRepliesError",
    "LoadError",
    "MissingAnswerError",
    "MissingReplyError",
    "NotAdminError",
    "NotEmulatedError",
    "OwaKitError",
    "ReplayMismatchError",
    "ScriptError",
    "ServerError",
    "ServerRejected",
    "ServerUnreachable",
    "UnansweredCallError",
    "ValveError",
]


class OwaKitError(Exception):
    """Base class of every error the kit raises itself."""

    def __init__(self, message: str) -> None:
        if not message.startswith("owa-kit:"):
            message = f"owa-kit: {message}"
        super().__init__(message)

    @property
    def message(self) -> str:
        return str(self.args[0])


class LoadError(OwaKitError):
    """Open WebUI would refuse to load this source as an action.

    ``path`` and ``line`` point at the cause when it is known.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line else f"{path}: "
        super().__init__(f"owa-kit: {where}{message.removeprefix('owa-kit: ')}")


class ValveError(OwaKitError, ValueError):
    """A valve value given to the kit fails the action's ``Valves``/``UserValves`` model."""


class ScriptError(OwaKitError):
    """The scripted answers do not fit the run (a mistake in the test, not the action)."""


class MissingAnswerError(ScriptError):
    """An event call arrived and no scripted answer was left for it."""


class LeftoverAnswersError(ScriptError):
    """The run ended and some scripted answers were never used."""


class MissingReplyError(ScriptError):
    """The action asked the model (``generate_chat_completion``) and ``llm=`` had no reply."""


class LeftoverRepliesError(ScriptError):
    """The run ended and some scripted model replies were never asked for."""


class ReplayMismatchError(ScriptError):
    """A replayed completion (``llm=owa.llm.replay(...)``) asks something other than the
    recorded request: the message names the completion and the first difference."""


class NotEmulatedError(OwaKitError, ImportError):
    """An ``open_webui`` module or name that exists in 0.12.4 but that the kit does not emulate.

    It is an ``ImportError`` too, so ``try: from open_webui... except ImportError`` fallbacks in
    actions behave as they would against a release without the name.
    """

    def __init__(self, message: str, *, name: str | None = None) -> None:
        super().__init__(message)
        self.name = name


class ActionStopped(OwaKitError):
    """The kit stopped the action; the run records it as ``run.error``."""


class UnansweredCallError(ActionStopped):
    """The action awaited an ``__event_call__`` type that Open WebUI 0.12.4 never answers."""


class ActionTimeoutError(ActionStopped):
    """The action did not return within the run's ``timeout``."""


class ServerError(OwaKitError):
    """A real Open WebUI server could not be reached or refused a request."""


class ServerUnreachable(ServerError):
    """Nothing answered at ``url`` (connection refused, DNS failure, timeout)."""

    def __init__(self, message: str, *, url: str) -> None:
        self.url = url
        super().__init__(message)


class ServerRejected(ServerError):
    """The server answered ``method url`` with ``status`` and ``detail`` (its own words)."""

    def __init__(self, message: str, *, method: str = "", url: str = "",
                 status: int | None = None, detail: str | None = None) -> None:
        self.method = method
        self.url = url
        self.status = status
        self.detail = detail
        super().__init__(message)


class AuthError(ServerRejected):
    """No token was given, or the server refused it (expired, wrong server, revoked)."""


class NotAdminError(AuthError):
    """The token is valid but belongs to a user who is not an admin."""


class IdTakenError(ServerRejected):
    """The function id is already used on the server by a function of another type."""


class FunctionLoadError(ServerRejected):
    """The server could not load the function; ``detail`` is the server's reason."""


class InvalidValvesError(ServerRejected):
    """The server (or the function's valve schema) refused the valve values."""
