"""Notebooks as regression tests: nbval over a recorded fixture, ``record``, the plugin."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from owa_kit.notebook._cli import plugin_registered, pytest_command
from owa_kit.notebook._record import record
from owa_kit.pytest_plugin import CELL_TIMEOUT, SANITIZE_FILE

HERE = Path(__file__).parent
FIXTURE = HERE / "notebooks" / "demo_action.ipynb"

pytestmark = pytest.mark.nbval


def nbval(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    plugin = [] if plugin_registered() else ["-p", "owa_kit.pytest_plugin"]
    env = {k: v for k, v in os.environ.items() if k != "OWA_KIT_MODE"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *plugin,
         *map(str, args)],
        capture_output=True, text=True, cwd=cwd or HERE.parent, env=env, timeout=300)


def copy_fixture(tmp_path: Path) -> Path:
    for f in ("demo_action.ipynb", "demo_action.py"):
        shutil.copy(HERE / "notebooks" / f, tmp_path / f)
    return tmp_path / "demo_action.ipynb"


def test_recorded_fixture_passes_nbval_and_stays_unchanged() -> None:
    before = FIXTURE.read_bytes()
    out = nbval("--nbval", FIXTURE)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "6 passed" in out.stdout
    assert FIXTURE.read_bytes() == before


def test_fixture_holds_no_widget_state_and_a_constant_panel_repr() -> None:
    nb = json.loads(FIXTURE.read_text())
    assert "widgets" not in nb["metadata"]
    plains = ["".join(o["data"]["text/plain"]) for c in nb["cells"] for o in c.get("outputs", [])
              if o.get("output_type") == "display_data"]
    assert plains and set(plains) == {"<owa-kit panel>"}


def test_a_changed_answer_fails_nbval_with_the_transcript_diff(tmp_path: Path) -> None:
    nb_path = copy_fixture(tmp_path)
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells[2].source = nb.cells[2].source.replace('"Ada"', '"Bob"')
    nbformat.write(nb, nb_path)
    out = nbval("--nbval", nb_path, cwd=tmp_path)
    assert out.returncode == 1
    assert '-> "Bob"' in out.stdout and '-> "Ada"' in out.stdout


def test_record_writes_outputs_that_nbval_accepts(tmp_path: Path) -> None:
    nb_path = copy_fixture(tmp_path)
    nb = nbformat.read(nb_path, as_version=4)
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs, c.execution_count = [], None
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nbformat.write(nb, nb_path)
    record(nb_path)
    saved = json.loads(nb_path.read_text())
    assert "widgets" not in saved["metadata"]
    assert all("execution" not in c["metadata"] for c in saved["cells"])
    assert any("call input" in "".join(o.get("text", "")) for c in saved["cells"]
               for o in c.get("outputs", []))
    errors = [o for c in saved["cells"] for o in c.get("outputs", [])
              if o["output_type"] == "error"]
    assert [e["ename"] for e in errors] == ["MissingAnswerError"]
    assert errors[0]["traceback"] == [f"MissingAnswerError: {errors[0]['evalue']}"]
    assert "owa_kit/_" not in nb_path.read_text()  # no traceback paths in what is committed
    out = nbval("--nbval", nb_path, cwd=tmp_path)
    assert out.returncode == 0, out.stdout


def test_record_refuses_a_failing_notebook(tmp_path: Path) -> None:
    from owa_kit.errors import OwaKitError

    nb_path = copy_fixture(tmp_path)
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells[6].metadata["tags"] = []
    nbformat.write(nb, nb_path)
    before = nb_path.read_bytes()
    with pytest.raises(OwaKitError, match="raises-exception"):
        record(nb_path)
    assert nb_path.read_bytes() == before


def test_nbval_on_two_workers_keeps_each_notebook_on_one_kernel(tmp_path: Path) -> None:
    pytest.importorskip("xdist", reason="pytest-xdist is an optional extra")
    nb_path = copy_fixture(tmp_path)
    out = nbval("--nbval", "-n", "2", "--dist", "load", nb_path, cwd=tmp_path)
    assert out.returncode == 0, out.stdout
    assert "6 passed" in out.stdout


SHOW = '''
def pytest_collection_finish(session):
    o = session.config.option
    print("OPTS", o.nbval_cell_timeout, o.nbval_sanitize_with, getattr(o, "dist", None))
'''


@pytest.mark.parametrize(("args", "timeout", "sanitize"), [
    ([], CELL_TIMEOUT, SANITIZE_FILE),
    (["--nbval-cell-timeout", "7"], 7.0, SANITIZE_FILE),
    (["--nbval-cell-timeout=2000"], 2000.0, SANITIZE_FILE),
    (["--nbval-sanitize-with", "mine.cfg"], CELL_TIMEOUT, "mine.cfg"),
])
def test_plugin_defaults_only_when_the_user_gave_none(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], timeout: float,
        sanitize: str) -> None:
    (tmp_path / "show_opts.py").write_text(SHOW)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        p for p in (str(tmp_path), os.environ.get("PYTHONPATH", "")) if p))
    out = nbval("--co", "-s", "-p", "show_opts", "--nbval", *args, FIXTURE)
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("OPTS"))
    assert line.split()[1:3] == [str(timeout), sanitize]


def test_plugin_sets_scripted_mode_for_kernels() -> None:
    code = ("import os; os.environ.pop('OWA_KIT_MODE', None); import owa_kit.pytest_plugin; "
            "print(os.environ['OWA_KIT_MODE'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "scripted"


def test_owa_kit_test_command_line() -> None:
    cmd = pytest_command(["nbs"], workers=2, extra=["--", "-x"])
    assert cmd[1:4] == ["-m", "pytest", "--nbval"]
    assert cmd[-3:] == ["loadfile", "-x", "nbs"]
    assert pytest_command([], lax=True)[3] == "--nbval-lax"
    assert pytest_command([])[-1] == "notebooks"


def test_cli_module_imports_neither_widgets_nor_the_plugin() -> None:
    code = ("import os, sys; os.environ.pop('OWA_KIT_MODE', None); "
            "import owa_kit.notebook._cli as c; "
            "print([m for m in ('ipywidgets', 'owa_kit.pytest_plugin', "
            "'owa_kit.notebook._frontend') if m in sys.modules], os.environ.get('OWA_KIT_MODE'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] None"


def test_cli_record_then_test(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from owa_kit.notebook._cli import add_commands

    parser = argparse.ArgumentParser(prog="owa-kit")
    add_commands(parser.add_subparsers(dest="command", required=True))
    nb_path = copy_fixture(tmp_path)
    args = parser.parse_args(["record", str(nb_path)])
    assert args.func(args) == 0
    assert f"owa-kit: recorded {nb_path}" in capsys.readouterr().out
    args = parser.parse_args(["test", str(nb_path), "--", "-q", "-p", "no:cacheprovider"])
    assert args.func(args) == 0
    args = parser.parse_args(["record", str(tmp_path / "missing.ipynb")])
    assert args.func(args) == 1
    assert "owa-kit: no notebook at" in capsys.readouterr().out
