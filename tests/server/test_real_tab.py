"""The real Open WebUI 0.12.4 tab in chromium, checked against the emulator.

The conformance suite proves the server side; the tab's side (the dialog answers, merging a
returned ``{"messages": [...]}``, the save) is emulated from reading the Svelte source
(docs/research/frontend-facts.md Q1, Q5). Here the built frontend that ships with the slim
Open WebUI does it for real: a second admin logs in through the sign-in form, opens a saved
chat, clicks the probe action under the reply and answers its seven dialogs; the probe writes
what it received into the message, and the tab saves it. ``owa.run`` with the same answers
must agree on every received value and on the saved message.

Three more actions check the tab's error handling (frontend-facts Q1, Q2): one that raises,
one that emits a warning toast, a ``chat:message:error`` and a ``status``, and one that returns
a non-inline ``HTMLResponse`` (the tab cannot parse the HTTP body). The toasts shown, the
message's error box and the saved message must be the emulator's.

One browser session clicks all four (a module fixture), after ``owa.run`` emulated them (the
sync playwright keeps an event loop running): the session server's event-call timeout is
2 s, so the probe's dialogs are answered as soon as they show.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from conftest import Owui

import owa_kit as owa
from owa_kit.server import Client, push

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = os.environ.get("OWA_KIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# a user of its own: the UI's sign-in updates the user (timezone), and the session's admin is
# the one other tests compare ``__user__`` for
TESTER = {"name": "Tab Tester", "email": "tab-tester@example.com", "password": "kit-Tab-Passw0rd!"}

PROBE = '''\
"""
title: Tab Probe
description: writes the answers the tab gave into the message
"""
import json


class Action:
    async def action(self, body, __event_call__=None):
        got = [
            await __event_call__({"type": "input", "data": {
                "title": "Pick", "message": "pick one", "type": "select",
                "options": ["red", "green"]}}),
            await __event_call__({"type": "input", "data": {
                "title": "Name", "message": "your name", "value": "preset"}}),
            await __event_call__({"type": "confirmation", "data": {
                "title": "Sure", "message": "really?"}}),
            await __event_call__({"type": "confirmation", "data": {
                "title": "Again", "message": "again?"}}),
            await __event_call__({"type": "input", "data": {
                "title": "Colour", "message": "pick again", "type": "select",
                "options": ["red", {"value": "green", "label": "Green"}]}}),
            await __event_call__({"type": "confirmation", "data": {
                "title": "Escape", "message": "press Escape"}}),
            await __event_call__({"type": "confirmation", "data": {
                "title": "Last", "message": "last one"}}),
        ]
        return {"messages": [{"id": body["id"], "content": json.dumps(got)}]}
'''
#: Confirm the untouched select, type "Ada" over "preset", Confirm, Cancel, choose "Green",
#: Escape, Confirm
ANSWERS: list[Any] = [True, "Ada", True, False, "green", False, True]
#: what the probe receives, by the source (frontend-facts Q5)
EXPECTED: list[Any] = ["", "Ada", "preset", False, "green", False, True]
REPLY = "echo: Hi"

BOOM = '''\
"""
title: Tab Boom
"""


class Action:
    async def action(self, body):
        raise ValueError("boom")
'''
EVENTS = '''\
"""
title: Tab Events
"""


class Action:
    async def action(self, body, __event_emitter__=None):
        await __event_emitter__({"type": "notification",
                                 "data": {"type": "warning", "content": "careful"}})
        await __event_emitter__({"type": "chat:message:error",
                                 "data": {"error": {"content": "oops"}}})
        await __event_emitter__({"type": "status",
                                 "data": {"description": "finished", "done": True}})
'''
RAW = '''\
"""
title: Tab Raw
"""
from fastapi.responses import HTMLResponse


class Action:
    async def action(self, body):
        return HTMLResponse("<p>raw</p>")
'''
#: key -> (button, source); each is pushed as ``kit_tab_<key>`` and clicked in a chat of its own
ACTIONS = {"probe": ("Tab Probe", PROBE), "boom": ("Tab Boom", BOOM),
           "events": ("Tab Events", EVENTS), "raw": ("Tab Raw", RAW)}


@dataclass
class Click:
    shown: str  # the clicked message's text in the page afterwards
    saved: dict[str, Any]  # the clicked message as the server stored the tab's save
    emulated: owa.Run
    #: the toasts the page showed after the click, as (type, text)
    toasts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def emulated_toasts(self) -> list[tuple[str, str]]:
        return [(n["type"], n["content"]) for n in self.emulated.notifications]

    @property
    def emulated_saved(self) -> dict[str, Any]:
        assert self.emulated.saved is not None
        return self.emulated.saved.data

    @property
    def received(self) -> list[Any]:
        got: list[Any] = json.loads(self.saved["content"])
        return got

    @property
    def emulated_received(self) -> list[Any]:
        got: list[Any] = json.loads(self.emulated.message.content)
        return got


@pytest.fixture(scope="module")
def clicks(owui: Owui, echo_model: str, tmp_path_factory: pytest.TempPathFactory,
           ) -> dict[str, Click]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"owa-kit: chromium not found at {CHROMIUM} (OWA_KIT_CHROMIUM). Run "
                    "`make test`, which installs it, or point OWA_KIT_CHROMIUM at one.",
                    pytrace=False)
    tmp = tmp_path_factory.mktemp("real_tab")
    paths = {key: tmp / f"kit_tab_{key}.py" for key in ACTIONS}
    with owui.client() as admin:
        for key, (_, source) in ACTIONS.items():
            paths[key].write_text(source, encoding="utf-8")
            push(admin, paths[key], model=echo_model, backup_dir=tmp / "backups")
        added = admin.request("POST", "/api/v1/auths/add", json={**TESTER, "role": "admin"})
    chats = {key: owa.chat("Hi", REPLY, model=echo_model) for key in ACTIONS}
    emulated = {key: asyncio.run(owa.run(owa.load(paths[key]), chats[key], show=False,
                                         answers=ANSWERS if key == "probe" else []))
                for key in ACTIONS}
    with Client(owui.url, added["token"]) as tester:
        # no "What's New" modal over the chat (Open WebUI's own per-user setting)
        tester.request("POST", "/api/v1/users/user/settings/update",
                       json={"ui": {"showChangelog": False}})
        chat_ids = {key: tester.create_chat({
            "title": f"owa-kit real tab: {key}", "models": [echo_model],
            "messages": chat.branch(),
            "history": {"currentId": chat.current_id, "messages": chat.messages}})["id"]
            for key, chat in chats.items()}
        got = {}
        with _signed_in_page(owui.url) as page:
            for key, (button, _) in ACTIONS.items():
                mid = chats[key].current_id
                shown = _click(page, owui.url, chat_ids[key], mid, button)
                saved = _saved_message(tester, chat_ids[key], mid)
                got[key] = Click(shown, saved, emulated[key], _toasts(page))
    received = got["probe"].saved["content"]
    if "timed out" in received:
        pytest.fail("owa-kit: a dialog was answered after the session server's 2 s event-call "
                    f"timeout (the machine is too busy?); the action got {received}")
    return got


@pytest.fixture(scope="module")
def click(clicks: dict[str, Click]) -> Click:
    return clicks["probe"]


@contextmanager
def _signed_in_page(url: str) -> Iterator[Page]:
    """A chromium page signed in as TESTER; a screenshot in artifacts/ if anything fails."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(30_000)
        try:
            page.goto(f"{url}/auth")
            page.get_by_placeholder("Enter Your Email").fill(TESTER["email"])
            page.get_by_placeholder("Enter Your Password").fill(TESTER["password"])
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{url}/")
            yield page
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "real-tab-failed.png"))
            raise
        finally:
            browser.close()


