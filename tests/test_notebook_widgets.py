"""The notebook front without a kernel: chat view, dialogs, and the widget front-end."""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

import ipywidgets as W
import pytest

import owa_kit as owa
from owa_kit.notebook import WidgetFrontend
from owa_kit.notebook._chatview import ChatView, render
from owa_kit.notebook._dialogs import (
    ConfirmationDialog,
    ExecuteDialog,
    InputDialog,
    UnansweredDialog,
    select_options,
)
from owa_kit.notebook._frontend import PANEL_REPR, given_answers

HEAD = '''"""
title: Widget Demo
"""
from pydantic import BaseModel, Field
'''


def act(body: str, header: str = "") -> owa.LoadedAction:
    src = HEAD + textwrap.dedent(header) + textwrap.dedent('''
    class Action:
        async def action(self, body, __event_emitter__=None, __event_call__=None, __user__=None):
    ''') + textwrap.indent(textwrap.dedent(body), " " * 8)
    return owa.load(src, id="wdemo")


def play(a: owa.LoadedAction, answers: list[Any] = (), mode: str = "scripted",
         human: Callable[[WidgetFrontend], Any] | None = None,
         **kw: Any) -> tuple[owa.Run, WidgetFrontend]:
    fe = WidgetFrontend(list(answers), mode, display_panel=False)

    async def main() -> owa.Run:
        if human is None:
            return await owa.run(a, "The reply", frontend=fe, **kw)
        task = asyncio.ensure_future(_human(fe, human))
        try:
            return await owa.run(a, "The reply", frontend=fe, **kw)
        finally:
            task.cancel()

    return asyncio.run(main()), fe


async def _human(fe: WidgetFrontend, human: Callable[[WidgetFrontend], Any]) -> None:
    while True:
        await asyncio.sleep(0.01)
        if fe.dialog is not None and not getattr(fe.dialog, "_seen", False):
            fe.dialog._seen = True
            human(fe)


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """Every widget message that would reach the front-end."""
    out: list[dict[str, Any]] = []
    original = W.Widget._send

    def spy(self: Any, msg: dict[str, Any], buffers: Any = None) -> None:
        out.append(msg)
        original(self, msg, buffers)

    monkeypatch.setattr(W.Widget, "_send", spy)
    yield out


# --- chat view -------------------------------------------------------------------------------

STATUS_CASES = [
    # (statuses, shown text, shimmers)
    ([{"description": "Working", "done": False}], "Working", True),
    ([{"description": "Working"}], "Working", False),  # done omitted: static
    ([{"description": "Half", "done": 0.5}], "Half", False),
    ([{"description": "Zero", "done": 0}], "Zero", False),
    ([{"description": "a", "done": False}, {"description": "b", "done": True}], "b", False),
    ([{"description": "a", "done": False}, {"description": "x", "hidden": True}], None, False),
]


@pytest.mark.parametrize(("statuses", "text", "shimmer"), STATUS_CASES)
def test_status_line_follows_open_webui(statuses: list[Any], text: str | None,
                                        shimmer: bool) -> None:
    emits = "".join(f"await __event_emitter__({{'type': 'status', 'data': {s!r}}})\n"
                    for s in statuses)
    _run, fe = play(act(emits))
    part = fe.view.parts["status"].value
    if text is None:
        assert part == ""
    else:
        assert text in part
        assert ("owa-shimmer" in part) is shimmer


def test_status_history_lists_only_visible_entries() -> None:
    _run, fe = play(act("""
        for s in [{"description": "one", "done": False}, {"description": "secret", "hidden": True,
                  "done": False}, {"description": "three", "done": True}]:
            await __event_emitter__({"type": "status", "data": s})
    """))
    history = fe.view.parts["history"].value
    assert "one" in history and "three" in history and "secret" not in history
    assert fe.view.toggle.layout.display == ""
    assert fe.view.parts["history"].layout.display == "none"
    fe.view.toggle.value = True
    assert fe.view.parts["history"].layout.display == ""


