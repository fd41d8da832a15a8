"""Events and return values applied to the clicked message as the 0.12.4 frontend does."""

from __future__ import annotations

import asyncio
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
    assert r.notifications == [{"type": "success", "content": "Saved"}]
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
    pytest.importorskip("fastapi")
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


def test_unserialisable_return_is_http_500() -> None:
    r = run(emitting(ret=None, id="ret500"))
    assert r.http_status == 200
    src = "class Action:\n    async def action(self, body):\n        return object()\n"
    r = run(owa.load(src, id="obj"))
    assert r.http_status == 500
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