def _click(page: Page, url: str, chat_id: str, message_id: str, button: str) -> str:
    """Click ``button`` under the chat's reply; the message's text once the tab is done."""
    from playwright.sync_api import expect

    page.goto(f"{url}/c/{chat_id}")
    message = page.locator(f"#message-{message_id}")
    expect(message).to_contain_text(REPLY)
    message.get_by_role("button", name=button, exact=True).click()
    if button == "Tab Probe":
        _answer_probe(page)
        expect(message).not_to_contain_text(REPLY)
    else:  # the others end with a toast (the error, or the SyntaxError)
        page.locator("[data-sonner-toast]").first.wait_for()
    return message.inner_text()


def _answer_probe(page: Page) -> None:
    # each dialog must be answered within the server's 2 s event-call timeout
    page.get_by_role("dialog", name="Pick").get_by_role("button", name="Confirm").click()
    name = page.get_by_role("dialog", name="Name")
    name.locator("textarea").fill("Ada")
    name.get_by_role("button", name="Confirm").click()
    page.get_by_role("dialog", name="Sure").get_by_role("button", name="Confirm").click()
    page.get_by_role("dialog", name="Again").get_by_role("button", name="Cancel").click()
    colour = page.get_by_role("dialog", name="Colour")
    colour.locator("select").select_option(label="Green")
    colour.get_by_role("button", name="Confirm").click()
    page.get_by_role("dialog", name="Escape").wait_for()
    page.keyboard.press("Escape")
    page.get_by_role("dialog", name="Last").get_by_role("button", name="Confirm").click()


