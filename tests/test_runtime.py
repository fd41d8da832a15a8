"""The emulated ``chat_action``: parameters, event calls, errors, timeouts, valves."""

from __future__ import annotations

import asyncio
import textwrap
import time
from typing import Any

import pytest

import owa_kit as owa

HEAD = '''"""
title: Demo
"""
from pydantic import BaseModel, Field
'''


def act(body: str, *, header: str = "", id: str = "demo") -> owa.LoadedAction:
    """Load an action whose ``action`` method body is ``body`` (async, all params)."""
    src = HEAD + textwrap.dedent(header) + textwrap.dedent('''
    class Action:
        class Valves(BaseModel):
            prefix: str = Field(default="P", description="a prefix")
            priority: int = 0
        def __init__(self):
            self.valves = self.Valves()
        async def action(self, body, __user__=None, __event_emitter__=None,
                         __event_call__=None, __id__=None, __model__=None):
    ''') + textwrap.indent(textwrap.dedent(body), " " * 8)
    return owa.load(src, id=id)


def run(a: owa.LoadedAction, *args: Any, **kw: Any) -> owa.Run:
    return asyncio.run(owa.run(a, *args, **kw))


# --- event calls ---------------------------------------------------------------------------

CALLS = [
    # (call data, scripted answer, what the action receives)
    ({"type": "confirmation", "data": {"title": "Go?", "message": "sure"}}, True, True),
    ({"type": "confirmation", "data": {"title": "Go?", "message": "sure"}}, False, False),
    ({"type": "confirmation", "data": {}}, owa.answers.cancel(), False),
    ({"type": "input", "data": {"title": "Name"}}, "Ada Lovelace", "Ada Lovelace"),
    ({"type": "input", "data": {"title": "Name"}}, "", ""),
    ({"type": "input", "data": {"title": "Name", "value": "pre"}}, True, "pre"),
    ({"type": "input", "data": {"title": "Name"}}, True, ""),
    ({"type": "input", "data": {"title": "Name"}}, False, False),
    ({"type": "input", "data": {"type": "password"}}, "s3cret", "s3cret"),
    ({"type": "input", "data": {"type": "select", "options": ["a", "b"]}}, "b", "b"),
    ({"type": "input", "data": {"type": "select",
                                "options": [{"label": "A", "value": "x"}]}}, "x", "x"),
    ({"type": "input", "data": {"type": "select", "options": ["a", "b"]}}, True, ""),
    ({"type": "input", "data": {"type": "select", "options": ["a", "b"], "value": "b"}}, True,
     "b"),
    ({"type": "execute", "data": {"code": "return 6*7"}}, 42, 42),
    ({"type": "execute", "data": {"code": "return {a: 1}"}}, {"a": 1}, {"a": 1}),
    ({"type": "confirmation", "data": {}}, owa.answers.timeout(),
     {"error": "Event call timed out. The browser tab may be inactive or closed."}),
    ({"type": "input", "data": {}}, owa.answers.disconnect(),
     {"error": "Client session disconnected."}),
]


@pytest.mark.parametrize(("call", "given", "received"), CALLS)
def test_event_call_returns_what_open_webui_returns(call: Any, given: Any, received: Any) -> None:
    a = act(f"""
        self.got = await __event_call__({call!r})
        return None
    """)
    r = run(a, answers=[given])
    assert a.instance.got == received
    assert r.calls.last.answer == received
    assert r.calls.last.type == call["type"]


def test_select_answer_must_be_an_option() -> None:
    a = act("""
        return await __event_call__({"type": "input", "data": {"type": "select", "options": ["a"]}})
    """)
    with pytest.raises(owa.ScriptError, match=r"'z' is not an option .* options: \['a'\]"):
        run(a, answers=["z"])


def test_confirmation_rejects_text_answer() -> None:
    a = act('return await __event_call__({"type": "confirmation", "data": {}})')
    with pytest.raises(owa.ScriptError, match="does not fit a confirmation"):
        run(a, answers=["yes"])


def test_callable_answer_receives_the_call() -> None:
    a = act('return await __event_call__({"type": "input", "data": {"title": "T"}})')
    r = run(a, answers=[lambda call: call.data["title"] * 2])
    assert r.calls.last.answer == "TT"


