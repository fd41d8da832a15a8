"""``owa.play(act)``: try an action by hand — message, valves, sub-action, answers, Run.

The run happens in a background task on the kernel's loop (started by the Run button while
the kernel is idle), so it works on every ipykernel; everything it shows goes through widget
state. ``await pg.run()`` does the same from code.
"""

from __future__ import annotations

import ast
import asyncio
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from ..errors import OwaKitError
from . import _render as R
from ._frontend import WidgetFrontend
from ._kernel import AckIdle
from ._valves import ValvesForm

if TYPE_CHECKING:
    from .._loader import LoadedAction
    from .._run import Run

PLAYGROUND_REPR = "<owa-kit playground>"


class _Textarea(AckIdle, W.Textarea):  # type: ignore[misc]
    pass


class _Text(AckIdle, W.Text):  # type: ignore[misc]
    pass


class Playground(W.VBox):  # type: ignore[misc]
    """Widgets to run ``action`` by hand; ``last_run`` is the latest ``Run``.

    >>> pg = owa.play(act, message="The reply")   # doctest: +SKIP
    >>> run = await pg.run()                      # doctest: +SKIP
    """

    def __init__(self, action: LoadedAction, *, message: str = "Hello! How can I help?",
                 answers: list[Any] | None = None, valves: dict[str, Any] | None = None,
                 user_valves: dict[str, Any] | None = None, mode: str = "interactive",
                 **run_kw: Any) -> None:
        self.action = action
        self.mode = mode
        self.run_kw = run_kw
        self.last_run: Run | None = None
        self.task: asyncio.Task[Any] | None = None
        self.message = _Textarea(value=message, rows=4, continuous_update=False,
                                 description="Reply", layout=W.Layout(width="100%"))
        self.answers = _Text(value=repr(list(answers or [])), continuous_update=False,
                             description="answers=", layout=W.Layout(width="100%"),
                             placeholder="[True, 'text'] pre-fills the dialogs")
        ids = [s.id for s in action.sub_actions]
        self.sub_action = W.Dropdown(options=ids or [""], description="Button",
                                     layout=W.Layout(display="" if ids else "none"))
        self.valves = ValvesForm(action.Valves, valves, "Valves") if action.Valves else None
        self.user_valves = (ValvesForm(action.UserValves, user_valves, "User valves")
                            if action.UserValves else None)
        self.button = W.Button(description="Run", button_style="primary", icon="play")
        self.button.on_click(lambda _b: self.start())
        self.status = W.HTML(value="")
        self.frontend = WidgetFrontend([], mode, display_panel=False)
        self.frontend.background = False  # the button's task never blocks a cell
        forms = [f for f in (self.valves, self.user_valves) if f is not None]
        head = W.HTML(value=f"{R.STYLE}<b>{R.esc(action.name or action.id)}</b> "
                            '<span class="owa-muted">owa-kit playground</span>')
        super().__init__([head, self.message, self.sub_action, *forms, self.answers,
                          W.HBox([self.button, self.status]), self.frontend.panel])
        self.add_class("owa-panel")

    def __repr__(self) -> str:
        return PLAYGROUND_REPR

    def _answers(self) -> list[Any]:
        text = self.answers.value.strip() or "[]"
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            raise OwaKitError(f"owa-kit: answers= {text!r} is not a Python list literal; "
                              "write e.g. [True, 'Ada']") from None
        if not isinstance(value, list):
            raise OwaKitError(f"owa-kit: answers= must be a list, got {type(value).__name__}")
        return value

    async def run(self) -> Run:
        """Run the action once with what the widgets hold; returns the ``Run``."""
        from .._runtime import run as run_action

        valves = self.valves.validate() if self.valves else None
        user_valves = self.user_valves.validate() if self.user_valves else None
        if (self.valves and valves is None) or (self.user_valves and user_valves is None):
            raise OwaKitError("owa-kit: fix the valves marked in red, then Run again")
        # only what differs from the defaults: the same transcript as `owa.run(act, ...)`
        valves = _changed(self.action.Valves, valves)
        user_valves = _changed(self.action.UserValves, user_valves)
        fe = self.frontend
        fe.script.answers, fe.script.used = self._answers(), 0
        self.button.disabled = True
        self.status.value = '<span class="owa-muted">running…</span>'
        try:
            r = await run_action(self.action, self.message.value, frontend=fe,
                                 valves=valves or None, user_valves=user_valves or None,
                                 sub_action=self.sub_action.value or None, show=False,
                                 **self.run_kw)
        finally:
            self.button.disabled = False
        self.last_run = r
        state = "done" if r.ok else f"failed: {type(r.error).__name__}"
        self.status.value = f'<span class="owa-muted">{R.esc(state)}</span>'
        return r

    def start(self) -> asyncio.Task[Any] | None:
        """What the Run button does: start ``run()`` as a task and report its errors."""
        if self.task is not None and not self.task.done():
            return self.task
        self.task = asyncio.ensure_future(self.run())
        self.task.add_done_callback(self._done)
        return self.task

    def _done(self, task: asyncio.Task[Any]) -> None:
        if task.cancelled():
            self.status.value = '<span class="owa-muted">cancelled</span>'
            return
        exc = task.exception()
        if exc is not None:  # a background task's error is silent unless shown here
            self.status.value = (f'<span class="owa-field-error">{R.esc(type(exc).__name__)}: '
                                 f"{R.esc(str(exc))}</span>")


def _changed(model: Any, values: dict[str, Any] | None) -> dict[str, Any] | None:
    if model is None or not values:
        return values
    fields = model.model_fields
    return {k: v for k, v in values.items()
            if k not in fields or v != fields[k].get_default(call_default_factory=True)}
