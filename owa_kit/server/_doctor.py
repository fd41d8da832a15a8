"""``owa-kit doctor ID``: why is my action's button not showing?

Each check reads the live server and says what it found and, when something is wrong, the
fix. The order follows Open WebUI 0.12.4's own path from function row to button
(``reference/openwebui-contract.md`` §1.8-1.10): functions enabled, the row exists and is an
action, it loads, it is active, it is global or in the model's ``meta.actionIds``,
``/api/models`` lists it on that model, the ``actions`` list is valid, and the message is an
assistant reply that is done.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from ..errors import ServerRejected
from ._client import Client
from ._deploy import load_reason

__all__ = ["Check", "doctor"]


@dataclass(frozen=True)
class Check:
    """One finding of the doctor: ``ok`` is True, False (the cause), or None (could not tell)."""

    name: str
    ok: bool | None
    found: str
    fix: str = ""

    def render(self) -> str:
        mark = {True: "ok", False: "FAIL", None: "??"}[self.ok]
        text = f"[{mark:>4}] {self.name}: {self.found}"
        return f"{text}\n       fix: {self.fix}" if self.fix and self.ok is not True else text


def doctor(client: Client, action_id: str, *, model: str | None = None,
           chat_id: str | None = None, message_id: str | None = None) -> list[Check]:
    """Run every check for ``action_id`` (a function id, or ``fid.sub`` for a sub-action).

    >>> with Client(url, token) as c:                              # doctest: +SKIP
    ...     for check in doctor(c, "weather", model="llama3"):
    ...         print(check.render())
    """
    fid, _, sub = action_id.partition(".")
    out: list[Check] = []
    client.require_admin()

    features = (client.config().get("features") or {})
    enabled = features.get("enable_functions")
    out.append(Check("functions enabled", enabled is not False,
                     f"features.enable_functions is {enabled!r}",
                     "start Open WebUI with ENABLE_FUNCTIONS=true and ENABLE_PLUGINS=true"))

    row = client.function(fid)
    if row is None:
        out.append(Check("function exists", False, f"no function {fid!r} on the server",
                         f"owa-kit push {fid}.py (or check the id with `owa-kit list`)"))
        return out
    out.append(Check("function exists", True, f"{row.get('type')} {fid!r} named "
                                             f"{row.get('name')!r}"))
    is_action = row.get("type") == "action"
    out.append(Check("is an action", is_action, f"type is {row.get('type')!r}",
                     "the file must define `class Action` (and no Pipe or Filter class, "
                     "which win)"))
    if not is_action:
        return out

    was_active = bool(row.get("is_active"))
    out.append(_load_check(client, fid, str(row.get("content") or "")))
    loads = out[-1].ok is True
    out.append(Check("active", was_active,
                     "is_active is true" if was_active else "is_active is false",
                     (f"owa-kit push FILE activates it (or Admin > Functions > toggle {fid})"
                      if loads else "fix the load error first: the server deactivates a "
                      "function that fails to load")))

    actions_check, sub_ids = _actions_check(str(row.get("content") or ""))
    out.append(actions_check)
    if sub and sub_ids is not None and sub not in sub_ids:
        out.append(Check("sub-action", False, f"{sub!r} is not in actions ids {sub_ids}",
                         f"use one of {[f'{fid}.{s}' for s in sub_ids]}"))

    listed = _models_or_error(client, out)
    out.append(_attached_check(row, fid, model, listed))
    if listed is not None:
        out.append(_listed_check(action_id, model, listed, bool(row.get("is_global"))))
    out.append(_message_check(client, fid, chat_id, message_id, listed))
    return out


def _load_check(client: Client, fid: str, content: str) -> Check:
    name = "loads on the server"
    try:
        client.valves_spec(fid)  # loads the module as the model listing does (or uses its cache)
        cached: str | None = None
    except ServerRejected as exc:
        cached = exc.detail or f"HTTP {exc.status}"
    # The server keeps a loaded copy per content, so a file that stopped loading (a package
    # gone, a failing __init__) still works until a restart. A fresh load tells the truth.
    try:
        reason = load_reason(client, content)
    except ServerRejected as exc:
        return Check(name, None if cached is None else False,
                     f"cannot load a fresh copy to check ({exc.detail})",
                     "see the server log for 'Error loading module'")
    fix = "fix the error in the file and `owa-kit push` it again"
    if reason is None and cached is None:
        return Check(name, True, "the module loads and Action() succeeds")
    if reason is None:
        return Check(name, False, f"loading it for this function failed: {cached}",
                     "see the server log for 'Error loading module'")
    if cached is None:
        return Check(name, False, f"a fresh load fails: {reason} (the server still runs its "
                     "cached copy; the button goes away when the server restarts)", fix)
    return Check(name, False, f"loading failed: {reason} (the server deactivates a function "
                 "that fails to load)", fix)


def _actions_check(content: str) -> tuple[Check, list[str] | None]:
    name = "actions list"
    value = _actions_literal(content)
    if value is _ABSENT:
        return Check(name, True, "no `actions` attribute: one button"), None
    if value is _DYNAMIC:
        return Check(name, None, "`actions` is computed at run time; cannot check it here",
                     "compare with the model's actions in /api/models"), None
    if not isinstance(value, list | tuple):
        return Check(name, False, f"`actions` is a {type(value).__name__}, not a list",
                     'actions = [{"id": "one", "name": "First"}, ...]'), None
    ids: list[str] = []
    for i, entry in enumerate(value):
        if not isinstance(entry, dict) or "id" not in entry:
            return Check(name, False, f"entry {i} has no 'id' (Open WebUI raises KeyError and "
                         "/api/models fails for every model)",
                         'give every entry an id: {"id": "one", "name": "First"}'), None
        if "." in str(entry["id"]):
            return Check(name, False, f"sub-action id {entry['id']!r} contains '.'",
                         "use ids without dots (the click splits on '.')"), None
        ids.append(str(entry["id"]))
    if len(set(ids)) != len(ids):
        return Check(name, False, f"duplicate sub-action ids {ids}", "make the ids unique"), ids
    if not ids:
        return Check(name, False, "`actions` is empty: no button at all",
                     "add an entry or remove `actions` for a single button"), ids
    return Check(name, True, f"{len(ids)} buttons: {ids}"), ids


_ABSENT = object()
_DYNAMIC = object()


def _actions_literal(content: str) -> Any:
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return _DYNAMIC
    for node in ast.walk(tree):
        if not (isinstance(node, ast.ClassDef) and node.name == "Action"):
            continue
        for sub in ast.walk(node):
            targets: list[ast.expr] = []
            value: ast.expr | None = None
            if isinstance(sub, ast.Assign):
                targets, value = sub.targets, sub.value
            elif isinstance(sub, ast.AnnAssign):
                targets, value = [sub.target], sub.value
            for t in targets:
                named = (isinstance(t, ast.Name) and t.id == "actions") or (
                    isinstance(t, ast.Attribute) and t.attr == "actions")
                if named and value is not None:
                    try:
                        return ast.literal_eval(value)
                    except ValueError:
                        return _DYNAMIC
    return _ABSENT


def _models_or_error(client: Client, out: list[Check]) -> list[dict[str, Any]] | None:
    try:
        return client.models(refresh=True)
    except ServerRejected as exc:
        out.append(Check("model listing", False, f"GET /api/models failed: HTTP {exc.status} "
                         f"{exc.detail}", "an action with an invalid `actions` list or a "
                         "non-numeric `priority` valve breaks the listing; fix it and push"))
        return None


def _action_ids(m: dict[str, Any]) -> list[str]:
    return list(((m.get("info") or {}).get("meta") or {}).get("actionIds") or [])


def _attached_check(row: dict[str, Any], fid: str, model: str | None,
                    listed: list[dict[str, Any]] | None) -> Check:
    name = "global or attached"
    if row.get("is_global"):
        return Check(name, True, "is_global is true: every model gets it")
    fix = (f"owa-kit push FILE --model {model or 'MODEL'} (adds it to meta.actionIds), or "
           "--global")
    if listed is None:
        return Check(name, None, "not global; cannot read the models", fix)
    holders = sorted(m["id"] for m in listed if fid in _action_ids(m))
    if model is not None:
        ok = model in holders
        found = (f"model {model!r} has it in meta.actionIds" if ok else
                 f"not global, and model {model!r} does not have it in meta.actionIds"
                 + (f" (these do: {holders})" if holders else ""))
        return Check(name, ok, found, fix)
    if holders:
        return Check(name, True, f"in meta.actionIds of {holders}")
    return Check(name, False, "not global and in no model's meta.actionIds", fix)


def _listed_check(action_id: str, model: str | None, listed: list[dict[str, Any]],
                  is_global: bool) -> Check:
    name = "listed by /api/models"
    ids = {m["id"]: m for m in listed}
    if model is not None and model not in ids:
        return Check(name, False, f"no model {model!r} in /api/models (models: "
                     f"{sorted(ids) or 'none'})",
                     "use a model id from that list; a pipe model needs its function active")
    targets = [ids[model]] if model is not None else listed
    showing = sorted(m["id"] for m in targets
                     if any(_matches(a.get("id", ""), action_id) for a in m.get("actions") or []))
    if showing:
        return Check(name, True, f"on {showing}")
    where = f"model {model!r}" if model else "no model"
    verb = "does not list" if model else "lists"
    hint = "" if model or is_global else "; pass --model MODEL to check one model"
    return Check(name, False, f"{where} {verb} {action_id!r} in its actions",
                 f"fix the failed checks above (load, active, attached){hint}")


def _matches(listed_id: str, action_id: str) -> bool:
    """``fid`` matches its own button and every ``fid.sub``; ``fid.sub`` only itself."""
    return listed_id == action_id or ("." not in action_id
                                      and listed_id.partition(".")[0] == action_id)


def _message_check(client: Client, fid: str, chat_id: str | None, message_id: str | None,
                   listed: list[dict[str, Any]] | None) -> Check:
    name = "message"
    if chat_id is None:
        return Check(name, None, "not checked: buttons show only under an assistant reply "
                     "that is done, from a model that lists the action",
                     "pass --chat CHAT_ID [--message MESSAGE_ID] to check a message")
    chat = client.chat(chat_id)
    if chat is None:
        return Check(name, False, f"no chat {chat_id!r} for this user",
                     "copy the id from the chat URL (/c/<id>)")
    history = ((chat.get("chat") or {}).get("history") or {})
    mid = message_id or history.get("currentId")
    msg = (history.get("messages") or {}).get(mid or "")
    if not isinstance(msg, dict):
        return Check(name, False, f"no message {mid!r} in chat {chat_id!r}",
                     "pass a message id from that chat")
    problems = []
    if msg.get("role") != "assistant":
        problems.append(f"role is {msg.get('role')!r} (buttons only show on assistant replies)")
    if not msg.get("done"):
        problems.append("the reply is not done (buttons appear once it has finished)")
    model_id = msg.get("model")
    if listed is not None and model_id is not None:
        m = next((m for m in listed if m["id"] == model_id), None)
        if m is None or not any(a.get("id", "").split(".")[0] == fid
                                for a in m.get("actions") or []):
            problems.append(f"its model {model_id!r} does not list the action")
    if problems:
        return Check(name, False, f"message {mid!r}: " + "; ".join(problems),
                     "click under a finished assistant reply of a model that has the action")
    return Check(name, True, f"message {mid!r} is a finished assistant reply of {model_id!r}")
