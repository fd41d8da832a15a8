"""Static findings about ``open_webui`` internals: names 0.12.4 lacks, un-awaited tables.

Called by ``owa_kit._check`` with the parsed file. It follows the file's own imports of
``open_webui`` (aliases included) and checks them against the 0.12.4 name tables in ``_api``:

- OWA706: a module or name that 0.12.4 does not have (``open_webui.apps...``,
  ``internal.db.get_db_context``, ``Knowledges.get_knowledge_bases_by_user_id``) and
  ``request.app.state.config``;
- OWA704: a 0.12.4 module or name the kit does not emulate (the file is fine; the kit cannot
  run it offline);
- OWA701: a call to an async table method (``Users.get_user_by_id(...)``) that is not
  awaited, or handed to ``asyncio.to_thread``;
- OWA705: ``generate_chat_completion(..., __user__)``, a dict where 0.12.4 reads ``user.role``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from .._findings import Finding, finding
from ._modules import EMULATED, exists, facade, first_gap, moved_hint, names_of, table_methods

#: calls that take a coroutine and await it for the caller
_CONSUMERS = frozenset({"gather", "create_task", "ensure_future", "wait_for", "shield", "run",
                        "run_until_complete", "run_coroutine_threadsafe"})


def findings(tree: ast.Module, path: str) -> list[Finding]:
    imported = _imports(tree, path)
    out = list(imported.found)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            out += _call(node, imported.names, parents, path)
        elif (isinstance(node, ast.Attribute) and node.attr == "config"
              and ast.unparse(node.value).endswith("app.state")):
            out.append(finding("OWA706", path=path, line=node.lineno,
                               name=ast.unparse(node), hint=", where settings are read with "
                               "`Config.get` (app.state has no `config`)",
                               fix="read the setting another way, or give the action a valve"))
    return out


class _Imports:
    def __init__(self) -> None:
        self.names: dict[str, str] = {}  # local name -> dotted open_webui name
        self.found: list[Finding] = []


def _imports(tree: ast.Module, path: str) -> _Imports:
    seen = _Imports()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and _ours(node.module or ""):
            module = node.module or ""
            names = [a for a in node.names if a.name != "*"]
            for alias in names:
                seen.names[alias.asname or alias.name] = f"{module}.{alias.name}"
            missing = [_missing(module, a.name) for a in names]
            for dotted in filter(None, missing):
                seen.found.append(finding(
                    "OWA706", path=path, line=node.lineno, name=dotted, hint=moved_hint(dotted),
                    fix="use a name 0.12.4 has (see the message), or drop the import"))
            if _module_finding(seen, module, node.lineno, path):
                continue
            for alias, gone in zip(names, missing, strict=True):
                if gone is None:
                    _name_finding(seen, module, alias.name, node.lineno, path)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _ours(alias.name) and not _module_finding(seen, alias.name, node.lineno, path):
                    seen.names[alias.asname or alias.name] = (
                        alias.name if alias.asname else alias.name.split(".")[0])
    return seen


def _ours(module: str) -> bool:
    return module == "open_webui" or module.startswith("open_webui.")


def _module_finding(seen: _Imports, module: str, line: int, path: str) -> bool:
    """A finding for an import of ``module`` itself; True when its names need no look."""
    gap = first_gap(module)
    if gap is None:
        return False
    if gap[1]:
        seen.found.append(finding("OWA704", path=path, line=line, name=module))
    else:
        seen.found.append(finding(
            "OWA706", path=path, line=line, name=module, hint=moved_hint(module),
            fix="import it from where 0.12.4 has it (see the message), or drop it"))
    return True


def _missing(module: str, name: str) -> str | None:
    """``module.name`` when 0.12.4 has the module (names recorded) but not the name."""
    known = names_of(module)
    dotted = f"{module}.{name}"
    if known is None or name in known or exists(dotted):
        return None
    return dotted


def _name_finding(seen: _Imports, module: str, name: str, line: int, path: str) -> None:
    """OWA704 for a 0.12.4 name of an emulated module that the kit leaves out."""
    emulated = set(getattr(facade(module), "__all__", ())) | {
        m.rsplit(".", 1)[1] for m in EMULATED if m.rsplit(".", 1)[0] == module}
    if name not in emulated:
        seen.found.append(finding("OWA704", path=path, line=line, name=f"{module}.{name}"))


def _call(node: ast.Call, names: dict[str, str], parents: dict[ast.AST, ast.AST],
          path: str) -> Iterator[Finding]:
    func = node.func
    target = _dotted(func, names)
    if target is not None and target.endswith(("utils.chat.generate_chat_completion",
                                               "utils.chat.chat_completion")):
        user = node.args[2] if len(node.args) > 2 else next(
            (k.value for k in node.keywords if k.arg == "user"), None)
        if isinstance(user, ast.Name) and user.id == "__user__":
            yield finding("OWA705", path=path, line=node.lineno, what="`__user__` (a dict)")
    if isinstance(func, ast.Attribute) and func.attr == "to_thread" and node.args:
        inner = _dotted(node.args[0], names)
        if inner is not None and _is_async_method(inner):
            yield finding("OWA701", path=path, line=node.lineno, call=_short(inner))
        return
    if target is None or "." not in target:
        return
    table, method = target.rsplit(".", 1)
    methods = table_methods(table)
    if methods is None:
        return
    if method not in methods[0] | methods[1]:
        yield finding("OWA706", path=path, line=node.lineno, name=_short(target),
                      hint=f" (`{_short(table)}` has no method `{method}`)",
                      fix=f"use a method `{_short(table)}` has in 0.12.4")
    elif method in methods[0] and not _awaited(node, parents):
        yield finding("OWA701", path=path, line=node.lineno, call=ast.unparse(node))


def _dotted(node: ast.AST, names: dict[str, str]) -> str | None:
    """``Users.get_user_by_id`` -> ``open_webui.models.users.Users.get_user_by_id``."""
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value, names)
        return f"{base}.{node.attr}" if base is not None else None
    return None


def _is_async_method(dotted: str) -> bool:
    table, _, method = dotted.rpartition(".")
    methods = table_methods(table)
    return methods is not None and method in methods[0]


def _awaited(node: ast.Call, parents: dict[ast.AST, ast.AST]) -> bool:
    parent = parents.get(node)
    if isinstance(parent, ast.Await):
        return True
    if isinstance(parent, ast.Call) and node in parent.args:
        called = parent.func
        name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
        return name in _CONSUMERS
    if isinstance(parent, ast.Return | ast.Lambda):
        # a sync helper handing the coroutine back is awaited by its caller
        scope = parents.get(parent)
        while scope is not None and not isinstance(
                scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            scope = parents.get(scope)
        return not isinstance(scope, ast.AsyncFunctionDef)
    return False


def _short(dotted: str) -> str:
    """``open_webui.models.users.Users.get_user_by_id`` -> ``Users.get_user_by_id``."""
    parts = dotted.split(".")
    for i, part in enumerate(parts):
        if part[:1].isupper():
            return ".".join(parts[i:])
    return dotted
