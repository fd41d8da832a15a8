"""The notebook front-end: a live panel for the run and a dialog for each event call.

``mode="interactive"`` waits for a human's click; ``mode="scripted"`` answers the very same
dialogs from ``answers=`` by setting their values and clicking their buttons, so what nbval
checks is what a human would have done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as W

from .._calls import is_password, typed_passwords, unanswered
from .._run import MASK, Call
from .._runtime import ScriptedFrontend
from ..answers import Answer
from . import _render as R
from ._chatview import ChatView
from ._dialogs import NOTHING, STOP, InputDialog, describe, make_dialog
from ._kernel import can_await_widgets, ipykernel_version, threadsafe_setter, wait

if TYPE_CHECKING:
    from .._run import Run

PANEL_REPR = "<owa-kit panel>"


class Panel(W.VBox):  # type: ignore[misc]
    """A VBox whose text/plain is constant: nbval compares it, and widget ids change."""

    def __repr__(self) -> str:
        return PANEL_REPR


def given_answers(run: Run) -> str:
    """The answers actually given, as a list literal to paste into ``answers=``."""
    items = []
    for call in run.calls:
        if not call.answered:
            continue
        given = call.given if not callable(call.given) or isinstance(call.given, Answer) \
            else call.answer
        if is_password(call) and isinstance(given, str):
            items.append(repr(MASK))
            continue
        text = describe(given)
        items.append(R.mask(text, run.secrets))
    return "[" + ", ".join(items) + "]"


class WidgetFrontend:
    """Implements the runtime's ``Frontend`` with widgets (see the module docstring)."""

    def __init__(self, answers: list[Any], mode: str = "interactive", *,
                 display_panel: bool = True) -> None:
        if mode not in ("interactive", "scripted"):
            raise ValueError(f"owa-kit: mode={mode!r}; use 'interactive' or 'scripted'")
        self.mode = mode
        self.script = ScriptedFrontend(answers)
        self.display_panel = display_panel
        #: interactive on ipykernel < 7.4: a cell cannot await a click, so the runtime must
        #: run the action as a background task (see jupyter-mechanics.md, Q2)
        self.background = mode == "interactive" and not can_await_widgets()
        self.header = W.HTML(value="")
        self.view = ChatView()
        self.dialogs = W.VBox([])
        self.footer = W.HTML(value="")
        self.model_calls = W.HTML(value="")  # each completion request and its reply
        self.panel = Panel([W.HTML(value=R.STYLE), self.header, self.view, self.model_calls,
                            self.dialogs, self.footer])
        self.panel.add_class("owa-panel")
        self.dialog: Any = None  # the open dialog, for tests and drivers

    # -- Frontend protocol ---------------------------------------------------------------
    def start(self, run: Run) -> None:
        self.view.clear()
        self.footer.value = ""
        self.model_calls.value = ""
        note = ""
        if self.background:
            major, minor = ipykernel_version()
            note = (f'<br><span class="owa-muted">ipykernel {major}.{minor} &lt; 7.4: the cell '
                    "cannot wait for a click, so this run continues in the background and its "
                    "transcript appears below. Fix: pip install 'ipykernel>=7.4'.</span>")
        name = run.action.name or run.button
        self.header.value = (f'<span class="owa-muted">owa-kit · {R.esc(name)} · '
                             f"{self.mode}</span>{note}")
        if self.display_panel:
            from IPython.display import display

            display(self.panel)  # type: ignore[no-untyped-call]
        self.view.request(run)

    def event(self, run: Run, event: Any) -> None:
        self.view.request(run)

    async def answer(self, run: Run, call: Call) -> Any:
        self.view.flush(run)  # the human sees the state the action asks in
        answered = call.type in run.profile.answered_call_types
        if self.mode == "scripted":
            given = await self.script.answer(run, call)  # raises when nothing fits
            if callable(given) and not isinstance(given, Answer):
                given = given(call)
            dialog = self._show(make_dialog(call, answered, NOTHING))
            try:
                fut = self._bind(dialog)
                if not dialog.drive(given):
                    return given  # no widget can give it: the runtime says why
                raw = await wait(fut)
            finally:
                self._close(dialog)
            if isinstance(given, bool | Answer) or (
                    isinstance(dialog, InputDialog) and dialog.type == "password"):
                return given
            return raw
        prefill = NOTHING
        s = self.script
        if s.used < len(s.answers):
            prefill = s.answers[s.used]
            s.used += 1
            if callable(prefill) and not isinstance(prefill, Answer):
                prefill = NOTHING
        raw = await self._ask(make_dialog(call, answered, prefill))
        if raw is STOP:
            raise unanswered(call)
        return raw

    def leftover(self) -> list[Any]:
        return self.script.leftover() if self.mode == "scripted" else []

    # -- the model (optional Frontend methods, see owa_kit._owui.chat) -----------------------
    def completion(self, run: Run, completion: Any) -> None:
        """A completion was answered: show it in the panel's model section."""
        from ._model import completions_html

        self.model_calls.value = completions_html(run)

    async def complete(self, run: Run, completion: Any, suggestion: Any) -> Any:
        """No ``llm=``: scripted mode answers as the echo model; interactive mode asks."""
        if self.mode == "scripted":
            return suggestion
        from ._model import ReplyDialog, completions_html

        self.view.flush(run)
        self.model_calls.value = completions_html(run)
        return await self._ask(ReplyDialog(completion, suggestion))

    def finish(self, run: Run) -> None:
        self.view.flush(run)
        parts = []
        if run.calls:
            parts.append('<span class="owa-muted">answers given (paste into answers=):</span>'
                         f"<pre>answers={R.esc(given_answers(run))}</pre>")
        transcript = R.mask(run.transcript, (*run.secrets, *typed_passwords(run)))
        open_ = " open" if self.background else ""
        parts.append(f"<details{open_}><summary>transcript</summary>"
                     f"<pre>{R.esc(transcript)}</pre></details>")
        self.footer.value = "".join(parts)

    # -- helpers ---------------------------------------------------------------------------
    def _show(self, dialog: Any) -> Any:
        self.dialog = dialog
        self.dialogs.children = (dialog.box,)
        return dialog

    async def _ask(self, dialog: Any) -> Any:
        """Show ``dialog`` and wait for a human's answer; the runtime's timeout stops
        meanwhile (``Run.asking_since``)."""
        self._show(dialog)
        try:
            return await wait(self._bind(dialog))
        finally:
            self._close(dialog)

    def _bind(self, dialog: Any) -> Any:
        import asyncio

        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        dialog.bind(threadsafe_setter(fut))
        return fut

    def _close(self, dialog: Any) -> None:
        self.dialogs.children = ()
        self.dialog = None
        dialog.close()
