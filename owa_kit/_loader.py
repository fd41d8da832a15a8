"""Load an action file the way Open WebUI 0.12.4 loads a function.

The steps follow ``load_function_module_by_id`` and the model listing that turns an Action
instance into buttons: rewrite imports, exec into a fresh ``function_{id}_{hex}`` module,
classify by module attribute (Pipe > Filter > Action > Event), call ``Action()`` with no
arguments, then read ``actions``, ``icon_url``/``icon`` and the ``priority`` valve. One
difference is deliberate: the code is compiled with the real file name, so tracebacks and
``file:line`` point at the author's file instead of ``<string>``.
"""

from __future__ import annotations

import ast
import importlib.metadata
import linecache
import os
import sys
import tempfile
import types
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from packaging.requirements import InvalidRequirement, Requirement
from pydantic import BaseModel, ValidationError

from ._findings import Finding, finding
from ._frontmatter import (
    extract_frontmatter,
    frontmatter_findings,
    name_to_id,
    replace_imports,
    split_requirements,
)
from .errors import LoadError, NotEmulatedError

__all__ = ["LoadedAction", "SubAction", "clear_cache", "load"]

#: module attributes Open WebUI checks, in its order; the first present decides the type
_TYPE_ORDER = (("Pipe", "pipe"), ("Filter", "filter"), ("Action", "action"), ("Event", "event"))


@dataclass(frozen=True)
class SubAction:
    """One button from the Action's ``actions`` list (Open WebUI id ``{action}.{id}``)."""

    id: str
    name: str
    icon: str | None


class _Cached(NamedTuple):
    source: str
    module: types.ModuleType
    instance: Any


# Open WebUI keeps one instance per function id and re-execs only when the content changes
# (``get_function_module_from_cache``); state stored on ``self`` survives between clicks.
_CACHE: dict[str, _Cached] = {}


def clear_cache() -> None:
    """Forget every loaded instance, as a restarted Open WebUI would."""
    for cached in _CACHE.values():
        sys.modules.pop(cached.module.__name__, None)
    for fid in _CACHE:
        sys.modules.pop(f"function_{fid}", None)
    _CACHE.clear()


class LoadedAction:
    """An action as Open WebUI 0.12.4 would hold it: module, shared instance and buttons.

    ``findings`` are the load-time findings; ``owa.check`` adds the static ones.
    """

    def __init__(self, *, id: str, name: str, path: Path | None, source: str,
                 manifest: dict[str, str], module: types.ModuleType, instance: Any,
                 findings: list[Finding], given_name: str | None = None,
                 tree: ast.Module | None = None) -> None:
        self.id = id
        self.name = name
        self.path = path
        self.source = source
        self.manifest = manifest
        self.module = module
        self.instance = instance
        self.findings = findings
        self.description = manifest.get("description", "")
        self.Valves = _model(instance, "Valves")
        self.UserValves = _model(instance, "UserValves")
        # Same precedence as the model listing; `or`, so an empty string falls through too.
        self.icon: str | None = (manifest.get("icon_url") or getattr(instance, "icon_url", None)
                                 or getattr(instance, "icon", None))
        where = _Where(str(path) if path else f"<action {id}>", tree)
        self.sub_actions: list[SubAction] = _sub_actions(self, findings, where)
        self.priority: float | int = _priority(self, findings, where)
        self._given_name = given_name

    def __repr__(self) -> str:
        subs = [s.id for s in self.sub_actions]
        return f"<LoadedAction id={self.id!r} name={self.name!r} sub_actions={subs!r}>"

    def refreshed(self) -> LoadedAction:
        """Re-read the file: ``self`` if unchanged, else a fresh load (new module and instance).

        Open WebUI compares the stored content with the cached one on every call; the kit
        does the same with the file, so an edited action is picked up by the next run.
        """
        if self.path is None:
            return self
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError as exc:
            raise LoadError(f"cannot re-read the action file ({exc.strerror}); restore it or "
                            "load another file", path=str(self.path)) from exc
        if text == self.source:
            return self
        return load(self.path, id=self.id, name=self._given_name)


