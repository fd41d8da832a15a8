"""Run an action as Open WebUI 0.12.4's ``chat_action`` does, against an emulated browser.

The runtime talks to a *front-end* through four methods (``start``, ``event``, ``answer``,
``finish``). ``ScriptedFrontend`` answers from a list; the notebook's widget dialogs and a
live server bridge implement the same seam. What a call answers is in ``_calls``; what the
server and the tab do with the return value is in ``_response``.

Two optional front-end methods concern the model (``owa_kit._owui.chat``):
``completion(run, c)`` after each reply, and ``async complete(run, c, echo_reply)`` for the
reply itself when ``llm`` is not given.
"""
from __future__ import annotations

import asyncio
import contextlib
import contextvars
import inspect
import json
import os
import time
from collections.abc import Callable, Coroutine, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, ValidationError

from . import _events
from ._apply import apply_to_saved, apply_to_view
from ._calls import call_hint, check_call, example_answer, input_type, resolve_answer, unanswered
from ._chat import Chat, Message, Tab, Turn, as_chat
from ._context import Request, make_model, make_user
from ._findings import finding
from ._owui._backend import Backend, activate
from ._profile import DEFAULT_PROFILE, Profile
from ._response import (
    apply_return,
    fail,
    http_detail,
    process_return,
    show_error,
    tab_cannot_parse,
)
from ._run import Call, Event, Run
from .answers import Answer
from .errors import (
    ActionTimeoutError,
    LeftoverAnswersError,
    MissingAnswerError,
    OwaKitError,
    ScriptError,
    UnansweredCallError,
    ValveError,
)
from .llm import Script

if TYPE_CHECKING:
    from ._loader import LoadedAction

SESSION_ID = "owa-kit-session-0001"
_WAKE = 0.2  # seconds between wake-ups while waiting, so a kernel interrupt lands promptly


class Frontend(Protocol):
    """What the runtime needs from whoever shows the run and answers its dialogs."""

    def start(self, run: Run) -> None: ...
    def event(self, run: Run, event: Event) -> None: ...
    async def answer(self, run: Run, call: Call) -> Any: ...
    def finish(self, run: Run) -> None: ...


class ScriptedFrontend:
    """Answers event calls from a list, in order (see ``owa_kit.answers``)."""

    def __init__(self, answers: Iterable[Any] = ()) -> None:
        self.answers = list(answers)
        self.used = 0

    def start(self, run: Run) -> None:
        pass

    def event(self, run: Run, event: Event) -> None:
        pass

    async def answer(self, run: Run, call: Call) -> Any:
        if call.type not in run_profile(run).answered_call_types:
            nxt = self.answers[self.used] if self.used < len(self.answers) else None
            if not (isinstance(nxt, Answer) and nxt.kind in ("timeout", "disconnect")):
                raise unanswered(call)
        if self.used >= len(self.answers):
            raise MissingAnswerError(
                f"owa-kit: no scripted answer left for event call #{len(run.calls)} "
                f"{call.type} {json.dumps(call.data, sort_keys=True, default=str)}; "
                f"add one to answers= (e.g. {example_answer(call)})"
            )
        given = self.answers[self.used]
        self.used += 1
        return given

    def leftover(self) -> list[Any]:
        return self.answers[self.used:]

    def finish(self, run: Run) -> None:
        pass


def run_profile(run: Run) -> Profile:
    return run.profile


