"""Packaging: pyproject.toml is the source of truth; environment.yml and the installed
distribution must agree with it."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import distribution, entry_points
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import owa_kit

ROOT = Path(__file__).resolve().parent.parent

# PyPI name -> conda-forge name, where they differ (none do today; add here when one does).
CONDA_NAME: dict[str, str] = {}
# Extras have no conda equivalent: the packages they pull in are listed by name instead.
CONDA_EXTRAS: dict[tuple[str, str], set[str]] = {("python-socketio", "asyncio-client"): {"aiohttp"}}
# In environment.yml but not a dependency of the package.
CONDA_ONLY = {"python", "pip"}

_CONDA_SPEC = re.compile(r"^([A-Za-z0-9_.\-]+)\s*(.*)$")


def read_environment_yml(text: str) -> dict[str, list[str]]:
    """The two lists of this simple file: ``dependencies`` (conda) and its ``pip:`` list.

    Not a YAML parser: it reads block lists of plain scalars, which is all the file uses."""
    out: dict[str, list[str]] = {"conda": [], "pip": []}
    section = None
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        item = line.strip()
        if indent == 0:
            section = "conda" if item == "dependencies:" else None
        elif section and item == "- pip:":
            section = "pip"
        elif section == "pip" and item.startswith("- ") and indent <= 2:
            section = "conda"
            out["conda"].append(item[2:].strip())
        elif section and item.startswith("- "):
            out[section].append(item[2:].strip())
    return out


def conda_specs(conda: list[str]) -> dict[str, str]:
    """``{normalised name: version spec}`` of conda match specs like ``pydantic>=2.7``."""
    specs = {}
    for entry in conda:
        m = _CONDA_SPEC.match(entry)
        assert m, f"owa-kit: cannot read conda spec {entry!r} in environment.yml"
        specs[canonicalize_name(m.group(1))] = m.group(2).replace(" ", "")
    return specs


def expected_conda(requirements: list[str]) -> dict[str, str]:
    """What environment.yml must list for these PEP 508 requirements."""
    want = {}
    for text in requirements:
        req = Requirement(text)
        name = canonicalize_name(req.name)
        want[CONDA_NAME.get(name, name)] = str(req.specifier)
        for extra in req.extras:
            for pkg in CONDA_EXTRAS[(name, canonicalize_name(extra))]:
                want.setdefault(pkg, "")
    return want


def mismatches(pyproject: dict[str, object], env_text: str) -> list[str]:
    project = pyproject["project"]
    assert isinstance(project, dict)
    want = expected_conda(project["dependencies"] + project["optional-dependencies"]["lab"])
    have = conda_specs(read_environment_yml(env_text)["conda"])
    problems = [f"missing from environment.yml: {n}{want[n]}" for n in sorted(want.keys() - have)]
    problems += [
        f"not in pyproject.toml: {n}" for n in sorted(have.keys() - want.keys() - CONDA_ONLY)
    ]
    problems += [
        f"{n}: environment.yml has {have[n]!r}, pyproject.toml has {want[n]!r}"
        for n in sorted(want.keys() & have.keys())
        if want[n] and have[n] != want[n]
    ]
    return problems


@pytest.fixture(scope="module")
def pyproject() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


@pytest.fixture(scope="module")
def env_text() -> str:
    return (ROOT / "environment.yml").read_text()


def test_environment_yml_matches_runtime_and_lab_dependencies(pyproject, env_text) -> None:
    assert mismatches(pyproject, env_text) == []


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (("  - nbval>=0.11\n", ""), "missing from environment.yml: nbval>=0.11"),
        (("  - aiohttp ", "  - requests "), "missing from environment.yml: aiohttp"),
        (("  - pip\n", "  - pip\n  - numpy\n"), "not in pyproject.toml: numpy"),
        (("pydantic>=2.7", "pydantic>=2.5"), "pydantic: environment.yml has '>=2.5'"),
        (("ipykernel>=7.4", "ipykernel_x>=7.4"), "missing from environment.yml: ipykernel"),
    ],
)
def test_a_drifted_environment_yml_is_reported(pyproject, env_text, edit, problem) -> None:
    old, new = edit
    assert old in env_text
    found = mismatches(pyproject, env_text.replace(old, new, 1))
    assert any(p.startswith(problem) for p in found), found


def test_conda_names_are_normalised() -> None:
    assert conda_specs(["Markdown_It.Py >= 3", "python=3.11"]) == {
        "markdown-it-py": ">=3",
        "python": "=3.11",
    }


def test_environment_yml_python_meets_requires_python(pyproject, env_text) -> None:
    project = pyproject["project"]
    assert isinstance(project, dict)
    python = conda_specs(read_environment_yml(env_text)["conda"])["python"]
    assert python == "=3.11"
    assert project["requires-python"] == ">=3.11"


def test_environment_yml_installs_the_project_editable(env_text) -> None:
    assert read_environment_yml(env_text)["pip"] == ["-e ."]


def test_version_is_the_installed_distribution_version() -> None:
    assert owa_kit.__version__ == distribution("owa-kit").version


def test_version_lives_only_in_about(pyproject) -> None:
    project = pyproject["project"]
    assert isinstance(project, dict)
    assert "version" not in project and "version" in project["dynamic"]
    about = (ROOT / "owa_kit/__about__.py").read_text()
    assert re.search(r'^__version__ = "\d+\.\d+\.\d+[\w.]*"$', about, re.MULTILINE)


def test_console_script_runs_the_cli() -> None:
    (script,) = entry_points(group="console_scripts", name="owa-kit")
    from owa_kit.cli import main

    assert script.value == "owa_kit.cli:main"
    assert script.load() is main
