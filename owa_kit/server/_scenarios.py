"""The conformance scenario set: small actions that together exercise the 0.12.4 contract.

Each scenario is data (:class:`Scenario`): an action's source (or a file path), the chat it is
clicked in, the answers and valves. ``_conformance`` runs each one in the emulator and on a
real server and compares what happened. The actions are kept tiny and return what they
received, so a difference in what Open WebUI hands an action shows up in the return value.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import answers as A
from .._chat import Chat, chat

__all__ = ["CONTRACT", "Scenario", "for_action_file"]


@dataclass(frozen=True)
class Scenario:
    """One click to compare: ``action`` is source text or a path to an action file.

    ``llm`` holds scripted LLM replies for actions that call a model (used by the LLM
    emulation; ``None`` here).
    """

    name: str
    action: str | Path
    message: str | Chat | Sequence[Any] = "The assistant's reply."
    answers: tuple[Any, ...] = ()
    valves: Mapping[str, Any] | None = None
    user_valves: Mapping[str, Any] | None = None
    sub_action: str | None = None
    llm: Any = None
    timeout: float = 30.0
    notes: str = field(default="", compare=False)

    @property
    def action_id(self) -> str:
        """The function id both sides use (files: from the name; sources: ``conf_<name>``)."""
        if isinstance(self.action, Path):
            from .._frontmatter import name_to_id

            return name_to_id(self.action.stem).lower()
        return "conf_" + self.name.replace("-", "_")


def _src(body: str, *, head: str = "") -> str:
    """An action module: frontmatter, imports, ``head`` and the ``Action`` class ``body``."""
    return ('"""\ntitle: Conformance\ndescription: owa-kit conformance scenario\n"""\n'
            "from pydantic import BaseModel, Field\n" + textwrap.dedent(head)
            + "\n\nclass Action:\n" + textwrap.indent(textwrap.dedent(body), "    "))


_PARAMS = _src('''
    async def action(self, body, __user__=None, __model__=None, __id__=None,
                     __event_emitter__=None, __event_call__=None, __request__=None):
        return {
            "body_keys": sorted(body),
            "message_keys": [sorted(m) for m in body["messages"]],
            "last_is_clicked": body["messages"][-1]["id"] == body["id"],
            "id": __id__,
            "user_keys": sorted(__user__),
            "role": __user__["role"],
            "model_id": __model__["id"],
            # the list of actions depends on what else the server has: only its shape
            "model_keys": sorted(__model__),
            "profile_image_url": __user__["profile_image_url"],
            "request_has_model": __model__["id"] in __request__.app.state.MODELS,
            "emitter": callable(__event_emitter__),
            "caller": callable(__event_call__),
        }
''')

_SUB_ACTIONS = _src('''
    actions = [{"id": "one", "name": "First"}, {"id": "two", "name": "Second"}]

    async def action(self, body, __id__=None, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": __id__, "done": True}})
        return {"clicked": __id__}
''')

_VALVES = _src('''
    class Valves(BaseModel):
        prefix: str = Field(default="DEFAULT")
        priority: int = 0
        count: int = 1

    class UserValves(BaseModel):
        shout: bool = False
        name: str = "nobody"

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body, __user__=None, __id__=None):
        uv = __user__["valves"]
        stored = ((__user__["settings"] or {}).get("functions") or {}).get("valves") or {}
        return {"valves": self.valves.model_dump(), "user_valves": uv.model_dump(),
                "user_valves_type": type(uv).__name__, "in_settings": stored.get(__id__)}
''')

_CALLS = _src('''
    async def action(self, body, __event_call__=None, __event_emitter__=None):
        got = []
        got.append(await __event_call__({"type": "confirmation",
                                         "data": {"title": "Go?", "message": "Sure?"}}))
        got.append(await __event_call__({"type": "input", "data": {
            "title": "Name", "message": "Who?", "placeholder": "type", "value": "Ada"}}))
        got.append(await __event_call__({"type": "input", "data": {
            "title": "Pick", "message": "Which?", "type": "select",
            "options": ["red", {"label": "Green", "value": "green"}]}}))
        got.append(await __event_call__({"type": "input", "data": {
            "title": "Key", "message": "API key", "type": "password"}}))
        got.append(await __event_call__({"type": "execute", "data": {"code": "return 6*7"}}))
        await __event_emitter__({"type": "status", "data": {"description": "asked",
                                                            "done": True}})
        return {"got": got}
''')

_CANCEL = _src('''
    async def action(self, body, __event_call__=None):
        ok = await __event_call__({"type": "confirmation", "data": {"title": "Go?",
                                                                    "message": "Sure?"}})
        text = await __event_call__({"type": "input", "data": {"title": "Name",
                                                               "message": "Who?"}})
        return {"confirmed": ok, "typed": text}
''')

_UNKNOWN_CALL = _src('''
    async def action(self, body, __event_call__=None, __event_emitter__=None):
        picked = await __event_call__({"type": "select", "data": {"options": ["a", "b"]}})
        await __event_emitter__({"type": "status", "data": {"description": "after",
                                                            "done": True}})
        return {"picked": picked}
''')

_RAISES = _src('''
    async def action(self, body, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "about to fail",
                                                            "done": False}})
        raise ValueError("asked to fail")
''')

_MESSAGES = _src('''
    async def action(self, body, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "rewriting",
                                                            "done": True}})
        return {"messages": [{"id": body["id"], "content": body["messages"][-1]["content"].upper(),
                              "followUps": ["More?"]}]}
''')

_EMBED = _src('''
    async def action(self, body, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "drawing",
                                                            "done": True}})
        return HTMLResponse("<b>chart</b>", headers={"Content-Disposition": "inline"})
''', head="from fastapi.responses import HTMLResponse\n")

_EVENTS = _src('''
    async def action(self, body, __event_emitter__=None):
        emit = __event_emitter__
        await emit({"type": "status", "data": {"description": "working", "done": False}})
        await emit({"type": "message", "data": {"content": " (appended)"}})
        await emit({"type": "replace", "data": {"content": "Replaced text."}})
        await emit({"type": "message", "data": {"content": " And more."}})
        await emit({"type": "files", "data": {"files": [{"type": "file", "name": "a.txt",
                                                         "url": "/a.txt"}]}})
        await emit({"type": "files", "data": {"files": [{"type": "image", "url": "/b.png"}]}})
        await emit({"type": "embeds", "data": {"embeds": ["<i>one</i>"]}})
        await emit({"type": "embeds", "data": {"embeds": ["<i>two</i>"]}})
        await emit({"type": "source", "data": {"source": {"name": "Doc"},
                                               "document": ["text"],
                                               "metadata": [{"source": "doc.txt"}]}})
        await emit({"type": "citation", "data": {"type": "code_execution", "id": "run1",
                                                 "code": "print(1)"}})
        await emit({"type": "notification", "data": {"type": "success", "content": "done"}})
        await emit({"type": "chat:message:follow_ups", "data": {"follow_ups": ["Why?"]}})
        await emit({"type": "chat:title", "data": "A title"})
        await emit({"type": "status", "data": {"description": "finished", "done": True}})
        return None
''')

_ALIASES = _src('''
    async def action(self, body, __event_emitter__=None):
        emit = __event_emitter__
        await emit({"type": "chat:message:delta", "data": {"content": " delta"}})
        await emit({"type": "chat:message", "data": {"content": "whole"}})
        await emit({"type": "chat:message:files", "data": {"files": [{"url": "/c.png"}]}})
        await emit({"type": "chat:message:embeds", "data": {"embeds": ["<p>e</p>"]}})
        await emit({"type": "status", "data": {"description": "aliases", "done": True}})
''')

_SYNC = _src('''
    def action(self, body):
        return {"messages": [{"id": body["id"], "content": "sync rewrite"}]}
''')

_REUSED_DICT = _src('''
    async def action(self, body, __event_emitter__=None):
        embeds = {"type": "embeds", "data": {"embeds": ["<a>1</a>"]}}
        files = {"type": "files", "data": {"files": [{"url": "/x.png"}]}}
        for event in (embeds, embeds, files, files):
            await __event_emitter__(event)
        return {"embeds_after": embeds, "files_after": files}
''')

_TYPELESS_CALL = _src('''
    async def action(self, body, __event_call__=None):
        return {"got": await __event_call__({"data": {"title": "no type"}})}
''')

_CONFIRM_TIMEOUT = _src('''
    async def action(self, body, __event_call__=None):
        ok = await __event_call__({"type": "confirmation", "data": {"title": "t",
                                                                    "message": "m"}})
        return {"got": ok, "truthy": bool(ok)}
''')

_RETURNS = {
    "return-string": "return 'plain text'",
    "return-set-tuple": "return {'s': {1}, 't': (1, 2)}",
    "return-not-json": "return {'x': object()}",
    "return-model": "return Out()",
    "return-html-not-inline": "return HTMLResponse('<b>x</b>')",
    "return-html-context": ("return (HTMLResponse('<b>x</b>', "
                            "headers={'Content-Disposition': 'inline'}), {'ctx': 1})"),
    "return-unknown-message-id": "return {'messages': [{'id': 'nope', 'content': 'x'}]}",
}


def _returns(statement: str) -> str:
    return _src(f'''
        async def action(self, body):
            {statement}
    ''', head=("from fastapi.responses import HTMLResponse\n\n\n"
               "class Out(BaseModel):\n    a: int = 1\n"))


_ODD_DATA = _src('''
    async def action(self, body, __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": None})
        await __event_emitter__({"type": "status"})
        await __event_emitter__({"type": "message", "data": {}})
        await __event_emitter__({"type": "source", "data": {"type": "x", "a": 1}})
        await __event_emitter__({"type": "status", "data": {"description": "ok", "done": 0.5}})
''')

_RELOAD = _src('''
    async def action(self, body, __event_emitter__=None):
        for html in ("<i>a</i>", "<i>b</i>"):  # the tab replaces, the server prepends
            await __event_emitter__({"type": "embeds", "data": {"embeds": [html]}})
        await __event_emitter__({"type": "chat:reload", "data": {}})
        await asyncio.sleep(0.3)  # let the tab's reload land first, as a person would see it
        await __event_emitter__({"type": "status", "data": {"description": "reloaded",
                                                            "done": True}})
''', head="import asyncio\n")

_NO_ACTION_METHOD = _src('''
    pass
''')


# Actions that ask the model through Open WebUI's own generate_chat_completion. The model is
# the chat's: the echo pipe on the server, its emulation (llm=None) in the kit. Ids and
# timestamps of completions differ by nature, so the action reports their form, not values.
_MODEL_HEAD = """
import json

