"""Events and return values applied to the clicked message as the 0.12.4 frontend does."""

from __future__ import annotations

import asyncio
import json
import textwrap
from typing import Any

import pytest

import owa_kit as owa


def emitting(*events: Any, ret: Any = None, id: str = "emit") -> owa.LoadedAction:
    src = textwrap.dedent(f'''
    class Action:
        async def action(self, body, __event_emitter__):
            for e in {list(events)!r}:
                await __event_emitter__(e)
            ret = {ret!r}
            if ret == "ECHO-ID":
                return {{"messages": [{{"id": body["id"], "content": "rewritten"}}]}}
            return ret
    ''')
    return owa.load(src, id=id)


def run(a: owa.LoadedAction, message: Any = "The reply", **kw: Any) -> owa.Run:
    return asyncio.run(owa.run(a, message, **kw))


def st(description: str, done: Any = ..., **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"description": description, **extra}
    if done is not ...:
        data["done"] = done
    return {"type": "status", "data": data}


@pytest.mark.parametrize(("done", "shimmer", "code"), [
    (False, True, "OWA204"),
    (True, False, None),
    (..., False, "OWA203"),
    (0.5, False, "OWA202"),
    (0, False, "OWA202"),
])
def test_status_shimmers_only_for_exact_false(done: Any, shimmer: bool, code: str | None) -> None:
    r = run(emitting(st("Working", done)))
    assert r.message.shimmer is shimmer
    assert r.message.status == ({"description": "Working", "done": done}
                                if done is not ... else {"description": "Working"})
    if code:
        assert code in r.codes


def test_hidden_last_status_hides_the_line_but_keeps_history() -> None:
    r = run(emitting(st("a", True), st("b", True, hidden=True)))
    assert r.message.status is None
    assert len(r.message.status_history) == 2


def test_progress_field_is_flagged() -> None:
    r = run(emitting(st("x", False, progress=40), st("y", True)))
    assert "OWA205" in r.codes


def test_replace_on_output_reply_does_not_change_visible_text() -> None:
    r = run(emitting({"type": "replace", "data": {"content": "NEW"}}))
    assert r.message.content == "NEW"
    assert r.message.text == "The reply"
    assert "OWA206" in r.codes
    assert "content (stored, not shown): NEW" in r.transcript


def test_message_delta_on_legacy_reply_appends_visibly() -> None:
    legacy = owa.chat("Hi", "The reply", output=False)
    r = run(emitting({"type": "message", "data": {"content": " more"}},
                     {"type": "chat:message:delta", "data": {"content": "!"}}), legacy)
    assert r.message.text == "The reply more!"
    assert "OWA206" not in r.codes
    # only the short name is persisted by the server, the alias reaches the DB via the tab save
    assert "OWA213" in r.codes
    assert r.saved is not None and r.saved.content == "The reply more!"


def test_returned_messages_rewrite_output_and_keep_original() -> None:
    r = run(emitting(ret="ECHO-ID"))
    assert r.message.text == "rewritten"
    assert r.message.content == "rewritten"
    assert r.message.original_content == "The reply"
    assert r.saved is not None and r.saved.text == "rewritten"
    assert r.codes == []


def test_returned_unknown_id_saves_nothing() -> None:
    r = run(emitting(st("s", True), ret={"messages": [{"id": "nope", "content": "x"}]}))
    assert "OWA402" in r.codes
    assert r.saved is not None
    assert r.saved.text == "The reply"  # the tab threw: only the server's own writes saved
    assert r.saved.status_history == [{"description": "s", "done": True}]


@pytest.mark.parametrize(("ret", "code"), [
    ({"content": "x"}, "OWA401"),
    ("plain string", "OWA401"),
    ({"status": "cancelled"}, "OWA401"),
    ({"error": "bad", "traceback": "..."}, "OWA406"),
])
def test_ignored_return_shapes_are_findings(ret: Any, code: str) -> None:
    r = run(emitting(ret=ret))
    assert code in r.codes
    assert r.message.text == "The reply"


