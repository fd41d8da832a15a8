"""Scripted model replies: ``owa.run(..., llm=...)`` through the emulated
``generate_chat_completion``, in the shapes Open WebUI 0.12.4 returns for a pipe model."""

from __future__ import annotations

import asyncio
import json
import textwrap
from typing import Any

import pytest
from starlette.responses import StreamingResponse

import owa_kit as owa

HEAD = '''"""
title: Asks
"""
from open_webui.models.users import Users, UserModel
from open_webui.utils.chat import generate_chat_completion
'''


def act(*parts: str, id: str = "asks") -> owa.LoadedAction:
    """An action whose body is ``parts`` (each dedented on its own), after getting ``user``."""
    body = "".join(textwrap.dedent(p).strip("\n") + "\n" for p in parts)
    src = HEAD + textwrap.dedent('''
    class Action:
        async def action(self, body, __user__=None, __request__=None, __event_emitter__=None):
            user = await Users.get_user_by_id(__user__["id"])
    ''') + textwrap.indent(body, " " * 8)
    return owa.load(src, id=id)


def run(a: owa.LoadedAction, *args: Any, **kw: Any) -> owa.Run:
    return asyncio.run(owa.run(a, *args, **kw))


def ask(prompt: str = "Summarise", stream: bool = False, extra: str = "") -> str:
    """Action code: one completion; the result is returned whole in ``{"messages": ...}``."""
    return f'''
        payload = {{"model": body["model"], "stream": {stream},
                    "messages": [{{"role": "system", "content": "Be brief."}},
                                 {{"role": "user", "content": {prompt!r}}}]{extra}}}
        response = await generate_chat_completion(__request__, payload, user)
    '''


RETURN_JSON = '''
    if isinstance(response, dict):
        shape = response
    else:
        shape = {"class": type(response).__name__,
                 "lines": [line async for line in response.body_iterator]}
    return {"messages": [{"id": body["id"], "content": json.dumps(shape)}]}
'''


def shape_of(r: owa.Run) -> Any:
    assert r.ok, r.traceback
    return json.loads(r.message.text)


def whole(body: str) -> owa.LoadedAction:
    return act("import json", body, RETURN_JSON)


# --- shapes ----------------------------------------------------------------------------------

def test_echo_is_the_default_and_comes_back_as_a_chat_completion() -> None:
    r = run(whole(ask("Summarise this")))
    got = shape_of(r)
    assert list(got) == ["id", "created", "model", "choices", "object"]  # 0.12.4 key order
    assert got["object"] == "chat.completion" and got["model"] == "kit_echo"
    assert got["id"].startswith("kit_echo-")
    assert got["choices"] == [{"index": 0, "logprobs": None, "finish_reason": "stop",
                               "message": {"role": "assistant",
                                           "content": "echo: Summarise this"}}]
    assert "usage" not in got  # a pipe's reply has none
    assert r.completions.last.source == "echo"


def test_echo_repeats_the_last_message_whatever_its_role() -> None:
    r = run(whole('''
        payload = {"model": body["model"], "messages": [{"role": "user", "content": "hi"},
                                                        {"role": "system", "content": "sys"}]}
        response = await generate_chat_completion(__request__, payload, user)
    '''))
    assert shape_of(r)["choices"][0]["message"]["content"] == "echo: sys"


def test_a_streamed_reply_is_a_streaming_response_of_sse_lines() -> None:
    got = shape_of(run(whole(ask(stream=True)), llm=["Grüße, a short summary."]))
    assert got["class"] == StreamingResponse.__name__
    lines = got["lines"]
    assert [line[:6] for line in lines] == ["data: ", "data: ", "data: "]
    first, last = json.loads(lines[0][6:]), json.loads(lines[1][6:])
    assert lines[0].endswith("\n\n") and lines[2] == "data: [DONE]"
    assert first["object"] == "chat.completion.chunk"
    assert first["choices"][0]["delta"] == {"content": "Grüße, a short summary."}
    assert '"delta":{"content":"Grüße' in lines[0]  # compact, not ASCII-escaped (orjson)
    assert first["choices"][0]["finish_reason"] is None
    assert last["choices"][0] == {"index": 0, "logprobs": None, "finish_reason": "stop",
                                  "delta": {}}


def test_chunks_stream_one_line_each_and_join_when_not_streamed() -> None:
    streamed = shape_of(run(whole(ask(stream=True)), llm=[["Hel", "lo"]]))["lines"]
    deltas = [json.loads(line[6:])["choices"][0]["delta"] for line in streamed[:-1]]
    assert deltas == [{"content": "Hel"}, {"content": "lo"}, {}]
    joined = shape_of(run(whole(ask()), llm=[["Hel", "lo"]]))
    assert joined["choices"][0]["message"]["content"] == "Hello"


def test_a_dict_reply_is_returned_as_is() -> None:
    reply = {"choices": [{"message": {"content": "raw"}}], "usage": {"total_tokens": 3}}
    assert shape_of(run(whole(ask()), llm=[reply])) == reply


# --- model errors ----------------------------------------------------------------------------

@pytest.mark.parametrize("failure", [owa.llm.error("rate limited"),
                                     RuntimeError("rate limited")])
def test_a_model_error_comes_back_as_an_error_dict_not_an_exception(failure: Any) -> None:
    assert shape_of(run(whole(ask()), llm=[failure])) == {"error": {"detail": "rate limited"}}


def test_a_streamed_model_error_is_one_error_line() -> None:
    got = shape_of(run(whole(ask(stream=True)), llm=[owa.llm.error("down")]))
    assert got["lines"] == ['data: {"error":{"detail":"down"}}\n\n']  # orjson: compact


