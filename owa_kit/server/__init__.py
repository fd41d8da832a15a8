"""The server bridge: deploy to and diagnose a real Open WebUI 0.12.4.

>>> from owa_kit.server import Client, push, doctor          # doctest: +SKIP
>>> with Client("http://127.0.0.1:8080", token) as c:         # doctest: +SKIP
...     push(c, "actions/weather.py", make_global=True)
...     print("\\n".join(check.render() for check in doctor(c, "weather")))

``start_server`` runs a throw-away server on 127.0.0.1 for tests. Names load lazily, so
``owa_kit.cli`` can register the server commands without importing httpx.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._client import Client, resolve_url_token
    from ._deploy import (
        DiffResult,
        LocalFunction,
        PushResult,
        diff,
        list_functions,
        load_reason,
        pull,
        push,
        read_local,
    )
    from ._doctor import Check, doctor
    from ._process import OFFLINE_ENV, ServerProcess, start_server

__all__ = [
    "OFFLINE_ENV",
    "Check",
    "Client",
    "DiffResult",
    "LocalFunction",
    "PushResult",
    "ServerProcess",
    "diff",
    "doctor",
    "list_functions",
    "load_reason",
    "pull",
    "push",
    "read_local",
    "resolve_url_token",
    "start_server",
]

_WHERE = {
    "Client": "_client", "resolve_url_token": "_client",
    "DiffResult": "_deploy", "LocalFunction": "_deploy", "PushResult": "_deploy",
    "diff": "_deploy", "list_functions": "_deploy", "load_reason": "_deploy", "pull": "_deploy",
    "push": "_deploy", "read_local": "_deploy",
    "Check": "_doctor", "doctor": "_doctor",
    "OFFLINE_ENV": "_process", "ServerProcess": "_process", "start_server": "_process",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
