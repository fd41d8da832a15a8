"""``open_webui.env`` as of 0.12.4: the version and the name, nothing read from the machine."""

from __future__ import annotations

from ._api import VERSION

__all__ = ["VERSION", "WEBUI_NAME"]

WEBUI_NAME = "Open WebUI"
