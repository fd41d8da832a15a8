"""One dialog per ``__event_call__``, built from real widgets, as Open WebUI 0.12.4 shows it.

A dialog's buttons produce the *raw* answer (``True``, ``False``, the typed string, a JSON
value, or an ``owa.answers`` sentinel); the runtime turns it into what the action receives.
A human clicks; scripted mode drives the same widgets with ``drive(answer)``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from typing import Any

import ipywidgets as W

from .. import answers as _answers
from .._calls import input_options, input_type
from .._run import Call
from ..answers import Answer
from . import _render as R
from ._kernel import AckIdle

#: the raw answer of "Stop the run" on a call type Open WebUI never answers
STOP = Answer("stop")
NOTHING: Any = object()  # no pre-fill


class Textarea(AckIdle, W.Textarea):  # type: ignore[misc]
    pass


class Password(AckIdle, W.Password):  # type: ignore[misc]
    pass


class Dropdown(AckIdle, W.Dropdown):  # type: ignore[misc]
    pass


def select_options(data: dict[str, Any]) -> list[tuple[str, Any]]:
    """``(label, value)`` pairs from ``["a"]`` or ``[{"label", "value"}]`` options."""
    out: list[tuple[str, Any]] = []
    for o in input_options(data):
        if isinstance(o, dict):
            value = o.get("value")
            label = o.get("label")
            out.append((str(label if label is not None else value), value))
        else:
            out.append((str(o), o))
    return out


def describe(given: Any) -> str:
    """A pre-filled answer as the user would write it in ``answers=``."""
    if isinstance(given, Answer):
        return f"owa.answers.{given.kind}()"
    return repr(given)


class Dialog:
    """Base: title, markdown message, a note line, buttons; ``value()`` is Confirm's answer."""

    kind = "dialog"
    confirm_label = "Confirm"

    def __init__(self, call: Call, prefill: Any = NOTHING) -> None:
        self.call = call
        self.data: dict[str, Any] = call.data if isinstance(call.data, dict) else {}
        self._resolve: Callable[[Any], None] | None = None
        self.head = W.HTML(value=self.head_html())
        self.note = W.HTML(value="")
        self.confirm = W.Button(description=self.confirm_label, button_style="primary")
        self.cancel = W.Button(description="Cancel")
        self.timeout = W.Button(description="Simulate timeout", button_style="",
                                tooltip="What the action receives once "
                                        "WEBSOCKET_EVENT_CALLER_TIMEOUT passes",
                                layout=W.Layout(width="auto"))
        self.disconnect = W.Button(description="Simulate disconnect",
                                   tooltip="What the action receives when the tab closes",
                                   layout=W.Layout(width="auto"))
        self.confirm.on_click(lambda _b: self._confirmed())
        self.cancel.on_click(lambda _b: self.give(False))
        self.timeout.on_click(lambda _b: self.give(_answers.timeout()))
        self.disconnect.on_click(lambda _b: self.give(_answers.disconnect()))
        self.inputs: list[Any] = self.build_inputs()
        # classes at construction, so the comm_open already carries them (drivers key on it)
        self.box = W.VBox([self.head, *self.inputs, self.note, self.buttons()],
                          _dom_classes=("owa-dialog", f"owa-dialog-{self.kind}"))
        if prefill is not NOTHING:
            self.prefill(prefill)

    # -- what subclasses change ---------------------------------------------------------------
    def head_html(self) -> str:
        t = self.data.get("title")
        m = self.data.get("message")
        title = f"<b>{R.esc(t)}</b>" if t else ""
        message = R.markdown(m) if isinstance(m, str) else (R.esc(m) if m is not None else "")
        return f"{title}{message}"

    def build_inputs(self) -> list[Any]:
        return []

    def buttons(self) -> Any:
        return W.HBox([self.cancel, self.confirm, self.timeout, self.disconnect])

    def value(self) -> Any:
        return True

    def prefill(self, given: Any) -> None:
        self.note.value = (f'<span class="owa-muted">answers= has {R.esc(describe(given))} '
                           "for this call</span>")

    def drive(self, given: Any) -> bool:
        """Answer with ``given`` through the widgets; False if no widget can express it."""
        if isinstance(given, Answer):
            button = {"cancel": self.cancel, "timeout": self.timeout,
                      "disconnect": self.disconnect}.get(given.kind)
            if button is None or button not in self.clickable():
                return False
            button.click()
            return True
        if given is False and self.cancel in self.clickable():
            self.cancel.click()
            return True
        if given is True and self.confirm in self.clickable():
            self.confirm.click()
            return True
        return False

    # -- shared ------------------------------------------------------------------------------
    def clickable(self) -> list[Any]:
        return [self.confirm, self.cancel, self.timeout, self.disconnect]

    def bind(self, resolve: Callable[[Any], None]) -> None:
        self._resolve = resolve

    def give(self, raw: Any) -> None:
        if self._resolve is not None:
            self._resolve(raw)

    def _confirmed(self) -> None:
        try:
            raw = self.value()
        except ValueError as exc:
            self.note.value = f'<span class="owa-field-error">{R.esc(str(exc))}</span>'
            return
        self.give(raw)

    def close(self) -> None:
        for w in self.inputs:
            if isinstance(w, W.Password):
                w.value = ""  # never leave a secret in widget state
        for w in (*self.inputs, self.head, self.note, self.confirm, self.cancel, self.timeout,
                  self.disconnect, self.box.children[-1], self.box):
            w.close()


