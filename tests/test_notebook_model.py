"""The model in the notebook panel: completions shown, and a reply box when ``llm`` is unset."""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import Callable
from typing import Any

import owa_kit as owa
from owa_kit.notebook import WidgetFrontend
from owa_kit.notebook._model import ReplyDialog

SRC = textwrap.dedent('''
    """
    title: Asks
    """
    from pydantic import BaseModel, Field
    from open_webui.models.users import Users
    from open_webui.utils.chat import generate_chat_completion


    class Action:
        class Valves(BaseModel):
            api_key: str = Field(default="sk-secret-123",
                                 json_schema_extra={"input": {"type": "password"}})

        def __init__(self):
            self.valves = self.Valves()

        async def action(self, body, __user__=None, __request__=None):
            user = await Users.get_user_by_id(__user__["id"])
            payload = {"model": body["model"], "temperature": 0.5, "messages": [
                {"role": "system", "content": "key " + self.valves.api_key},
                {"role": "user", "content": "Sum up: " + body["messages"][-1]["content"]}]}
            response = await generate_chat_completion(__request__, payload, user)
            text = (response["error"]["detail"] if "error" in response
                    else response["choices"][0]["message"]["content"])
            return {"messages": [{"id": body["id"], "content": text}]}
''')


def play(mode: str, human: Callable[[ReplyDialog], None] | None = None,
         **kw: Any) -> tuple[owa.Run, WidgetFrontend]:
    fe = WidgetFrontend([], mode, display_panel=False)
    act = owa.load(SRC, id="asks_nb")

    async def main() -> owa.Run:
        task = asyncio.ensure_future(_human(fe, human)) if human else None
        try:
            return await owa.run(act, "The reply", frontend=fe, **kw)
        finally:
            if task is not None:
                task.cancel()

    return asyncio.run(main()), fe


async def _human(fe: WidgetFrontend, human: Callable[[ReplyDialog], None]) -> None:
    while not isinstance(fe.dialog, ReplyDialog):
        await asyncio.sleep(0.01)
    assert "(no reply)" in fe.model_calls.value  # the request shows while the human thinks
    human(fe.dialog)


def test_scripted_mode_answers_as_echo_and_the_panel_shows_the_call() -> None:
    r, fe = play("scripted")
    assert r.message.text == "echo: Sum up: The reply"
    html = fe.model_calls.value
    assert "model kit_echo" in html and "temperature=0.5" in html
    assert "Sum up: The reply" in html and "(echo)" in html
    assert "sk-secret-123" not in html and "••••••" in html


def test_interactive_without_llm_the_author_types_the_reply() -> None:
    def human(d: ReplyDialog) -> None:
        assert d.field.value == "echo: Sum up: The reply"  # the echo answer, to edit
        d.field.value = "A typed summary."
        d.send.click()

    r, fe = play("interactive", human)
    assert r.message.text == "A typed summary."
    assert r.completions.last.source == "typed"
    assert '-> "A typed summary." (typed)' in r.transcript
    assert fe.dialog is None and fe.dialogs.children == ()


def test_interactive_echo_and_model_error_buttons() -> None:
    r, _ = play("interactive", lambda d: d.echo.click())
    assert r.message.text == "echo: Sum up: The reply"
    assert r.completions.last.source == "echo"

    def fail(d: ReplyDialog) -> None:
        d.field.value = "overloaded"
        d.fail.click()

    r, _ = play("interactive", fail)
    assert r.message.text == "overloaded"  # the action read {"error": {"detail": ...}}
    assert '-> model error "overloaded" (typed)' in r.transcript


def test_interactive_with_llm_uses_the_script_and_opens_no_box() -> None:
    r, fe = play("interactive", llm=["Scripted."])
    assert r.message.text == "Scripted." and fe.dialog is None
    assert "Scripted." in fe.model_calls.value


def test_a_slow_author_does_not_trip_the_action_timeout() -> None:
    def slow(d: ReplyDialog) -> None:
        asyncio.get_running_loop().call_later(0.5, d.send.click)

    r, _ = play("interactive", slow, timeout=0.3)
    assert r.ok, r.error
