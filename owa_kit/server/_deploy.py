"""push / pull / diff / list: keep a local function file and a server's copy in step.

Rules from the issue and the 0.12.4 source: ``toggle`` endpoints flip (read state first);
``meta`` and a model's ``meta`` are replaced whole (read-modify-write); valve updates replace
the stored dict (merge first); ``/sync`` replaces the whole table (never called). Before the
first write to anything that exists, the server's current export of it is saved locally.
"""

from __future__ import annotations

import ast
import difflib
import json
import os
import secrets as _random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._frontmatter import extract_frontmatter, name_to_id, replace_imports
from .._secrets import _SECRET_NAME
from ..errors import (
    FunctionLoadError,
    IdTakenError,
    InvalidValvesError,
    OwaKitError,
    ServerRejected,
)
from ._client import Client

__all__ = [
    "DEFAULT_BACKUP_DIR",
    "DiffResult",
    "LocalFunction",
    "PushResult",
    "diff",
    "list_functions",
    "load_reason",
    "pull",
    "push",
    "read_local",
    "secret_valves",
]

DEFAULT_BACKUP_DIR = Path(".owa-kit") / "backups"
_TYPE_ORDER = ("Pipe", "Filter", "Action", "Event")  # Open WebUI's detection order
_HIDDEN = "<hidden>"
_PROBE_SOURCE = "class Action:\n    pass\n"


@dataclass(frozen=True)
class LocalFunction:
    """A function file as the server will see it (nothing is executed locally)."""

    path: Path
    id: str
    name: str
    description: str
    manifest: dict[str, str]
    source: str
    type: str | None  # "action", "pipe", ... from the top-level class names; None if unclear

    @property
    def stored_source(self) -> str:
        """The text the server stores: Open WebUI rewrites ``from utils`` etc. on save."""
        return replace_imports(self.source)


def read_local(path: str | os.PathLike[str], fid: str | None = None) -> LocalFunction:
    """Read ``path``; the id is ``fid`` or derived from the file name like the loader does.

    The file is parsed, not executed: the server is the judge of whether it loads (it may
    need packages that only the server has).
    """
    p = Path(path)
    try:
        source = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise OwaKitError(f"owa-kit: cannot read {p} ({exc.strerror}); check the path") from exc
    manifest = extract_frontmatter(source)
    fid = (fid or name_to_id(p.stem)).lower()
    if not fid.isidentifier():
        raise OwaKitError(f"owa-kit: {fid!r} (from {p.name}) is not a valid function id; "
                          "rename the file or pass --id my_action (letters, digits, _)")
    return LocalFunction(path=p, id=fid, name=manifest.get("title") or fid,
                         description=manifest.get("description", ""), manifest=manifest,
                         source=source, type=_detect_type(source))


def _detect_type(source: str) -> str | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None  # the server will say why; do not guess
    names = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
    names |= {t.id for n in tree.body if isinstance(n, ast.Assign)
              for t in n.targets if isinstance(t, ast.Name)}
    return next((n.lower() for n in _TYPE_ORDER if n in names), None)


# --- backups ---------------------------------------------------------------------------


class _Backup:
    """Writes the server's current export of a function (or a model) once, before a change."""

    def __init__(self, client: Client, directory: Path, fid: str) -> None:
        self.client, self.directory, self.fid = client, directory, fid
        self.paths: list[Path] = []
        self._function_saved = False
        self._stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())

    def function(self) -> None:
        if self._function_saved:
            return
        items = [f for f in self.client.export(include_valves=True) if f.get("id") == self.fid]
        if items:  # the UI's "Import JSON" takes this list as it is
            self._write(f"function-{self.fid}-{self._stamp}.json", items)
        self._function_saved = True

    def model(self, row: Mapping[str, Any]) -> None:
        self._write(f"model-{name_to_id(str(row.get('id')))}-{self._stamp}.json", dict(row))

    def _write(self, name: str, data: Any) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / name
        n = 1
        while path.exists():
            n += 1
            path = self.directory / f"{Path(name).stem}-{n}.json"
        # may hold valve values (secrets included): readable by the owner only
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2, sort_keys=True)
            f.write("\n")
        self.paths.append(path)


# --- push ------------------------------------------------------------------------------


@dataclass
class PushResult:
    """What ``push`` did, in order; ``changes`` is empty when the server was already in step."""

    id: str
    type: str
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)


