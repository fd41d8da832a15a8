"""A real JupyterLab per test (the ``lab`` fixture, shared by tests/browser).

A test module says what the lab's root directory holds with a ``lab_root`` fixture, or per
test with ``@pytest.mark.parametrize("lab_root", [LabRoot(...)])``; ``lab`` copies those files
into a tmp root, starts ``jupyter lab`` from ``OWA_KIT_LAB_PYTHON`` on a free port with a
token, and pre-starts the kernels of the notebooks named in ``LabRoot.kernels``. The helpers
that drive the page are in ``labdriver.py``.

Needs JupyterLab in ``OWA_KIT_LAB_PYTHON`` (default ``.venv-lab``) and chromium in
``OWA_KIT_CHROMIUM`` (default ``/usr/bin/chromium``); ``make test`` sets both up. A missing
one fails the tests (it never skips them).
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from labdriver import CHROMIUM, LAB_PYTHON, TOKEN, Lab, LabRoot, api, free_port, need, populate


@pytest.fixture
def lab(lab_root: LabRoot, tmp_path: Path) -> Iterator[Lab]:
    need(LAB_PYTHON, "the JupyterLab venv's python", "OWA_KIT_LAB_PYTHON")
    need(CHROMIUM, "chromium", "OWA_KIT_CHROMIUM")
    root = tmp_path / "root"
    root.mkdir()
    populate(root, lab_root.files)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "OWA_KIT_MODE"}  # interactive
    env["JUPYTER_CONFIG_DIR"] = str(tmp_path / ".jupyter")  # no user settings or prompts
    log_path = tmp_path / "lab.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    cmd = [LAB_PYTHON, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", f"--IdentityProvider.token={TOKEN}",
           f"--ServerApp.root_dir={root}", f"--LabApp.workspaces_dir={tmp_path / '.ws'}",
           "--LabApp.news_url=", "--ServerApp.open_browser=False"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                api(port, "/api/status")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("owa-kit: jupyter lab did not start:\n"
                                + log_path.read_text()[-3000:], pytrace=False)
                time.sleep(0.3)
        # Start the notebooks' kernels before the page opens: on a loaded machine JupyterLab
        # otherwise may ask "Select Kernel" before its kernelspecs have arrived.
        for path in lab_root.kernels:
            api(port, "/api/sessions", method="POST", body={
                "path": path, "name": Path(path).name, "type": "notebook",
                "kernel": {"name": "python3"}})
        yield Lab(port, root)
    finally:
        try:
            for k in api(port, "/api/kernels"):
                api(port, f"/api/kernels/{k['id']}", method="DELETE")
        except OSError:
            pass
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
