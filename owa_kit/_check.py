"""Static findings: read an action file for what breaks, hangs or is ignored in Open WebUI 0.12.4.

One walk over the AST keeps a small scope (which function, async or not, inside
``class Action``, is it ``Action.action``) and hands each node to the checks registered for
its type in ``_CHECKS``. Each check is a small function returning findings with ``path:line``.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel

from . import _events
from ._calls import call_hint
from ._events import KNOWN_EVENT_TYPES
from ._findings import Finding, finding
from ._frontmatter import extract_frontmatter, name_to_id
from ._loader import _read, load, source_findings
from ._profile import OWUI_0_12
from ._response import describe_shape, return_hint
from .errors import LoadError

__all__ = ["KNOWN_EVENT_TYPES", "check"]

#: keys of the body the 0.12.4 frontend sends (``model_item`` is popped by the backend)
BODY_KEYS = frozenset({"chat_id", "id", "messages", "model", "session_id"})
_BODY_HINTS = {
    "message_id": 'use `body["id"]` (the id of the clicked message)',
    "metadata": 'there is no metadata; use `body["chat_id"]`, `body["id"]`, `body["session_id"]`',
    "timestamp": 'use `body["messages"][-1]["timestamp"]`',
    "user": "declare `__user__` in the signature",
    "files": "the body carries no attachments",
    "event": "`event` is never sent in 0.12.4",
}
#: parameters pipes and filters get but actions never do, with what to use instead
_NEVER_PASSED = {
    "__chat_id__": 'use `body["chat_id"]`',
    "__message_id__": 'use `body["id"]`',
    "__session_id__": 'use `body["session_id"]`',
    "__messages__": 'use `body["messages"]`',
    "__metadata__": 'use `body["chat_id"]`, `body["id"]` and `body["session_id"]`',
    "__files__": "the body carries no attachments",
    "__tools__": "actions get no tools",
    "__task__": "actions get no task",
    "__task_body__": "actions get no task",
    "__oauth_token__": "actions get no OAuth token",
}
_INJECTED = frozenset(OWUI_0_12.injected_params)
_BLOCKING = {
    "time.sleep": "use `await asyncio.sleep(...)`",
    "urllib.request.urlopen": "use `httpx.AsyncClient` and `await client.get(...)`",
    "urlopen": "use `httpx.AsyncClient` and `await client.get(...)`",
}
_REQUESTS_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options",
                             "request"})
_SECRET_NAME = re.compile(r"(api[_-]?key|token|password|passwd|secret)", re.I)


def check(source: str | os.PathLike[str], *, id: str | None = None) -> list[Finding]:
    """Everything the kit can tell about an action without running it, sorted by line.

    Static findings come from the source; load-time findings (frontmatter, requirements,
    sub-actions, ...) from loading it. A file that does not load is reported as a finding
    (OWA101-107), never raised.

    >>> import owa_kit as owa
    >>> for f in owa.check("actions/weather.py"):              # doctest: +SKIP
    ...     print(f)
    """
    text, path = _read(source)
    if path is None and id is None:
        # any id will do for a check; the title's, as load() would derive it, if there is one
        id = name_to_id(extract_frontmatter(text).get("title", "")) or "checked_source"
    label = str(path) if path is not None else f"<action {(id or '').lower()}>"
    try:
        tree: ast.Module | None = ast.parse(text)
    except SyntaxError:
        tree = None
    out = [] if tree is None else _static_findings(tree, label)
    try:
        action = load(path if path is not None else text, id=id)
    except LoadError as exc:
        out += getattr(exc, "findings", [])
    else:
        out += action.findings
    out += source_findings(text, label, tree)  # again after a load: it leaves out info notes
    unique = {(f.code, f.line, f.message): f for f in out}
    return sorted(unique.values(), key=lambda f: (f.line or 0, f.code))


# --- the walk -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Scope:
    path: str
    is_async: bool = False  # the nearest enclosing function is `async def`
    in_action_class: bool = False
    class_body: bool = False  # directly in the body of `class Action`
    action_method: bool = False  # directly inside `Action.action` (not a nested def)
    has_body: bool = False  # a function around here has the action's `body` parameter


Check = Callable[[Any, _Scope], Iterator[Finding]]
_CHECKS: dict[type[ast.AST], list[Check]] = {}


def _on(*types: type[ast.AST]) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        for t in types:
            _CHECKS.setdefault(t, []).append(fn)
        return fn
    return register


def _static_findings(tree: ast.Module, path: str) -> list[Finding]:
    from ._owui._static import findings as internals  # lazy: loads the 0.12.4 name tables

    out: list[Finding] = [*_traceback_unimported(tree, path), *internals(tree, path)]
    todo: list[tuple[ast.AST, _Scope]] = [(tree, _Scope(path))]
    while todo:
        node, scope = todo.pop()
        for fn in _CHECKS.get(type(node), ()):
            out.extend(fn(node, scope))
        inner = _enter(node, scope)
        todo.extend((child, inner) for child in ast.iter_child_nodes(node))
    return out


def _enter(node: ast.AST, scope: _Scope) -> _Scope:
    if isinstance(node, ast.ClassDef):
        return replace(scope, in_action_class=scope.in_action_class or node.name == "Action",
                       class_body=node.name == "Action")
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        names = {a.arg for a in _all_args(node.args)}
        return replace(scope, is_async=isinstance(node, ast.AsyncFunctionDef), class_body=False,
                       action_method=scope.class_body and getattr(node, "name", "") == "action",
                       has_body=scope.in_action_class and ("body" in names or scope.has_body))
    return scope


def _all_args(args: ast.arguments) -> list[ast.arg]:
    return [*args.posonlyargs, *args.args, *args.kwonlyargs]


def _const(node: ast.AST | None) -> Any:
    return node.value if isinstance(node, ast.Constant) else None


def _dict_get(node: ast.Dict, key: str) -> ast.expr | None:
    for k, v in zip(node.keys, node.values, strict=True):
        if _const(k) == key:
            return v
    return None


def _at(code: str, scope: _Scope, node: ast.AST, **values: Any) -> Finding:
    return finding(code, path=scope.path, line=getattr(node, "lineno", None), **values)


class _Src(str):
    """Source text whose repr is itself, so `{value!r}` shows `i/5`, not `'i/5'`."""

    def __repr__(self) -> str:
        return str(self)


# --- event calls and emitted events ---------------------------------------------------------

def _called_with_dict(node: ast.Call, name: str) -> ast.Dict | None:
    func = node.func
    called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    if called == name and node.args and isinstance(node.args[0], ast.Dict):
        return node.args[0]
    return None


@_on(ast.Call)
def _event_call_type(node: ast.Call, scope: _Scope) -> Iterator[Finding]:
    event = _called_with_dict(node, "__event_call__")
    kind = _const(_dict_get(event, "type")) if event is not None else None
    if isinstance(kind, str) and kind not in OWUI_0_12.answered_call_types:
        yield _at("OWA301", scope, node, type=kind,
                      hint=call_hint(kind))


@_on(ast.FunctionDef, ast.AsyncFunctionDef)
def _confirmation_is_true(node: ast.FunctionDef | ast.AsyncFunctionDef,
                          scope: _Scope) -> Iterator[Finding]:
    """``ok = await __event_call__({"type": "confirmation", ...})`` then ``ok is True``:
    Confirm may hand back a string (the tab's stale input value, OWA307)."""
    names: set[str] = set()
    for sub in _own_nodes(node):
        if (isinstance(sub, ast.Assign) and isinstance(sub.value, ast.Await)
                and isinstance(sub.value.value, ast.Call)):
            event = _called_with_dict(sub.value.value, "__event_call__")
            if event is not None and _const(_dict_get(event, "type")) == "confirmation":
                names.update(t.id for t in sub.targets if isinstance(t, ast.Name))
    for sub in _own_nodes(node):
        if (isinstance(sub, ast.Compare) and isinstance(sub.left, ast.Name)
                and sub.left.id in names and len(sub.ops) == 1
                and isinstance(sub.ops[0], ast.Is | ast.IsNot | ast.Eq | ast.NotEq)
                and _const(sub.comparators[0]) is True):
            yield _at("OWA308", scope, sub, name=sub.left.id)


@_on(ast.Call)
def _emitted_event(node: ast.Call, scope: _Scope) -> Iterator[Finding]:
    event = _called_with_dict(node, "__event_emitter__")
    kind = _const(_dict_get(event, "type")) if event is not None else None
    if event is None or not isinstance(kind, str):
        return
    spec = _events.BY_NAME.get(kind)
    data = _dict_get(event, "data")
    if spec is None or spec.effect == "internal":
        meant = _events.MISTAKEN_TYPES.get(kind)
        if meant == "chat:message:follow_ups":
            yield _at("OWA211", scope, node, type=kind)
        else:
            known = _events.known_types_text()
            yield _at("OWA201", scope, node, type=kind,
                          known=f"`{meant}` ({known})" if meant else known)
    elif spec.effect == "dialog":
        yield _at("OWA212", scope, node, type=kind)
    elif spec.name == "chat:title" and isinstance(data, ast.Dict | ast.List):
        yield _at("OWA209", scope, node, kind=type(data).__name__.lower())
    elif spec.name == "status" and isinstance(data, ast.Dict):
        yield from _status_data(data, scope)


def _status_data(data: ast.Dict, scope: _Scope) -> Iterator[Finding]:
    keys = [_const(k) for k in data.keys]
    done = _dict_get(data, "done")
    if "done" not in keys and None not in keys:  # None: a `**spread` may bring `done`
        yield _at("OWA203", scope, data)
    # A name or call may well hold a bool; constants and arithmetic (`i / 5`) never do.
    not_bool = ((isinstance(done, ast.Constant) and not isinstance(done.value, bool))
                or isinstance(done, ast.BinOp)
                or (isinstance(done, ast.UnaryOp) and not isinstance(done.op, ast.Not)))
    if done is not None and not_bool:
        value = done.value if isinstance(done, ast.Constant) else _Src(ast.unparse(done))
        yield _at("OWA202", scope, done, value=value)
    for key in _events.PROGRESS_FIELDS:
        if key in keys:
            yield _at("OWA205", scope, data, field=key)


# --- the action method: signature, sync, generator, return values ---------------------------

@_on(ast.FunctionDef, ast.AsyncFunctionDef)
def _action_signature(node: ast.FunctionDef | ast.AsyncFunctionDef,
                      scope: _Scope) -> Iterator[Finding]:
    if not (scope.class_body and node.name == "action"):
        return
    if isinstance(node, ast.FunctionDef):
        yield _at("OWA130", scope, node)
    if any(isinstance(n, ast.Yield | ast.YieldFrom) for n in _own_nodes(node)):
        yield _at("OWA133", scope, node)
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    params = list(zip(positional, defaults, strict=True))[1:]  # drop self
    params += list(zip(args.kwonlyargs, args.kw_defaults, strict=True))
    for arg, default in params:
        if arg.arg in _INJECTED:
            continue
        hint = _NEVER_PASSED.get(arg.arg, "actions get only " + ", ".join(
            f"`{p}`" for p in OWUI_0_12.injected_params))
        if default is None:
            yield _at("OWA602", scope, arg, name=arg.arg, hint=hint)
        else:
            yield _at("OWA601", scope, arg, name=arg.arg, hint=hint,
                          detail=" (it always keeps its default)")
    if args.kwarg is not None:
        yield _at("OWA603", scope, args.kwarg, name=args.kwarg.arg)
    if "body" not in {a.arg for a in _all_args(args)} and args.kwarg is None:
        yield _at("OWA606", scope, node)


def _own_nodes(fn: ast.AST) -> Iterator[ast.AST]:
    """Nodes of ``fn``'s body, not descending into nested functions or classes."""
    todo = list(ast.iter_child_nodes(fn))
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
                          | ast.ClassDef):
            todo.extend(ast.iter_child_nodes(node))