@pytest.mark.parametrize("kind", ["select", "confirm", "prompt"])
def test_unanswered_call_type_stops_the_run_instead_of_hanging(kind: str) -> None:
    a = act(f"""
        try:
            await __event_call__({{"type": "{kind}", "data": {{"title": "x"}}}})
        except Exception:
            pass  # a broad except must not swallow the kit's stop
        self.reached = True
    """)
    start = time.monotonic()
    r = run(a, timeout=10)
    assert time.monotonic() - start < 5
    assert isinstance(r.error, owa.UnansweredCallError)
    assert f"type {kind!r}, which Open WebUI 0.12.4 never answers" in str(r.error)
    assert "OWA301" in r.codes
    assert not hasattr(a.instance, "reached")
    assert "(never answered)" in r.transcript


def test_unanswered_call_type_gets_timeout_dict_when_scripted() -> None:
    a = act("""
        return {"got": await __event_call__({"type": "select", "data": {}})}
    """)
    r = run(a, answers=[owa.answers.timeout()])
    assert r.result == {"got": {"error": "Event call timed out. The browser tab may be "
                                         "inactive or closed."}}
    assert "OWA301" in r.codes


def test_missing_answer_raises_at_once() -> None:
    a = act("""
        await __event_call__({"type": "confirmation", "data": {"title": "one"}})
        await __event_call__({"type": "input", "data": {"title": "two"}})
    """)
    with pytest.raises(owa.MissingAnswerError) as info:
        run(a, answers=[True])
    assert str(info.value).startswith(
        'owa-kit: no scripted answer left for event call #2 input {"title": "two"}')


def test_leftover_answers_raise_with_the_run_attached() -> None:
    a = act('await __event_call__({"type": "confirmation", "data": {}})')
    with pytest.raises(owa.LeftoverAnswersError, match=r"1 scripted answer\(s\) left unused: "
                                                       r"\['extra'\]") as info:
        run(a, answers=[True, "extra"])
    assert info.value.run.calls.call_count == 1  # type: ignore[attr-defined]


def test_leftover_after_a_failure_names_the_failure_once() -> None:
    a = act('await __event_call__({"type": "confirm", "data": {}})')
    with pytest.raises(owa.LeftoverAnswersError) as info:
        run(a, answers=[True, True])
    text = str(info.value)
    assert "before it failed with UnansweredCallError" in text
    assert "for this call. Remove the extra answers" in text  # one full stop


def test_malformed_call_is_reported() -> None:
    a = act('await __event_call__("confirm please")')
    r = run(a)
    # the server calls event_data.get('type') first (checked against 0.12.4 by conformance)
    assert isinstance(r.error, AttributeError)
    assert r.http_body == {"detail": "Error: 'str' object has no attribute 'get'"}
    assert "OWA306" in r.codes


def test_a_call_without_type_is_never_answered_but_can_time_out() -> None:
    a = act('return await __event_call__({"data": {}})')
    assert isinstance(run(a).error, owa.UnansweredCallError)
    r = run(a, answers=[owa.answers.timeout()])
    assert r.result == {"error": "Event call timed out. The browser tab may be inactive or "
                                 "closed."}
    assert "OWA306" in r.codes


# --- errors and timeouts ---------------------------------------------------------------------

def test_exception_inside_action_is_run_error_with_traceback() -> None:
    a = act("""
        raise ValueError("boom")
    """)
    r = run(a)
    assert type(r.error) is ValueError
    assert r.http_status == 400
    assert r.http_body == {"detail": "Error: boom"}
    assert r.message.error == {"content": "Error: boom"}
    assert 'raise ValueError("boom")' in r.traceback
    assert "HTTP 400: Error: boom" in r.transcript
    assert r.notifications[-1] == {"type": "error", "content": "Error: boom"}


def test_key_error_detail_matches_python_str() -> None:
    r = run(act('return body["nope"]'))
    assert r.http_body == {"detail": "Error: 'nope'"}


