"""Which valve fields hold secrets, so their values never reach a transcript or a widget."""

from __future__ import annotations

import re

from pydantic import BaseModel

_SECRET_NAME = re.compile(r"(api[_-]?key|token|password|passwd|secret|credential)", re.I)


def secret_fields(model: type[BaseModel]) -> list[str]:
    """Fields declared as password inputs, or named like a secret (``api_key``, ``token``...)."""
    out = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        spec = extra.get("input") if isinstance(extra, dict) else None
        declared = isinstance(spec, dict) and spec.get("type") == "password"
        if declared or _SECRET_NAME.search(name):
            out.append(name)
    return out