def test_content_is_markdown_with_html_escaped() -> None:
    _run, fe = play(act("""
        return {"messages": [{"id": body["id"],
                "content": "# Title\\n**bold** <script>alert(1)</script> [x](javascript:y)"}]}
    """))
    html = fe.view.parts["content"].value
    assert "<h1>Title</h1>" in html and "<strong>bold</strong>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_extras_sources_files_embeds_follow_ups_error_toasts_title() -> None:
    _run, fe = play(act("""
        e = __event_emitter__
        await e({"type": "citation", "data": {"source": {"name": "Doc A", "url": "https://a.example"},
                 "document": ["x"], "metadata": [{"source": "a"}]}})
        await e({"type": "files", "data": {"files": [{"type": "image", "url": "https://i/x.png"},
                 {"type": "file", "name": "report.pdf"}]}})
        await e({"type": "embeds", "data": {"embeds": ["<b onclick='x()'>hi</b>"]}})
        await e({"type": "chat:message:follow_ups", "data": {"follow_ups": ["More?"]}})
        await e({"type": "notification", "data": {"type": "success", "content": "Saved"}})
        await e({"type": "chat:title", "data": "My title"})
        await e({"type": "chat:message:error", "data": {"error": {"content": "Boom"}}})
    """))
    p = {k: w.value for k, w in fe.view.parts.items()}
    assert "Doc A" in p["sources"] and 'href="https://a.example"' in p["sources"]
    assert '<img src="https://i/x.png"' in p["files"] and "report.pdf" in p["files"]
    assert 'sandbox="allow-scripts' in p["embeds"] and "srcdoc=" in p["embeds"]
    assert "allow-same-origin" not in p["embeds"]
    assert "&lt;b onclick=" in p["embeds"]  # escaped into the attribute, not live in the page
    assert "More?" in p["follow_ups"]
    assert "owa-toast-success" in p["toasts"] and "Saved" in p["toasts"]
    assert "My title" in p["title"]
    assert "Boom" in p["error"] and "owa-error" in p["error"]


def test_secrets_never_reach_the_view() -> None:
    a = owa.load(HEAD + textwrap.dedent('''
    class Action:
        class Valves(BaseModel):
            api_key: str = "sk-default"
        def __init__(self):
            self.valves = self.Valves()
        async def action(self, body, __event_emitter__=None):
            await __event_emitter__({"type": "notification", "data": {
                "type": "info", "content": "key " + self.valves.api_key}})
    '''), id="sec")
    _run, fe = play(a, valves={"api_key": "sk-live-123"})
    everything = " ".join(w.value for w in fe.view.parts.values()) + fe.footer.value
    assert "sk-live-123" not in everything and "••••••" in everything


def test_panel_text_plain_is_constant() -> None:
    _run, fe = play(act("return None"))
    assert repr(fe.panel) == PANEL_REPR
    assert fe.panel._repr_mimebundle_()["text/plain"] == PANEL_REPR


def test_ten_thousand_deltas_are_coalesced(sent: list[dict[str, Any]]) -> None:
    run, fe = play(act("""
        for i in range(10_000):
            await __event_emitter__({"type": "message", "data": {"content": "x"}})
    """))
    updates = [m for m in sent if m.get("method") == "update"]
    assert len(updates) <= 300, len(updates)
    assert fe.view.renders <= 300
    assert run.message.content.endswith("x" * 10_000)


def test_view_flushes_immediately_then_throttles() -> None:
    view = ChatView()
    a = act("return None")
    run, _ = play(a)
    view.interval = 10.0
    view.request(run)
    first = view.renders
    assert first > 0
    view.request(run)  # no running loop: renders synchronously, nothing changed
    assert view.renders == first
    assert render(run)["content"] == view.parts["content"].value


# --- dialogs ---------------------------------------------------------------------------------

def call(kind: str, data: dict[str, Any]) -> owa.Call:
    return owa.Call(1, kind, data, {"type": kind, "data": data})


def clicked(dialog: Any, action: Callable[[], None]) -> list[Any]:
    got: list[Any] = []
    dialog.bind(got.append)
    action()
    return got


def test_confirmation_dialog_is_labelled_like_open_webui() -> None:
    d = ConfirmationDialog(call("confirmation", {"title": "Sure?", "message": "Really **do** it"}))
    assert (d.cancel.description, d.confirm.description) == ("Cancel", "Confirm")
    assert "<b>Sure?</b>" in d.head.value and "<strong>do</strong>" in d.head.value
    assert clicked(d, d.confirm.click) == [True]
    assert clicked(d, d.cancel.click) == [False]
    assert "owa-dialog" in d.box._dom_classes


def test_untouched_select_shows_a_placeholder_worth_empty_string() -> None:
    d = InputDialog(call("input", {"type": "select", "options": ["a"], "placeholder": "Pick"}))
    assert d.field._options_labels == ("Pick", "a") and d.field.value == ""
    assert clicked(d, d.confirm.click) == [""]
    d = InputDialog(call("input", {"type": "select", "options": ["a"]}))
    assert d.field._options_labels[0] == "Select an option"


