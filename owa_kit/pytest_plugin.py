"""owa-kit's pytest plugin (entry point ``pytest11``): notebooks run in scripted mode.

- ``OWA_KIT_MODE=scripted`` is set at import, before any kernel starts; nbval's kernels
  inherit it, so every dialog is answered from ``answers=`` and a missing answer fails fast.
- With ``--nbval``/``--nbval-lax`` and no choice of your own: ``--nbval-cell-timeout 120``
  (nbval's default is 2000 s) and ``--nbval-sanitize-with`` the kit's sanitizer.
- With pytest-xdist, ``--dist load``/``worksteal`` become ``loadfile``: the others hand cells
  of one notebook to different kernels, and later cells fail.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ["OWA_KIT_MODE"] = "scripted"

SANITIZE_FILE = str(Path(__file__).parent / "notebook" / "nbval_sanitize.cfg")
CELL_TIMEOUT = 120.0  # keep in step with owa_kit.notebook._cli.CELL_TIMEOUT
_NBVAL_DEFAULT_TIMEOUT = 2000.0  # nbval 0.11's default for --nbval-cell-timeout
_SPLITTING = ("load", "worksteal")


def _given(config: pytest.Config, flag: str) -> bool:
    """True if ``flag`` was on the command line or in addopts (as ``flag`` or ``flag=``)."""
    args = [*config.invocation_params.args, *config.getini("addopts")]
    return any(str(a) == flag or str(a).startswith(flag + "=") for a in args)


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    opt = config.option
    if getattr(opt, "nbval", False) or getattr(opt, "nbval_lax", False):
        if (getattr(opt, "nbval_cell_timeout", None) == _NBVAL_DEFAULT_TIMEOUT
                and not _given(config, "--nbval-cell-timeout")):
            opt.nbval_cell_timeout = CELL_TIMEOUT
        if (getattr(opt, "nbval_sanitize_with", None) is None
                and getattr(opt, "sanitize_with", None) is None):
            opt.nbval_sanitize_with = SANITIZE_FILE
    if config.pluginmanager.hasplugin("xdist") and getattr(opt, "dist", "no") in _SPLITTING:
        opt.dist = "loadfile"


def pytest_report_header(config: pytest.Config) -> str:
    return f"owa-kit: OWA_KIT_MODE={os.environ.get('OWA_KIT_MODE')}"
