"""Event calls: what Open WebUI 0.12.4 answers and how a scripted or clicked answer becomes
the value the action receives (``ConfirmDialog`` in the tab, ``get_event_call`` on the server;
docs/research/frontend-facts.md Q5, Q10)."""

from __future__ import annotations

from typing import Any

from ._findings import finding
from ._profile import Profile
from ._run import Call, Run
from .answers import Answer
from .errors import ScriptError, UnansweredCallError


def example_answer(call: Call) -> str:
    if call.type == "confirmation":
        return "True to confirm, False to cancel"
    if call.type == "input":
        return '"some text", True to confirm the initial value, False to cancel'
    return "the JSON value the JavaScript returns"


def unanswered(call: Call) -> UnansweredCallError:
    hint = call_hint(call.type)
    return UnansweredCallError(
        f"owa-kit: the action awaits __event_call__ type {call.type!r}, which Open WebUI 0.12.4 "
        "never answers: in Open WebUI it would hang here until the tab closes (or "
        "WEBSOCKET_EVENT_CALLER_TIMEOUT passes). Fix: " + hint
        + ". To test the timeout path, script owa.answers.timeout() for this call."
    )


def call_hint(kind: str | None) -> str:
    if kind == "select":
        return ('use {"type": "input", "data": {"type": "select", "options": [...]}} '
                "(the answer is the chosen value, or False on cancel)")
    if kind in ("confirm", "yesno", "yes_no"):
        return 'use {"type": "confirmation", "data": {"title": ..., "message": ...}} (True/False)'
    return ('use "confirmation" (True/False), "input" (text; type "password" or "select" with '
            'options), or "execute" (JavaScript)')


def check_call(r: Run, call: Call) -> None:
    if call.type != "input" or not isinstance(call.data, dict):
        return
    d = call.data
    if input_type(d) == "select" and not input_options(d):
        r.add_finding(finding("OWA304"))
    for key in d:
        if key not in ("title", "message", "placeholder", "value", "type", "input", "options"):
            hint = " (the initial text is `value`)" if key == "default" else ""
            r.add_finding(finding("OWA305", key=key, hint=hint))


def input_type(d: dict[str, Any]) -> str | None:
    inp = d.get("input")
    t = d.get("type") or (inp.get("type") if isinstance(inp, dict) else None)
    return t if isinstance(t, str) else None


def is_password(call: Call) -> bool:
    """An input call whose field is a masked password box."""
    return call.type == "input" and isinstance(call.data, dict) and (
        input_type(call.data) == "password")


def typed_passwords(run: Run) -> tuple[str, ...]:
    """What was typed into the run's password boxes (to mask wherever text is shown)."""
    return tuple(c.answer for c in run.calls
                 if is_password(c) and isinstance(c.answer, str) and c.answer)


def input_options(d: dict[str, Any]) -> list[Any]:
    inp = d.get("input")
    opts = d.get("options") or (inp.get("options") if isinstance(inp, dict) else None) or []
    return list(opts) if isinstance(opts, list) else []


def option_values(d: dict[str, Any]) -> list[Any]:
    """The values a select input can answer with (``"a"`` or ``{"label", "value"}`` options)."""
    out = []
    for o in input_options(d):
        out.append(o.get("value") if isinstance(o, dict) else o)
    return out


def resolve_answer(call: Call, given: Any, profile: Profile) -> Any:
    """Turn a scripted or clicked answer into the value Open WebUI hands the action."""
    if callable(given) and not isinstance(given, Answer):
        given = given(call)
    if isinstance(given, Answer):
        if given.kind == "cancel":
            if call.type == "execute":
                raise ScriptError("owa-kit: an execute call has no Cancel; script timeout() or "
                                  "disconnect() to simulate JavaScript that never answers")
            return False
        err = profile.timeout_error if given.kind == "timeout" else profile.disconnect_error
        return dict(err)
    d = call.data if isinstance(call.data, dict) else {}
    if call.type == "confirmation":
        if isinstance(given, bool):
            return given
        raise ScriptError(f"owa-kit: answer {given!r} does not fit a confirmation dialog; "
                          "use True (Confirm) or False (Cancel)")
    if call.type == "input":
        if given is False or given is None:
            return False
        select = input_type(d) == "select"
        if given is True:  # Confirm as shown: an untouched select shows its placeholder ("")
            initial = d.get("value")
            value = "" if initial is None else initial
            return True if (value == "" and profile.empty_input_returns_true) else value
        if not isinstance(given, str):
            raise ScriptError(f"owa-kit: answer {given!r} does not fit an input dialog; use a "
                              "string (typed text), True (Confirm as shown) or False (Cancel)")
        if select:
            values = option_values(d)
            if given not in values:
                raise ScriptError(f"owa-kit: {given!r} is not an option of this select input; "
                                  f"options: {values}")
        if given == "" and profile.empty_input_returns_true:
            return True
        return given
    return given  # execute: the JavaScript's value, as JSON