from open_webui.models.chats import Chats
from open_webui.models.files import Files
from open_webui.models.users import UserModel, Users
from open_webui.utils.chat import generate_chat_completion


def _form(completion):
    out = dict(completion)
    out["id"] = out["id"].startswith(completion["model"] + "-")
    out["created"] = isinstance(out["created"], int)
    return out


async def _outcome(call):
    try:
        return await call
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
"""

_MODEL_ECHO = _src('''
    async def action(self, body, __user__=None, __model__=None, __request__=None,
                     __event_emitter__=None):
        await __event_emitter__({"type": "status", "data": {"description": "asking",
                                                            "done": False}})
        user = await Users.get_user_by_id(__user__["id"])
        ask = {"model": body["model"], "messages": [
            {"role": "system", "content": "Summarize."},
            {"role": "user", "content": "Summarize: " + body["messages"][-1]["content"]}]}
        whole = await generate_chat_completion(__request__, {**ask, "stream": False}, user)
        streamed = await generate_chat_completion(__request__, {**ask, "stream": True}, user)
        lines = []
        async for line in streamed.body_iterator:
            data = line[len("data: "):].strip()
            lines.append(data if data == "[DONE]" else _form(json.loads(data)))
        chat = await Chats.get_chat_by_id_and_user_id(body["chat_id"], __user__["id"])
        await __event_emitter__({"type": "status", "data": {"description": "answered",
                                                            "done": True}})
        return {
            "whole": _form(whole),
            "stream_class": type(streamed).__name__,
            "stream": lines,
            "user": [type(user).__name__, user.role, user.email],
            "built_user": UserModel(**__user__).id == user.id,
            "same_model_dict": __request__.app.state.MODELS[body["model"]] is __model__,
            "chat_has_clicked_message": body["id"] in chat.chat["history"]["messages"],
            "no_file": await Files.get_file_by_id("no-such-file"),
            "unknown_model": await _outcome(generate_chat_completion(
                __request__, {**ask, "model": "no-such-model"}, user)),
            "dict_user": await _outcome(generate_chat_completion(__request__, ask, __user__)),
            "bypassed": _form(await generate_chat_completion(
                __request__, ask, __user__, bypass_filter=True))["choices"],
        }
''', head=_MODEL_HEAD)

_MODEL_ERROR = _src('''
    async def action(self, body, __user__=None, __request__=None):
        user = await Users.get_user_by_id(__user__["id"])
        broken = {"model": body["model"], "messages": [{"role": "user"}]}  # the pipe raises
        whole = await generate_chat_completion(__request__, {**broken, "stream": False}, user)
        streamed = await generate_chat_completion(__request__, {**broken, "stream": True}, user)
        return {"whole": whole, "stream": [line async for line in streamed.body_iterator]}
''', head=_MODEL_HEAD)


def _legacy_chat() -> Chat:
    return chat("Question?", "A legacy reply without output.", output=False)


#: The contract scenarios, in the order they are reported.
CONTRACT: tuple[Scenario, ...] = (
    Scenario("params", _PARAMS, notes="what is injected, and the body's shape"),
    Scenario("sub-action", _SUB_ACTIONS, sub_action="two"),
    Scenario("valves-defaults", _VALVES),
    Scenario("valves-stored", _VALVES, valves={"prefix": "STORED", "count": 3},
             user_valves={"shout": True}),
    Scenario("calls-answered", _CALLS, answers=(True, True, "green", "s3cret-key", 42)),
    Scenario("calls-typed", _CALLS, answers=(True, "Grace", "red", "", {"x": [1]})),
    Scenario("confirm-cancel", _CANCEL, answers=(False, False)),
    Scenario("empty-input", _CANCEL, answers=(True, "")),
    Scenario("unknown-call-timeout", _UNKNOWN_CALL, answers=(A.timeout(),),
             notes="needs WEBSOCKET_EVENT_CALLER_TIMEOUT on the server"),
    Scenario("raises", _RAISES),
    Scenario("messages-return", _MESSAGES),
    Scenario("messages-return-legacy", _MESSAGES, message=_legacy_chat()),
    Scenario("inline-html-embed", _EMBED),
    Scenario("events-saved-chat", _EVENTS),
    Scenario("events-temporary-chat", _EVENTS,
             message=chat("Hi", "The reply.", temporary=True)),
    Scenario("events-legacy-chat", _EVENTS, message=_legacy_chat()),
    Scenario("event-aliases", _ALIASES),
    Scenario("events-reused-dict", _REUSED_DICT,
             notes="the server extends the action's own embeds/files list in place"),
    Scenario("event-odd-data", _ODD_DATA),
    Scenario("chat-reload", _RELOAD, notes="the tab reloads the message from the database"),
    Scenario("typeless-call-timeout", _TYPELESS_CALL, answers=(A.timeout(),)),
    Scenario("confirmation-timeout", _CONFIRM_TIMEOUT, answers=(A.timeout(),)),
    Scenario("sync-action", _SYNC),
    Scenario("no-action-method", _NO_ACTION_METHOD),
    Scenario("model-echo", _MODEL_ECHO, notes="generate_chat_completion with the echo pipe"),
    Scenario("model-error", _MODEL_ERROR, notes="a pipe that raises: an error dict/SSE line"),
    *(Scenario(name, _returns(statement)) for name, statement in _RETURNS.items()),
)


#: How to click each action shipped in ``actions/`` (by file stem): message and answers.
_ACTION_FILES: dict[str, list[dict[str, Any]]] = {
    "enhance_message": [
        {"message": "I'm gonna utilize this, it's kinda neat.", "answers": ("formal",)},
        {"message": "We will commence in order to facilitate it.", "answers": (False,)},
    ],
    "visualize_data": [
        {"message": "| Fruit | Count |\n|---|---|\n| Apples | 3 |\n| Pears | 5 |",
         "answers": ("bar",)},
        {"message": "No numbers here.", "answers": ()},
    ],
    "weather": [
        {"message": "It is sunny in Berlin.", "answers": ()},  # no API key: no request
    ],
    "analyze_text": [
        {"message": "Great, clear and helpful. I love it.", "answers": (True, "sentiment")},
        {"message": "Great, clear and helpful.", "answers": (False,)},
    ],
    "progress_demo": [{"message": "Run the demo.", "valves": {"steps": 3, "delay": 0.01}}],
    "debug_errors": [{"message": "Count these words, please.", "answers": ()}],
    "summarize": [
        {"message": "Photosynthesis turns light, water and CO2 into sugar and oxygen."},
        {"message": "Any reply.", "valves": {"model": "no-such-model"}},
    ],
}


def for_action_file(path: Path) -> list[Scenario]:
    """Scenarios for an action file: the known clicks for ``actions/``, else one plain click."""
    clicks = _ACTION_FILES.get(path.stem) or [{}]
    out = []
    for n, click in enumerate(clicks, start=1):
        suffix = f"-{n}" if len(clicks) > 1 else ""
        out.append(Scenario(f"{path.stem}{suffix}", path,
                            message=click.get("message", "The assistant's reply."),
                            answers=tuple(click.get("answers", ())),
                            valves=click.get("valves")))
    return out