@pytest.mark.parametrize(("data", "widget", "initial"), [
    ({"title": "Name", "placeholder": "Ada", "value": "pre"}, W.Textarea, "pre"),
    ({"type": "password"}, W.Password, ""),
    ({"input": {"type": "password"}}, W.Password, ""),
    ({"type": "select", "options": ["a", "b"]}, W.Dropdown, ""),
    ({"type": "select", "options": [{"label": "Alpha", "value": "x"}, {"value": "y"}],
      "value": "y"}, W.Dropdown, "y"),
    ({"input": {"type": "select", "options": ["p", "q"]}}, W.Dropdown, ""),
])
def test_input_dialog_widgets(data: dict[str, Any], widget: type, initial: str) -> None:
    d = InputDialog(call("input", data))
    assert isinstance(d.field, widget)
    assert d.field.value == initial
    if isinstance(d.field, W.Textarea):
        assert d.field.placeholder == "Ada" and d.field.rows == 3
        assert d.field.continuous_update is False


def test_select_options_accept_strings_and_label_value() -> None:
    assert select_options({"options": ["a", {"label": "B", "value": "b"}, {"value": "c"}]}) == [
        ("a", "a"), ("B", "b"), ("c", "c")]
    d = InputDialog(call("input", {"type": "select",
                                   "options": [{"label": "Alpha", "value": "x"}]}))
    assert d.field._options_labels == ("Select an option", "Alpha")
    d.field.value = "x"
    assert clicked(d, d.confirm.click) == ["x"]


def test_password_is_masked_and_cleared_on_close() -> None:
    d = InputDialog(call("input", {"type": "password"}), prefill="s3cret")
    assert d.field.value == "s3cret"
    assert "s3cret" not in d.note.value
    d.close()
    assert d.field.value == ""


def test_execute_dialog_takes_json_and_rejects_garbage() -> None:
    d = ExecuteDialog(call("execute", {"code": "return 6*7"}))
    assert "return 6*7" in d.head.value
    assert d.confirm.description == "Return value"
    d.field.value = '{"a": [1, 2]}'
    assert clicked(d, d.confirm.click) == [{"a": [1, 2]}]
    d.field.value = "{oops"
    assert clicked(d, d.confirm.click) == []
    assert "owa-kit: not JSON" in d.note.value


def test_unanswered_dialog_offers_timeout_disconnect_stop() -> None:
    d = UnansweredDialog(call("select", {"options": ["a"]}))
    assert "never answered" in d.head.value and "hang" in d.head.value
    assert [b.description for b in d.box.children[-1].children] == [
        "Simulate timeout", "Simulate disconnect", "Stop the run"]
    assert clicked(d, d.timeout.click) == [owa.answers.timeout()]


# --- the front-end, scripted and interactive ------------------------------------------------

ASK = """
ok = await __event_call__({"type": "confirmation", "data": {"title": "Go?", "message": "m"}})
name = await __event_call__({"type": "input", "data": {"title": "Name", "value": "init"}})
pick = await __event_call__({"type": "input", "data": {"type": "select", "options": ["a", "b"]}})
js = await __event_call__({"type": "execute", "data": {"code": "return 1"}})
return {"got": [ok, name, pick, js]}
"""


@pytest.mark.parametrize(("answers", "got"), [
    ([True, "Ada", "b", 42], [True, "Ada", "b", 42]),
    ([False, True, True, {"k": 1}], [False, "init", "", {"k": 1}]),
    ([owa.answers.cancel(), False, owa.answers.timeout(), owa.answers.disconnect()],
     [False, False, {"error": "Event call timed out. The browser tab may be inactive or closed."},
      {"error": "Client session disconnected."}]),
    ([True, lambda c: c.data["value"] + "!", "a", None], [True, "init!", "a", None]),
])
def test_scripted_answers_go_through_the_widgets(answers: list[Any], got: list[Any]) -> None:
    run, fe = play(act(ASK), answers)
    assert run.result == {"got": got}
    assert fe.dialogs.children == ()


def test_scripted_answer_that_fits_no_widget_fails_like_headless() -> None:
    with pytest.raises(owa.ScriptError, match="not an option"):
        play(act(ASK), [True, "Ada", "zzz", 1])
    with pytest.raises(owa.ScriptError, match="does not fit a confirmation"):
        play(act(ASK), ["yes"])


def test_scripted_missing_and_leftover_answers_fail() -> None:
    with pytest.raises(owa.MissingAnswerError, match="no scripted answer left"):
        play(act(ASK), [True])
    with pytest.raises(owa.LeftoverAnswersError, match="left unused"):
        play(act(ASK), [True, "a", "a", 1, "extra"])