def test_action_that_never_returns_stops_at_timeout() -> None:
    a = act("""
        import asyncio
        await asyncio.Event().wait()
    """)
    start = time.monotonic()
    r = run(a, timeout=0.5)
    assert 0.4 < time.monotonic() - start < 3
    assert isinstance(r.error, owa.ActionTimeoutError)
    assert "did not return within timeout=0.5 s" in str(r.error)


class SlowHuman(owa.ScriptedFrontend):
    """Answers each call after ``delay`` seconds, like a person reading a dialog."""

    def __init__(self, answers: list[Any], delay: float) -> None:
        super().__init__(answers)
        self.delay = delay

    async def answer(self, run: owa.Run, call: owa.Call) -> Any:
        await asyncio.sleep(self.delay)
        return await super().answer(run, call)


def test_time_at_an_open_dialog_does_not_count_towards_timeout() -> None:
    a = act("""
        ok = await __event_call__({"type": "confirmation", "data": {"title": "t"}})
        return {"ok": ok}
    """)
    r = run(a, timeout=0.3, frontend=SlowHuman([True], delay=0.8))
    assert r.error is None and r.result == {"ok": True}
    assert r.paused >= 0.8 and r.asking_since is None


def test_background_frontend_returns_at_once_and_the_task_finishes_the_run() -> None:
    a = act("""
        ok = await __event_call__({"type": "confirmation", "data": {"title": "t"}})
        return {"ok": ok}
    """)

    class Background(SlowHuman):
        background = True

    async def main() -> tuple[bool, owa.Run]:
        r = await owa.run(a, frontend=Background([True], delay=0.2))
        done_at_return = r.task is not None and r.task.done()
        assert r.task is not None
        assert await r.task is r
        return done_at_return, r

    done_at_return, r = asyncio.run(main())
    assert done_at_return is False
    assert r.result == {"ok": True}


def test_typed_password_never_reaches_the_transcript() -> None:
    a = act("""
        key = await __event_call__({"type": "input", "data": {"type": "password"}})
        await __event_emitter__({"type": "status", "data": {"description": f"using {key}",
                                                             "done": True}})
        return {"messages": [{"id": body["id"], "content": "key " + key}]}
    """)
    r = run(a, answers=["hunter2-pw"])
    assert r.calls[0].answer == "hunter2-pw"  # the action and the test see the real value
    assert "hunter2-pw" not in r.transcript
    assert "••••••" in r.transcript


def test_confirmation_after_input_with_value_returns_that_value() -> None:
    a = act("""
        name = await __event_call__({"type": "input", "data": {"title": "n", "value": "Ada"}})
        ok = await __event_call__({"type": "confirmation", "data": {"title": "sure?"}})
        return {"got": [name, ok]}
    """)
    r = run(a, answers=["Grace", True])
    assert r.result == {"got": ["Grace", "Ada"]}
    assert "OWA307" in r.codes
    r = run(a, answers=["Grace", False])
    assert r.result == {"got": ["Grace", False]} and "OWA307" not in r.codes


def test_the_stale_input_value_outlives_a_click_in_the_same_tab() -> None:
    pick = act("""
        s = await __event_call__({"type": "input", "data": {"type": "select",
                                  "options": ["formal", "simple"], "value": "formal"}})
        return {"messages": [{"id": body["id"], "content": str(s)}]}
    """, id="pick")
    confirm = act("""
        ok = await __event_call__({"type": "confirmation", "data": {"title": "sure?"}})
        return {"got": ok}
    """, id="confirm")
    tab = owa.Tab()
    run(pick, answers=[True], tab=tab)
    assert tab.input_value == "formal"
    r = run(confirm, answers=[True], tab=tab)  # another action, later, in the same tab
    assert r.result == {"got": "formal"} and "OWA307" in r.codes
    assert run(confirm, answers=[True]).result == {"got": True}  # a fresh tab per run


def test_sync_action_runs_and_is_flagged() -> None:
    src = HEAD + textwrap.dedent('''
    class Action:
        def action(self, body):
            return {"n": len(body["messages"])}
    ''')
    r = run(owa.load(src, id="syncy"))
    assert r.result == {"n": 2}


