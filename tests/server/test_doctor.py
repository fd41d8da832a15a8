"""``owa-kit doctor`` against a real Open WebUI 0.12.4: each cause of a missing button."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from owa_kit.server import Client, doctor

pytestmark = pytest.mark.server

Cli = Callable[..., tuple[int, str]]
Writer = Callable[..., Path]


def _by_name(client: Client, fid: str, **kw: Any) -> dict[str, Any]:
    return {c.name: c for c in doctor(client, fid, **kw)}


def test_a_working_action_passes(cli: Cli, action_file: Writer, echo_model: str) -> None:
    path = action_file()
    assert cli("push", str(path), "--model", echo_model)[0] == 0
    code, out = cli("doctor", path.stem, "--model", echo_model)
    assert code == 0, out
    for line in ("[  ok] loads on the server", "[  ok] active: is_active is true",
                 f"[  ok] global or attached: model '{echo_model}' has it in meta.actionIds",
                 f"[  ok] listed by /api/models: on ['{echo_model}']",
                 "[  ok] functions enabled"):
        assert line in out
    assert "owa-kit: every check passed" in out


def test_an_inactive_action_is_reported_with_the_fix(cli: Cli, client: Client,
                                                     action_file: Writer) -> None:
    path = action_file()
    assert cli("push", str(path), "--global")[0] == 0
    client.toggle(path.stem)  # switched off in the admin panel
    code, out = cli("doctor", path.stem)
    assert code == 1
    assert "[FAIL] active: is_active is false" in out
    assert "fix: owa-kit push FILE activates it" in out
    assert "[FAIL] listed by /api/models" in out


def test_an_unattached_action_is_reported_with_the_fix(cli: Cli, action_file: Writer,
                                                       echo_model: str) -> None:
    path = action_file()
    assert cli("push", str(path))[0] == 0
    code, out = cli("doctor", path.stem, "--model", echo_model)
    assert code == 1
    assert (f"[FAIL] global or attached: not global, and model '{echo_model}' does not have "
            "it in meta.actionIds") in out
    assert f"fix: owa-kit push FILE --model {echo_model}" in out


def test_a_load_failure_shows_the_servers_reason(client: Client, action_file: Writer,
                                                 tmp_path: Path) -> None:
    flag = tmp_path / "break-me"
    path = action_file(extra=(f"import pathlib\nif pathlib.Path({str(flag)!r}).exists():\n"
                              "    raise RuntimeError('broken after deploy')\n"))
    from owa_kit.server import push

    push(client, path, make_global=True)
    flag.touch()  # the next load on the server fails, as after a dependency went missing
    checks = _by_name(client, path.stem)
    assert checks["loads on the server"].ok is False
    assert "broken after deploy" in checks["loads on the server"].found
    assert "fix the error in the file" in checks["loads on the server"].fix
    ids = [f["id"] for f in client.functions()]
    assert not any(i.startswith("owa_kit_probe") for i in ids), "the probe is removed"


@pytest.mark.parametrize(("actions", "found"), [
    ('[{"id": "one", "name": "One"}, {"id": "two"}]', "2 buttons: ['one', 'two']"),
    ('[{"name": "no id"}]', "entry 0 has no 'id'"),
    ('[{"id": "a.b"}]', "sub-action id 'a.b' contains '.'"),
    ("[]", "`actions` is empty"),
])
def test_the_actions_list_is_checked(client: Client, action_file: Writer, actions: str,
                                     found: str) -> None:
    from owa_kit.server import push

    body = f"actions = {actions}\n\nasync def action(self, body: dict):\n    return None\n"
    path = action_file(body)
    push(client, path)
    check = _by_name(client, path.stem)["actions list"]
    assert found in check.found
    assert check.ok is found.startswith("2 buttons")


def test_the_message_must_be_a_finished_assistant_reply(client: Client, action_file: Writer,
                                                        echo_model: str) -> None:
    from owa_kit.server import push

    path = action_file()
    push(client, path, model=echo_model)
    now = int(time.time())
    messages = {
        "u1": {"id": "u1", "parentId": None, "childrenIds": ["a1"], "role": "user",
               "content": "hi", "timestamp": now},
        "a1": {"id": "a1", "parentId": "u1", "childrenIds": [], "role": "assistant",
               "content": "echo: hi", "model": echo_model, "done": True, "timestamp": now},
        "a2": {"id": "a2", "parentId": "u1", "childrenIds": [], "role": "assistant",
               "content": "ech", "model": echo_model, "done": False, "timestamp": now},
    }
    chat = client.request("POST", "/api/v1/chats/new", json={"chat": {
        "title": "doctor", "models": [echo_model], "messages": [],
        "history": {"currentId": "a1", "messages": messages}}})
    ok = _by_name(client, path.stem, model=echo_model, chat_id=chat["id"])["message"]
    assert ok.ok is True, ok
    for mid, found in (("a2", "not done"), ("u1", "role is 'user'")):
        check = _by_name(client, path.stem, chat_id=chat["id"], message_id=mid)["message"]
        assert check.ok is False and found in check.found


def test_a_missing_or_non_action_function(cli: Cli, echo_model: str) -> None:
    code, out = cli("doctor", "no_such_action")
    assert code == 1 and "[FAIL] function exists: no function 'no_such_action'" in out
    code, out = cli("doctor", echo_model)
    assert code == 1 and "[FAIL] is an action: type is 'pipe'" in out