def push(client: Client, path: str | os.PathLike[str], *, fid: str | None = None,
         make_global: bool = False, model: str | None = None,
         valves: Mapping[str, Any] | None = None,
         backup_dir: str | os.PathLike[str] = DEFAULT_BACKUP_DIR) -> PushResult:
    """Create or update the function from ``path``, activate it, attach it, set valves.

    >>> with Client(url, token) as c:                                  # doctest: +SKIP
    ...     push(c, "actions/weather.py", model="llama3", valves={"units": "metric"})

    Idempotent: a second push with the same arguments changes nothing and writes no backup.
    """
    local = read_local(path, fid)
    client.require_admin()
    if (make_global or model) and local.type not in (None, "action"):
        raise OwaKitError(f"owa-kit: {local.path} defines {_a(local.type)}, not an Action; only "
                          "actions can be made global or attached to a model; drop "
                          "--global/--model")
    backup = _Backup(client, Path(backup_dir), local.id)
    existing = client.function(local.id)
    if existing is not None and local.type and existing.get("type") != local.type:
        raise IdTakenError(
            f"owa-kit: the id {local.id!r} is taken on the server by {_a(existing.get('type'))} "
            f"named {existing.get('name')!r}; pushing would turn it into {_a(local.type)}. "
            "Rename the file or pass --id another_id",
            method="GET", url=f"{client.url}/api/v1/functions/id/{local.id}", status=200)
    result = PushResult(id=local.id, type=local.type or str((existing or {}).get("type")))
    state = _push_content(client, local, existing, backup, result)
    result.type = str(state.get("type") or result.type)

    if not state.get("is_active"):
        if existing is not None:
            backup.function()
        state = client.toggle(local.id)
        _expect(state, "is_active", local.id, "activate")
        result.changes.append("activated")
    if make_global and not state.get("is_global"):
        if existing is not None:
            backup.function()
        state = client.toggle_global(local.id)
        _expect(state, "is_global", local.id, "make global")
        result.changes.append("made global (every model shows it)")
    if model:
        _attach(client, local.id, model, backup, result)
    if valves:
        _set_valves(client, local.id, valves, backup, result, existed=existing is not None)
    result.backups = backup.paths
    return result


def _push_content(client: Client, local: LocalFunction, existing: dict[str, Any] | None,
                  backup: _Backup, result: PushResult) -> dict[str, Any]:
    if existing is None:
        form = {"id": local.id, "name": local.name, "content": local.source,
                "meta": {"description": local.description}}
        try:
            state = client.create_function(form)
        except ServerRejected as exc:
            if exc.status != 400 or (exc.detail or "").startswith("Uh-oh! This id"):
                raise
            raise _load_error(client, local, exc) from exc
        result.changes.append(f"created {state.get('type')} {local.id!r}")
        return state
    meta = dict(existing.get("meta") or {})
    same = (existing.get("content") == local.stored_source
            and existing.get("name") == local.name
            and (meta.get("description") or "") == local.description)
    if same:
        return existing
    meta["description"] = local.description  # keep the rest (i18n...): meta is replaced whole
    meta.pop("manifest", None)  # recomputed by the server from the content
    form = {"id": local.id, "name": local.name, "content": local.source, "meta": meta}
    backup.function()
    try:
        state = client.update_function(local.id, form)
    except ServerRejected as exc:
        if exc.status != 400:
            raise
        raise _load_error(client, local, exc, reason=exc.detail) from exc
    what = [w for w, changed in (
        ("content", existing.get("content") != local.stored_source),
        ("name", existing.get("name") != local.name),
        ("description", (existing.get("meta") or {}).get("description") != local.description),
    ) if changed]
    result.changes.append(f"updated {', '.join(what)}")
    return state


def _a(kind: Any) -> str:
    return f"{'an' if str(kind)[:1] in 'aeiou' else 'a'} {kind}"


def _load_error(client: Client, local: LocalFunction, exc: ServerRejected,
                reason: str | None = None) -> FunctionLoadError:
    if reason is None:
        reason = load_reason(client, local.source) or exc.detail
    return FunctionLoadError(
        f"owa-kit: the server could not load {local.path} as function {local.id!r}: {reason}. "
        "Fix the file (owa-kit check shows most causes) and push again",
        method=exc.method, url=exc.url, status=exc.status, detail=reason)


