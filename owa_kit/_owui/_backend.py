"""The Open WebUI state one run sees: its user, chat, models, files, and the model's replies.

``owa.run`` builds one ``Backend`` per click and runs the action with it as the *current*
backend (a context variable, so concurrent runs never mix). The emulated tables
(``Users``, ``Chats``, ``Files``, ``Models``) read and write its rows; the emulated
``generate_chat_completion`` asks it for the model's reply. Rows are kept as plain dicts and
validated into fresh models on every read, as a database would hand back fresh objects.
"""

from __future__ import annotations

import copy
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from .._chat import _EPOCH, Chat, kit_uuid

if TYPE_CHECKING:
    from .._context import Request
    from .._run import Completion, Run
    from ..llm import Script

_CURRENT: ContextVar[Backend | None] = ContextVar("owa_kit_owui_backend", default=None)


class Backend:
    """Rows by id (``users``, ``chats``, ``files``, ``models``), the request, the model."""

    def __init__(self, *, user: dict[str, Any], request: Request | None = None,
                 chat: Chat | None = None, script: Script | None = None,
                 run: Run | None = None, frontend: Any = None) -> None:
        base = {k: v for k, v in user.items() if k != "valves"}
        self.users: dict[str, dict[str, Any]] = {str(base["id"]): base} if base else {}
        self.chats: dict[str, dict[str, Any]] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.models: dict[str, dict[str, Any]] = {}  # workspace model rows (none by default)
        self.request = request
        self.script = script
        self.run = run
        self.frontend = frontend
        self._ids = 0
        if script is not None and request is not None and script.models():
            from .._context import make_model

            known = request.app.state.MODELS  # a replay's models were on its server
            for model_id in sorted(script.models() - set(known)):
                known[model_id] = make_model([], model_id=model_id, name=model_id)
        if chat is not None and not chat.temporary and base:
            self.chats[chat.id] = chat_row(chat, str(base["id"]))

    def new_id(self, kind: int) -> str:
        """A deterministic id for rows and completions created during the run."""
        self._ids += 1
        return kit_uuid(kind, self._ids)

    def completion_record(self, completion: Completion) -> None:
        if self.run is not None:
            self.run.completions.append(completion)

    def add_findings(self) -> None:
        """Findings only the end of the run shows: how the action failed on what it got."""
        run = self.run
        error = run.error if run is not None else None
        if run is None or error is None:
            return
        from .._findings import finding
        from ..llm import ModelError

        text = f"{type(error).__name__}: {error}"
        failed = [c for c in run.completions if isinstance(c.reply, ModelError)]
        if failed and isinstance(error, KeyError | TypeError | IndexError | AttributeError):
            run.add_finding(finding("OWA703", index=failed[-1].index, error=text))
        if isinstance(error, AttributeError) and "'coroutine' object" in str(error):
            run.add_finding(finding("OWA701", call="the open_webui table call (Users, Chats, "
                                                   "Files, Models ...)"))
        if isinstance(error, AttributeError) and str(error).startswith(
                "'dict' object has no attribute 'role'"):
            run.add_finding(finding("OWA705", what="a dict (such as `__user__`)"))

    def check_leftover(self) -> None:
        """Raise ``LeftoverRepliesError`` (carrying ``run``) if scripted replies went unused."""
        if self.script is None or self.run is None:
            return
        left = self.script.leftover()
        if not left:
            return
        from ..errors import LeftoverRepliesError

        run = self.run
        what = {"list": "reply(ies)", "mapping": "mapping key(s)",
                "replay": "recorded completion(s)"}[self.script.kind]
        err = LeftoverRepliesError(
            f"owa-kit: {len(left)} scripted model {what} left unused: {left!r}; the action "
            f"asked the model {len(run.completions)} time(s)"
            + (f" before it failed with {type(run.error).__name__}: {run.error}"
               if run.error else "")
            + ". Remove the extra replies or check why the action stopped asking.")
        err.run = run  # type: ignore[attr-defined]
        raise err


_IDLE = Backend(user={})


def current() -> Backend:
    """The running click's backend; outside ``owa.run`` an empty one (no user, no chats)."""
    backend = _CURRENT.get()
    return backend if backend is not None else _IDLE


def running() -> Backend | None:
    return _CURRENT.get()


def activate(backend: Backend) -> None:
    """Make ``backend`` current in this context (a task's own copy, see ``_runtime``)."""
    _CURRENT.set(backend)


def chat_row(chat: Chat, user_id: str) -> dict[str, Any]:
    """The ``chat`` table row of a saved chat as the 0.12.4 frontend stores it.

    The blob holds ``title``, ``models``, ``params``, ``history`` (messages by id and
    ``currentId``), the ``messages`` of the current branch, ``tags`` and ``timestamp``.
    """
    history = copy.deepcopy(chat.messages)
    blob = {
        "id": "",
        "title": chat.title,
        "models": [chat.model],
        "params": {},
        "history": {"messages": history, "currentId": chat.current_id},
        "messages": [history[m["id"]] for m in chat.branch()],
        "tags": list(chat.tags),
        "timestamp": _EPOCH * 1000,
    }
    return {
        "id": chat.id, "user_id": user_id, "title": chat.title, "chat": blob,
        "created_at": _EPOCH, "updated_at": _EPOCH, "share_id": None, "archived": False,
        "pinned": False, "meta": {}, "variables": {}, "folder_id": None, "tasks": None,
        "summary": None, "current_message_id": chat.current_id, "last_read_at": _EPOCH,
        "timer_at": None,
    }