def load(source: str | os.PathLike[str], *, id: str | None = None,
         name: str | None = None) -> LoadedAction:
    """Load an action from a file path or from source text, as Open WebUI 0.12.4 would.

    From a path, the id is derived from the file name (``enhance-message.py`` ->
    ``enhance_message``); from text, pass ``id=`` unless the frontmatter has a ``title``.
    Loading the same id with the same text again shares the module and the instance.

    >>> import owa_kit as owa
    >>> act = owa.load("actions/enhance_message.py")          # doctest: +SKIP
    >>> act.id, act.name, act.sub_actions                     # doctest: +SKIP
    ('enhance_message', 'Enhance Message', [])

    Raises ``LoadError`` (with ``path`` and ``line``) where Open WebUI would refuse the file.
    """
    text, path = _read(source)
    manifest = extract_frontmatter(text)
    if id is None:
        id = name_to_id(path.stem if path is not None else manifest.get("title", ""))
        if not id:
            what = f"the file name {path.name!r}" if path else "source text without a `title:`"
            raise LoadError(f"cannot derive an action id from {what}; pass id='my_action'")
    # Open WebUI lowercases the id on create; the kit uses the id the server would store.
    id = id.lower()
    label = str(path) if path is not None else f"<action {id}>"
    display = name or manifest.get("title") or id
    findings: list[Finding] = []
    if not id.isidentifier():
        findings.append(finding("OWA128", path=label, id=id))

    code = _compile(text, label)
    tree = _parse(text)
    # info-level notes (OWA116) are for `check`, not for every run's findings
    findings += [f for f in source_findings(text, label, tree) if f.severity != "info"]
    cached = _CACHE.get(id)
    if cached is not None and cached.source == text:
        module, instance = cached.module, cached.instance
    else:
        module, instance = _exec(code, text, id, label, tree)
        _publish(id, text, module, instance)
    findings += _attribute_findings(module, instance, label, tree)
    return LoadedAction(id=id, name=display, path=path, source=text, manifest=manifest,
                        module=module, instance=instance, findings=findings, given_name=name,
                        tree=tree)


def _read(source: str | os.PathLike[str]) -> tuple[str, Path | None]:
    if isinstance(source, str) and ("\n" in source or not source.endswith(".py")):
        return source, None
    path = Path(source).absolute()
    try:
        return path.read_text(encoding="utf-8"), path
    except OSError as exc:
        raise LoadError(f"cannot read the action file ({exc.strerror}); check the path",
                        path=str(path)) from exc


def _compile(text: str, label: str) -> types.CodeType:
    executed = replace_imports(text)
    if label.startswith("<"):
        # source text has no file: register it so tracebacks still show the lines
        linecache.cache[label] = (len(executed), None, executed.splitlines(True), label)
    try:
        return compile(executed, label, "exec", dont_inherit=True)
    except SyntaxError as exc:
        error = f"{type(exc).__name__}: {exc.msg}"
        raise _error(finding("OWA106", path=label, line=exc.lineno, error=error)) from exc


def _parse(text: str) -> ast.Module:
    try:
        return ast.parse(text)
    except SyntaxError:  # only the rewritten text compiles (rare): lines are the same
        return ast.parse(replace_imports(text))


def _exec(code: types.CodeType, text: str, id: str, label: str,
          tree: ast.Module) -> tuple[types.ModuleType, Any]:
    module = types.ModuleType(f"function_{id}_{uuid.uuid4().hex}")
    sys.modules[module.__name__] = module
    # Like Open WebUI: `__file__` names a temp copy that exists only while the module runs.
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", delete=False, suffix="") as tmp:
        tmp.write(replace_imports(text))
    module.__dict__["__file__"] = tmp.name
    from ._owui._modules import kit_builtins  # `import open_webui` here gets the emulation

    module.__dict__["__builtins__"] = kit_builtins()
    ok = False
    try:
        try:
            exec(code, module.__dict__)
        except NotEmulatedError as exc:
            line = _user_line(exc, label)
            raise _error(finding("OWA704", path=label, line=line, name=exc.name)) from exc
        except Exception as exc:
            line = _user_line(exc, label)
            error = f"{type(exc).__name__}: {exc}"
            raise _error(finding("OWA107", path=label, line=line, error=error)) from exc
        kind = next((k for attr, k in _TYPE_ORDER if hasattr(module, attr)), None)
        if kind != "action":
            raise _error(_type_finding(module, kind, label, tree))
        instance = _instantiate(module, label, tree)
        ok = True
        return module, instance
    finally:
        os.unlink(tmp.name)
        if not ok:
            sys.modules.pop(module.__name__, None)