def test_action_without_body_param_fails_like_open_webui() -> None:
    src = HEAD + "class Action:\n    async def action(self):\n        return 1\n"
    r = run(owa.load(src, id="nobody"))
    assert isinstance(r.error, TypeError)
    assert r.http_status == 400
    assert "unexpected keyword argument 'body'" in r.http_body["detail"]


# --- parameters -------------------------------------------------------------------------------

def test_params_injected_by_name_only() -> None:
    src = HEAD + textwrap.dedent('''
    class Action:
        class UserValves(BaseModel):
            shout: bool = False
        async def action(self, body, __user__, __id__, __model__, __request__, **kwargs):
            return {"user_keys": sorted(__user__), "id": __id__, "kwargs": sorted(kwargs),
                    "shout": __user__["valves"].shout, "actions": __model__["actions"],
                    "valves_type": type(__user__["valves"]).__name__,
                    "models": sorted(__request__.app.state.MODELS)}
    ''')
    r = run(owa.load(src, id="params"), user_valves={"shout": True})
    res = r.result
    assert res["kwargs"] == []
    assert res["id"] == "params"
    assert res["shout"] is True and res["valves_type"] == "UserValves"
    assert {"id", "email", "name", "role", "valves", "settings"} <= set(res["user_keys"])
    assert res["actions"][0]["id"] == "params"
    assert res["models"] == ["kit_echo"]


def test_sub_action_id_and_choice() -> None:
    src = HEAD + textwrap.dedent('''
    class Action:
        actions = [{"id": "one", "name": "First"}, {"id": "two"}]
        async def action(self, body, __id__=None):
            return {"id": __id__}
    ''')
    a = owa.load(src, id="multi")
    assert run(a, sub_action="two").result == {"id": "two"}
    with pytest.raises(owa.ScriptError, match=r"has sub-actions \['one', 'two'\]"):
        run(a)
    with pytest.raises(owa.ScriptError, match="no sub-action 'three'"):
        run(a, sub_action="three")


def test_body_is_the_branch_ending_with_the_clicked_message() -> None:
    a = act("return body")
    c = owa.chat("Q1", "A1", "Q2", "A2")
    r = run(a, c)
    body = r.result
    assert set(body) == {"model", "messages", "chat_id", "session_id", "id"}
    assert [m["content"] for m in body["messages"]] == ["Q1", "A1", "Q2", "A2"]
    assert body["messages"][-1]["id"] == body["id"]
    assert list(body["messages"][0]) == ["id", "role", "content", "timestamp"]


# --- valves -----------------------------------------------------------------------------------

def test_stored_valves_applied_on_every_click() -> None:
    a = act("""
        seen = self.valves.prefix
        self.valves.prefix = "mutated"
        return {"prefix": seen}
    """)
    assert run(a, valves={"prefix": "X"}).result == {"prefix": "X"}
    # nothing stored: Valves() again, so the mutation does not survive (as in Open WebUI)
    assert run(a).result == {"prefix": "P"}


def test_invalid_valve_raises_kit_error() -> None:
    a = act("return 1")
    with pytest.raises(owa.ValveError, match=r"invalid valves for demo: priority='high'"):
        run(a, valves={"priority": "high"})
    with pytest.raises(owa.ValveError, match=r"has no field\(s\) \['prefx'\]"):
        run(a, valves={"prefx": "x"})


def test_instance_state_persists_between_runs() -> None:
    a = act("""
        self.count = getattr(self, "count", 0) + 1
        return {"count": self.count}
    """, id="counter")
    assert run(a).result == {"count": 1}
    assert run(a).result == {"count": 2}


def test_secret_valve_never_in_transcript() -> None:
    src = HEAD + textwrap.dedent('''
    class Action:
        class Valves(BaseModel):
            api_key: str = ""
        def __init__(self):
            self.valves = self.Valves()
        async def action(self, body, __event_emitter__):
            await __event_emitter__({"type": "status",
                                     "data": {"description": "key " + self.valves.api_key}})
            return {"echo": self.valves.api_key}
    ''')
    r = run(owa.load(src, id="secret"), valves={"api_key": "sk-very-secret"})
    assert r.result == {"echo": "sk-very-secret"}
    assert "sk-very-secret" not in r.transcript
    assert "api_key=\"••••••\"" in r.transcript