def load_reason(client: Client, source: str) -> str | None:
    """Why the server cannot load ``source`` (``None`` if it can).

    ``/create`` hides the reason ("[ERROR: Error creating function]"); ``/update`` returns
    it. So a stub function with a random id is created, updated with ``source``, and deleted.
    Nothing that exists is touched.
    """
    probe = f"owa_kit_probe_{_random.token_hex(4)}"
    client.create_function({"id": probe, "name": "owa-kit load probe", "content": _PROBE_SOURCE,
                            "meta": {"description": "temporary, deleted by owa-kit"}})
    try:
        client.update_function(probe, {"id": probe, "name": "owa-kit load probe",
                                       "content": source, "meta": {}})
    except ServerRejected as exc:
        return exc.detail
    finally:
        client.delete_function(probe)
    return None


def _expect(state: Mapping[str, Any], key: str, fid: str, what: str) -> None:
    if not state.get(key):
        raise OwaKitError(f"owa-kit: the server did not {what} {fid!r} ({key} is still "
                          f"{state.get(key)!r}); run `owa-kit doctor {fid}` to see why")


def _attach(client: Client, fid: str, model_id: str, backup: _Backup,
            result: PushResult) -> None:
    row = client.model(model_id)
    if row is None:
        listed = {m["id"]: m for m in client.models()}
        if model_id not in listed:
            raise OwaKitError(f"owa-kit: the server has no model {model_id!r} (models: "
                              f"{', '.join(sorted(listed)) or 'none'}); pass one of them to "
                              "--model, or use --global")
        # a base model (connection or pipe) has no row yet: create the override row, as the
        # admin Models page does
        client.create_model({"id": model_id, "base_model_id": None,
                             "name": listed[model_id].get("name") or model_id,
                             "meta": {"actionIds": [fid]}, "params": {}})
        result.changes.append(f"attached to model {model_id!r} (new model settings row)")
        return
    meta = dict(row.get("meta") or {})
    ids = list(meta.get("actionIds") or [])
    if fid in ids:
        return
    backup.model(row)
    meta["actionIds"] = [*ids, fid]
    client.update_model({"id": row["id"], "base_model_id": row.get("base_model_id"),
                         "name": row.get("name") or model_id, "meta": meta,
                         "params": row.get("params") or {},
                         "is_active": row.get("is_active", True)})
    result.changes.append(f"attached to model {model_id!r} (meta.actionIds)")


# --- valves ----------------------------------------------------------------------------

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,),
    "array": (list, tuple), "object": (dict,), "null": (type(None),),
}


def secret_valves(spec: Mapping[str, Any] | None) -> set[str]:
    """Valve names whose values are never shown: password inputs, or named like a secret."""
    props = (spec or {}).get("properties") or {}
    out = set()
    for name, prop in props.items():
        hint = prop.get("input") if isinstance(prop, dict) else None
        if (isinstance(hint, dict) and hint.get("type") == "password") or _SECRET_NAME.search(name):
            out.add(name)
    return out


def _show(values: Mapping[str, Any], hidden: set[str]) -> str:
    return ", ".join(f"{k}={_HIDDEN if k in hidden else repr(v)}"
                     for k, v in sorted(values.items()))


def _type_ok(value: Any, prop: Mapping[str, Any]) -> bool:
    options = prop.get("anyOf") or prop.get("oneOf") or [prop]
    for option in options:
        kind = option.get("type") if isinstance(option, dict) else None
        if kind is None:
            return True  # no type information: let the server decide
        kinds = kind if isinstance(kind, list) else [kind]
        for k in kinds:
            types_ = _JSON_TYPES.get(k, (object,))
            if isinstance(value, bool) and bool not in types_:
                continue
            if isinstance(value, types_):
                return True
    return False