class _ActionRaised(Exception):
    def __init__(self, error: BaseException, detail: str | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.detail = detail


class _Stop(BaseException):
    """Unwinds the action from inside an emitter or call; the action cannot catch it with
    ``except Exception``. ``error`` becomes ``run.error`` or, for script errors, is raised."""

    def __init__(self, error: OwaKitError) -> None:
        super().__init__(str(error))
        self.error = error


def default_mode() -> str:
    """``OWA_KIT_MODE`` if set; else interactive inside a live kernel, scripted otherwise."""
    mode = os.environ.get("OWA_KIT_MODE", "").strip().lower()
    if mode in ("scripted", "interactive"):
        return mode
    if mode:
        raise OwaKitError(f"owa-kit: OWA_KIT_MODE={mode!r}; use 'scripted' or 'interactive'")
    return "interactive" if _in_kernel() else "scripted"


def _in_kernel() -> bool:
    import sys

    ipy = sys.modules.get("IPython")
    if ipy is None:
        return False
    shell = ipy.get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


async def run(
    action: LoadedAction,
    message: str | Chat | Sequence[Turn] = "Hello! How can I help?",
    *,
    answers: Iterable[Any] = (),
    valves: Mapping[str, Any] | None = None,
    user_valves: Mapping[str, Any] | None = None,
    user: Mapping[str, Any] | None = None,
    model: Mapping[str, Any] | None = None,
    sub_action: str | None = None,
    timeout: float | None = 60.0,
    frontend: Frontend | None = None,
    mode: str | None = None,
    show: bool | None = None,
    profile: Profile = DEFAULT_PROFILE,
    llm: Any = None,
    server: Any = None,
    tab: Tab | None = None,
) -> Run:
    """Click the action's button under ``message`` and return the ``Run`` record.

    ``message`` is the assistant reply clicked (a string), or a ``owa.chat(...)``. Event
    calls are answered from ``answers`` (see ``owa_kit.answers``); a missing or leftover
    answer raises ``ScriptError``. An exception inside the action does not propagate: it is
    ``run.error`` and the transcript shows Open WebUI's ``HTTP 400 Error: ...``.

    In a Jupyter kernel the run shows a live panel and each call a dialog: ``mode``
    ``"interactive"`` waits for a human, ``"scripted"`` answers the same dialogs from
    ``answers`` (default: ``OWA_KIT_MODE``, else interactive in a kernel). ``show`` prints
    the transcript at the end (default: in a kernel), which is what nbval compares.

    ``llm`` scripts the model an action asks through ``open_webui.utils.chat.
    generate_chat_completion`` (see ``owa_kit.llm``; default: the echo model); each request
    and reply is in ``run.completions``.

    >>> run = await owa.run(act, "The reply", answers=[True])    # doctest: +SKIP
    >>> run.message.text, run.calls.last.answer                  # doctest: +SKIP
    """
    if server is not None:  # the same click on a real Open WebUI (owa_kit.server._live)
        from .server._live import run_live

        return await run_live(
            server, action, message, answers=answers, valves=valves, user_valves=user_valves,
            user=user, model=model, sub_action=sub_action, timeout=timeout, frontend=frontend,
            mode=mode, show=show, profile=profile, llm=llm, tab=tab)
    action = action.refreshed()
    chat = as_chat(message, profile)
    button, call_id = _button(action, sub_action)
    kernel = _in_kernel()
    fe = pick_frontend(frontend, answers, mode, kernel)

    stored_valves = _check_valves(action, action.Valves, valves, "valves")
    stored_user_valves = _check_valves(action, action.UserValves, user_valves, "user_valves")
    secrets = _secrets(action, stored_valves, stored_user_valves)

    user_dict = make_user(user)
    if stored_user_valves and not (user and "settings" in user):
        # stored user valves live in the user's settings (B:models/functions.py:401-419)
        user_dict["settings"] = {"ui": {}, "functions": {"valves": {
            action.id: dict(stored_user_valves)}}}
    if not chat.temporary:
        chat.stored_by(str(user_dict["id"]), str(user_dict["name"]))
    buttons = [{"id": b_id, "name": b_name, "description": action.description,
                "icon": b_icon} for b_id, b_name, b_icon in _buttons(action)]
    model_dict = make_model(buttons, model_id=chat.model, overrides=model)
    body = chat.body(session_id=SESSION_ID, profile=profile)

    r = Run(action=action, button=button, chat=chat, body=body,
            valves=_masked(stored_valves, secrets), user_valves=_masked(stored_user_valves,
                                                                        secrets),
            secrets=secrets)
    r.profile = profile
    if tab is not None:
        r.tab = tab
    # the emulated open_webui (users, chats, the model) this click sees; see owa_kit._owui
    r.backend = Backend(user=user_dict, chat=chat, script=Script(llm), run=r, frontend=fe,
                        request=Request({model_dict["id"]: model_dict}, user_dict,
                                        {action.id: action.instance}, button))
    for f in action.findings:
        r.add_finding(f)
    saved: dict[str, Any] | None = None if chat.temporary else dict(chat.messages[chat.current_id])
    snapshot = Message(dict(chat.messages[chat.current_id])).copy()

    fe.start(r)

    async def finish() -> Run:
        emitter = _make_emitter(r, fe, profile, lambda: saved)
        event_call = _make_event_call(r, fe, profile)

        started = time.perf_counter()
        try:
            result = await _invoke(action, r, call_id, body, user_dict, model_dict, stored_valves,
                                   stored_user_valves, emitter, event_call, timeout, profile)
        except _Stop as stop:
            if isinstance(stop.error, ScriptError):
                fe.finish(r)
                stop.error.run = r  # type: ignore[attr-defined]
                raise stop.error from None
            fail(r, stop.error, profile)
            result = None
        except _ActionRaised as raised:
            fail(r, raised.error, profile, detail=raised.detail)
            result = None
        r.elapsed = time.perf_counter() - started

        r.result = result
        if r.error is None:
            result = await process_return(r, result, emitter)
        tab_saved = apply_return(r, result, profile) if r.error is None else True
        if r.error is not None:
            show_error(r, http_detail(r.http_body))
        elif r.http_raw:
            tab_cannot_parse(r, str(r.http_body))
        if saved is not None:
            view = r.chat.messages[chat.current_id]
            changed = Message(view) != snapshot
            r.saved = Message(dict(view) if (tab_saved and changed) else saved).copy()
        _final_findings(r)
        r.backend.add_findings()
        if saved is not None:
            r.persisted = Message(saved).copy()
        fe.finish(r)
        check_leftover(fe, r)
        r.backend.check_leftover()
        if show if show is not None else kernel:
            print(r.transcript)
        return r

    return await finish_or_background(fe, r, finish)


async def finish_or_background(fe: Frontend, r: Run,
                               finish: Callable[[], Coroutine[Any, Any, Run]]) -> Run:
    """``await finish()``; but when ipykernel < 7.4 cannot deliver a click to an awaiting
    cell, the click goes on as a task on the kernel's loop (``run.task``) and the cell
    returns at once (jupyter-mechanics Q2)."""
    if not getattr(fe, "background", False):
        return await finish()
    r.task = asyncio.ensure_future(finish())
    where = " live" if r.server else ""
    print(f"owa-kit: {r.action.id} runs{where} in the background (ipykernel < 7.4); "
          "`await run.task` waits for the end")
    return r


def pick_frontend(frontend: Frontend | None, answers: Iterable[Any], mode: str | None,
                  kernel: bool) -> Frontend:
    """``frontend`` if given; the notebook's dialogs in a kernel; else scripted answers."""
    if frontend is not None:
        return frontend
    if kernel:
        from .notebook import make_frontend

        return make_frontend(list(answers), mode or default_mode())
    return ScriptedFrontend(answers)


def check_leftover(fe: Frontend, r: Run) -> None:
    """Raise ``LeftoverAnswersError`` (carrying ``run``) if scripted answers were not used."""
    leftover_of = getattr(fe, "leftover", None)
    leftover = leftover_of() if callable(leftover_of) else []
    if leftover:
        err = LeftoverAnswersError(
            f"owa-kit: {len(leftover)} scripted answer(s) left unused: "
            f"{leftover!r}; the action made {len(r.calls)} event call(s)"
            + (f" before it failed with {type(r.error).__name__}: {str(r.error).rstrip('.')}"
               if r.error else "")
            + ". Remove the extra answers or check why the action stopped asking."
        )
        err.run = r  # type: ignore[attr-defined]
        raise err


def _button(action: LoadedAction, sub_action: str | None) -> tuple[str, str]:
    ids = [s.id for s in action.sub_actions]
    if sub_action is None:
        if ids:
            raise ScriptError(
                f"owa-kit: {action.id} has sub-actions {ids}; Open WebUI shows one button per "
                f"sub-action. Pass sub_action=, e.g. sub_action={ids[0]!r}"
            )
        return action.id, action.id
    if sub_action not in ids:
        known = f"its sub-actions are {ids}" if ids else "it has no `actions` list"
        raise ScriptError(f"owa-kit: {action.id} has no sub-action {sub_action!r}; {known}")
    return f"{action.id}.{sub_action}", sub_action


def _buttons(action: LoadedAction) -> list[tuple[str, str, str | None]]:
    if action.sub_actions:
        return [(f"{action.id}.{s.id}", s.name, s.icon) for s in action.sub_actions]
    return [(action.id, action.name, action.icon)]


def _check_valves(action: LoadedAction, model: type[BaseModel] | None,
                  values: Mapping[str, Any] | None, what: str) -> dict[str, Any]:
    if not values:
        return {}
    label = "Valves" if what == "valves" else "UserValves"
    if model is None:
        raise ValveError(f"owa-kit: {what}= given, but {action.id} has no `{label}` class")
    unknown = sorted(set(values) - set(model.model_fields))
    if unknown:
        raise ValveError(
            f"owa-kit: {label} of {action.id} has no field(s) {unknown}; fields: "
            f"{sorted(model.model_fields)}"
        )
    stored = {k: v for k, v in values.items() if v is not None}
    try:
        model(**stored)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}={e.get('input')!r}: {e['msg']}"
            for e in exc.errors()
        )
        raise ValveError(
            f"owa-kit: invalid {what} for {action.id}: {problems}. Open WebUI refuses to save "
            "these; pass values of the declared types."
        ) from None
    return stored


