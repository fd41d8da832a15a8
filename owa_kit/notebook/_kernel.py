"""What the widgets need from the running kernel, and the workarounds for ipykernel 7.4.

Measured facts behind each helper are in ``reference/jupyter-mechanics.md``:

- ipykernel >= 7.4 dispatches comm messages while a cell awaits, so ``await owa.run(...)``
  can wait for a click; older kernels deadlock there and get a background task instead.
- A future must be resolved with ``loop.call_soon_threadsafe``: on 7.0-7.3 with JupyterLab's
  comm subshells the widget callback runs on another thread.
- ipykernel only cancels an interrupted async cell when its loop wakes, so waits wake up
  every 0.2 s.
- 7.4 sends no busy/idle for those concurrent comm messages, and ipywidgets' front-end holds
  back a model's next state update until it sees ``idle`` for the previous one: an input
  would deliver only its first edit. ``ack_idle`` sends that ``idle`` (opt out:
  ``OWA_KIT_ACK_IDLE=0``).
- 7.4 routes a comm's messages to the subshell that last published on it; see
  ``keep_on_main_shell``.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
WAKE = 0.2  # seconds between wake-ups while waiting for a human


def kernel() -> Any:
    """The running ipykernel ``Kernel`` or None (plain Python, a terminal IPython)."""
    ipy = sys.modules.get("IPython")
    if ipy is None:
        return None
    shell = ipy.get_ipython()
    return getattr(shell, "kernel", None)


def ipykernel_version() -> tuple[int, int]:
    try:
        from importlib.metadata import version

        major, minor = version("ipykernel").split(".")[:2]
        return int(major), int("".join(c for c in minor if c.isdigit()) or 0)
    except Exception:  # no ipykernel, or a version string we cannot read
        return (0, 0)


def can_await_widgets() -> bool:
    """True if a cell may ``await`` a widget click (ipykernel >= 7.4)."""
    return ipykernel_version() >= (7, 4)


def ack_idle(msg: Any) -> None:
    """Publish ``idle`` for a comm message handled while a cell awaits (see module doc)."""
    if os.environ.get("OWA_KIT_ACK_IDLE", "1").strip() == "0":
        return
    k = kernel()
    lock = getattr(k, "_main_asyncio_lock", None)
    locked = getattr(lock, "locked", None)
    topic = getattr(k, "_topic", None)
    session = getattr(k, "session", None)
    iopub = getattr(k, "iopub_socket", None)
    if not (callable(locked) and callable(topic) and session is not None and iopub is not None):
        return
    try:
        if locked():
            session.send(iopub, "status", {"execution_state": "idle"}, parent=msg,
                         ident=topic("status"))
    except Exception:  # private API changed: the workaround is best effort
        return


def keep_on_main_shell(comm: Any) -> None:
    """Route ``comm``'s next front-end messages to the main shell again.

    ipykernel 7.4 sends a comm's incoming messages to the subshell that last published on it.
    ipywidgets echoes each update, with the update (from JupyterLab's comm subshell) as
    parent, so a dialog's *second* edit would be handled on the subshell thread while the
    Confirm click runs on the main thread: the click can win and read the stale text
    (measured in JupyterLab 4.6 + chromium). Back on the main shell, edits and clicks keep
    the order the browser sent them in.
    """
    lock = getattr(comm, "_reply_subshell_lock", None)
    if lock is None or not hasattr(comm, "_reply_subshell_id"):
        return
    with lock:
        comm._reply_subshell_id = None


class AckIdle:
    """Mixin for input widgets used while a cell awaits: ack each state update with
    ``idle`` (see ``ack_idle``) and keep its messages on the main shell."""

    def _handle_msg(self, msg: Any) -> None:
        super()._handle_msg(msg)  # type: ignore[misc]
        if os.environ.get("OWA_KIT_ACK_IDLE", "1").strip() != "0":
            keep_on_main_shell(getattr(self, "comm", None))
        ack_idle(msg)


def threadsafe_setter(fut: asyncio.Future[T]) -> Callable[[T], None]:
    """A function that resolves ``fut`` once, from any thread."""
    loop = fut.get_loop()

    def _set(value: T) -> None:
        if not fut.done():
            fut.set_result(value)

    def resolve(value: T) -> None:
        loop.call_soon_threadsafe(_set, value)

    return resolve


async def wait(fut: asyncio.Future[T]) -> T:
    """Await ``fut`` with 0.2 s wake-ups, so a kernel interrupt cancels the cell promptly."""
    while not fut.done():
        await asyncio.wait({fut}, timeout=WAKE)
    return fut.result()