def _set_valves(client: Client, fid: str, given: Mapping[str, Any], backup: _Backup,
                result: PushResult, *, existed: bool) -> None:
    spec = client.valves_spec(fid) or {}
    props: dict[str, Any] = spec.get("properties") or {}
    hidden = secret_valves(spec) | {k for k in given if _SECRET_NAME.search(k)}
    url = f"{client.url}/api/v1/functions/id/{fid}/valves/update"
    unknown = sorted(set(given) - set(props))
    if unknown:
        raise InvalidValvesError(
            f"owa-kit: {fid} has no valve {', '.join(unknown)} (its Valves: "
            f"{', '.join(sorted(props)) or 'none'}); fix the valves file", url=url)
    wrong = [k for k, v in given.items() if not _type_ok(v, props[k])]
    if wrong:
        shown = "; ".join(f"{k}={_HIDDEN if k in hidden else repr(given[k])} is not "
                          f"{_schema_type(props[k])}" for k in sorted(wrong))
        raise InvalidValvesError(f"owa-kit: invalid valves for {fid}: {shown}; fix the valves "
                                 "file", url=url)
    current = client.valves(fid)
    merged = {**current, **given}  # the server replaces the stored dict: keep what was set
    if merged == current:
        result.notes.append(f"valves unchanged: {_show(dict(given), hidden)}")
        return
    if existed:
        backup.function()
    try:
        client.update_valves(fid, merged)
    except ServerRejected as exc:
        if exc.status != 400:
            raise
        raise InvalidValvesError(
            f"owa-kit: the server refused the valves for {fid} ({_show(dict(given), hidden)}): "
            f"{exc.detail}; the reason is in the server log; fix the valves file",
            method=exc.method, url=exc.url, status=exc.status, detail=exc.detail) from exc
    changed = {k: v for k, v in given.items() if current.get(k, object()) != v}
    result.changes.append(f"valves set: {_show(changed, hidden)}")


def _schema_type(prop: Mapping[str, Any]) -> str:
    options = prop.get("anyOf") or [prop]
    kinds = [str(o.get("type")) for o in options if isinstance(o, dict) and o.get("type")]
    return " or ".join(kinds) or "valid"


# --- pull, diff, list --------------------------------------------------------------------


def _get(client: Client, fid: str) -> dict[str, Any]:
    found = client.function(fid)
    if found is None:
        raise OwaKitError(f"owa-kit: the server has no function {fid!r}; `owa-kit list` shows "
                          "the ids it has")
    return found


def pull(client: Client, fid: str, output: str | os.PathLike[str] | None = None, *,
         force: bool = False) -> tuple[Path, bool]:
    """Write the server's content of ``fid`` to ``output`` (default ``./<id>.py``).

    Returns the path and whether the file changed. An existing, different file is only
    overwritten with ``force``.
    """
    client.require_admin()
    content = str(_get(client, fid).get("content") or "")
    path = Path(output) if output is not None else Path(f"{fid}.py")
    if path.exists():
        current = path.read_text(encoding="utf-8")
        if current == content:
            return path, False
        if not force:
            raise OwaKitError(f"owa-kit: {path} exists and differs from the server's {fid!r}; "
                              "pass --force to overwrite it or -o to write elsewhere")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path, True


@dataclass
class DiffResult:
    """Local file against the server's copy: ``same`` is True when a push would change nothing
    in the content, name or description."""

    id: str
    on_server: bool
    same: bool
    lines: list[str]


def diff(client: Client, path: str | os.PathLike[str], *, fid: str | None = None) -> DiffResult:
    """A unified diff from the server's copy to the local file (as the server would store it)."""
    local = read_local(path, fid)
    client.require_admin()
    remote = client.function(local.id)
    if remote is None:
        note = f"{local.id}: not on the server; `owa-kit push {local.path}` creates it\n"
        return DiffResult(local.id, False, False, [note])
    lines = list(difflib.unified_diff(
        str(remote.get("content") or "").splitlines(keepends=True),
        local.stored_source.splitlines(keepends=True),
        fromfile=f"server:{local.id}", tofile=f"local:{local.path}"))
    lines = [ln if ln.endswith("\n") else ln + "\n" for ln in lines]
    meta = remote.get("meta") or {}
    for what, theirs, ours in (("name", remote.get("name"), local.name),
                               ("description", meta.get("description") or "",
                                local.description)):
        if theirs != ours:
            lines.append(f"{what}: server {theirs!r} -> local {ours!r}\n")
    if local.type and remote.get("type") != local.type:
        lines.append(f"type: server {remote.get('type')!r} -> local {local.type!r}\n")
    return DiffResult(local.id, True, not lines, lines)


def list_functions(client: Client) -> list[dict[str, Any]]:
    """Every function on the server, sorted by type then id."""
    client.require_admin()
    return sorted(client.functions(), key=lambda f: (str(f.get("type")), str(f.get("id"))))