def _secrets(action: LoadedAction, *stores: dict[str, Any]) -> tuple[str, ...]:
    from ._secrets import secret_fields

    out: list[str] = []
    for model, store in zip((action.Valves, action.UserValves), stores, strict=True):
        if model is None:
            continue
        for name in secret_fields(model):
            value = store.get(name)
            if value is None:
                value = model.model_fields[name].default
            if isinstance(value, str) and len(value) >= 3:
                out.append(value)
    return tuple(sorted(set(out), key=len, reverse=True))


def _masked(values: dict[str, Any], secrets: tuple[str, ...]) -> dict[str, Any]:
    return {k: ("••••••" if isinstance(v, str) and v in secrets else v) for k, v in values.items()}


async def _invoke(action: LoadedAction, r: Run, call_id: str, body: dict[str, Any],
                  user: dict[str, Any], model: dict[str, Any], valves: dict[str, Any],
                  user_valves: dict[str, Any], emitter: Any, event_call: Any,
                  timeout: float | None, profile: Profile) -> Any:
    instance = action.instance
    fn = getattr(instance, "action", None)
    if fn is None:
        # Open WebUI returns the request body unchanged
        r.add_finding(finding("OWA105"))
        return body
    if hasattr(instance, "valves") and hasattr(instance, "Valves"):
        try:
            instance.valves = instance.Valves(**valves)
        except Exception as exc:  # outside the route's try: HTTP 400 with pydantic's text
            raise _ActionRaised(exc, detail=str(exc)) from None
    elif valves:
        r.add_finding(finding("OWA501"))
    params: dict[str, Any] = {"body": body}
    sig = inspect.signature(fn)
    if "__model__" in sig.parameters:
        params["__model__"] = model
    if "__id__" in sig.parameters:
        params["__id__"] = call_id
    if "__event_emitter__" in sig.parameters:
        params["__event_emitter__"] = emitter
    if "__event_call__" in sig.parameters:
        params["__event_call__"] = event_call
    if "__request__" in sig.parameters:
        params["__request__"] = r.backend.request
    if "__user__" in sig.parameters:
        user = dict(user)
        if action.UserValves is not None:
            try:
                user["valves"] = action.UserValves(**user_valves)
            except Exception:
                r.add_finding(finding("OWA504"))
        params["__user__"] = user

    async def call() -> Any:
        try:
            if inspect.iscoroutinefunction(fn):
                return await fn(**params)
            result = await asyncio.to_thread(fn, **params)
            if inspect.iscoroutine(result):
                result.close()
                raise TypeError("action returned a coroutine; Open WebUI does not await it")
            return result
        except _Stop:
            raise
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            raise _ActionRaised(exc) from exc

    ctx = contextvars.copy_context()
    ctx.run(activate, r.backend)  # the action's task sees this run's emulated open_webui
    task = asyncio.get_running_loop().create_task(call(), context=ctx)
    start = time.monotonic()
    try:
        while not task.done():
            # time spent waiting for an answer (a human at a dialog) does not count,
            # including the wait still open now
            now = time.monotonic()
            paused = r.paused + (now - r.asking_since if r.asking_since is not None else 0.0)
            left = None if timeout is None else start + paused + timeout - now
            wait = _WAKE if left is None else min(_WAKE, left)
            if wait <= 0:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, _Stop, _ActionRaised):
                    await task
                raise _Stop(ActionTimeoutError(
                    f"owa-kit: {action.id} did not return within timeout={timeout:g} s; "
                    "Open WebUI has no execution timeout, so the click would spin forever. "
                    "Check for a loop or an await that never finishes (or raise timeout=)."
                ))
            await asyncio.wait({task}, timeout=wait)
    except asyncio.CancelledError:
        task.cancel()
        raise
    return task.result()


