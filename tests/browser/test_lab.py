"""The notebook front in a real JupyterLab, driven by Debian's chromium through Playwright.

A human's path through an interactive cell: the panel shows the status shimmering while the
confirmation dialog waits; Confirm; type a name, leave the field, type more (the second edit
must reach the kernel: the ipykernel 7.4 idle-ack workaround); Confirm; the reply changes,
the status is done, a toast appears. A second cell is cancelled. Screenshots go to
``artifacts/``.

Needs JupyterLab in ``OWA_KIT_LAB_PYTHON`` (default ``.venv-lab``) and chromium in
``OWA_KIT_CHROMIUM`` (default ``/usr/bin/chromium``); ``make test`` sets both up.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
DEMO = ROOT / "tests" / "notebooks" / "demo_action.py"
LAB_PYTHON = os.environ.get("OWA_KIT_LAB_PYTHON", str(ROOT / ".venv-lab" / "bin" / "python"))
CHROMIUM = os.environ.get("OWA_KIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TOKEN = "owa-kit-browser-test"

pytestmark = pytest.mark.browser


def _need(path: str, what: str, var: str) -> None:
    if not os.path.exists(path):
        pytest.fail(f"owa-kit: {what} not found at {path} ({var}). Run `make test`, which sets "
                    "up .venv-lab and chromium before the tests, or point "
                    f"{var} at one.", pytrace=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _api(port: int, path: str, method: str = "GET", body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, data=data,
                                 headers={"Authorization": f"token {TOKEN}",
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as resp:
        body = resp.read()
    return json.loads(body) if body else None


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    _need(LAB_PYTHON, "the JupyterLab venv's python", "OWA_KIT_LAB_PYTHON")
    _need(CHROMIUM, "chromium", "OWA_KIT_CHROMIUM")
    shutil.copy(DEMO, tmp_path / "demo_action.py")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in (
        'import owa_kit as owa\nact = owa.load("demo_action.py")',
        'run = await owa.run(act, "The reply", answers=[True, "Ada"])',
        'run2 = await owa.run(act, "The reply")',
        "print([c.answer for c in run.calls + run2.calls])",
    )]
    nbformat.write(nb, tmp_path / "browser.ipynb")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "OWA_KIT_MODE"}  # interactive
    env["JUPYTER_CONFIG_DIR"] = str(tmp_path / ".jupyter")  # no user settings or prompts
    log = open(tmp_path / "lab.log", "w")  # noqa: SIM115 - closed below
    cmd = [LAB_PYTHON, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", f"--IdentityProvider.token={TOKEN}",
           f"--ServerApp.root_dir={tmp_path}", f"--LabApp.workspaces_dir={tmp_path / '.ws'}",
           "--LabApp.news_url=", "--ServerApp.open_browser=False"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env,
                              cwd=tmp_path)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _api(port, "/api/status")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("owa-kit: jupyter lab did not start:\n"
                                + (tmp_path / "lab.log").read_text()[-3000:], pytrace=False)
                time.sleep(0.3)
        # Start the notebook's kernel before the page opens: on a loaded machine JupyterLab
        # otherwise may ask "Select Kernel" before its kernelspecs have arrived.
        _api(port, "/api/sessions", method="POST", body={
            "path": "browser.ipynb", "name": "browser.ipynb", "type": "notebook",
            "kernel": {"name": "python3"}})
        yield port, tmp_path
    finally:
        try:
            for k in _api(port, "/api/kernels"):
                _api(port, f"/api/kernels/{k['id']}", method="DELETE")
        except OSError:
            pass
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_interactive_cell_in_jupyterlab(lab: tuple[int, Path]) -> None:
    from playwright.sync_api import expect, sync_playwright

    port, _root = lab
    ARTIFACTS.mkdir(exist_ok=True)
    expect.set_options(timeout=30_000)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1600})
            page.set_default_timeout(60_000)
            page.goto(f"http://127.0.0.1:{port}/lab/tree/browser.ipynb?token={TOKEN}")
            page.locator(".jp-Notebook .jp-Cell").first.wait_for()
            expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")
                   .first).to_be_attached(timeout=60_000)
            news = page.get_by_role("alert").get_by_role("button", name="No")
            if news.count():
                news.click()  # the "get notified about Jupyter news?" toast covers widgets
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()

            # 1. confirmation dialog, status shimmering, pre-filled note from answers=
            cells = page.locator(".jp-Notebook .jp-CodeCell")
            first = cells.nth(1)
            dialog = first.locator(".owa-dialog-confirmation")
            expect(dialog).to_be_visible()
            expect(first.locator(".owa-shimmer")).to_have_text("Asking the user")
            expect(dialog).to_contain_text("Rewrite the reply?")
            expect(dialog.locator("strong")).to_have_text("greeting")  # markdown message
            expect(dialog).to_contain_text("answers= has True")
            page.screenshot(path=str(ARTIFACTS / "lab-1-confirmation.png"))
            dialog.get_by_role("button", name="Confirm").click()

            # 2. input dialog: pre-filled "Ada"; edit, leave the field, edit again
            box = first.locator(".owa-dialog-input textarea")
            expect(box).to_have_value("Ada")
            box.fill("")
            box.press_sequentially("Ad")
            first.locator(".owa-dialog-input b").first.click()  # blur: first update, "Ad"
            box.click()
            box.press("End")
            box.press_sequentially("a Lovelace")  # second update, sent when Confirm is clicked
            page.screenshot(path=str(ARTIFACTS / "lab-2-input.png"))
            first.locator(".owa-dialog-input").get_by_role("button", name="Confirm").click()

            # 3. the reply changed, the status is done (no shimmer), the toast is shown
            expect(first.locator(".owa-content")).to_contain_text("Hello, Ada Lovelace!")
            expect(first.locator(".owa-content strong")).to_have_text("Ada Lovelace")
            expect(first.locator(".owa-status")).to_have_text("Done")
            expect(first.locator(".owa-shimmer")).to_have_count(0)
            expect(first.locator(".owa-toast-success")).to_have_text("Greeted Ada Lovelace")
            expect(first.locator(".jp-OutputArea-output pre").last).to_contain_text(
                'call input {"message": "Who is greeted?", "placeholder": "Ada", "title": '
                '"Your name"} -> "Ada Lovelace"')
            page.screenshot(path=str(ARTIFACTS / "lab-3-done.png"))

            # 4. the next cell's dialog: Cancel
            second = cells.nth(2)
            dialog2 = second.locator(".owa-dialog-confirmation")
            expect(dialog2).to_be_visible()
            dialog2.get_by_role("button", name="Cancel").click()
            expect(second.locator(".owa-toast-warning")).to_have_text("Nothing changed")
            expect(second.locator(".owa-status")).to_have_text("Cancelled")
            expect(cells.nth(3).locator(".jp-OutputArea-output")).to_contain_text(
                "[True, 'Ada Lovelace', False]")
            page.screenshot(path=str(ARTIFACTS / "lab-4-cancelled.png"))
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "lab-failed.png"))
            raise
        finally:
            browser.close()
