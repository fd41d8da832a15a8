"""``notebooks/`` as regression tests: one ``pytest --nbval notebooks/`` run over all of them.

nbval collects ``.ipynb`` files only with ``--nbval``, and ``testpaths`` is ``tests``, so the
notebooks run here, once, in a subprocess (each notebook in its own kernel, scripted mode).
The workshop exercises are left out by ``notebooks/workshop/conftest.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from owa_kit.notebook._cli import plugin_registered

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
WORKSHOP = NOTEBOOKS / "workshop"
SOLUTION_ONLY = {"assert report.ok, report", "report"}


def code_cells(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def regression_notebooks() -> list[Path]:
    return sorted(p for p in NOTEBOOKS.rglob("*.ipynb")
                  if "exercises" not in p.parts and ".ipynb_checkpoints" not in p.parts)


@pytest.mark.nbval
def test_every_notebook_passes_nbval() -> None:
    expected = {p.relative_to(ROOT).as_posix(): len(code_cells(p)) for p in regression_notebooks()}
    plugin = [] if plugin_registered() else ["-p", "owa_kit.pytest_plugin"]
    env = {k: v for k, v in os.environ.items() if k != "OWA_KIT_MODE"}
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "-q", "--color=no", "-p", "no:cacheprovider",
         *plugin, "notebooks"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    report = out.stdout[-8000:]
    assert out.returncode == 0, (
        f"owa-kit: `pytest --nbval notebooks/` failed (exit {out.returncode}). If the new "
        "output is right, re-record the notebook: `owa-kit record notebooks/NAME.ipynb`.\n"
        + report + out.stderr[-2000:])
    total = sum(expected.values())
    assert out.stdout.splitlines()[-1].startswith(f"{total} passed"), (
        f"owa-kit: expected {total} notebook cells to pass ({expected}), got:\n{report}")


def test_exercises_are_not_collected_and_solutions_are() -> None:
    plugin = [] if plugin_registered() else ["-p", "owa_kit.pytest_plugin"]
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--co", "-q", "-p", "no:cacheprovider",
         *plugin, "notebooks/workshop"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    files = {line.split("::")[0] for line in out.stdout.splitlines() if "::" in line}
    assert files == {p.relative_to(ROOT).as_posix()
                     for p in (WORKSHOP / "solutions").glob("*.ipynb")}
    assert len(files) >= 3


@pytest.mark.parametrize("exercise", sorted((WORKSHOP / "exercises").glob("*.ipynb")),
                         ids=lambda p: p.stem)
def test_each_exercise_is_its_solution_without_the_asserts(exercise: Path) -> None:
    """So the regression run over the solutions covers every check learners will run."""
    solution = WORKSHOP / "solutions" / exercise.name

    def strip(cells: list[str]) -> list[str]:
        return ["\n".join(ln for ln in c.splitlines() if ln not in SOLUTION_ONLY) for c in cells]

    assert strip(code_cells(exercise)) == strip(code_cells(solution))
    action = next(c for c in code_cells(exercise) if "ACTION = " in c)
    name = action.split('ACTION = "')[1].split('"')[0]
    starter, finished = (WORKSHOP / d / name for d in ("exercises", "solutions"))
    assert starter.read_text() != finished.read_text()
