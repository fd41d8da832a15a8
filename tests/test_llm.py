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
    assert "OWA702" in r.codes
    refused = r.completions.last  # recorded like any request, with what the action got
    assert (refused.model, refused.answered) == ("gpt-4o", True)
    assert "      -> raised Exception('Model not found')" in r.transcript.splitlines()


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


# --- what the action received; saved and replayed --------------------------------------------

BOTH = ("import json", ask(), ask(stream=True).replace("response =", "streamed ="),
        "lines = [line async for line in streamed.body_iterator]",
        'return {"messages": [{"id": body["id"], "content": json.dumps([response, lines])}]}')


def test_each_completion_keeps_what_the_action_received_exactly() -> None:
    r = run(act(*BOTH), llm=["whole", ["str", "eamed"]])
    got_whole, got_lines = json.loads(r.message.text)
    whole_c, stream_c = r.completions
    assert (whole_c.received.kind, whole_c.received.value) == ("json", got_whole)
    assert (stream_c.received.kind, stream_c.received.items) == ("stream", got_lines)


def test_a_stream_read_in_part_is_recorded_as_far_as_the_action_read() -> None:
    a = act(ask(stream=True), '''
        async for line in response.body_iterator:
            break
    ''')
    r = run(a, llm=[["one", "two", "three"]])
    assert len(r.completions.last.received.items) == 1


def save_and_replay(a: owa.LoadedAction, tmp_path: Any, **kw: Any) -> tuple[owa.Run, owa.Run]:
    recorded = run(a, **kw)
    path = owa.llm.save(recorded, tmp_path / "completions.json")
    return recorded, run(a, llm=owa.llm.replay(path))


@pytest.mark.parametrize(("parts", "llm"), [
    (TWO, ["one", "two"]),
    (BOTH, ["whole", ["str", "eamed"]]),
    (("import json", ask(), RETURN_JSON), [owa.llm.error("down")]),
    (("import json", ask(stream=True), RETURN_JSON), [owa.llm.error("down")]),
], ids=["two", "whole-and-stream", "error", "stream-error"])
def test_a_saved_run_replays_with_the_same_transcript_and_result(
        parts: tuple[str, ...], llm: Any, tmp_path: Any) -> None:
    recorded, replayed = save_and_replay(act(*parts), tmp_path, llm=llm)
    assert replayed.ok and replayed.result == recorded.result
    assert replayed.transcript == recorded.transcript
    assert {c.source for c in replayed.completions} == {"replay"}


def test_the_file_holds_each_request_and_reply_and_a_run_replays_directly(tmp_path: Any) -> None:
    recorded = run(act(*TWO), llm=["one", "two"])
    data = json.loads(owa.llm.save(recorded, tmp_path / "c.json").read_text(encoding="utf-8"))
    assert {k: data[k] for k in ("owa_kit", "version", "action", "recorded")} == {
        "owa_kit": "completions", "version": 1, "action": "asks", "recorded": "emulated"}
    assert [c["index"] for c in data["completions"]] == [1, 2]
    assert data["completions"][1]["request"]["messages"][1] == {"role": "user",
                                                                "content": "second"}
    assert data["completions"][1]["received"]["json"]["choices"][0]["message"]["content"] == "two"
    again = run(act(*TWO), llm=owa.llm.replay(recorded))
    assert again.message.text == "one / two"


@pytest.mark.parametrize(("code", "difference"), [
    (ask("Summarize"), r'messages\[1\]\.content was "Summarise" when recorded, now "Summarize"'),
    (ask(extra=', "temperature": 0.5'), r"temperature is new: 0\.5 \(not in the recording\)"),
    (ask(stream=True), r"stream was false when recorded, now true"),
    (ask().replace('body["model"]', '"gpt-4o"'), r'model was "kit_echo" when recorded, now '
                                                 r'"gpt-4o"'),
])
def test_a_changed_request_stops_the_replay_naming_the_completion_and_the_difference(
        code: str, difference: str, tmp_path: Any) -> None:
    path = owa.llm.save(run(whole(ask())), tmp_path / "c.json")
    with pytest.raises(owa.ReplayMismatchError, match=r"completion #1 does not match .*c\.json: "
                       + difference):
        run(whole(code), llm=owa.llm.replay(path))


def test_asking_more_or_less_often_than_recorded_fails(tmp_path: Any) -> None:
    path = owa.llm.save(run(whole(ask("first")), llm=["one"]), tmp_path / "one.json")
    with pytest.raises(owa.MissingReplyError, match=r"completion #2\) and .*one\.json holds 1 "
                                                     r"completion\(s\)"):
        run(act(*TWO), llm=owa.llm.replay(path))
    path = owa.llm.save(run(act(*TWO), llm=["one", "two"]), tmp_path / "two.json")
    with pytest.raises(owa.LeftoverRepliesError, match=r"1 scripted model recorded completion"
                                                       r"\(s\) left unused: \[\"completion #2"):
        run(whole(ask("first")), llm=owa.llm.replay(path))


SECRET = '''"""
title: Keyed
"""
from open_webui.models.users import Users
from open_webui.utils.chat import generate_chat_completion
from pydantic import BaseModel, Field


class Action:
    class Valves(BaseModel):
        api_key: str = Field(default="", json_schema_extra={"input": {"type": "password"}})

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body, __user__=None, __request__=None):
        user = await Users.get_user_by_id(__user__["id"])
        payload = {"model": body["model"], "messages": [
            {"role": "user", "content": f"key={self.valves.api_key}; summarise"}]}
        response = await generate_chat_completion(__request__, payload, user)
        return {"messages": [{"id": body["id"],
                              "content": response["choices"][0]["message"]["content"]}]}
'''


