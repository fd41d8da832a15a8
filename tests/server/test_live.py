"""``owa.run(..., server=owa.Server(...))`` against a real Open WebUI 0.12.4."""

from __future__ import annotations

import asyncio
import textwrap
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

import owa_kit as owa
from owa_kit.errors import (
    ActionTimeoutError,
    AuthError,
    FunctionLoadError,
    IdTakenError,
    MissingAnswerError,
    ScriptError,
)
from owa_kit.server import Client, push
from owa_kit.server._live import COPY_MARK, live_id

pytestmark = pytest.mark.server

CALL_TIMEOUT = 2  # conftest starts the server with WEBSOCKET_EVENT_CALLER_TIMEOUT=2

TIMEOUT_ERROR = {"error": "Event call timed out. The browser tab may be inactive or closed."}

DEMO = '''
class Valves(BaseModel):
    prefix: str = "P"

class UserValves(BaseModel):
    shout: bool = False

def __init__(self):
    self.valves = self.Valves()

async def action(self, body, __user__=None, __event_emitter__=None, __event_call__=None):
    await __event_emitter__({"type": "status", "data": {"description": "start", "done": False}})
    ok = await __event_call__({"type": "confirmation", "data": {"title": "Go?", "message": "?"}})
    name = await __event_call__({"type": "input", "data": {"title": "Name", "message": "?"}})
    js = await __event_call__({"type": "execute", "data": {"code": "return 6*7"}})
    await __event_emitter__({"type": "message", "data": {"content": " [more]"}})
    await __event_emitter__({"type": "status", "data": {"description": "end", "done": True}})
    return {"ok": ok, "name": name, "js": js, "prefix": self.valves.prefix,
            "shout": __user__["valves"].shout}
'''


def action(body: str, *, fid: str | None = None, head: str = "") -> owa.LoadedAction:
    fid = fid or f"live_{uuid.uuid4().hex[:8]}"
    source = ('"""\ntitle: Live Test\ndescription: a live-run test\n"""\n'
              "import asyncio\nfrom pydantic import BaseModel\n" + head
              + "\n\nclass Action:\n" + textwrap.indent(textwrap.dedent(body), "    "))
    return owa.load(source, id=fid)


def run(act: owa.LoadedAction, message: Any = "The reply", **kw: Any) -> owa.Run:
    kw.setdefault("show", False)
    return asyncio.run(owa.run(act, message, **kw))


def test_live_run_records_what_the_emulator_records(live: owa.Server) -> None:
    act = action(DEMO)
    kw: dict[str, Any] = {"answers": [True, "Ada", 42], "valves": {"prefix": "V"},
                          "user_valves": {"shout": True}}
    emulated, real = run(act, **kw), run(act, server=live, **kw)
    assert real.result == {"ok": True, "name": "Ada", "js": 42, "prefix": "V", "shout": True}
    assert real.events.types == ["status", "message", "status"]
    assert [(c.type, c.answer) for c in real.calls] == [
        ("confirmation", True), ("input", "Ada"), ("execute", 42)]
    assert "interaction_id" not in real.calls[0].data  # added by the server, unseen by actions
    assert real.transcript.replace(" · chat saved · live", " · chat saved", 1) == (
        emulated.transcript)
    assert real.server == live.url and " · live" in real.transcript.splitlines()[0]


def test_saved_chat_is_created_and_read_back(live: owa.Server, client: Client) -> None:
    r = run(action(DEMO), answers=[True, "Ada", 42], server=live)
    row = client.chat(r.chat.id)
    assert row is not None and r.body["chat_id"] == r.chat.id
    stored = row["chat"]["history"]["messages"][r.chat.current_id]
    assert r.saved is not None and r.saved.data == stored
    assert r.persisted is not None
    assert r.persisted.content == "The reply [more]"  # the server's own `message` write
    assert [s["description"] for s in r.persisted.status_history] == ["start", "end"]


def test_temporary_chat_uses_the_tabs_local_id(live: owa.Server) -> None:
    r = run(action(DEMO), owa.chat("Hi", "The reply", temporary=True),
            answers=[True, "Ada", 42], server=live)
    assert r.chat.id == f"local:{r.body['session_id']}"
    assert r.saved is None and r.persisted is None
    assert r.message.content == "The reply [more]"  # the tab's copy


def test_the_authors_own_function_is_untouched(live: owa.Server, client: Client,
                                               tmp_path: Path) -> None:
    fid = f"live_{uuid.uuid4().hex[:8]}"
    mine = tmp_path / f"{fid}.py"
    mine.write_text('"""\ntitle: Mine\n"""\nclass Action:\n    async def action(self, body):\n'
                    '        return "mine"\n')
    push(client, mine, backup_dir=tmp_path / "backups")
    before = client.function(fid)
    r = run(action("async def action(self, body):\n    return 'copy'\n", fid=fid), server=live)
    assert r.result == "copy"
    assert client.function(fid) == before
    copy = client.function(live_id(fid))
    assert copy is not None and copy["name"].endswith(COPY_MARK)
    assert (copy["is_active"], copy["is_global"]) == (True, False)