def _make_emitter(r: Run, fe: Frontend, profile: Profile,
                  saved: Callable[[], dict[str, Any] | None]) -> Callable[[Any], Any]:
    chat = r.chat
    mid = chat.current_id
    temporary = chat.temporary
    by_name = _events.BY_NAME
    loads, dumps = json.loads, json.dumps
    warned: set[str] = set()

    async def __event_emitter__(event: Any) -> None:
        seq = r.next_seq()
        try:
            wire = loads(dumps(event))  # what socket.io would send; also freezes the payload
        except (TypeError, ValueError) as exc:
            r.events.append(Event(seq, None, None, repr(event)))
            r.add_finding(finding("OWA214", index=seq, error=str(exc)))
            raise TypeError(str(exc)) from None
        kind = wire.get("type") if isinstance(wire, dict) else None
        data = wire.get("data") if isinstance(wire, dict) else None
        spec = by_name.get(kind) if isinstance(kind, str) else None
        ev = Event(seq, kind if isinstance(kind, str) else None, data, wire,
                   spec.name if spec else None)
        r.events.append(ev)
        if not isinstance(wire, dict):  # socket/main.py calls event_data.get('type') first
            r.add_finding(finding("OWA207", index=seq, problem="it is not a dict"))
            raise AttributeError(f"'{type(event).__name__}' object has no attribute 'get'")
        if not isinstance(kind, str):
            r.add_finding(finding("OWA207", index=seq, problem="it has no string `type`"))
        elif spec is None:
            _unknown_type(r, kind)
        else:
            _check_event(r, spec, kind, data, warned)
            if spec.effect == "message":
                msg = chat.messages[mid]
                # handleOpenAIError toasts the error text unless the message already had one
                toasts = spec.name == "chat:message:error" and data is not None and not (
                    msg.get("done") and msg.get("error"))
                apply_to_view(msg, spec, data, temporary=temporary)
                if toasts:
                    r.notifications.append({"type": "error", "content": msg["error"]["content"]})
                db = saved()
                if db is not None:  # the server writes after the tab got the event
                    apply_to_saved(db, event)
            elif spec.effect == "toast":
                d = data if isinstance(data, dict) else {}
                shown = d.get("type")
                r.notifications.append({
                    "type": shown if shown in ("success", "error", "warning") else "info",
                    "content": "" if d.get("content") is None else d.get("content")})
            elif spec.name == "chat:title":
                r.title = data if isinstance(data, str) else json.dumps(data)
            elif spec.name == "chat:reload":
                db = saved()
                if db is not None:
                    chat.messages[mid] = dict(db)
        fe.event(r, ev)

    return __event_emitter__


