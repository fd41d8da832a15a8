"""The emulated ``open_webui`` against the real one: the installed 0.12.4 package and server.

1. In ``.venv-owui`` (where the real ``open-webui`` is importable) the kit still serves its
   emulation to the code it loads, and nothing else sees it.
2. The pure helpers, templates and pydantic models behave and look like 0.12.4's.
3. Model-calling actions give identical runs in the emulator (echo model) and on a real
   server (echo pipe): the ``model-*`` conformance scenarios and ``actions/summarize.py``.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest

import owa_kit as owa
from owa_kit.server import OFFLINE_ENV
from owa_kit.server._conformance import Report, conformance, scenarios_for
from owa_kit.server._scenarios import CONTRACT

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[2]
OWUI_PYTHON = os.environ.get("OWA_KIT_OWUI_PYTHON", str(ROOT / ".venv-owui" / "bin" / "python"))


def in_owui_venv(code: str, tmp_path: Path) -> dict[str, object]:
    """Run ``code`` with the real open-webui importable and owa_kit on the path; its last
    stdout line is JSON."""
    if not Path(OWUI_PYTHON).exists():
        pytest.fail(f"owa-kit: no Open WebUI python at {OWUI_PYTHON}; run scripts/owui.sh",
                    pytrace=False)
    # as `open-webui serve` sets it up, with data and static files in tmp_path
    env = {**os.environ, **OFFLINE_ENV, "FROM_INIT_PY": "true", "DATA_DIR": str(tmp_path),
           "STATIC_DIR": str(tmp_path / "static"), "WEBUI_SECRET_KEY": "owa-kit-test",
           "PYTHONPATH": str(ROOT)}
    out = subprocess.run([OWUI_PYTHON, "-c", textwrap.dedent(code)], capture_output=True,
                         text=True, env=env, cwd=tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


SHADOW = '''
import asyncio, json, sys
import open_webui.utils.misc as real_misc          # the real package, imported first
import owa_kit as owa

SRC = """
from open_webui.utils.misc import get_last_user_message
from open_webui.utils.chat import generate_chat_completion

class Action:
    async def action(self, body, __user__=None, __request__=None):
        from open_webui.models.users import Users
        user = await Users.get_user_by_id(__user__["id"])
        r = await generate_chat_completion(__request__, {"model": body["model"],
                                           "messages": body["messages"]}, user)
        return {"misc": get_last_user_message.__module__, "users": type(Users).__module__,
                "reply": r["choices"][0]["message"]["content"]}
