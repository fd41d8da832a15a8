"""owa-kit: write, run and test Open WebUI 0.12.4 Action functions, headless or in Jupyter.

>>> import owa_kit as owa
>>> act = owa.load("actions/enhance_message.py")                  # doctest: +SKIP
>>> run = await owa.run(act, "The reply", answers=["formal"])     # doctest: +SKIP
>>> run.message.text, run.findings                                # doctest: +SKIP

The public names are in ``__all__``; everything in a ``_module`` is private.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

from . import answers, llm
from .__about__ import __version__
from .errors import (
    ActionStopped,
    ActionTimeoutError,
    LeftoverAnswersError,
    LeftoverRepliesError,
    LoadError,
    MissingAnswerError,
    MissingReplyError,
    NotEmulatedError,
    OwaKitError,
    ReplayMismatchError,
    ScriptError,
    ServerError,
    UnansweredCallError,
    ValveError,
)

if _typing.TYPE_CHECKING:
    from ._chat import Chat, Message, Tab, chat
    from ._check import check
    from ._findings import Finding
    from ._loader import LoadedAction, SubAction, load
    from ._profile import OWUI_0_12, Profile
    from ._run import Call, Completion, Event, Run
    from ._runtime import Frontend, ScriptedFrontend, run
    from .notebook import play
    from .server._target import Server

# The core (pydantic, asyncio, the loader) is imported on first use of one of its names, so
# `import owa_kit` stays cheap for the CLI and for notebooks that only need a part of it.
_LAZY = {
    "Chat": "_chat", "Message": "_chat", "Tab": "_chat", "chat": "_chat",
    "check": "_check",
    "Finding": "_findings",
    "LoadedAction": "_loader", "SubAction": "_loader", "load": "_loader",
    "OWUI_0_12": "_profile", "Profile": "_profile",
    "Call": "_run", "Completion": "_run", "Event": "_run", "Run": "_run",
    "Frontend": "_runtime", "ScriptedFrontend": "_runtime", "run": "_runtime",
    "Server": "server._target",  # light: httpx/socketio load on the first live run
    "play": "notebook",  # light: ipywidgets load when the playground is built
}


def __getattr__(name: str) -> _typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'owa_kit' has no attribute {name!r}")
    value = getattr(_importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "OWUI_0_12",
    "ActionStopped",
    "ActionTimeoutError",
    "Call",
    "Chat",
    "Completion",
    "Event",
    "Finding",
    "Frontend",
    "LeftoverAnswersError",
    "LeftoverRepliesError",
    "LoadError",
    "LoadedAction",
    "Message",
    "MissingAnswerError",
    "MissingReplyError",
    "NotEmulatedError",
    "OwaKitError",
    "Profile",
    "ReplayMismatchError",
    "Run",
    "ScriptError",
    "ScriptedFrontend",
    "Server",
    "ServerError",
    "SubAction",
    "Tab",
    "UnansweredCallError",
    "ValveError",
    "__version__",
    "answers",
    "chat",
    "check",
    "llm",
    "load",
    "play",
    "run",
]
