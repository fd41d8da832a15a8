"""``owa-kit serve``: a local Open WebUI 0.12.4 to deploy to, click in and run live against.

It runs the slim install in ``.venv-owui`` (``make owui``) on 127.0.0.1, offline, with its
data kept under ``.owa-kit/server/`` so functions survive a restart. The first start signs up
an admin with a random password; every start signs in and writes the URL, the token and the
admin's login to ``.owa-kit/server.env`` (mode 0600), which the other commands read once
sourced. Nothing secret is printed.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import ServerError
from ._process import ServerProcess, start_server

ADMIN_NAME = "owa-kit admin"
ADMIN_EMAIL = "admin@owa-kit.local"
ENV_FILE = Path(".owa-kit") / "server.env"
DATA_DIR = Path(".owa-kit") / "server"


@dataclass
class Served:
    server: ServerProcess
    env_file: Path
    admin_email: str
    created: bool  # the admin was signed up on this start


def default_python() -> Path:
    """``$OWA_KIT_OWUI_PYTHON``, else ``.venv-owui/bin/python`` here."""
    given = os.environ.get("OWA_KIT_OWUI_PYTHON")
    return Path(given) if given else Path(".venv-owui") / "bin" / "python"


def read_env_file(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.startswith("#"):
            out[key.strip()] = value.strip()
    return out


def _write_env_file(path: Path, values: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("# owa-kit serve: source it with `set -a; . .owa-kit/server.env; set +a`\n")
        f.writelines(f"{k}={v}\n" for k, v in values.items())
    os.chmod(path, 0o600)


@contextmanager
def serve(python: Path | None = None, *, port: int | None = 8080,
          data_dir: Path = DATA_DIR, env_file: Path = ENV_FILE) -> Iterator[Served]:
    """Start the server, sign the admin in (signing up on a fresh data dir), deploy the kit's
    echo model, write ``env_file``; stop the server when the block ends."""
    from ._client import Client
    from ._live import _ensure_model

    py = python or default_python()  # start_server says how to get one when it is missing
    stored = read_env_file(env_file)
    email = stored.get("OWA_KIT_ADMIN_EMAIL", ADMIN_EMAIL)
    fresh = not (data_dir / "data" / "webui.db").exists()
    password = secrets.token_urlsafe(18) if fresh else stored.get("OWA_KIT_ADMIN_PASSWORD")
    if not password:
        raise ServerError(
            f"owa-kit: {data_dir} holds a server whose admin password is not in {env_file}; "
            f"remove {data_dir} to start afresh, or put OWA_KIT_ADMIN_PASSWORD=... into {env_file}")
    with start_server(py, data_dir=data_dir, port=port) as server:
        with Client(server.url) as client:
            if fresh:
                client.signup(ADMIN_NAME, email, password)
            else:
                client.signin(email, password)
            _ensure_model(client, "kit_echo")
            token = str(client.token)
        _write_env_file(env_file, {
            "OWA_KIT_URL": server.url, "OWA_KIT_TOKEN": token,
            "OWA_KIT_ADMIN_EMAIL": email, "OWA_KIT_ADMIN_PASSWORD": password})
        yield Served(server, env_file, email, fresh)


def run_forever(served: Served, say: Callable[[str], None] = print) -> None:
    s = served.server
    say(f"owa-kit: Open WebUI 0.12.4 at {s.url} (started in {s.startup_seconds} s; "
        f"{'new' if served.created else 'existing'} data in {s.data_dir})")
    say(f"owa-kit: log in as {served.admin_email}; the password and an admin token are in "
        f"{served.env_file} (mode 0600)")
    say(f"owa-kit: in another shell: set -a; . {served.env_file}; set +a   "
        "then owa-kit push / doctor / run --live / conformance")
    say("owa-kit: Ctrl-C stops the server")
    while s.running:
        time.sleep(0.5)
    raise ServerError(f"owa-kit: Open WebUI stopped by itself; see {s.log_path}:\n"
                      f"{s.log_tail()}")