def test_unanswered_call_type_scripted() -> None:
    a = act('return await __event_call__({"type": "select", "data": {"options": ["a"]}})')
    run, _ = play(a, [owa.answers.timeout()])
    assert run.result == {"error": "Event call timed out. The browser tab may be inactive or "
                                   "closed."}
    run, _ = play(a, [])
    assert isinstance(run.error, owa.UnansweredCallError)


def test_interactive_human_answers_and_panel_shows_answers_given() -> None:
    steps = iter([
        lambda fe: fe.dialog.confirm.click(),
        lambda fe: (setattr(fe.dialog.field, "value", "Al"),
                    setattr(fe.dialog.field, "value", "Alice B"), fe.dialog.confirm.click()),
        lambda fe: fe.dialog.cancel.click(),
        lambda fe: (setattr(fe.dialog.field, "value", "[1, 2]"), fe.dialog.confirm.click()),
    ])
    run, fe = play(act(ASK), [], mode="interactive", human=lambda fe: next(steps)(fe))
    assert run.result == {"got": [True, "Alice B", False, [1, 2]]}
    assert "answers=[True, &#x27;Alice B&#x27;, False, [1, 2]]" in fe.footer.value
    assert "transcript" in fe.footer.value
    assert fe.leftover() == []


def test_interactive_dialogs_are_prefilled_from_answers() -> None:
    seen: list[Any] = []

    def human(fe: WidgetFrontend) -> None:
        d = fe.dialog
        seen.append((type(d).__name__, getattr(getattr(d, "field", None), "value", None),
                     d.note.value))
        d.confirm.click()

    run, _fe = play(act(ASK), [True, "Ada", "b", {"x": 1}], mode="interactive", human=human)
    assert [s[1] for s in seen] == [None, "Ada", "b", '{"x": 1}']
    assert "answers= has True" in seen[0][2]
    assert run.result == {"got": [True, "Ada", "b", {"x": 1}]}


def test_interactive_unanswered_call_stop_and_timeout() -> None:
    a = act('return await __event_call__({"type": "select", "data": {"options": ["a"]}})')
    run, _ = play(a, mode="interactive", human=lambda fe: fe.dialog.stop.click())
    assert isinstance(run.error, owa.UnansweredCallError)
    run, _ = play(a, mode="interactive", human=lambda fe: fe.dialog.disconnect.click())
    assert run.result == {"error": "Client session disconnected."}


def test_a_slow_human_does_not_trip_the_action_timeout() -> None:
    async def later(fe: WidgetFrontend) -> None:
        await asyncio.sleep(0.7)
        fe.dialog.confirm.click()

    a = act('return await __event_call__({"type": "confirmation", "data": {}})')
    fe = WidgetFrontend([], "interactive", display_panel=False)

    async def main() -> owa.Run:
        async def human() -> None:
            while fe.dialog is None:
                await asyncio.sleep(0.01)
            await later(fe)
        t = asyncio.ensure_future(human())
        r = await owa.run(a, "x", frontend=fe, timeout=0.4)
        await t
        return r

    run = asyncio.run(main())
    assert run.error is None and run.result is True


def test_given_answers_masks_passwords() -> None:
    a = act('return await __event_call__({"type": "input", "data": {"type": "password"}})')
    run, fe = play(a, ["hunter22"])
    assert given_answers(run) == "['••••••']"
    assert "answers=[&#x27;••••••&#x27;]" in fe.footer.value
    assert "hunter22" not in fe.footer.value


def test_old_kernel_interactive_asks_for_background_and_says_so(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import owa_kit.notebook._frontend as F

    monkeypatch.setattr(F, "can_await_widgets", lambda: False)
    monkeypatch.setattr(F, "ipykernel_version", lambda: (7, 3))
    assert WidgetFrontend([], "scripted", display_panel=False).background is False
    fe = WidgetFrontend([], "interactive", display_panel=False)
    assert fe.background is True
    run, _ = play(act("return None"))
    fe.start(run)
    fe.finish(run)
    assert "ipykernel 7.3 &lt; 7.4" in fe.header.value and "background" in fe.header.value
    assert "<details open>" in fe.footer.value  # the transcript is shown in the panel


def test_make_frontend_picks_the_mode() -> None:
    from owa_kit.notebook import make_frontend

    fe = make_frontend([True], "scripted")
    assert isinstance(fe, WidgetFrontend) and fe.mode == "scripted" and fe.leftover() == [True]
    with pytest.raises(ValueError, match="owa-kit: mode='bogus'"):
        make_frontend([], "bogus")
