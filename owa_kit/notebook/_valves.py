"""A form for an action's ``Valves``/``UserValves``, generated from the pydantic model.

One widget per field, chosen from the annotation and ``json_schema_extra``
(``{"input": {"type": "select" | "password" | "multiselect", "options": [...]}}``), as Open
WebUI's valves editor does. Every edit re-validates the whole model; pydantic's message is
shown next to the field it names. Secret fields (``owa_kit._secrets.secret_fields``) use a
Password widget that is emptied once read, so no secret stays in widget state.
"""

from __future__ import annotations

import enum
import json
import types
import typing
from collections.abc import Mapping
from typing import Any, Literal

import ipywidgets as W
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from .._run import MASK
from .._secrets import secret_fields
from . import _render as R
from ._dialogs import select_options
from ._kernel import AckIdle

_UNSET: Any = object()


class _Text(AckIdle, W.Text):  # type: ignore[misc]
    pass


class _Password(AckIdle, W.Password):  # type: ignore[misc]
    pass


def _unwrap_optional(ann: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(ann)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(ann)) == 2:
            return args[0], True
    return ann, False


def _input_spec(info: FieldInfo) -> dict[str, Any]:
    extra = info.json_schema_extra
    spec = extra.get("input") if isinstance(extra, dict) else None
    return dict(spec) if isinstance(spec, dict) else {}


def _constraints(info: FieldInfo) -> str:
    parts = []
    for meta in info.metadata:
        for key in ("ge", "gt", "le", "lt", "min_length", "max_length", "pattern"):
            value = getattr(meta, key, None)
            if value is not None:
                parts.append(f"{key}={value}")
    return ", ".join(parts)


class Field:
    """One valve: its widget, how to read it, and where its error goes."""

    def __init__(self, name: str, info: FieldInfo, value: Any, secret: bool) -> None:
        self.name = name
        self.info = info
        self.secret = secret
        self.secret_value: Any = _UNSET
        ann, self.optional = _unwrap_optional(info.annotation)
        self.kind, self.widget = self._build(ann, value)
        desc = info.description or ""
        limits = _constraints(info)
        help_ = " · ".join(p for p in (desc, limits) if p)
        self.label = W.HTML(value=f"<b>{R.esc(info.title or name)}</b>"
                                  f' <span class="owa-muted">{R.esc(help_)}</span>')
        self.error = W.HTML(value="")
        self.box = W.VBox([self.label, self.widget, self.error])

    def _build(self, ann: Any, value: Any) -> tuple[str, Any]:
        spec = _input_spec(self.info)
        itype = spec.get("type")
        options = select_options(spec) if "options" in spec else []
        if self.secret or itype == "password":
            self.secret_value = value
            hint = f"{MASK} (set; type to replace)" if value not in (None, "") else ""
            return "password", _Password(value="", placeholder=hint, continuous_update=False)
        if itype == "multiselect":
            opts = options or [(str(o), o) for o in _literal_values(_list_item(ann))]
            chosen = tuple(v for v in (value or []) if v in [o[1] for o in opts])
            return "multiselect", W.SelectMultiple(options=opts, value=chosen)
        if itype == "select" or _literal_values(ann) or _is_enum(ann):
            opts = options or [(str(_plain(o)), o) for o in _literal_values(ann)]
            if self.optional:
                opts = [("—", None), *opts]
            values = [o[1] for o in opts]
            current = value if value in values else (values[0] if values else None)
            return "select", W.Dropdown(options=opts, value=current)
        if ann is bool:
            return "bool", W.Checkbox(value=bool(value), indent=False)
        if ann is int:
            return "int", _Text(value="" if value is None else str(value),
                                continuous_update=False)
        if ann is float:
            return "float", _Text(value="" if value is None else str(value),
                                  continuous_update=False)
        if ann is str:
            return "str", _Text(value="" if value is None else str(value),
                                continuous_update=False)
        # lists, dicts and anything else: JSON
        return "json", _Text(value=json.dumps(value), continuous_update=False,
                             placeholder='JSON, e.g. ["a", "b"]')

    def read(self) -> Any:
        """The value to validate; raises ValueError for text that is not a number/JSON."""
        v = self.widget.value
        if self.kind == "password":
            if v:
                self.secret_value = v
                self.widget.value = ""  # the secret leaves widget state at once
                self.widget.placeholder = f"{MASK} (set; type to replace)"
            return None if self.secret_value is _UNSET else self.secret_value
        if self.kind == "multiselect":
            return list(v)
        if self.kind in ("int", "float", "str") and v == "" and self.optional:
            return None
        if self.kind == "int":
            try:
                return int(v)
            except ValueError:
                raise ValueError(f"{v!r} is not a whole number") from None
        if self.kind == "float":
            try:
                return float(v)
            except ValueError:
                raise ValueError(f"{v!r} is not a number") from None
        if self.kind == "json":
            try:
                return json.loads(v)
            except json.JSONDecodeError as exc:
                raise ValueError(f"not JSON ({exc.msg})") from None
        return v


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _is_enum(ann: Any) -> bool:
    return isinstance(ann, type) and issubclass(ann, enum.Enum)