def _toasts(page: Page) -> list[tuple[str, str]]:
    """The svelte-sonner toasts on the page, oldest first (it lists the newest first; they
    last 4 s, and each click loads the page afresh)."""
    toasts = page.locator("[data-sonner-toast]").all()[::-1]
    return [(t.get_attribute("data-type") or "", t.inner_text().strip()) for t in toasts]


def _saved_message(client: Client, chat_id: str, message_id: str) -> dict[str, Any]:
    """The clicked message once the tab's save after the action has landed (new content or
    an error: the server itself writes neither)."""
    deadline = time.monotonic() + 15
    while True:
        row = client.chat(chat_id)
        assert row is not None
        message: dict[str, Any] = row["chat"]["history"]["messages"][message_id]
        if (message.get("content") != REPLY or "error" in message
                or time.monotonic() > deadline):
            return message
        time.sleep(0.2)


def test_the_emulator_gives_the_action_what_the_real_tab_gives(click: Click) -> None:
    assert click.emulated_received == EXPECTED
    assert click.received == EXPECTED


def test_an_untouched_select_confirms_as_the_empty_string(click: Click) -> None:
    """frontend-facts Q5 marks this *inferred*: the placeholder option is what is selected."""
    assert click.received[0] == "" == click.emulated_received[0]


def test_a_chosen_option_answers_its_value_not_its_label(click: Click) -> None:
    assert click.received[4] == "green" == click.emulated_received[4]


def test_typed_text_arrives_and_cancel_or_escape_is_false(click: Click) -> None:
    assert click.received[1] == "Ada" == click.emulated_received[1]
    assert click.received[3] is False and click.emulated_received[3] is False
    assert click.received[5] is False and click.emulated_received[5] is False


def test_confirm_after_an_input_with_a_value_hands_back_that_value(click: Click) -> None:
    """OWA307: the dialog keeps the earlier input's ``value`` (not the typed text), until the
    next input dialog resets it (the last Confirm, after the select, gives True again)."""
    assert click.received[2] == "preset" == click.emulated_received[2]
    assert click.received[6] is True and click.emulated_received[6] is True
    assert [f.code for f in click.emulated.findings].count("OWA307") == 1


def test_returned_messages_replace_the_content_and_keep_the_original(click: Click) -> None:
    new = json.dumps(EXPECTED)
    assert click.emulated.result == {"messages": [{"id": click.saved["id"], "content": new}]}
    assert new in click.shown.splitlines()  # the page shows the new content
    assert click.saved["originalContent"] == REPLY
    # the whole saved message (output rewritten too) is the emulator's, but for whose it is
    assert {**click.saved, "user_id": None} == {**click.emulated.message.data, "user_id": None}


def _same_saved(click: Click) -> None:
    """The saved message is the emulator's, but for whose it is."""
    assert {**click.saved, "user_id": None} == {**click.emulated_saved, "user_id": None}


def test_an_action_that_raises_shows_a_toast_and_saves_the_error(clicks: dict[str, Click]) -> None:
    boom = clicks["boom"]
    assert boom.emulated.message.error == {"content": "Error: boom"}
    assert boom.toasts == [("error", "Error: boom")] == boom.emulated_toasts
    assert "Error: boom" in boom.shown.splitlines()  # the error box under the reply
    assert boom.saved["error"] == {"content": "Error: boom"}
    _same_saved(boom)


def test_emitted_error_and_status_are_saved_and_the_warning_toasts(
        clicks: dict[str, Click]) -> None:
    events = clicks["events"]
    # the error event toasts its text too (handleOpenAIError)
    assert events.toasts == [("warning", "careful"), ("error", "oops")] == events.emulated_toasts
    assert "oops" in events.shown.splitlines()
    assert events.saved["error"] == {"content": "oops"} and events.saved["done"] is True
    assert events.saved["statusHistory"] == [{"description": "finished", "done": True}]
    _same_saved(events)


def test_a_non_inline_html_response_is_a_syntax_error_in_the_tab(
        clicks: dict[str, Click]) -> None:
    raw = clicks["raw"]
    assert raw.toasts == [("error", "SyntaxError: Unexpected token '<', \"<p>raw</p>\" is not "
                                    "valid JSON")] == raw.emulated_toasts
    assert raw.saved["error"] == {"content": {}}
    _same_saved(raw)
