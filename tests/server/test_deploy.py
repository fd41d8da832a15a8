"""``owa-kit push | pull | diff | list`` against a real Open WebUI 0.12.4."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from owa_kit.server import Client

pytestmark = pytest.mark.server

Cli = Callable[..., tuple[int, str]]
Writer = Callable[..., Path]


def _row(client: Client, fid: str) -> dict[str, Any]:
    row = client.function(fid)
    assert row is not None
    return row


def _state(client: Client, fid: str) -> dict[str, Any]:
    items = [f for f in client.export(include_valves=True) if f["id"] == fid]
    assert len(items) == 1
    keep = ("content", "name", "type", "is_active", "is_global", "valves")
    return {k: items[0][k] for k in keep} | {"description": items[0]["meta"].get("description")}


def test_push_creates_and_activates(cli: Cli, client: Client, action_file: Writer) -> None:
    path = action_file()
    code, out = cli("push", str(path))
    assert code == 0, out
    row = _row(client, path.stem)
    assert (row["type"], row["is_active"], row["is_global"]) == ("action", True, False)
    assert row["name"] == "Kit Test Action"
    assert row["meta"]["description"] == "a test action"
    assert f"created action '{path.stem}'" in out and "activated" in out


def test_push_twice_leaves_the_same_state(cli: Cli, client: Client, action_file: Writer,
                                          echo_model: str, tmp_path: Path) -> None:
    path = action_file()
    valves = tmp_path / "valves.json"
    valves.write_text('{"prefix": "P"}')
    args = ("push", str(path), "--model", echo_model, "--valves", str(valves))
    assert cli(*args)[0] == 0
    before = _state(client, path.stem)
    model_before = client.model(echo_model)
    code, out = cli(*args)
    assert code == 0, out
    assert "already up to date" in out
    assert _state(client, path.stem) == before
    assert [f["id"] for f in client.functions()].count(path.stem) == 1
    model_after = client.model(echo_model)
    assert model_before is not None and model_after is not None
    assert model_after["meta"]["actionIds"] == model_before["meta"]["actionIds"]
    assert model_after["meta"]["actionIds"].count(path.stem) == 1
    assert not (tmp_path / ".owa-kit").exists(), "no backup when nothing changes"


def test_push_global_shows_on_every_model(cli: Cli, client: Client, action_file: Writer,
                                          echo_model: str) -> None:
    path = action_file()
    assert cli("push", str(path), "--global")[0] == 0
    assert _row(client, path.stem)["is_global"] is True
    assert cli("push", str(path), "--global")[0] == 0  # a flip would turn it off again
    assert _row(client, path.stem)["is_global"] is True
    model = next(m for m in client.models() if m["id"] == echo_model)
    assert path.stem in [a["id"] for a in model["actions"]]


def test_push_model_attaches_and_keeps_other_actions(cli: Cli, client: Client,
                                                     action_file: Writer,
                                                     echo_model: str) -> None:
    first, second = action_file(), action_file()
    assert cli("push", str(first), "--model", echo_model)[0] == 0
    code, out = cli("push", str(second), "--model", echo_model)
    assert code == 0, out
    row = client.model(echo_model)
    assert row is not None
    assert {first.stem, second.stem} <= set(row["meta"]["actionIds"])
    listed = next(m for m in client.models() if m["id"] == echo_model)
    assert {first.stem, second.stem} <= {a["id"] for a in listed["actions"]}


def test_valves_set_only_the_given_keys(cli: Cli, client: Client, action_file: Writer,
                                        tmp_path: Path) -> None:
    path = action_file()
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    one.write_text('{"prefix": "X"}')
    two.write_text('{"priority": 3}')
    assert cli("push", str(path), "--valves", str(one))[0] == 0
    assert client.valves(path.stem) == {"prefix": "X"}
    assert cli("push", str(path), "--valves", str(two))[0] == 0
    assert client.valves(path.stem) == {"prefix": "X", "priority": 3}


def test_secret_valve_and_token_are_never_printed(cli: Cli, client: Client, owui: Any,
                                                  action_file: Writer, tmp_path: Path) -> None:
    path = action_file()
    secret = "sk-TOP-SECRET-4242"
    valves = tmp_path / "valves.json"
    valves.write_text(json.dumps({"api_key": secret, "prefix": "Y"}))
    code, out = cli("push", str(path), "--valves", str(valves))
    assert code == 0, out
    assert "api_key=<hidden>" in out and "prefix='Y'" in out
    assert secret not in out and owui.token not in out
    assert client.valves(path.stem)["api_key"] == secret
    bad = tmp_path / "bad.json"  # a refused value is not echoed either
    bad.write_text(json.dumps({"api_key": secret, "priority": -1}))
    code, out = cli("push", str(path), "--valves", str(bad))
    assert code == 2 and "refused the valves" in out
    assert secret not in out and owui.token not in out


@pytest.mark.parametrize(("values", "message"), [
    ({"nope": 1}, "has no valve nope (its Valves: api_key, prefix, priority)"),
    ({"priority": "high"}, "priority='high' is not integer"),
    ({"priority": -1}, "the server refused the valves"),
])
def test_invalid_valves_are_refused(cli: Cli, action_file: Writer, tmp_path: Path,
                                    values: dict[str, Any], message: str) -> None:
    path = action_file()
    valves = tmp_path / "valves.json"
    valves.write_text(json.dumps(values))
    code, out = cli("push", str(path), "--valves", str(valves))
    assert code == 2
    assert out.startswith("owa-kit:") and message in out and "fix the valves file" in out


def test_backup_is_written_before_an_overwrite(cli: Cli, client: Client, action_file: Writer,
                                               tmp_path: Path) -> None:
    path = action_file()
    assert cli("push", str(path))[0] == 0
    old = _row(client, path.stem)["content"]
    path.write_text(old.replace('"prefix": self.valves.prefix', '"prefix": "v2"'))
    code, out = cli("push", str(path))
    assert code == 0 and "updated content" in out
    backups = list((tmp_path / ".owa-kit" / "backups").glob(f"function-{path.stem}-*.json"))
    assert len(backups) == 1 and f"backup: {backups[0].relative_to(tmp_path)}" in out
    saved = json.loads(backups[0].read_text())
    assert [item["id"] for item in saved] == [path.stem]
    assert saved[0]["content"] == old and saved[0]["is_active"] is True
    assert '"v2"' in _row(client, path.stem)["content"]


def test_pull_round_trips_the_content(cli: Cli, action_file: Writer, tmp_path: Path) -> None:
    path = action_file()
    assert cli("push", str(path))[0] == 0
    code, out = cli("pull", path.stem, "-o", "pulled/x.py")
    assert code == 0 and "wrote pulled/x.py" in out
    assert (tmp_path / "pulled" / "x.py").read_text() == path.read_text()
    assert "unchanged" in cli("pull", path.stem, "-o", "pulled/x.py")[1]
    (tmp_path / "pulled" / "x.py").write_text("# local edit\n")
    code, out = cli("pull", path.stem, "-o", "pulled/x.py")
    assert code == 2 and "--force" in out
    assert cli("pull", path.stem, "-o", "pulled/x.py", "--force")[0] == 0


def test_diff_shows_a_change(cli: Cli, action_file: Writer) -> None:
    path = action_file()
    code, out = cli("diff", str(path))
    assert code == 1 and "not on the server" in out
    assert cli("push", str(path))[0] == 0
    code, out = cli("diff", str(path))
    assert code == 0 and "are the same" in out
    path.write_text(path.read_text() + "\n# changed locally\n")
    code, out = cli("diff", str(path))
    assert code == 1
    assert f"--- server:{path.stem}" in out and "+# changed locally" in out


def test_list_shows_type_and_state(cli: Cli, action_file: Writer, echo_model: str) -> None:
    path = action_file()
    assert cli("push", str(path), "--global")[0] == 0
    code, out = cli("list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "TYPE", "ACTIVE", "GLOBAL", "NAME"]
    assert next(ln for ln in lines if ln.startswith(path.stem)).split()[:4] == [
        path.stem, "action", "yes", "yes"]
    assert next(ln for ln in lines if ln.startswith(echo_model)).split()[:2] == [
        echo_model, "pipe"]
    code, out = cli("list", "--type", "pipe")
    assert path.stem not in out and echo_model in out


# --- errors --------------------------------------------------------------------------------


def test_unreachable_server_names_the_url_and_the_fix(cli: Cli) -> None:
    from owa_kit.server._process import free_port

    url = f"http://127.0.0.1:{free_port()}"
    code, out = cli("list", "--url", url)
    assert code == 2
    assert out.startswith(f"owa-kit: cannot reach Open WebUI at {url}")
    assert "start the server or fix --url" in out


def test_bad_token_is_refused_and_not_printed(cli: Cli) -> None:
    bad = "not-a-real-token-1234"
    code, out = cli("list", "--token", bad)
    assert code == 2
    assert "owa-kit: the server refused the token" in out and "--token" in out
    assert bad not in out


def test_non_admin_token_is_refused(cli: Cli, client: Client, owui: Any,
                                    action_file: Writer) -> None:
    email = "user-" + action_file().stem + "@example.com"
    client.request("POST", "/api/v1/auths/add", json={
        "name": "Kit User", "email": email, "password": "kit-Passw0rd!", "role": "user"})
    with Client(owui.url) as user:
        token = str(user.signin(email, "kit-Passw0rd!")["token"])
    code, out = cli("push", str(action_file()), "--token", token)
    assert code == 2
    assert "not an admin" in out and "admin's token" in out and token not in out


def test_a_file_the_server_cannot_load_shows_its_reason(cli: Cli, client: Client,
                                                        tmp_path: Path) -> None:
    path = tmp_path / "needs_missing_pkg.py"
    path.write_text("import owa_kit_missing_pkg_xyz\n\n\nclass Action:\n    pass\n")
    code, out = cli("push", str(path))
    assert code == 2
    assert "could not load" in out and "No module named 'owa_kit_missing_pkg_xyz'" in out
    assert "push again" in out
    ids = [f["id"] for f in client.functions()]
    assert "needs_missing_pkg" not in ids and not any(i.startswith("owa_kit_probe") for i in ids)


def test_an_update_the_server_cannot_load_keeps_the_old_version(
        cli: Cli, client: Client, action_file: Writer) -> None:
    path = action_file()
    assert cli("push", str(path))[0] == 0
    good = _row(client, path.stem)["content"]
    path.write_text("import owa_kit_missing_pkg_xyz\n" + good)
    code, out = cli("push", str(path))
    assert code == 2 and "No module named 'owa_kit_missing_pkg_xyz'" in out
    assert _row(client, path.stem)["content"] == good


def test_an_id_taken_by_another_type_is_refused(cli: Cli, client: Client, action_file: Writer,
                                                echo_model: str) -> None:
    path = action_file()
    code, out = cli("push", str(path), "--id", echo_model)
    assert code == 2
    assert f"the id '{echo_model}' is taken on the server by a pipe" in out
    assert "--id another_id" in out
    assert _row(client, echo_model)["type"] == "pipe"

