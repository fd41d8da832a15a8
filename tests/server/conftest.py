"""One real Open WebUI 0.12.4 per test run, started on 127.0.0.1 from ``OWA_KIT_OWUI_PYTHON``.

A missing server venv fails the tests (it never skips them): ``make test`` runs
``scripts/owui.sh`` first, and a skipped deploy test must not hide a missing set-up step.
"""

from __future__ import annotations

import os
import textwrap
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import owa_kit as owa
from owa_kit.cli import main
from owa_kit.server import Client, ServerProcess, push, start_server

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
OWUI_PYTHON = os.environ.get("OWA_KIT_OWUI_PYTHON", str(ROOT / ".venv-owui" / "bin" / "python"))
ADMIN = {"name": "Kit Admin", "email": "admin@example.com", "password": "kit-Passw0rd!"}
ECHO_MODEL = "kit_echo"
CALL_TIMEOUT = 2  # the server's WEBSOCKET_EVENT_CALLER_TIMEOUT, seconds


@dataclass
class Owui:
    server: ServerProcess
    token: str

    @property
    def url(self) -> str:
        return self.server.url

    def client(self) -> Client:
        return Client(self.url, self.token)


@pytest.fixture(scope="session")
def owui() -> Iterator[Owui]:
    if not os.path.exists(OWUI_PYTHON):
        pytest.fail(f"owa-kit: the Open WebUI python was not found at {OWUI_PYTHON} "
                    "(OWA_KIT_OWUI_PYTHON). Run `make test`, which runs scripts/owui.sh to "
                    "create .venv-owui first, or run `scripts/owui.sh` yourself.", pytrace=False)
    # a short event-call timeout keeps the conformance scenarios that wait for it quick
    with start_server(OWUI_PYTHON, env={"WEBSOCKET_EVENT_CALLER_TIMEOUT": str(CALL_TIMEOUT)}
                      ) as server:
        client = Client(server.url)
        user = client.signup(**ADMIN)
        client.close()
        print(f"\nowa-kit: Open WebUI up in {server.startup_seconds} s at {server.url}")
        yield Owui(server, str(user["token"]))


@pytest.fixture(scope="session")
def live(owui: Owui) -> owa.Server:
    """Where live runs go: ``owa.run(..., server=live)``."""
    return owa.Server(owui.url, owui.token)


@pytest.fixture
def client(owui: Owui) -> Iterator[Client]:
    with owui.client() as c:
        yield c


@pytest.fixture(scope="session")
def echo_model(owui: Owui) -> str:
    """The echo pipe (a model that needs no LLM), pushed once."""
    with owui.client() as c:
        push(c, HERE / "kit_echo_pipe.py", fid=ECHO_MODEL)
    return ECHO_MODEL


@pytest.fixture
def cli(owui: Owui, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> Callable[..., tuple[int, str]]:
    """Run ``owa-kit ARGS`` against the test server; returns (exit code, stdout + stderr)."""
    monkeypatch.setenv("OWA_KIT_URL", owui.url)
    monkeypatch.setenv("OWA_KIT_TOKEN", owui.token)
    monkeypatch.chdir(tmp_path)  # backups land in tmp_path/.owa-kit/backups

    def run(*args: str) -> tuple[int, str]:
        capsys.readouterr()
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out + out.err
    return run


@pytest.fixture
def action_file(tmp_path: Path) -> Callable[..., Path]:
    """Write an action with a unique id; ``body`` replaces the default class body."""

    def write(body: str = "", *, title: str = "Kit Test Action", extra: str = "",
              stem: str | None = None) -> Path:
        stem = stem or f"act_{uuid.uuid4().hex[:8]}"
        body = body or DEFAULT_BODY
        text = (f'"""\ntitle: {title}\ndescription: a test action\n"""\n'
                "from pydantic import BaseModel, Field\n" + extra + "\n\nclass Action:\n"
                + textwrap.indent(textwrap.dedent(body), "    "))
        path = tmp_path / f"{stem}.py"
        path.write_text(text, encoding="utf-8")
        return path
    return write


DEFAULT_BODY = '''\
class Valves(BaseModel):
    prefix: str = Field(default="ACK")
    priority: int = Field(default=0, ge=0)
    api_key: str = Field(default="", json_schema_extra={"input": {"type": "password"}})

def __init__(self):
    self.valves = self.Valves()

async def action(self, body: dict, __event_emitter__=None):
    return {"prefix": self.valves.prefix}
'''