@_on(ast.Return)
def _return_value(node: ast.Return, scope: _Scope) -> Iterator[Finding]:
    if not scope.action_method or node.value is None:
        return
    value = node.value
    if isinstance(value, ast.Dict) and None not in value.keys:
        keys = [_const(k) for k in value.keys]
        if "messages" in keys:
            return
        sample = {k: None for k in keys}
        shape = describe_shape(sample)
        if "error" in keys or "traceback" in keys:
            yield _at("OWA406", scope, node, shape=shape)
        else:
            yield _at("OWA401", scope, node, shape=shape,
                          hint=return_hint(sample))
    elif isinstance(value, ast.JoinedStr) or isinstance(_const(value), str):
        yield _at("OWA401", scope, node, shape=describe_shape(""),
                      hint=return_hint(""))


# --- libraries and the runtime --------------------------------------------------------------

@_on(ast.Attribute)
def _requests_asyncclient(node: ast.Attribute, scope: _Scope) -> Iterator[Finding]:
    if node.attr == "AsyncClient" and ast.unparse(node.value) == "requests":
        yield _at("OWA131", scope, node)


@_on(ast.Call)
def _blocking_call(node: ast.Call, scope: _Scope) -> Iterator[Finding]:
    if not scope.is_async:
        return
    call = ast.unparse(node.func)
    module, _, verb = call.rpartition(".")
    if module == "requests" and verb in _REQUESTS_VERBS:
        hint = ("use `httpx.AsyncClient` and `await client.get(...)`, or "
                f"`await asyncio.to_thread({call}, ...)`")
    elif module == "httpx" and verb in _REQUESTS_VERBS:  # httpx's module functions are sync
        hint = "use `async with httpx.AsyncClient() as client:` and `await client.get(...)`"
    elif call in _BLOCKING:
        hint = _BLOCKING[call]
    else:
        return
    yield _at("OWA132", scope, node, call=call, hint=hint)