def _literal_values(ann: Any) -> list[Any]:
    if typing.get_origin(ann) is Literal:
        return list(typing.get_args(ann))
    if _is_enum(ann):
        return list(ann)
    return []


def _list_item(ann: Any) -> Any:
    args = typing.get_args(ann)
    return args[0] if typing.get_origin(ann) in (list, tuple, set) and args else None


class ValvesForm(W.VBox):  # type: ignore[misc]
    """Edit ``model``'s fields; ``values`` validates and returns them, or None on errors.

    >>> form = ValvesForm(act.Valves)      # doctest: +SKIP
    >>> form.values                        # doctest: +SKIP
    {'greeting': 'Hello'}
    """

    def __init__(self, model: type[BaseModel], values: Mapping[str, Any] | None = None,
                 title: str = "Valves") -> None:
        self.model = model
        secrets = set(secret_fields(model))
        given = dict(values or {})
        self.fields: dict[str, Field] = {}
        for name, info in model.model_fields.items():
            default = info.default if info.default is not PydanticUndefined else None
            if info.default_factory is not None:
                default = info.default_factory()  # type: ignore[call-arg]
            self.fields[name] = Field(name, info, given.get(name, default), name in secrets)
        self.summary = W.HTML(value="")
        self._errors: dict[str, str] = {}
        self.heading = W.HTML(value=f"<b>{R.esc(title)}</b>")
        super().__init__([self.heading, *(f.box for f in self.fields.values()), self.summary])
        for f in self.fields.values():
            f.widget.observe(lambda _c: self.validate(), names="value")
        self.validate()

    def __repr__(self) -> str:
        return "<owa-kit valves form>"

    def raw(self) -> tuple[dict[str, Any], dict[str, str]]:
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for name, f in self.fields.items():
            try:
                values[name] = f.read()
            except ValueError as exc:
                errors[name] = str(exc)
        return values, errors

    def validate(self) -> dict[str, Any] | None:
        """Validate the form; show each problem next to its field. None if invalid."""
        values, errors = self.raw()
        general: list[str] = []
        present = {k: v for k, v in values.items() if k not in errors}
        try:
            self.model(**{k: v for k, v in present.items() if v is not None or
                          self.fields[k].optional})
        except ValidationError as exc:
            for err in exc.errors():
                loc = err["loc"][0] if err["loc"] else None
                msg = err["msg"]
                if isinstance(loc, str) and loc in self.fields:
                    errors.setdefault(loc, msg)
                else:
                    general.append(msg)
        for name, f in self.fields.items():
            text = errors.get(name, "")
            f.error.value = (f'<span class="owa-field-error">{R.esc(text)}</span>'
                             if text else "")
        self.summary.value = (f'<span class="owa-field-error">{R.esc("; ".join(general))}'
                              "</span>" if general else "")
        self._errors = {**errors, **({"": "; ".join(general)} if general else {})}
        if errors or general:
            return None
        return {k: v for k, v in values.items() if v is not None or self.fields[k].optional}

    @property
    def values(self) -> dict[str, Any] | None:
        return self.validate()

    @property
    def errors(self) -> dict[str, str]:
        """Field name (``""`` for the model) -> the message shown (after the last validation)."""
        return dict(self._errors)
