"""The live chat view: the clicked message as Open WebUI 0.12.4 shows it, as widget state.

Updates are coalesced: ``request(run)`` renders at most every ``interval`` seconds (and
``flush(run)`` at the end), so 10,000 ``message`` deltas cost a few dozen state messages.
Only sections whose HTML changed are sent.
"""

from __future__ import annotations

import asyncio
import html
import time
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from . import _render as R

if TYPE_CHECKING:
    from .._run import Run

SECTIONS = ("title", "status", "history", "content", "sources", "files", "embeds",
            "follow_ups", "error", "toasts")


def render(run: Run) -> dict[str, str]:
    """Every section's HTML for the run's current state, secrets masked."""
    msg = run.message
    parts = {
        "title": R.title(run.title if run.title is not None else run.chat.title),
        "status": R.status_line(msg),
        "history": R.status_history(msg),
        "content": R.content(msg),
        "sources": R.sources(msg),
        "files": R.files(msg),
        "embeds": R.embeds(msg),
        "follow_ups": R.follow_ups(msg),
        "error": R.error_box(msg),
        "toasts": R.toasts(run.notifications),
    }
    if run.secrets:
        secrets = (*run.secrets, *(html.escape(s) for s in run.secrets))
        parts = {k: R.mask(v, secrets) for k, v in parts.items()}
    return parts


class ChatView(W.VBox):  # type: ignore[misc]
    """Renders a ``Run``'s clicked message; ``request`` throttles, ``flush`` forces."""

    interval = 0.05

    def __init__(self, **kw: Any) -> None:
        self.parts = {name: W.HTML(value="") for name in SECTIONS}
        self.toggle = W.ToggleButton(value=False, description="", icon="",
                                     layout=W.Layout(display="none", width="auto"))
        self.toggle.observe(self._on_toggle, names="value")
        self.parts["history"].layout = W.Layout(display="none")
        status_row = W.HBox([self.parts["status"], self.toggle])
        p = self.parts
        super().__init__([p["title"], status_row, p["history"], p["content"], p["sources"],
                          p["files"], p["embeds"], p["follow_ups"], p["error"], p["toasts"]],
                         **kw)
        self.renders = 0  # how many times a section was re-rendered (for tests and the bench)
        self._last = float("-inf")
        self._timer: asyncio.TimerHandle | None = None
        self._run: Run | None = None

    def __repr__(self) -> str:
        return "<owa-kit chat view>"

    def _on_toggle(self, change: dict[str, Any]) -> None:
        self.parts["history"].layout.display = "" if change["new"] else "none"
        self.toggle.icon = "chevron-down" if change["new"] else "chevron-right"

    def request(self, run: Run) -> None:
        """Show ``run``'s state soon: now if the last render is ``interval`` old, else later."""
        self._run = run
        now = time.monotonic()
        if now - self._last >= self.interval:
            self.flush(run)
            return
        if self._timer is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                self.flush(run)
                return
            self._timer = loop.call_later(self.interval - (now - self._last), self._due)

    def _due(self) -> None:
        self._timer = None
        if self._run is not None:
            self.flush(self._run)

    def flush(self, run: Run | None = None) -> None:
        """Render now and cancel any pending render."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        run = run or self._run
        if run is None:
            return
        self._run = run
        self._last = time.monotonic()
        for name, value in render(run).items():
            widget = self.parts[name]
            if widget.value != value:
                widget.value = value
                self.renders += 1
        n = sum(1 for s in run.message.status_history
                if not (isinstance(s, dict) and s.get("hidden") is True))
        has_history = bool(self.parts["history"].value)
        self.toggle.layout.display = "" if has_history else "none"
        if has_history:
            self.toggle.description = f"{n} steps"
            self.toggle.icon = "chevron-down" if self.toggle.value else "chevron-right"

    def clear(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._run = None
        self._last = float("-inf")
        for widget in self.parts.values():
            widget.value = ""
        self.toggle.layout.display = "none"