def _unknown_type(r: Run, kind: str) -> None:
    meant = _events.MISTAKEN_TYPES.get(kind)
    if meant == "chat:message:follow_ups":
        r.add_finding(finding("OWA211", type=kind))
    else:
        known = _events.known_types_text()
        if meant:
            known = f"`{meant}` ({known})"
        r.add_finding(finding("OWA201", type=kind, known=known))


def _check_event(r: Run, spec: _events.EventSpec, kind: str, data: Any, warned: set[str]) -> None:
    name = spec.name
    if name == "status" and isinstance(data, dict):
        if "done" not in data:
            r.add_finding(finding("OWA203"))
        elif not isinstance(data["done"], bool):
            r.add_finding(finding("OWA202", value=data["done"]))
        for key in _events.PROGRESS_FIELDS:
            if key in data:
                r.add_finding(finding("OWA205", field=key))
    if (name in ("message", "replace") and kind not in warned
            and r.chat.messages[r.chat.current_id].get("output")):
        warned.add(kind)
        r.add_finding(finding("OWA206", type=kind))
    if spec.effect == "internal":
        r.add_finding(finding("OWA208", type=kind, problem="it is an internal Open WebUI event",
                              hint="do not send it from an action"))
        return
    if spec.effect == "dialog":
        r.add_finding(finding("OWA212", type=kind))
        return
    if name == "chat:title" and not isinstance(data, str):
        r.add_finding(finding("OWA209", kind=type(data).__name__))
    elif name == "chat:tags":
        r.add_finding(finding("OWA210"))
    if spec.persisted and kind != spec.name and not r.chat.temporary:
        r.add_finding(finding("OWA213", type=kind))
    problem = _events.validation_problem(spec, data)
    if problem:
        r.add_finding(finding("OWA208", type=kind, problem=problem,
                              hint=f"send data like {spec.hint}" if spec.hint else "see the docs"))


