"""``owa-kit new NAME``: the generated action and notebook pass ``owa-kit check`` and nbval."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import owa_kit as owa
from owa_kit import cli
from owa_kit._scaffold import action_source, notebook
from owa_kit.notebook._cli import plugin_registered

OWA_KIT = [sys.executable, "-m", "owa_kit.cli"]


def sh(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "OWA_KIT_MODE"}
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=300)


@pytest.mark.nbval
def test_new_passes_check_and_nbval_as_generated(tmp_path: Path) -> None:
    out = sh(*OWA_KIT, "new", "word_stats", "--dir", tmp_path, "--author", "Ada", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    action, nb_path = tmp_path / "actions" / "word_stats.py", tmp_path / "notebooks" / (
        "word_stats.ipynb")
    assert out.stdout.splitlines()[:2] == [f"owa-kit: created {action}",
                                           f"owa-kit: created {nb_path} (outputs recorded)"]
    assert action.read_text().startswith('"""\ntitle: Word Stats\nauthor: Ada\n')

    checked = sh(*OWA_KIT, "check", "actions/word_stats.py", cwd=tmp_path)
    assert checked.returncode == 0
    assert [ln.split()[1] for ln in checked.stdout.splitlines() if "OWA" in ln] == ["OWA116"]

    cells = json.loads(nb_path.read_text())["cells"]
    transcripts = ["".join(o["text"]) for c in cells for o in c.get("outputs", [])
                   if o.get("name") == "stdout"]
    assert len(transcripts) == 2 and "-> true" in transcripts[0] and "-> false" in transcripts[1]
    plugin = [] if plugin_registered() else ["-p", "owa_kit.pytest_plugin"]
    nbval = sh(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *plugin,
               "--nbval", "notebooks/word_stats.ipynb", cwd=tmp_path)
    assert nbval.returncode == 0, nbval.stdout
    assert "4 passed" in nbval.stdout


def test_new_without_record_writes_a_notebook_without_outputs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["new", "notes", "--dir", str(tmp_path), "--no-record"]) == 0
    assert "(outputs recorded)" not in capsys.readouterr().out
    nb = json.loads((tmp_path / "notebooks" / "notes.ipynb").read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert [c["id"] for c in nb["cells"]] == [f"notes-{i}" for i in range(len(nb["cells"]))]
    assert all(c.get("outputs", []) == [] for c in nb["cells"])
    assert 'owa.load("../actions/notes.py")' in "".join(nb["cells"][1]["source"])


@pytest.mark.parametrize(("answer", "text", "status"), [
    (True, "The reply.\n\nChecked.", "Note added"),
    (False, "The reply.", "Cancelled"),
    (owa.answers.timeout(), "The reply.", "Cancelled"),
])
def test_generated_action_handles_confirm_and_cancel(answer: object, text: str,
                                                     status: str) -> None:
    act = owa.load(action_source("notes"), id="notes")
    r = asyncio.run(owa.run(act, "The reply.", answers=[answer]))
    assert r.message.text == text
    assert r.message.status is not None and r.message.status["description"] == status
    assert r.findings == []
    assert [f.code for f in owa.check(action_source("notes"), id="notes")] == ["OWA116"]


def test_new_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "actions").mkdir()
    (tmp_path / "actions" / "notes.py").write_text("# mine\n")
    assert cli.main(["new", "notes", "--dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "already exist(s); nothing was written" in err and "notes.py" in err
    assert (tmp_path / "actions" / "notes.py").read_text() == "# mine\n"
    assert not (tmp_path / "notebooks").exists()


@pytest.mark.parametrize(("name", "suggestion"), [
    ("My-Action", "Try 'my_action'."),
    ("Weather", "Try 'weather'."),
    ("2fast", ""),
    ("a.b", "Try 'a_b'."),
    ("_private", "Try 'private'."),
    ("", ""),
])
def test_new_rejects_names_that_are_not_action_ids(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, suggestion: str) -> None:
    assert cli.main(["new", name, "--dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"owa-kit: {name!r} cannot name an action" in err
    assert ("Try " in err) == bool(suggestion) and suggestion in err
    assert list(tmp_path.iterdir()) == []


def test_new_needs_an_existing_root(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["new", "notes", "--dir", str(tmp_path / "missing")]) == 2
    assert "is not a directory" in capsys.readouterr().err


def test_notebook_template_loads_the_action_from_its_own_directory() -> None:
    nb = notebook("notes")
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code[1] == 'owa.play(act, message="The assistant\'s reply.")'
    assert all("$" not in c.source for c in nb.cells)
