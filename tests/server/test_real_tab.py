"""The real Open WebUI 0.12.4 tab in chromium, checked against the emulator.

The conformance suite proves the server side; the tab's side (the dialog answers, merging a
returned ``{"messages": [...]}``, the save) is emulated from reading the Svelte source
(docs/research/frontend-facts.md Q1, Q5). Here the built frontend that ships with the slim
Open WebUI does it for real: a second admin logs in through the sign-in form, opens a saved
chat, clicks the probe action under the reply and answers its seven dialogs; the probe writes
what it received into the message, and the tab saves it. ``owa.run`` with the same answers
must agree on every received value and on the saved message.

One click serves every test (a module fixture): the session server's event-call timeout is
2 s, so the dialogs are answered as soon as they show, and the browser is started once.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import Owui

import owa_kit as owa
from owa_kit.server import Client, push

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


@dataclass
class Click:
    shown: str  # the clicked message's text in the page afterwards
    saved: dict[str, Any]  # the clicked message as the server stored the tab's save
    emulated: owa.Run

    @property
    def received(self) -> list[Any]:
        got: list[Any] = json.loads(self.saved["content"])
        return got

    @property
    def emulated_received(self) -> list[Any]:
        got: list[Any] = json.loads(self.emulated.message.content)
        return got


@pytest.fixture(scope="module")
def click(owui: Owui, echo_model: str, tmp_path_factory: pytest.TempPathFactory) -> Click:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"owa-kit: chromium not found at {CHROMIUM} (OWA_KIT_CHROMIUM). Run "
                    "`make test`, which installs it, or point OWA_KIT_CHROMIUM at one.",
                    pytrace=False)
    tmp = tmp_path_factory.mktemp("real_tab")
    path = tmp / "kit_tab_probe.py"
    path.write_text(PROBE, encoding="utf-8")
    with owui.client() as admin:
        push(admin, path, model=echo_model, backup_dir=tmp / "backups")
        added = admin.request("POST", "/api/v1/auths/add", json={**TESTER, "role": "admin"})
    chat = owa.chat("Hi", REPLY, model=echo_model)
    act = owa.load(path)
    emulated = asyncio.run(owa.run(act, chat, answers=ANSWERS, show=False))
    with Client(owui.url, added["token"]) as tester:
        # no "What's New" modal over the chat (Open WebUI's own per-user setting)
        tester.request("POST", "/api/v1/users/user/settings/update",
                       json={"ui": {"showChangelog": False}})
        chat_id = tester.create_chat({
            "title": "owa-kit real tab", "models": [echo_model], "messages": chat.branch(),
            "history": {"currentId": chat.current_id, "messages": chat.messages}})["id"]
        shown = _click_in_chromium(owui.url, chat_id, chat.current_id)
        saved = _saved_message(tester, chat_id, chat.current_id)
    if "timed out" in saved["content"]:
        pytest.fail("owa-kit: a dialog was answered after the session server's 2 s event-call "
                    f"timeout (the machine is too busy?); the action got {saved['content']}")
    return Click(shown, saved, emulated)


def _click_in_chromium(url: str, chat_id: str, message_id: str) -> str:
    from playwright.sync_api import expect, sync_playwright

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
            page.goto(f"{url}/c/{chat_id}")
            message = page.locator(f"#message-{message_id}")
            expect(message).to_contain_text(REPLY)
            message.get_by_role("button", name="Tab Probe", exact=True).click()
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
            expect(message).not_to_contain_text(REPLY)
            return message.inner_text()
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "real-tab-failed.png"))
            raise
        finally:
            browser.close()


def _saved_message(client: Client, chat_id: str, message_id: str) -> dict[str, Any]:
    """The clicked message once the tab's save after the action has landed."""
    deadline = time.monotonic() + 15
    while True:
        row = client.chat(chat_id)
        assert row is not None
        message: dict[str, Any] = row["chat"]["history"]["messages"][message_id]
        if message.get("content") != REPLY or time.monotonic() > deadline:
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