def test_a_function_at_the_copy_id_that_the_kit_did_not_make_is_refused(
        live: owa.Server, client: Client, tmp_path: Path) -> None:
    fid = f"live_{uuid.uuid4().hex[:8]}"
    other = tmp_path / f"{live_id(fid)}.py"
    other.write_text('"""\ntitle: Not a copy\n"""\nclass Action:\n    pass\n')
    push(client, other, backup_dir=tmp_path / "backups")
    with pytest.raises(IdTakenError, match="owa-kit did not deploy"):
        run(action("async def action(self, body):\n    return 1\n", fid=fid), server=live)


def test_code_the_server_cannot_load_names_the_servers_reason(live: owa.Server) -> None:
    act = action("async def action(self, body):\n    return 1\n",
                 head="import owa_kit  # installed here, not on the server\n")
    with pytest.raises(FunctionLoadError, match="No module named 'owa_kit'"):
        run(act, server=live)


def test_an_action_error_is_http_400_with_the_servers_detail(live: owa.Server) -> None:
    r = run(action("async def action(self, body):\n    raise ValueError('boom')\n"),
            server=live)
    assert (r.http_status, r.http_body) == (400, {"detail": "Error: boom"})
    assert r.message.error == {"content": "Error: boom"}
    assert "OWA407" in r.codes and not r.ok


def test_an_unknown_call_type_stays_unanswered_and_the_server_times_out(
        live: owa.Server) -> None:
    act = action('''
        async def action(self, body, __event_call__=None):
            return {"picked": await __event_call__({"type": "select", "data": {}})}
    ''')
    started = time.monotonic()
    r = run(act, server=live)  # no answer: the tab stays silent, as a browser does
    assert time.monotonic() - started >= CALL_TIMEOUT - 0.5
    assert r.result == {"picked": TIMEOUT_ERROR}
    assert "OWA301" in r.codes and r.ok


def test_a_missing_answer_fails_at_once(live: owa.Server) -> None:
    act = action('''
        async def action(self, body, __event_call__=None):
            return await __event_call__({"type": "confirmation", "data": {}})
    ''')
    started = time.monotonic()
    with pytest.raises(MissingAnswerError) as info:
        run(act, server=live)
    assert time.monotonic() - started < CALL_TIMEOUT
    assert info.value.run.calls.types == ["confirmation"]  # type: ignore[attr-defined]


def test_a_hanging_action_stops_at_the_runs_timeout(live: owa.Server) -> None:
    act = action('''
        async def action(self, body):
            await asyncio.sleep(30)
    ''')
    started = time.monotonic()
    r = run(act, server=live, timeout=1)
    assert time.monotonic() - started < 5
    assert isinstance(r.error, ActionTimeoutError) and r.http_status == 400


def test_late_events_are_all_received(live: owa.Server) -> None:
    act = action('''
        async def action(self, body, __event_emitter__=None):
            for i in range(60):
                await __event_emitter__({"type": "message", "data": {"content": str(i % 10)}})
    ''')
    r = run(act, owa.chat("Hi", "x", temporary=True), server=live)
    assert len(r.events) == 60
    assert r.message.content == "x" + "0123456789" * 6


def test_concurrent_runs_only_see_their_own_events(live: owa.Server) -> None:
    act = action('''
        async def action(self, body, __event_emitter__=None):
            for _ in range(10):
                await __event_emitter__({"type": "status", "data": {
                    "description": body["messages"][-1]["content"], "done": True}})
                await asyncio.sleep(0.01)
    ''')

    async def both() -> list[owa.Run]:
        return list(await asyncio.gather(*(
            owa.run(act, owa.chat("Hi", text, temporary=True), server=live, show=False)
            for text in ("one", "two"))))

    one, two = asyncio.run(both())
    assert {e.data["description"] for e in one.events} == {"one"} and len(one.events) == 10
    assert {e.data["description"] for e in two.events} == {"two"} and len(two.events) == 10


def test_notebook_dialogs_answer_live_calls(live: owa.Server) -> None:
    from owa_kit.notebook._frontend import WidgetFrontend

    fe = WidgetFrontend([True, "Ada", 42], "scripted", display_panel=False)
    r = run(action(DEMO), server=live, frontend=fe)
    assert r.result is not None and r.result["name"] == "Ada"
    assert "answers=[True, &#x27;Ada&#x27;, 42]" in fe.footer.value  # the panel's footer


def test_a_bad_token_is_an_auth_error(owui: Any) -> None:
    with pytest.raises(AuthError, match="refused the token"):
        run(action(DEMO), server=owa.Server(owui.url, "not-a-token"))


def test_disconnect_answers_are_emulator_only(live: owa.Server) -> None:
    with pytest.raises(ScriptError, match="emulator-only"):
        run(action(DEMO), answers=[owa.answers.disconnect()], server=live)
