"""``open_webui.config`` as of 0.12.4: the data directories, as ``pathlib.Path`` objects.

The real module creates them under ``DATA_DIR`` when it is imported; the kit points them at
one temporary directory per process (``$TMPDIR/owa-kit-data-<pid>``), created on first import,
so an action that writes a cache file works and never touches the author's files.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["CACHE_DIR", "DATA_DIR", "UPLOAD_DIR"]

DATA_DIR = Path(tempfile.gettempdir()) / f"owa-kit-data-{os.getpid()}"
UPLOAD_DIR = DATA_DIR / "uploads"
CACHE_DIR = DATA_DIR / "cache"
for _path in (DATA_DIR, UPLOAD_DIR, CACHE_DIR):
    _path.mkdir(parents=True, exist_ok=True)