def _publish(id: str, text: str, module: types.ModuleType, instance: Any) -> None:
    previous = sys.modules.get(f"function_{id}")
    if previous is not None:
        sys.modules.pop(previous.__name__, None)
    sys.modules[f"function_{id}"] = module
    _CACHE[id] = _Cached(text, module, instance)


def _type_finding(module: types.ModuleType, kind: str | None, label: str,
                  tree: ast.Module) -> Finding:
    if not hasattr(module, "Action"):
        return finding("OWA101", path=label)
    other = next(attr for attr, k in _TYPE_ORDER if k == kind)
    return finding("OWA102", path=label, line=binding_line(tree, other), other=other, kind=kind)


def _instantiate(module: types.ModuleType, label: str, tree: ast.Module) -> Any:
    try:
        return module.Action()
    except ValidationError as exc:
        missing = [e["loc"][0] for e in exc.errors() if e["type"] == "missing" and e["loc"]]
        if missing and len(missing) == len(exc.errors()):
            raise _error(*[_required_valve(tree, exc.title, str(f), label)
                           for f in missing]) from exc
        raise _error(finding("OWA103", path=label, line=_user_line(exc, label),
                             error=_short(exc))) from exc
    except Exception as exc:
        raise _error(finding("OWA103", path=label, line=_user_line(exc, label),
                             error=_short(exc))) from exc