class ConfirmationDialog(Dialog):
    kind = "confirmation"

    def prefill(self, given: Any) -> None:
        if given is False or given == _answers.cancel():
            super().prefill(given)
            self.note.value += '<span class="owa-muted"> (Cancel)</span>'
        else:
            super().prefill(given)


class InputDialog(Dialog):
    kind = "input"

    def build_inputs(self) -> list[Any]:
        d = self.data
        self.type = input_type(d)
        initial = d.get("value")
        placeholder = str(d.get("placeholder") or "")
        self.field: Any
        if self.type == "select":
            self.options = select_options(d)
            values = [v for _, v in self.options]
            # Open WebUI's NativeSelect shows a placeholder option worth "" until one is picked
            shown = placeholder or "Select an option"
            self.field = Dropdown(options=[(shown, ""), *self.options],
                                  value=initial if initial in values else "")
        elif self.type == "password":
            self.field = Password(value="" if initial is None else str(initial),
                                  placeholder=placeholder, continuous_update=False)
        else:
            # a 3-row textarea, as Open WebUI's ConfirmDialog (Enter does not submit it)
            self.field = Textarea(value="" if initial is None else str(initial),
                                  placeholder=placeholder, rows=3, continuous_update=False,
                                  layout=W.Layout(width="100%"))
        return [self.field]

    def value(self) -> Any:
        return self.field.value

    def prefill(self, given: Any) -> None:
        if isinstance(given, str) and not isinstance(self.field, W.Dropdown):
            self.field.value = given
            if self.type == "password":
                return  # no note: it would show the secret
        elif isinstance(given, str) and given in [v for _, v in self.options]:
            self.field.value = given
        super().prefill("••••••" if self.type == "password" and isinstance(given, str)
                        else given)

    def drive(self, given: Any) -> bool:
        if isinstance(given, str):
            if isinstance(self.field, W.Dropdown) and given not in [v for _, v in self.options]:
                return False
            self.field.value = given
            self.confirm.click()
            return True
        return super().drive(given)


class ExecuteDialog(Dialog):
    """Open WebUI runs this JavaScript in the page; here a human types what it returns."""

    kind = "execute"
    confirm_label = "Return value"

    def head_html(self) -> str:
        code = self.data.get("code", "")
        return ("<b>execute</b>: Open WebUI runs this JavaScript in the page and hands its "
                "return value to the action. Type that value as JSON."
                f"<pre>{R.esc(code)}</pre>")

    def build_inputs(self) -> list[Any]:
        self.field = Textarea(value="null", rows=2, continuous_update=False,
                              layout=W.Layout(width="100%"))
        return [self.field]

    def buttons(self) -> Any:  # no Cancel: the page answers by itself
        return W.HBox([self.confirm, self.timeout, self.disconnect])

    def clickable(self) -> list[Any]:
        return [self.confirm, self.timeout, self.disconnect]

    def value(self) -> Any:
        try:
            return json.loads(self.field.value)
        except json.JSONDecodeError as exc:
            raise ValueError(f"owa-kit: not JSON ({exc.msg}); type e.g. 42, \"text\", "
                             '{"a": 1} or null') from None

    def prefill(self, given: Any) -> None:
        if not isinstance(given, Answer):
            with contextlib.suppress(TypeError, ValueError):
                self.field.value = json.dumps(given)
        super().prefill(given)

    def drive(self, given: Any) -> bool:
        if isinstance(given, Answer):
            return super().drive(given)
        try:
            self.field.value = json.dumps(given)
        except (TypeError, ValueError):
            return False
        self.confirm.click()
        return True


class UnansweredDialog(Dialog):
    """A call type Open WebUI never answers: the action would hang there."""

    kind = "unanswered"

    def head_html(self) -> str:
        from .._calls import call_hint

        return (f"<b>&#9888; __event_call__ type {R.esc(self.call.type)!s} is never answered "
                "by Open WebUI 0.12.4</b><br>In Open WebUI the action would hang here until the "
                "tab closes or WEBSOCKET_EVENT_CALLER_TIMEOUT passes. "
                f"Fix: {R.esc(call_hint(self.call.type))}.<br>"
                f'<span class="owa-muted">data: {R.esc(self.call.data)}</span>')

    def buttons(self) -> Any:
        self.stop = W.Button(description="Stop the run", button_style="danger")
        self.stop.on_click(lambda _b: self.give(STOP))
        return W.HBox([self.timeout, self.disconnect, self.stop])

    def clickable(self) -> list[Any]:
        return [self.timeout, self.disconnect]

    def close(self) -> None:
        self.stop.close()
        super().close()


def make_dialog(call: Call, answered: bool, prefill: Any = NOTHING) -> Dialog:
    """The dialog for ``call``; ``answered`` says whether Open WebUI answers its type."""
    if not answered:
        d: Dialog = UnansweredDialog(call, prefill)
    elif call.type == "confirmation":
        d = ConfirmationDialog(call, prefill)
    elif call.type == "input":
        d = InputDialog(call, prefill)
    else:
        d = ExecuteDialog(call, prefill)
    if not answered:
        d.box.add_class("owa-warning")
    return d
