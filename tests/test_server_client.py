"""The server client offline: HTTP failures become kit errors that name the fix."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from owa_kit.errors import (
    AuthError,
    FunctionLoadError,
    NotAdminError,
    ServerRejected,
    ServerUnreachable,
)
from owa_kit.server import Client, push, resolve_url_token

URL = "http://127.0.0.1:9"
TOKEN = "tok-SECRET-123"
NOT_FOUND = "We could not find what you're looking for :/"
Handler = Callable[[httpx.Request], httpx.Response]


def _client(handler: Handler) -> Client:
    return Client(URL, TOKEN, transport=httpx.MockTransport(handler))


def _reply(status: int, body: Any) -> Handler:
    return lambda request: httpx.Response(status, json=body)


@pytest.mark.parametrize(("detail", "error", "text"), [
    ("401 Unauthorized", AuthError, "owa-kit: the server refused the token"),
    ("Not authenticated", AuthError, "pass the new token with --token or OWA_KIT_TOKEN"),
    ("You do not have permission to access this resource. Please contact your administrator",
     NotAdminError, "not an admin"),
])
def test_401_becomes_an_auth_error(detail: str, error: type[Exception], text: str) -> None:
    with _client(_reply(401, {"detail": detail})) as c, pytest.raises(error) as info:
        c.functions()
    assert text in str(info.value)
    assert TOKEN not in str(info.value)
    assert isinstance(info.value, ServerRejected) and info.value.status == 401
    assert info.value.detail == detail and info.value.method == "GET"


def test_connection_refused_names_the_url_and_the_fix() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    with _client(refuse) as c, pytest.raises(ServerUnreachable) as info:
        c.functions()
    message = str(info.value)
    assert message.startswith(f"owa-kit: cannot reach Open WebUI at {URL}")
    assert "Connection refused" in message
    assert "start the server or fix --url / OWA_KIT_URL" in message
    assert info.value.url == URL


def test_not_found_is_none_not_an_auth_error() -> None:
    # Open WebUI answers a missing function with 401 and its NOT_FOUND text
    with _client(_reply(401, {"detail": NOT_FOUND})) as c:
        assert c.function("nope") is None


def test_other_errors_keep_the_servers_detail() -> None:
    with _client(_reply(400, {"detail": "Model not found"})) as c, \
            pytest.raises(ServerRejected) as info:
        c.request("POST", "/api/chat/actions/x", json={})
    assert str(info.value) == "owa-kit: POST /api/chat/actions/x -> 400: Model not found"


def test_the_token_is_sent_as_a_bearer_and_never_shown() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return httpx.Response(200, json=[])

    c = _client(handler)
    assert c.functions() == []
    assert seen == [f"Bearer {TOKEN}"]
    assert TOKEN not in repr(c)


def test_no_token_fails_before_any_request() -> None:
    c = Client(URL, None, transport=httpx.MockTransport(_reply(200, [])))
    with pytest.raises(AuthError, match=r"no token for .*pass --token or set OWA_KIT_TOKEN"):
        c.functions()


def test_url_and_token_come_from_flags_then_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OWA_KIT_URL", "http://env:1/")
    monkeypatch.setenv("OWA_KIT_TOKEN", "env-token")
    assert resolve_url_token(None, None) == ("http://env:1", "env-token")
    assert resolve_url_token("http://flag:2", "flag-token") == ("http://flag:2", "flag-token")
    monkeypatch.delenv("OWA_KIT_URL")
    with pytest.raises(ServerUnreachable, match="pass --url"):
        resolve_url_token(None, None)


class FakeServer:
    """Just enough of /api/v1/functions to check the order of push's writes."""

    def __init__(self, **existing: Any) -> None:
        self.fn: dict[str, Any] | None = existing or None
        self.calls: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.calls.append(f"{request.method} {path}")
        if path == "/api/v1/auths/":
            return httpx.Response(200, json={"role": "admin", "email": "a@b"})
        if path.endswith("/id/demo") and request.method == "GET":
            if self.fn is None:
                return httpx.Response(401, json={"detail": NOT_FOUND})
            return httpx.Response(200, json=self.fn)
        if path.endswith("/toggle"):
            assert self.fn is not None
            self.fn["is_active"] = not self.fn["is_active"]
            return httpx.Response(200, json=self.fn)
        if path.endswith("/export"):
            return httpx.Response(200, json=[self.fn])
        if path.endswith("/update"):
            form = json.loads(request.content)
            assert self.fn is not None
            self.fn.update(content=form["content"], name=form["name"], meta=form["meta"])
            return httpx.Response(200, json=self.fn)
        if path.endswith("/create"):
            return httpx.Response(400, json={"detail": "[ERROR: Error creating function]"})
        return httpx.Response(404, json={"detail": "Not Found"})


