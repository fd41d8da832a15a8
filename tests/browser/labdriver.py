"""Helpers for tests/browser: the lab's REST API, what its root holds, and the chromium page.

The ``lab`` fixture (conftest.py) starts the server; ``lab_page`` opens a notebook of it in
Debian chromium through Playwright, with the kernel idle; ``menu`` and ``save`` click
JupyterLab's menus.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import nbformat
import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
LAB_PYTHON = os.environ.get("OWA_KIT_LAB_PYTHON", str(ROOT / ".venv-lab" / "bin" / "python"))
CHROMIUM = os.environ.get("OWA_KIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TOKEN = "owa-kit-browser-test"
EXPECT_TIMEOUT = 30_000  # ms; generous, the machine may be busy with other test runs


def need(path: str, what: str, var: str) -> None:
    if not os.path.exists(path):
        pytest.fail(f"owa-kit: {what} not found at {path} ({var}). Run `make test`, which sets "
                    "up .venv-lab and chromium before the tests, or point "
                    f"{var} at one.", pytrace=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def api(port: int, path: str, method: str = "GET", body: Any = None) -> Any:
    """One call to the Jupyter server's REST API, authenticated with the test token."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, data=data,
                                 headers={"Authorization": f"token {TOKEN}",
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        body = resp.read()
    return json.loads(body) if body else None


@dataclass(frozen=True)
class LabRoot:
    """What the lab's root holds: ``files`` maps a relative path to a file or folder to copy,
    or to a notebook to write; ``kernels`` names the notebooks whose kernels start first."""

    files: Mapping[str, Path | nbformat.NotebookNode]
    kernels: tuple[str, ...]


class Lab(NamedTuple):
    port: int
    root: Path

    def notebook(self, path: str) -> nbformat.NotebookNode:
        """``path`` as the server has it on disk (what JupyterLab last saved)."""
        model = api(self.port, f"/api/contents/{path}?content=1&type=notebook")
        return nbformat.from_dict(model["content"])


def populate(root: Path, files: Mapping[str, Path | nbformat.NotebookNode]) -> None:
    """Copy or write ``files`` (see ``LabRoot``) under ``root``."""
    for rel, src in files.items():
        dest = root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(src, Path) and src.is_dir():
            shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__"))
        elif isinstance(src, Path):
            shutil.copy(src, dest)
        else:
            nbformat.write(src, dest)


@contextmanager
def lab_page(lab: Lab, notebook: str, name: str) -> Iterator[Page]:
    """Chromium showing ``notebook`` with its kernel idle; ``artifacts/{name}-failed.png``
    is saved if the block raises."""
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    expect.set_options(timeout=EXPECT_TIMEOUT)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        page.set_default_timeout(60_000)
        try:
            page.goto(f"http://127.0.0.1:{lab.port}/lab/tree/{notebook}?token={TOKEN}")
            _wait_for_kernel(page)
            news = page.get_by_role("alert").get_by_role("button", name="No")
            if news.count():
                news.click()  # the "get notified about Jupyter news?" toast covers widgets
            yield page
        except Exception:
            page.screenshot(path=str(ARTIFACTS / f"{name}-failed.png"))
            raise
        finally:
            browser.close()


def _wait_for_kernel(page: Page) -> None:
    """Wait until the notebook's kernel is connected and idle.

    The kernel was started by the ``lab`` fixture, but a cold JupyterLab (first run after
    boot) once did not pick that session up and asked "Select Kernel" when Run All was
    clicked; its default choice is the notebook's python3, so accept it.
    """
    from playwright.sync_api import expect

    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    kernel_name = page.locator(".jp-Toolbar-kernelName", has_text="Python 3")
    select = page.locator(".jp-Dialog", has_text="Select Kernel")
    expect(kernel_name.or_(select).first).to_be_visible(timeout=60_000)
    if select.count():
        select.locator("button.jp-mod-accept").click()
        expect(kernel_name).to_be_visible(timeout=60_000)
    expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")
           .first).to_be_attached(timeout=60_000)


def menu(page: Page, top: str, item: str) -> None:
    """Click ``item`` in the menu bar's ``top`` menu (e.g. "Run", "Run All Cells")."""
    page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def save(page: Page) -> None:
    """File > Save Notebook, and wait until the tab is no longer marked dirty."""
    from playwright.sync_api import expect

    menu(page, "File", "Save Notebook")
    expect(page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-current.jp-mod-dirty")
           ).to_have_count(0)
