"""The public facade: ``__all__`` is the contract, and importing it stays light."""

from __future__ import annotations

import subprocess
import sys

import owa_kit as owa


def test_all_lists_exactly_the_public_names() -> None:
    public = {n for n in dir(owa) if not n.startswith("_")} - {"annotations"}
    listed = {"answers", "llm"}  # the public modules
    assert len(owa.__all__) == len(set(owa.__all__)), "a name is listed twice"
    assert set(owa.__all__) - {"__version__"} == public - {
        n for n in public if type(getattr(owa, n)).__name__ == "module" and n not in listed}


def test_one_exception_tree() -> None:
    for name in ("LoadError", "ValveError", "ScriptError", "MissingAnswerError",
                 "LeftoverAnswersError", "UnansweredCallError", "ActionTimeoutError",
                 "ServerError"):
        assert issubclass(getattr(owa, name), owa.OwaKitError), name
    assert issubclass(owa.ValveError, ValueError)
    assert str(owa.OwaKitError("x")) == "owa-kit: x"


def test_import_does_not_pull_widgets_or_jupyter() -> None:
    code = ("import sys, owa_kit; bad = [m for m in ('ipywidgets', 'ipykernel', 'nbformat', "
            "'nbclient', 'IPython', 'httpx', 'socketio', 'pydantic', 'asyncio') "
            "if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_lazy_names_resolve_and_unknown_names_fail_clearly() -> None:
    code = ("import owa_kit as owa; from owa_kit import load, Run; "
            "assert owa.load is load and owa.Run is Run; "
            "assert 'run' in dir(owa)\n"
            "try:\n    owa.nope\nexcept AttributeError as e:\n    print(e)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "module 'owa_kit' has no attribute 'nope'"