def test_files_replace_in_saved_chat_and_append_in_temporary() -> None:
    ev = [{"type": "files", "data": {"files": [{"url": "a"}]}},
          {"type": "files", "data": {"files": [{"url": "b"}]}}]
    saved = run(emitting(*ev))
    temp = run(emitting(*ev), owa.chat("Hi", "R", temporary=True))
    assert saved.message.files == [{"url": "b"}]
    assert temp.message.files == [{"url": "a"}, {"url": "b"}]
    assert temp.saved is None


def test_sources_and_code_executions() -> None:
    src = {"source": {"name": "doc"}, "document": ["d"], "metadata": [{"source": "x"}]}
    code = {"type": "code_execution", "id": "c1", "code": "print(1)"}
    r = run(emitting({"type": "citation", "data": src}, {"type": "source", "data": code},
                     {"type": "source", "data": {**code, "result": {"output": "1"}}}))
    assert r.message.sources == [src]
    assert r.message.code_executions == [{**code, "result": {"output": "1"}}]


def test_notification_title_follow_ups_error() -> None:
    r = run(emitting(
        {"type": "notification", "data": {"type": "success", "content": "Saved"}},
        {"type": "chat:title", "data": "New title"},
        {"type": "chat:message:follow_ups", "data": {"follow_ups": ["More?"]}},
        {"type": "chat:message:error", "data": {"error": {"content": "oops"}}},
    ))
    # the error event toasts too (handleOpenAIError; seen in the real tab, test_real_tab.py)
    assert r.notifications == [{"type": "success", "content": "Saved"},
                               {"type": "error", "content": "oops"}]
    assert r.title == "New title"
    assert r.message.follow_ups == ["More?"]
    assert r.message.error == {"content": "oops"}


@pytest.mark.parametrize(("event", "code"), [
    ({"type": "progress", "data": {}}, "OWA201"),
    ({"type": "follow_ups", "data": {"follow_ups": []}}, "OWA211"),
    ({"type": "chat:title", "data": {"title": "T"}}, "OWA209"),
    ({"type": "chat:tags", "data": {"tags": ["a"]}}, "OWA210"),
    ({"data": {}}, "OWA207"),
    ("just a string", "OWA207"),
    ({"type": "replace", "data": {"content": 5}}, "OWA208"),
    ({"type": "confirmation", "data": {"title": "x"}}, "OWA212"),
])
def test_event_mistakes_are_findings(event: Any, code: str) -> None:
    r = run(emitting(event))
    assert code in r.codes, r.transcript


def test_unserialisable_event_raises_inside_the_action() -> None:
    src = textwrap.dedent('''
    class Action:
        async def action(self, body, __event_emitter__):
            await __event_emitter__({"type": "status", "data": {"when": object()}})
    ''')
    r = run(owa.load(src, id="unser"))
    assert isinstance(r.error, TypeError)
    assert "OWA214" in r.codes


def test_inline_html_response_becomes_an_embed() -> None:
    src = textwrap.dedent('''
    from fastapi.responses import HTMLResponse
    class Action:
        async def action(self, body):
            return HTMLResponse("<b>hi</b>", headers={"Content-Disposition": "inline"})
    ''')
    r = run(owa.load(src, id="html"))
    assert r.message.embeds == ["<b>hi</b>"]
    assert r.events.types == ["embeds"]
    assert r.codes == []
    # the HTTP body is a JSON *string* naming the function id, so the tab merges nothing
    assert json.loads(r.http_body) == {
        "status": "success", "code": "ui_component",
        "message": "html: Embedded UI result is active and visible to the user."}
    assert r.http_body.startswith('{\n  "status"')


