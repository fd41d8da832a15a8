"""``owa-kit record`` and ``owa-kit test``; ``owa_kit/cli.py`` calls ``add_commands``.

Neither imports ipywidgets: recording drives a kernel, testing runs pytest.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from typing import Any

CELL_TIMEOUT = 120.0  # seconds; the same default the pytest plugin gives nbval


def add_commands(subparsers: Any) -> None:
    """Add ``record`` and ``test`` to the ``owa-kit`` argument parser."""
    rec = subparsers.add_parser(
        "record", help="re-run notebooks in scripted mode and save their outputs",
        description="Execute each notebook with OWA_KIT_MODE=scripted (dialogs answered from "
                    "answers=) and save the outputs that `owa-kit test` compares. Widget state "
                    "is not saved.")
    rec.add_argument("notebooks", nargs="+", metavar="NOTEBOOK")
    rec.add_argument("--timeout", type=float, default=CELL_TIMEOUT,
                     help="seconds per cell (default %(default)s)")
    rec.set_defaults(func=_cmd_record)

    test = subparsers.add_parser(
        "test", help="check notebooks with pytest --nbval (scripted mode)",
        description="Run pytest --nbval over the notebooks (default: notebooks/). Arguments "
                    "after -- go to pytest.")
    test.add_argument("paths", nargs="*", metavar="PATH")
    test.add_argument("--lax", action="store_true", help="use --nbval-lax")
    test.add_argument("-n", "--workers", type=int, default=0,
                      help="run on N workers with pytest-xdist (--dist loadfile)")
    test.add_argument("pytest_args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    test.set_defaults(func=_cmd_test)


def _cmd_record(args: argparse.Namespace) -> int:
    from ._record import record_all

    return record_all(args.notebooks, timeout=args.timeout)


def pytest_command(paths: list[str], *, lax: bool = False, workers: int = 0,
                   extra: list[str] | None = None) -> list[str]:
    """The pytest command line ``owa-kit test`` runs."""
    cmd = [sys.executable, "-m", "pytest", "--nbval-lax" if lax else "--nbval"]
    if not plugin_registered():
        cmd += ["-p", "owa_kit.pytest_plugin"]
    if workers:
        cmd += ["-n", str(workers), "--dist", "loadfile"]
    extra = [a for a in (extra or []) if a != "--"]
    return [*cmd, *extra, *(paths or ["notebooks"])]


def plugin_registered() -> bool:
    """True when the installed package declares the ``pytest11`` entry point (then ``-p``
    would register the plugin twice)."""
    from importlib.metadata import entry_points

    return any(ep.value == "owa_kit.pytest_plugin" for ep in entry_points(group="pytest11"))


def _cmd_test(args: argparse.Namespace) -> int:
    cmd = pytest_command(args.paths, lax=args.lax, workers=args.workers,
                         extra=args.pytest_args)
    print("owa-kit: " + " ".join(cmd[2:]), flush=True)
    return subprocess.call(cmd)