def test_an_action_that_trusts_choices_fails_on_a_model_error_with_a_finding() -> None:
    a = act(ask(), 'return {"messages": [{"id": body["id"], '
            '"content": response["choices"][0]["message"]["content"]}]}')
    r = run(a, llm=[owa.llm.error("overloaded")])
    assert isinstance(r.error, KeyError)
    assert r.http_body == {"detail": "Error: 'choices'"}
    assert "OWA703" in r.codes
    assert '-> model error "overloaded"' in r.transcript


# --- the script: lists, mappings, callables, mistakes ----------------------------------------

TWO = (ask("first"), ask("second").replace("response =", "second ="),
       'return {"messages": [{"id": body["id"], "content": '
       'response["choices"][0]["message"]["content"] + " / " + '
       'second["choices"][0]["message"]["content"]}]}')


@pytest.mark.parametrize(("llm", "text"), [
    (["one", "two"], "one / two"),
    ({"second": "2", "first": "1"}, "1 / 2"),
    (lambda c: c.prompt.upper(), "FIRST / SECOND"),
    (None, "echo: first / echo: second"),
])
def test_replies_come_from_a_list_a_mapping_a_callable_or_the_echo(llm: Any, text: str) -> None:
    r = run(act(*TWO), llm=llm)
    assert r.message.text == text
    assert [c.prompt for c in r.completions] == ["first", "second"]


def test_the_callable_sees_model_messages_stream_and_other_params() -> None:
    seen: list[owa.Completion] = []

    def model(c: owa.Completion) -> str:
        seen.append(c)
        return "ok"

    run(whole(ask(extra=', "temperature": 0.2, "max_tokens": 50')), llm=model)
    c = seen[0]
    assert (c.model, c.stream, c.params) == ("kit_echo", False,
                                             {"temperature": 0.2, "max_tokens": 50})
    assert [m["role"] for m in c.messages] == ["system", "user"]


def test_a_missing_reply_stops_the_run_at_once_even_inside_try_except() -> None:
    a = act(ask(), '''
        try:
            again = await generate_chat_completion(__request__, payload, user)
        except Exception:
            return {"messages": [{"id": body["id"], "content": "swallowed"}]}
    ''')
    with pytest.raises(owa.MissingReplyError) as info:
        run(a, llm=["only one"])
    assert "completion #2" in str(info.value) and "llm= has no reply left" in str(info.value)
    assert info.value.run.completions[1].answered is False  # type: ignore[attr-defined]
    assert isinstance(info.value, owa.ScriptError)


def test_a_mapping_without_the_prompt_names_the_prompt_and_the_keys() -> None:
    with pytest.raises(owa.MissingReplyError, match=r"'Summarise'.*keys: 'other'"):
        run(whole(ask()), llm={"other": "x"})


@pytest.mark.parametrize(("llm", "left"), [(["a", "b"], "['b']"), ({"Summarise": "a",
                                                                    "unused": "b"}, "['unused']")])
def test_leftover_replies_fail_the_run(llm: Any, left: str) -> None:
    with pytest.raises(owa.LeftoverRepliesError) as info:
        run(whole(ask()), llm=llm)
    assert left in str(info.value)


@pytest.mark.parametrize(("llm", "text"), [
    (42, "llm=42 is not a script of replies"),
    ([42], "the reply for completion #1 is 42"),
    (lambda c: 1 / 0, "the llm= callable raised ZeroDivisionError"),
])
def test_script_mistakes_are_script_errors_with_the_fix(llm: Any, text: str) -> None:
    with pytest.raises(owa.ScriptError, match=text):
        run(whole(ask()), llm=llm)


# --- what 0.12.4 checks before the model answers ---------------------------------------------

def test_an_unknown_model_is_model_not_found_with_a_finding() -> None:
    a = act('''
        payload = {"model": "gpt-4o", "messages": [{"role": "user", "content": "x"}]}
        await generate_chat_completion(__request__, payload, user)
    ''')
    r = run(a)
    assert str(r.error) == "Model not found"
    assert "OWA702" in r.codes and not r.completions


def test_a_user_dict_fails_on_role_unless_the_filter_is_bypassed() -> None:
    code = '''
        payload = {"model": body["model"], "messages": [{"role": "user", "content": "x"}]}
        response = await generate_chat_completion(__request__, payload, __user__BYPASS)
        return {"messages": [{"id": body["id"],
                              "content": response["choices"][0]["message"]["content"]}]}
    '''
    r = run(act(code.replace("BYPASS", "")))
    assert str(r.error) == "'dict' object has no attribute 'role'"
    assert "OWA705" in r.codes
    r = run(act(code.replace("BYPASS", ", bypass_filter=True")))
    assert r.message.text == "echo: x"


def test_a_plain_user_has_no_access_to_a_pipe_without_a_workspace_row() -> None:
    r = run(whole(ask()), user={"role": "user"})
    assert str(r.error) == "Model not found"


# --- the record ------------------------------------------------------------------------------

def test_the_transcript_shows_each_request_and_reply_in_order() -> None:
    a = act('await __event_emitter__({"type": "status", "data": {"description": "asking", '
            '"done": False}})', ask("Long " * 60, extra=', "temperature": 0'))
    r = run(a, llm=["Short."])
    lines = r.transcript.splitlines()
    start = lines.index('  2 model kit_echo {"temperature": 0}')
    assert lines[start + 1] == "      system: Be brief."
    assert lines[start + 2].endswith("… (+140 chars)")
    assert lines[start + 3] == '      -> "Short."'
    assert lines[start - 1].startswith("  1 emit status")
    assert r.completions.call_count == 1 and r.completions.last.reply == "Short."
