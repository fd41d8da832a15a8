"""Start and stop a real Open WebUI 0.12.4 on 127.0.0.1, offline, by PID.

The environment is the one measured in ``reference/openwebui-server.md`` §2.1: no model
provider is contacted, no pip install runs, event calls time out, and a fresh ``DATA_DIR``
makes the first signup the admin.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from ..errors import ServerError

__all__ = ["OFFLINE_ENV", "ServerProcess", "start_server"]

#: Environment that keeps the server off the network and its startup short (reference §2.1).
OFFLINE_ENV: Mapping[str, str] = {
    "OFFLINE_MODE": "true",
    "HF_HUB_OFFLINE": "1",
    "ENABLE_VERSION_UPDATE_CHECK": "false",
    "ENABLE_OPENAI_API": "false",  # else /api/models calls api.openai.com
    "ENABLE_OLLAMA_API": "false",
    "OLLAMA_BASE_URL": "http://127.0.0.1:11434",  # else config.py probes localhost at import
    "USE_SLIM_DOCKER": "true",  # the slim install has no torch/chromadb
    "WEBSOCKET_EVENT_CALLER_TIMEOUT": "3",  # unset means an unanswered call hangs forever
    "ENABLE_PIP_INSTALL_FRONTMATTER_REQUIREMENTS": "false",
    "ANONYMIZED_TELEMETRY": "false",
    "SCARF_NO_ANALYTICS": "true",
    "DO_NOT_TRACK": "true",
}

_LOG_TAIL_LINES = 40


@dataclass
class ServerProcess:
    """A running Open WebUI started by :func:`start_server`; stop it with :meth:`stop`."""

    url: str
    port: int
    pid: int
    data_dir: Path
    log_path: Path
    startup_seconds: float
    _proc: subprocess.Popen[bytes] = field(repr=False)

    @property
    def running(self) -> bool:
        return self._proc.poll() is None

    def log_tail(self, lines: int = _LOG_TAIL_LINES) -> str:
        """The last ``lines`` lines of the server log."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, grace: float = 10.0) -> int | None:
        """SIGTERM the server's PID, SIGKILL it after ``grace`` seconds; return its exit code."""
        return _stop(self._proc, grace)


def _stop(proc: subprocess.Popen[bytes], grace: float) -> int | None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=grace)
    return proc.returncode


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def start_server(python: str | os.PathLike[str], *, data_dir: str | os.PathLike[str] | None = None,
                 port: int | None = None, startup_timeout: float = 180.0,
                 env: Mapping[str, str] | None = None) -> Iterator[ServerProcess]:
    """Run Open WebUI from the venv of ``python`` on 127.0.0.1 for the ``with`` block.

    >>> with start_server(".venv-owui/bin/python") as server:   # doctest: +SKIP
    ...     print(server.url, server.startup_seconds)

    ``data_dir`` defaults to a fresh temporary directory (so the first signup is the admin);
    ``env`` adds to or overrides :data:`OFFLINE_ENV`. Raises ``ServerError`` with the log tail
    when the server exits or does not answer ``/health`` within ``startup_timeout`` seconds.
    """
    # Absolute but not resolved: bin/python is a symlink to the base interpreter, and
    # resolving it would leave the venv (reference §7.1).
    py = Path(python).absolute()
    if not py.exists():
        raise ServerError(f"owa-kit: no Open WebUI python at {py}; run `scripts/owui.sh` "
                          "(or `make test`) to create .venv-owui, or pass the right python")
    owned_dir = data_dir is None
    root = Path(tempfile.mkdtemp(prefix="owa-kit-owui-") if data_dir is None else data_dir)
    root = root.absolute()
    root.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    full_env = {**os.environ, **OFFLINE_ENV,
                "DATA_DIR": str(root / "data"),
                "WEBUI_SECRET_KEY": secrets.token_urlsafe(32),
                "PORT": str(port),
                **(env or {})}
    full_env.pop("VIRTUAL_ENV", None)
    log_path = root / "server.log"
    cmd = [str(py), "-c", "from open_webui import app; app()", "serve",
           "--host", "127.0.0.1", "--port", str(port)]
    started = time.monotonic()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=root, env=full_env, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    server = ServerProcess(url=url, port=port, pid=proc.pid, data_dir=root, log_path=log_path,
                           startup_seconds=0.0, _proc=proc)
    healthy = False
    try:
        _wait_healthy(server, started + startup_timeout, startup_timeout)
        healthy = True
        server.startup_seconds = round(time.monotonic() - started, 2)
        yield server
    finally:
        _stop(proc, 10.0)
        if owned_dir:
            # a failed start keeps its log: the error message points at it
            shutil.rmtree(root if healthy else root / "data", ignore_errors=True)


def _wait_healthy(server: ServerProcess, deadline: float, timeout: float) -> None:
    with httpx.Client(timeout=2.0) as client:
        while True:
            if not server.running:
                raise ServerError(
                    f"owa-kit: Open WebUI exited during startup (rc={server._proc.returncode}); "
                    f"fix the cause shown in its log {server.log_path}:\n{server.log_tail()}")
            try:
                if client.get(f"{server.url}/health").status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise ServerError(
                    f"owa-kit: Open WebUI did not answer {server.url}/health within "
                    f"{timeout:.0f} s; raise startup_timeout or see its log {server.log_path}:\n"
                    f"{server.log_tail()}")
            time.sleep(0.25)