def test_secrets_never_reach_the_file_and_a_masked_request_still_matches(tmp_path: Any) -> None:
    a = owa.load(SECRET, id="keyed")
    recorded = run(a, valves={"api_key": "sk-very-secret"})
    path = owa.llm.save(recorded, tmp_path / "keyed.json")
    text = path.read_text(encoding="utf-8")
    assert "sk-very-secret" not in text and "key=••••••; summarise" in text
    replayed = run(a, valves={"api_key": "sk-very-secret"}, llm=owa.llm.replay(path))
    assert replayed.message.text == "echo: key=••••••; summarise"  # the reply as saved
    with pytest.raises(owa.ReplayMismatchError, match="messages"):
        run(whole(ask()), llm=owa.llm.replay(path))


def written(tmp_path: Any, *completions: dict[str, Any]) -> Any:
    path = tmp_path / "written.json"
    path.write_text(json.dumps({"owa_kit": "completions", "version": 1,
                                "completions": list(completions)}), encoding="utf-8")
    return owa.llm.replay(path)


def request(model: str = "kit_echo", stream: bool = False) -> dict[str, Any]:
    return {"model": model, "stream": stream, "messages": [
        {"role": "system", "content": "Be brief."}, {"role": "user", "content": "Summarise"}]}


OPENAI = {"id": "chatcmpl-9", "object": "chat.completion", "created": 1, "model": "gpt-4o",
          "choices": [{"index": 0, "message": {"role": "assistant", "content": "From GPT."},
                       "finish_reason": "stop"}], "usage": {"total_tokens": 9}}


def test_a_recorded_model_is_known_to_the_replay_and_its_dict_comes_back_as_is(
        tmp_path: Any) -> None:
    r = run(whole(ask().replace('body["model"]', '"gpt-4o"')),
            llm=written(tmp_path, {"request": request("gpt-4o"), "received": {"json": OPENAI}}))
    assert shape_of(r) == OPENAI
    assert '      -> "From GPT."' in r.transcript.splitlines()


RAISES = '''
    try:
        response = await generate_chat_completion(__request__, payload, user)
    except Exception as exc:
        return {"messages": [{"id": body["id"], "content": repr(exc) + " " + str(
            getattr(exc, "status_code", "-"))}]}
'''


@pytest.mark.parametrize(("raised", "text"), [
    ({"type": "HTTPException", "module": "fastapi.exceptions", "args": [401, "Bad key"]},
     "HTTPException(status_code=401, detail='Bad key') 401"),
    ({"type": "RateLimitError", "module": "openai", "args": ["slow down"]},
     "RateLimitError('slow down') -"),
    ({"type": "KeyError", "module": "builtins", "args": ["model"]}, "KeyError('model') -"),
])
def test_a_recorded_exception_is_raised_again(raised: dict[str, Any], text: str,
                                              tmp_path: Any) -> None:
    r = run(act(ask().split("response =")[0], RAISES), llm=written(tmp_path, {"request": request(),
                                              "received": {"raised": raised}}))
    assert r.message.text == text
    assert f"-> raised {raised['type']}(" in r.transcript


def test_a_recorded_response_object_comes_back_with_its_status_and_body(tmp_path: Any) -> None:
    body = '{"error":{"message":"quota"}}'
    code = ('return {"messages": [{"id": body["id"], "content": f"{type(response).__name__} '
            '{response.status_code} {response.body.decode()}"}]}')
    response = {"class": "JSONResponse", "status_code": 429, "media_type": "application/json",
                "body": body}
    r = run(act(ask(), code), llm=written(tmp_path, {"request": request(),
                                                     "received": {"response": response}}))
    assert r.message.text == f"JSONResponse 429 {body}"


@pytest.mark.parametrize(("content", "message"), [
    (None, "no recording at"),
    ("{not json", "is not valid JSON"),
    ('{"completions": []}', 'is not a recording of completions'),
    ('{"owa_kit": "completions", "version": 9}', "is a version 9 recording"),
    ('{"owa_kit": "completions", "version": 1, "completions": [{"request": {}, "received": '
     '{"json": 1, "stream": []}}]}', "completion #1: 'received' must hold exactly one of"),
])
def test_a_file_that_is_not_a_recording_is_a_clear_error(content: str | None, message: str,
                                                          tmp_path: Any) -> None:
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(owa.ScriptError, match=message):
        owa.llm.replay(path)


def test_save_and_replay_say_what_they_take() -> None:
    with pytest.raises(TypeError, match=r"owa.llm.save takes the Run"):
        owa.llm.save("run", "x.json")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"owa.llm.replay takes a Run or the path"):
        owa.llm.replay(42)  # type: ignore[arg-type]


LONG = "Summarize the text the user sends in at most 40 words. Reply with the summary only."


@pytest.mark.parametrize(("now", "said"), [
    ({"model": "m", "messages": [{"content": LONG.replace("40", "12")}]},
     'messages[0].content differs from character 46: recorded …"he user sends in at most 40 '
     'words. Reply with the summary on"…, now …"he user sends in at most 12 words. Reply with '
     'the summary on"…'),
    ({"model": "m", "messages": []}, "messages has 0 item(s), the recording 1"),
    ({"messages": [{"content": LONG}]}, 'model is gone (recorded: "m")'),
    ({"model": "m", "messages": [{"content": LONG}], "stream": True},
     "stream is new: true (not in the recording)"),
    ({"model": "m", "messages": [{"content": LONG}]}, None),
])
def test_the_first_difference_of_a_request_is_said_in_words(now: Any, said: str | None) -> None:
    from owa_kit._replay import request_diff

    assert request_diff({"model": "m", "messages": [{"content": LONG}]}, now) == said