"""
r = asyncio.run(owa.run(owa.load(SRC, id="shadow"), owa.chat("Hi", "There")))
import open_webui.constants as real_constants       # a real module imported afterwards
print(json.dumps({
    "ok": r.ok, "result": r.result,
    "misc_still_real": sys.modules["open_webui.utils.misc"] is real_misc,
    "real_file": real_misc.__file__, "constants_file": real_constants.__file__,
    "kit_modules_in_sys": sorted(k for k, m in sys.modules.items()
                                 if "owa-kit emulation" in (getattr(m, "__doc__", "") or "")),
    "open_webui_in_sys": sorted(k for k in sys.modules if k.startswith("open_webui")),
}))
'''


def test_a_real_open_webui_is_neither_shadowed_nor_used_by_the_action(tmp_path: Path) -> None:
    got = in_owui_venv(SHADOW, tmp_path)
    assert got["ok"], got
    assert got["result"] == {"misc": "owa_kit._owui.misc", "users": "owa_kit._owui.users",
                             "reply": "echo: There"}
    assert got["misc_still_real"] is True
    assert "site-packages/open_webui/" in str(got["real_file"])
    assert "site-packages/open_webui/" in str(got["constants_file"])
    assert got["kit_modules_in_sys"] == []
    assert "open_webui.utils.chat" not in got["open_webui_in_sys"]  # the action's import


PARITY = '''
import inspect, json
import open_webui.utils.misc as real
import open_webui.models.users as real_users, open_webui.models.chats as real_chats
import open_webui.models.files as real_files, open_webui.models.models as real_models
import open_webui.utils.chat as real_chat
from owa_kit._owui import misc as kit, users, chats, files, models, chat
from owa_kit._context import make_user

MESSAGES = [
    [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
    [{"role": "user", "content": [{"type": "image_url"}, {"type": "text", "text": "Look"}]},
     {"role": "assistant", "content": "", "output": [{"type": "message", "content": [
         {"type": "output_text", "text": "Seen"}, {"type": "output_text", "text": "!"}]}]}],
    [{"role": "assistant", "content": None}],
    [],
]
HELPERS = ["get_last_user_message", "get_last_user_message_item", "get_last_assistant_message",
           "get_last_assistant_message_item", "get_system_message", "remove_system_message",
           "pop_system_message", "get_messages_content"]
out = {"helpers": [], "signatures": [], "fields": []}
for name in HELPERS:
    for m in MESSAGES:
        a, b = getattr(real, name)(json.loads(json.dumps(m))), getattr(kit, name)(
            json.loads(json.dumps(m)))
        if a != b:
            out["helpers"].append([name, m, repr(a), repr(b)])
for fn, args in [("add_or_update_system_message", ("X", MESSAGES[0])),
                 ("add_or_update_user_message", ("X", MESSAGES[0])),
                 ("prepend_to_first_user_message_content", ("X", MESSAGES[1])),
                 ("append_or_update_assistant_message", ("X", MESSAGES[2]))]:
    a = getattr(real, fn)(*json.loads(json.dumps(args)))
    b = getattr(kit, fn)(*json.loads(json.dumps(args)))
    if a != b:
        out["helpers"].append([fn, repr(a), repr(b)])
chain = {"a": {"id": "a", "parentId": None}, "b": {"id": "b", "parentId": "a"}}
for mid in ("b", "a", "zz", None):
    if real.get_message_list(chain, mid) != kit.get_message_list(chain, mid):
        out["helpers"].append(["get_message_list", mid])

def form(d):
    return {k: v for k, v in d.items() if k not in ("id", "created")}
out["templates"] = [
    form(real.openai_chat_completion_message_template("m", "x")) ==
    form(kit.openai_chat_completion_message_template("m", "x")),
    form(real.openai_chat_chunk_message_template("m", "x")) ==
    form(kit.openai_chat_chunk_message_template("m", "x")),
    form(real.openai_chat_chunk_message_template("m", "")) ==
    form(kit.openai_chat_chunk_message_template("m", "")),
    list(real.openai_chat_completion_message_template("m", "x")) ==
    list(kit.openai_chat_completion_message_template("m", "x")),
]
user = make_user()
out["user_dump"] = (real_users.UserModel(**user).model_dump(mode="json")
                    == users.UserModel(**user).model_dump(mode="json"))
out["user_default_image"] = [real_users.UserModel(**{**user, "profile_image_url": None})
                             .profile_image_url, users.UserModel(**{**user,
                             "profile_image_url": None}).profile_image_url]
for real_mod, kit_mod in [(real_users, users), (real_chats, chats), (real_files, files),
                          (real_models, models)]:
    for name in kit_mod.__all__:
        r, k = getattr(real_mod, name), getattr(kit_mod, name)
        if hasattr(k, "model_fields"):
            if list(r.model_fields) != list(k.model_fields):
                out["fields"].append([name, list(r.model_fields), list(k.model_fields)])
        elif not isinstance(k, type):  # a table singleton: compare each emulated method
            for meth in [m for m in dir(k) if not m.startswith("_")]:
                rs = inspect.signature(getattr(r, meth))
                ks = inspect.signature(getattr(k, meth))
                same = ([(p.name, p.kind, p.default) for p in rs.parameters.values()] ==
                        [(p.name, p.kind, p.default) for p in ks.parameters.values()])
                is_async = (inspect.iscoroutinefunction(getattr(r, meth)) ==
                            inspect.iscoroutinefunction(getattr(k, meth)))
                if not (same and is_async):
                    out["signatures"].append([name, meth, str(rs), str(ks)])
rs, ks = (inspect.signature(real_chat.generate_chat_completion),
          inspect.signature(chat.generate_chat_completion))
out["gcc"] = [p.name for p in rs.parameters.values()] == [p.name for p in ks.parameters.values()]
print(json.dumps(out))
'''


def test_helpers_templates_models_and_signatures_match_0_12_4(tmp_path: Path) -> None:
    got = in_owui_venv(PARITY, tmp_path)
    assert got["helpers"] == []
    assert got["templates"] == [True, True, True, True]
    assert got["user_dump"] is True
    assert got["user_default_image"][0] == got["user_default_image"][1]
    assert got["fields"] == []
    assert got["signatures"] == []
    assert got["gcc"] is True


def test_model_calling_actions_run_identically_in_the_emulator_and_on_the_server(
        live: owa.Server) -> None:
    scenarios = [s for s in CONTRACT if s.name.startswith("model-")]
    scenarios += scenarios_for([ROOT / "actions" / "summarize.py"], contract=False)
    assert len(scenarios) == 4
    report: Report = asyncio.run(conformance(live, scenarios))
    print("\n" + report.render())
    assert report.ok, report.render()