def _required_valve(tree: ast.Module, model: str, field: str, label: str) -> Finding:
    line, annotation = None, "str"
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == model:
            for stmt in node.body:
                if (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
                        and stmt.target.id == field):
                    line, annotation = stmt.lineno, ast.unparse(stmt.annotation)
    example = {"str": '""', "int": "0", "float": "0.0", "bool": "False"}.get(annotation, "None")
    return finding("OWA104", path=label, line=line, field=field, annotation=annotation,
                   example=example)


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _user_line(exc: BaseException, label: str) -> int | None:
    """The line of the deepest traceback frame that runs the author's file."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == label:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _error(*findings: Finding) -> LoadError:
    """A LoadError whose message is the findings (message and fix), carrying them for check()."""
    first, rest = findings[0], findings[1:]
    text = f"{first.message} [{first.code}]. Fix: {first.fix}."
    for f in rest:
        text += f"\n{f.where}: {f.message} [{f.code}]. Fix: {f.fix}."
    err = LoadError(text, path=first.path, line=first.line)
    err.findings = list(findings)  # type: ignore[attr-defined]
    return err


# --- findings that need no run, and findings about what Open WebUI reads from the instance ---

def source_findings(text: str, label: str, tree: ast.Module | None) -> list[Finding]:
    """Frontmatter, requirements and ``__file__`` findings: true whether or not the file loads."""
    out = frontmatter_findings(text, label)
    manifest = extract_frontmatter(text)
    line = next((n for n, s in enumerate(text.splitlines(), 1)
                 if s.strip().startswith("requirements:")), None)
    for req in split_requirements(manifest.get("requirements", "")):
        if not requirement_satisfied(req):
            out.append(finding("OWA114", path=label, line=line, req=req))
    if tree is not None:
        uses = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "__file__"]
        if uses:
            out.append(finding("OWA119", path=label, line=min(uses)))
    return out


def requirement_satisfied(spec: str) -> bool:
    """True if ``spec`` (one pip argument) is installed here at a matching version; never
    installs anything. An unparsable spec is False: pip would fail on it too."""
    try:
        req = Requirement(spec)
    except InvalidRequirement:
        return False
    if req.marker is not None and not req.marker.evaluate():
        return True
    try:
        version = importlib.metadata.version(req.name)
    except importlib.metadata.PackageNotFoundError:
        return False
    return req.specifier.contains(version, prereleases=True)


def _attribute_findings(module: types.ModuleType, instance: Any, label: str,
                        tree: ast.Module) -> list[Finding]:
    out = []
    if hasattr(module, "actions") and not hasattr(instance, "actions"):
        out.append(finding("OWA120", path=label, line=binding_line(tree, "actions")))
    for attr in ("icon_url", "icon"):
        if hasattr(module, attr) and not hasattr(instance, attr):
            out.append(finding("OWA125", path=label, line=binding_line(tree, attr), name=attr))
    valves = getattr(instance, "Valves", None)
    fields = getattr(valves, "model_fields", {}) if isinstance(valves, type) else {}
    if hasattr(instance, "priority") and "priority" not in fields:
        out.append(finding("OWA123", path=label, line=_class_attr(tree, "priority")[0]))
    return out


class _Where(NamedTuple):
    """The label and AST of a loaded file, to put a line on instance findings."""

    label: str
    tree: ast.Module | None

    def line(self, name: str, index: int | None = None) -> int | None:
        if self.tree is None:
            return None
        line, value = _class_attr(self.tree, name)
        elts = value.elts if isinstance(value, ast.List | ast.Tuple) else []
        if index is not None and index < len(elts):
            return elts[index].lineno
        return line


def _sub_actions(act: LoadedAction, findings: list[Finding], at: _Where) -> list[SubAction]:
    if not hasattr(act.instance, "actions"):
        return []
    raw = act.instance.actions
    if not isinstance(raw, list | tuple):
        findings.append(finding("OWA126", path=at.label, line=at.line("actions"),
                                kind=f"a {type(raw).__name__}"))
        return []
    if not raw:
        findings.append(finding("OWA127", path=at.label, line=at.line("actions")))
    out = []
    for index, entry in enumerate(raw):
        line = at.line("actions", index)
        if not isinstance(entry, dict):
            findings.append(finding("OWA126", path=at.label, line=line,
                                    kind=f"a list holding a {type(entry).__name__}"))
        elif "id" not in entry:
            # Open WebUI raises KeyError while listing models; the entry cannot be a button.
            findings.append(finding("OWA121", path=at.label, line=line, index=index))
        else:
            sub_id = str(entry["id"])
            if "." in sub_id:
                findings.append(finding("OWA122", path=at.label, line=line, id=sub_id))
            name = entry.get("name", f"{act.name} ({sub_id})")
            out.append(SubAction(sub_id, str(name), entry.get("icon_url", act.icon)))
    return out


def _priority(act: LoadedAction, findings: list[Finding], at: _Where) -> float | int:
    # get_action_priority: Valves(**stored).priority, 0 on any failure (nothing stored here).
    try:
        value = getattr(act.instance.Valves(), "priority", 0)
    except Exception:
        return 0
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    findings.append(finding("OWA124", path=at.label, line=at.line("priority"), value=value))
    return 0


def _model(instance: Any, attr: str) -> type[BaseModel] | None:
    value = getattr(instance, attr, None)
    return value if isinstance(value, type) and issubclass(value, BaseModel) else None


def _module_scope(tree: ast.Module) -> list[ast.stmt]:
    """Statements that bind module-level names (descending into if/try/with, not defs)."""
    out: list[ast.stmt] = []
    todo = list(tree.body)
    while todo:
        stmt = todo.pop(0)
        out.append(stmt)
        if isinstance(stmt, ast.If | ast.Try | ast.With | ast.For | ast.While):
            for block in ("body", "orelse", "finalbody", "handlers"):
                todo.extend(getattr(stmt, block, []))
        elif isinstance(stmt, ast.ExceptHandler):
            todo.extend(stmt.body)
    return out


def binding_line(tree: ast.Module, name: str) -> int | None:
    """The first line that binds ``name`` at module level (import, def, class, assignment)."""
    for stmt in _module_scope(tree):
        if isinstance(stmt, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            bound = {stmt.name}
        elif isinstance(stmt, ast.Import | ast.ImportFrom):
            bound = {(a.asname or a.name).split(".")[0] for a in stmt.names}
        elif isinstance(stmt, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            bound = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        else:
            continue
        if name in bound:
            return stmt.lineno
    return None


def _class_attr(tree: ast.Module, name: str) -> tuple[int | None, ast.expr | None]:
    """Where ``Action`` (or its Valves) sets ``name``, and the value assigned there."""
    for stmt in _module_scope(tree):
        if not (isinstance(stmt, ast.ClassDef) and stmt.name == "Action"):
            continue
        for node in ast.walk(stmt):
            value: ast.expr | None
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign):
                targets, value = [node.target], node.value
            else:
                continue
            for target in targets:
                # `actions = [...]` in the class body, or `self.actions = [...]` in a method
                bound = getattr(target, "id", None) or getattr(target, "attr", None)
                if bound == name:
                    return target.lineno, value
    return None, None