def _make_event_call(r: Run, fe: Frontend, profile: Profile) -> Callable[[Any], Any]:
    # The tab's dialog keeps an input call's `value` (`data.value ?? ''`) and a later
    # confirmation's Confirm returns it when non-empty (Chat.svelte, frontend-facts Q5):
    # r.tab.input_value, which outlives the run when the caller passes the same owa.Tab.

    async def __event_call__(event: Any) -> Any:
        seq = r.next_seq()
        try:
            wire = json.loads(json.dumps(event))
        except (TypeError, ValueError) as exc:
            r.calls.append(Call(seq, None, None, repr(event)))
            raise TypeError(f"Object is not JSON serializable: {exc}") from None
        kind = wire.get("type") if isinstance(wire, dict) else None
        data = wire.get("data") if isinstance(wire, dict) else None
        call = Call(seq, kind if isinstance(kind, str) else None, data, wire)
        r.calls.append(call)
        if not isinstance(wire, dict):  # socket/main.py calls event_data.get('type') first
            r.add_finding(finding("OWA306", index=seq, problem="it is not a dict"))
            raise AttributeError(f"'{type(event).__name__}' object has no attribute 'get'")
        if not isinstance(kind, str):
            # sent to the tab all the same, which ignores it like an unknown type: it is never
            # answered (socket/main.py:1620-1716, Chat.svelte 1792-1794)
            r.add_finding(finding("OWA306", index=seq, problem="it has no string `type`"))
        elif kind not in profile.answered_call_types:
            r.add_finding(finding("OWA301", type=kind, hint=call_hint(kind)))
        check_call(r, call)
        asked = r.asking_since = time.monotonic()
        try:
            given = await fe.answer(r, call)
            answer = resolve_answer(call, given, profile)
        except (ScriptError, UnansweredCallError) as exc:
            raise _Stop(exc) from None
        finally:
            r.paused += time.monotonic() - asked
            r.asking_since = None
        if kind == "input":
            value = data.get("value") if isinstance(data, dict) else None
            r.tab.input_value = "" if value is None else value
        elif kind == "confirmation" and answer is True and r.tab.input_value:
            r.add_finding(finding("OWA307", index=seq, value=r.tab.input_value))
            answer = r.tab.input_value
        call.given, call.answer, call.answered = given, answer, True
        if (isinstance(answer, str) and len(answer) >= 3 and isinstance(data, dict)
                and input_type(data) == "password"):
            r.secrets = tuple(sorted({*r.secrets, answer}, key=len, reverse=True))
        return answer

    return __event_call__


def _final_findings(r: Run) -> None:
    if r.message.shimmer and r.error is None:
        r.add_finding(finding("OWA204"))