@pytest.mark.parametrize(("ret", "body"), [
    ("(HTMLResponse('<i>x</i>', headers=INLINE), 'done')", "done"),
    ("(HTMLResponse('<i>x</i>', headers=INLINE), {'k': 1})", '{\n  "k": 1\n}'),
    ("(HTMLResponse('<i>x</i>', headers=INLINE), [1])", '{\n  "results": [\n    1\n  ]\n}'),
    ("('<i>x</i>', {'Content-Disposition': 'inline', 'Content-Type': 'text/html'})",
     None),
])
def test_html_tuples_embed_with_the_context_as_body(ret: str, body: str | None) -> None:
    src = textwrap.dedent(f'''
    from fastapi.responses import HTMLResponse
    INLINE = {{"Content-Disposition": "inline"}}
    class Action:
        async def action(self, body):
            return {ret}
    ''')
    r = run(owa.load(src, id="tup"))
    assert r.message.embeds == ["<i>x</i>"]
    if body is not None:
        assert r.http_body == body
    else:
        assert "tup: Embedded UI result" in r.http_body


@pytest.mark.parametrize(("ret", "detail"), [
    ("(1, 2, 3)", "Error: too many values to unpack (expected 2)"),
    ("(1,)", "Error: not enough values to unpack (expected 2, got 1)"),
    ("{'when': __import__('datetime').date(2026, 1, 1)}",
     "Error: Object of type date is not JSON serializable"),
    ("[{1, 2}]", "Error: Object of type set is not JSON serializable"),
])
def test_returns_the_server_cannot_process_are_http_400(ret: str, detail: str) -> None:
    src = f"class Action:\n    async def action(self, body):\n        return {ret}\n"
    r = run(owa.load(src, id="bad_return"))
    assert r.http_status == 400 and r.http_body == {"detail": detail}
    assert r.message.error == {"content": detail}
    assert "OWA407" not in r.codes  # the action itself did not raise


def test_other_two_tuples_come_back_as_a_json_array() -> None:
    src = "class Action:\n    async def action(self, body):\n        return ('a', {'x': 1})\n"
    r = run(owa.load(src, id="pair"))
    assert r.http_status == 200 and r.http_body == ["a", {"x": 1}]
    assert r.message.embeds is None or r.message.embeds == []


def test_non_dict_event_raises_attribute_error_in_the_action() -> None:
    r = run(emitting("just a string"))
    assert isinstance(r.error, AttributeError)
    assert r.http_body == {"detail": "Error: 'str' object has no attribute 'get'"}


@pytest.mark.parametrize(("event", "text"), [
    ({"type": "message", "data": {}}, "The replyundefined"),
    ({"type": "message"}, "The reply"),  # data null: the tab throws, nothing changes
    ({"type": "message", "data": {"content": 3.0}}, "The reply3"),
])
def test_message_delta_follows_javascript_concatenation(event: Any, text: str) -> None:
    r = run(emitting(event), owa.chat("Hi", "The reply", output=False))
    assert r.message.text == text


def test_message_delta_with_null_data_fails_the_server_write_on_a_saved_chat() -> None:
    r = run(emitting({"type": "message", "data": None}), owa.chat("Hi", "R", output=False))
    assert isinstance(r.error, AttributeError)  # socket/main.py: None.get('content', '')
    r = run(emitting({"type": "message", "data": None}),
            owa.chat("Hi", "R", output=False, temporary=True))
    assert r.error is None  # no database write for a temporary chat


def test_returned_entry_without_content_still_records_original_content() -> None:
    src = textwrap.dedent('''
    class Action:
        async def action(self, body):
            return {"messages": [{"id": body["id"], "followUps": ["x"]}]}
    ''')
    r = run(owa.load(src, id="nocontent2"))
    assert r.message.original_content == "The reply"
    assert r.message.text == "The reply" and r.message.follow_ups == ["x"]


@pytest.mark.parametrize(("data", "shown"), [
    ({"type": "error", "content": "bad"}, {"type": "error", "content": "bad"}),
    ({"type": "danger", "content": "x"}, {"type": "info", "content": "x"}),
    ({"content": None}, {"type": "info", "content": ""}),
    (None, {"type": "info", "content": ""}),
])
def test_notification_falls_back_to_info(data: Any, shown: dict[str, Any]) -> None:
    r = run(emitting({"type": "notification", "data": data}))
    assert r.notifications == [shown]