def _body_key(key: Any, node: ast.expr, scope: _Scope) -> Iterator[Finding]:
    if not isinstance(key, str) or key in BODY_KEYS:
        return
    if key == "content":
        yield _at("OWA604", scope, node)
    else:
        hint = _BODY_HINTS.get(key, "the body has only " + ", ".join(sorted(BODY_KEYS)))
        yield _at("OWA605", scope, node, key=key, hint=hint)


def _is_name(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _user_valves(node: ast.AST) -> bool:
    """``__user__["valves"]`` or ``__user__.get("valves")``."""
    if isinstance(node, ast.Subscript):
        return _is_name(node.value, "__user__") and _const(node.slice) == "valves"
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get" and _is_name(node.func.value, "__user__")
            and bool(node.args) and _const(node.args[0]) == "valves")


@_on(ast.Subscript)
def _subscript(node: ast.Subscript, scope: _Scope) -> Iterator[Finding]:
    if scope.has_body and _is_name(node.value, "body"):
        yield from _body_key(_const(node.slice), node, scope)
    if _user_valves(node.value):
        yield _at("OWA502", scope, node, name=_const(node.slice) or "name")


@_on(ast.Call)
def _get_call(node: ast.Call, scope: _Scope) -> Iterator[Finding]:
    func = node.func
    if not (isinstance(func, ast.Attribute) and func.attr == "get" and node.args):
        return
    if scope.has_body and _is_name(func.value, "body"):
        yield from _body_key(_const(node.args[0]), node, scope)
    if _user_valves(func.value):
        yield _at("OWA502", scope, node, name=_const(node.args[0]) or "name")


