"""``owa-kit record``: re-run notebooks in scripted mode and save their outputs.

The saved outputs are what ``pytest --nbval`` compares later. Widget state is not stored
(``store_widget_state=False``): it would bloat the file, and a Password widget's value is
part of it. Cell timings are not recorded either, so a re-record changes only outputs, and
an expected error keeps one line instead of a traceback full of local paths.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import OwaKitError


def record(path: str | os.PathLike[str], *, timeout: float = 120.0,
           kernel_name: str | None = None) -> float:
    """Execute ``path`` in scripted mode and write its outputs back; returns seconds taken."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb_path = Path(path)
    if not nb_path.is_file():
        raise OwaKitError(f"owa-kit: no notebook at {str(nb_path)!r}; give a path to an .ipynb")
    nb: Any = nbformat.read(nb_path, as_version=4)  # type: ignore[no-untyped-call]
    nb.metadata.pop("widgets", None)  # old widget state (may hold a password)
    name = kernel_name or nb.metadata.get("kernelspec", {}).get("name") or "python3"
    client = NotebookClient(nb, timeout=timeout, kernel_name=name, allow_errors=False,
                            store_widget_state=False, record_timing=False,
                            resources={"metadata": {"path": str(nb_path.parent.resolve())}})
    old = os.environ.get("OWA_KIT_MODE")
    os.environ["OWA_KIT_MODE"] = "scripted"  # the kernel inherits it
    started = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as exc:
        raise OwaKitError(
            f"owa-kit: {nb_path}: a cell failed while recording, so nothing was saved. Fix the "
            "cell, or, when the error is expected, give the cell the tag `raises-exception` "
            f"(nbclient and nbval both honour it).\n{exc}"
        ) from None
    finally:
        if old is None:
            os.environ.pop("OWA_KIT_MODE", None)
        else:
            os.environ["OWA_KIT_MODE"] = old
    nb.metadata.pop("widgets", None)
    _short_tracebacks(nb)
    nbformat.write(nb, nb_path)  # type: ignore[no-untyped-call]
    return time.perf_counter() - started


def _short_tracebacks(nb: Any) -> None:
    """Keep one line of each expected error (``raises-exception`` cells): nbval does not
    compare tracebacks, and a full one holds this machine's paths and the kit's line numbers."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                out["traceback"] = [f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"]


def record_all(paths: Iterable[str], *, timeout: float = 120.0) -> int:
    """Record each notebook; print one line per file; 0 if all worked, 1 otherwise."""
    worst = 0
    for p in paths:
        try:
            took = record(p, timeout=timeout)
        except OwaKitError as exc:
            print(exc)
            worst = 1
            continue
        print(f"owa-kit: recorded {p} in {took:.1f} s")
    return worst