@pytest.mark.parametrize(("error", "text"), [
    ({"content": "oops"}, "oops"),
    ("plain", "plain"),
    ({"detail": {"message": "deep"}}, "deep"),
    ({"message": "m", "content": "c"}, "m"),
    ([1, 2], "Server connection failed"),
    ({"code": 5}, "Server connection failed"),
])
def test_error_event_text_as_get_error_message(error: Any, text: str) -> None:
    r = run(emitting({"type": "chat:message:error", "data": {"error": error}}))
    assert r.message.error == {"content": text}


def test_error_event_toasts_unless_the_message_already_has_an_error() -> None:
    """handleOpenAIError: ``toast.error`` unless the message is already done with an error;
    null ``data`` throws before it (frontend-facts Q2)."""
    r = run(emitting({"type": "chat:message:error", "data": {"error": "first"}},
                     {"type": "chat:message:error", "data": {"error": "second"}},
                     {"type": "chat:message:error", "data": None}))
    assert r.notifications == [{"type": "error", "content": "first"}]
    assert r.message.error == {"content": "second"}
    r = run(emitting({"type": "chat:message:error", "data": "not an object"}))
    assert r.notifications == [{"type": "error", "content": "Server connection failed"}]


def test_unserialisable_plain_return_is_http_500() -> None:
    r = run(emitting(ret=None, id="ret500"))
    assert r.http_status == 200
    src = "class Action:\n    async def action(self, body):\n        return object()\n"
    r = run(owa.load(src, id="obj"))
    assert r.http_status == 500  # FastAPI's encoder fails after the action route returned
    assert "OWA403" in r.codes


def test_transcript_is_deterministic() -> None:
    a = emitting(st("Working", False), {"type": "message", "data": {"content": "x"}},
                 st("Done", True), ret="ECHO-ID")
    assert run(a).transcript == run(a).transcript


def test_long_delta_streams_fold_in_the_transcript() -> None:
    deltas = [{"type": "message", "data": {"content": "ab"}}] * 50
    r = run(emitting(*deltas), owa.chat("Hi", "", output=False))
    assert "emit message ×50 (100 chars)" in r.transcript
    assert r.message.text == "ab" * 50


def test_set_output_text_appends_a_bare_item_when_there_is_no_message_item() -> None:
    from owa_kit._chat import set_output_text

    reasoning = [{"type": "reasoning", "id": "r1", "summary": []}]
    assert set_output_text(reasoning, "new") == [
        *reasoning,
        {"type": "message", "role": "assistant",
         "content": [{"type": "output_text", "text": "new"}]}]
    two = [{"type": "message", "id": "a", "content": [{"type": "output_text", "text": "x"}]},
           {"type": "message", "id": "b", "content": [{"type": "output_text", "text": "y"}]}]
    assert set_output_text(two, "x\ny") is two  # same text: the same array back
    assert [it["content"] for it in set_output_text(two, "z")] == [
        [], [{"type": "output_text", "text": "z"}]]


@pytest.mark.parametrize(("ret", "toast"), [
    ("HTMLResponse('<b>not inline</b>')",
     "SyntaxError: Unexpected token '<', \"<b>not inl\"... is not valid JSON"),
    ("object()",
     "SyntaxError: Unexpected token 'I', \"Internal S\"... is not valid JSON"),
])
def test_a_body_that_is_not_json_fails_in_the_tab(ret: str, toast: str) -> None:
    src = textwrap.dedent(f'''
    from fastapi.responses import HTMLResponse
    class Action:
        async def action(self, body):
            return {ret}
    ''')
    r = run(owa.load(src, id="notjson"))
    assert r.error is None  # the server side went fine
    assert r.notifications == [{"type": "error", "content": toast}]
    assert r.message.error == {"content": {}}  # an Error object, saved as {}
    assert r.message.embeds in (None, [])


def test_voice_event_sets_meta_voice() -> None:
    r = run(emitting({"type": "chat:message:voice", "data": {"voice": "alloy"}}))
    assert r.message.data["meta"]["voice"] == "alloy"
    r = run(emitting({"type": "chat:message:voice"}))  # null data: the tab throws
    assert "voice" not in (r.message.data.get("meta") or {})