SOURCE = '"""\ntitle: Demo\n"""\nclass Action:\n    pass\n'


def _local(tmp_path: Path, text: str = SOURCE) -> Path:
    path = tmp_path / "demo.py"
    path.write_text(text)
    return path


def test_push_does_not_toggle_an_active_function(tmp_path: Path) -> None:
    server = FakeServer(id="demo", type="action", name="Demo", content=SOURCE,
                        meta={"description": ""}, is_active=True, is_global=False)
    with Client(URL, TOKEN, transport=httpx.MockTransport(server)) as c:
        result = push(c, _local(tmp_path), backup_dir=tmp_path / "bk")
    assert result.changes == [] and result.backups == []
    assert not any("toggle" in call for call in server.calls)
    assert not any(call.endswith("/sync") for call in server.calls)


def test_push_saves_the_export_before_the_first_write(tmp_path: Path) -> None:
    server = FakeServer(id="demo", type="action", name="Demo", content="old",
                        meta={"description": "", "i18n": {"de": {"name": "D"}}},
                        is_active=False, is_global=False)
    with Client(URL, TOKEN, transport=httpx.MockTransport(server)) as c:
        result = push(c, _local(tmp_path), backup_dir=tmp_path / "bk")
    writes = [c for c in server.calls if c.startswith("POST")]
    assert writes == ["POST /api/v1/functions/id/demo/update",
                      "POST /api/v1/functions/id/demo/toggle"]
    assert server.calls.index("GET /api/v1/functions/export") < server.calls.index(writes[0])
    assert json.loads(result.backups[0].read_text())[0]["content"] == "old"
    assert server.fn is not None and server.fn["meta"]["i18n"] == {"de": {"name": "D"}}
    assert result.changes == ["updated content", "activated"]


def test_a_create_the_server_refuses_asks_a_probe_for_the_reason(tmp_path: Path) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(f"{request.method} {request.url.path}")
        path = request.url.path
        if path == "/api/v1/auths/":
            return httpx.Response(200, json={"role": "admin"})
        if path == "/api/v1/functions/id/demo":
            return httpx.Response(401, json={"detail": NOT_FOUND})
        if path == "/api/v1/functions/create":
            form = json.loads(request.content)
            if form["id"] == "demo":
                return httpx.Response(400, json={"detail": "[ERROR: Error creating function]"})
            return httpx.Response(200, json={"id": form["id"], "type": "action"})
        if path.endswith("/update"):
            return httpx.Response(400, json={"detail": "name 'x' is not defined"})
        if path.endswith("/delete"):
            return httpx.Response(200, json=True)
        return httpx.Response(404, json={"detail": "Not Found"})

    with Client(URL, TOKEN, transport=httpx.MockTransport(handler)) as c, \
            pytest.raises(FunctionLoadError) as info:
        push(c, _local(tmp_path))
    assert "could not load" in str(info.value) and "name 'x' is not defined" in str(info.value)
    assert calls[-1].startswith("DELETE /api/v1/functions/id/owa_kit_probe_")


def test_a_server_that_dies_at_startup_shows_its_log_tail(tmp_path: Path) -> None:
    import sys

    from owa_kit.errors import ServerError
    from owa_kit.server import start_server

    # the dev venv has no open_webui: the import fails at once, as a broken install would
    with pytest.raises(ServerError) as info, start_server(sys.executable, data_dir=tmp_path):
        pass
    message = str(info.value)
    assert message.startswith("owa-kit: Open WebUI exited during startup")
    assert "No module named 'open_webui'" in message and str(tmp_path / "server.log") in message


def test_a_missing_server_python_names_the_set_up_step(tmp_path: Path) -> None:
    from owa_kit.errors import ServerError
    from owa_kit.server import start_server

    with pytest.raises(ServerError, match=r"run `scripts/owui\.sh`"), \
            start_server(tmp_path / "nope" / "python"):
        pass
