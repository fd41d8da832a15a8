"""``owa-kit serve``: a local Open WebUI with an admin, the echo model and an env file."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

from owa_kit.server import Client
from owa_kit.server._process import free_port
from owa_kit.server._serve import read_env_file, serve

ROOT = Path(__file__).resolve().parents[2]
OWUI_PYTHON = os.environ.get("OWA_KIT_OWUI_PYTHON", str(ROOT / ".venv-owui" / "bin" / "python"))


def test_serve_signs_up_then_signs_in_and_never_prints_secrets(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "OWA_KIT_OWUI_PYTHON": OWUI_PYTHON}
    proc = subprocess.Popen([sys.executable, "-m", "owa_kit.cli", "serve", "--port", str(port)],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    env_file = tmp_path / ".owa-kit" / "server.env"
    try:
        deadline = time.monotonic() + 120
        while not env_file.exists():
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            assert time.monotonic() < deadline, "owa-kit serve did not come up"
            time.sleep(0.3)
        time.sleep(0.3)  # the file is written whole before the first line is printed
        values = read_env_file(env_file)
        assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
        assert values["OWA_KIT_URL"] == f"http://127.0.0.1:{port}"
        with Client(values["OWA_KIT_URL"], values["OWA_KIT_TOKEN"]) as c:
            assert c.require_admin()["email"] == "admin@owa-kit.local"
            assert "kit_echo" in {m["id"] for m in c.models(refresh=False)}
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, out
    assert f"Open WebUI 0.12.4 at http://127.0.0.1:{port}" in out
    assert values["OWA_KIT_TOKEN"] not in out and values["OWA_KIT_ADMIN_PASSWORD"] not in out

    # the data stays: a second start signs the same admin in and writes a fresh token
    with serve(Path(OWUI_PYTHON), port=free_port(), data_dir=tmp_path / ".owa-kit" / "server",
               env_file=env_file) as served:
        assert served.created is False
        again = read_env_file(env_file)
        assert again["OWA_KIT_ADMIN_PASSWORD"] == values["OWA_KIT_ADMIN_PASSWORD"]
        with Client(again["OWA_KIT_URL"], again["OWA_KIT_TOKEN"]) as c:
            assert c.require_admin()["email"] == "admin@owa-kit.local"