@_on(ast.ClassDef)
def _secret_valves(node: ast.ClassDef, scope: _Scope) -> Iterator[Finding]:
    if node.name not in ("Valves", "UserValves"):
        return
    for stmt in node.body:
        if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
            continue
        name = stmt.target.id
        is_str = re.search(r"\bstr\b", ast.unparse(stmt.annotation)) is not None
        if is_str and _SECRET_NAME.search(name) and not _password_input(stmt.value):
            yield _at("OWA503", scope, stmt, field=name)


def _password_input(value: ast.expr | None) -> bool:
    if not isinstance(value, ast.Call):
        return False
    for kw in value.keywords:
        extra = kw.value
        if kw.arg == "json_schema_extra" and isinstance(extra, ast.Dict):
            spec = _dict_get(extra, "input")
            if isinstance(spec, ast.Dict) and _const(_dict_get(spec, "type")) == "password":
                return True
    return False


def _traceback_unimported(tree: ast.Module, path: str) -> Iterator[Finding]:
    imported = any(
        (a.asname or a.name).split(".")[0] == "traceback"
        for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom) for a in n.names)
    uses = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Attribute)
            and _is_name(n.value, "traceback")]
    if uses and not imported:
        yield finding("OWA608", path=path, line=min(uses))


_MODEL_ATTRS = frozenset(dir(BaseModel))


@_on(ast.ClassDef)
def _undefined_attributes(node: ast.ClassDef, scope: _Scope) -> Iterator[Finding]:
    """``self.missing()`` and ``self.valves.missing``: AttributeError the first time they run."""
    if node.name != "Action" or node.bases or scope.in_action_class:
        return  # inherited members are out of sight
    defined = {n.name for n in node.body
               if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}
    for n in ast.walk(node):
        if isinstance(n, ast.Name | ast.Attribute) and isinstance(n.ctx, ast.Store):
            defined.add(n.id if isinstance(n, ast.Name) else n.attr)
    if defined & {"__getattr__", "__getattribute__"}:
        return
    fields = _valve_fields(node)
    for n in ast.walk(node):
        if (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                and _is_name(n.func.value, "self") and n.func.attr not in defined):
            yield _at("OWA609", scope, n, name=n.func.attr)
        elif (fields is not None and isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Load)
              and isinstance(n.value, ast.Attribute) and n.value.attr == "valves"
              and _is_name(n.value.value, "self")
              and n.attr not in fields and n.attr not in _MODEL_ATTRS):
            yield _at("OWA610", scope, n, name=n.attr,
                      fields=", ".join(f"`{f}`" for f in fields) or "none declared")


def _valve_fields(action: ast.ClassDef) -> list[str] | None:
    """Fields of ``Action.Valves`` when it plainly subclasses BaseModel, else None (unknown)."""
    for n in action.body:
        if (isinstance(n, ast.ClassDef) and n.name == "Valves" and len(n.bases) == 1
                and ast.unparse(n.bases[0]).split(".")[-1] == "BaseModel"):
            return [s.target.id for s in n.body
                    if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)]
    return None
