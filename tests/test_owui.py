"""The emulated ``open_webui`` namespace: scope, missing names, the tables, ``__request__``."""

from __future__ import annotations

import asyncio
import gc
import importlib.util
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import owa_kit as owa
from owa_kit._owui import misc
from owa_kit._owui._modules import EMULATED, facade

HEAD = '"""\ntitle: Internals\n"""\n'


def act(body: str, *, header: str = "", id: str = "internals") -> owa.LoadedAction:
    """An action importing ``header`` at module level, whose ``action`` body is ``body``."""
    src = HEAD + textwrap.dedent(header) + textwrap.dedent('''
    class Action:
        async def action(self, body, __user__=None, __request__=None, __model__=None,
                         __event_emitter__=None):
    ''') + textwrap.indent(textwrap.dedent(body), " " * 8)
    return owa.load(src, id=id)


def run(a: owa.LoadedAction, *args: Any, **kw: Any) -> owa.Run:
    return asyncio.run(owa.run(a, *args, **kw))


# --- scope: only kit-loaded code sees the emulation ------------------------------------------

def test_real_open_webui_is_absent_here() -> None:
    # the other tests rely on it: this venv has no open-webui (tests/server checks the case
    # where a real one is installed next to the kit)
    assert importlib.util.find_spec("open_webui") is None


def test_imports_at_load_and_inside_action_work_without_touching_sys_modules() -> None:
    a = act('''
        import open_webui.models.users as users_mod
        from open_webui.models import chats
        from open_webui.utils.misc import get_last_user_message
        return {"messages": [{"id": body["id"], "content": " | ".join([
            users_mod.__name__, chats.__name__, get_last_user_message(body["messages"]),
            VERSION, type(generate_chat_completion).__name__])}]}
    ''', header='''
        from open_webui.env import VERSION
        from open_webui.utils.chat import generate_chat_completion
    ''')
    r = run(a, owa.chat("What is 2+2?", "4"))
    assert r.ok, r.traceback
    assert r.message.text == ("open_webui.models.users | open_webui.models.chats | What is 2+2? "
                              "| 0.12.4 | function")
    assert not [m for m in sys.modules if m == "open_webui" or m.startswith("open_webui.")]
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("open_webui")


def test_attribute_access_reaches_every_emulated_submodule() -> None:
    # a running server has every module imported, so `open_webui.utils.chat.x` works there
    a = act('''
        import open_webui
        return {"messages": [{"id": body["id"],
                              "content": open_webui.utils.chat.chat_completion.__name__}]}
    ''')
    assert run(a).message.text == "generate_chat_completion"


def test_facades_are_built_for_every_table_entry() -> None:
    for name in EMULATED:
        assert facade(name).__name__ == name


# --- names the emulation lacks, and names 0.12.4 lacks ---------------------------------------

def test_module_import_of_an_unemulated_module_names_it_and_says_run_live() -> None:
    with pytest.raises(owa.LoadError) as info:
        act("return None", header="from open_webui.routers.images import image_generations\n",
            id="not_emulated")
    text = str(info.value)
    assert "`open_webui.routers.images` exists in Open WebUI 0.12.4" in text
    assert "[OWA704]" in text and "server=owa.Server(url, token)" in text
    assert info.value.line == 4


def test_an_unemulated_name_of_an_emulated_module_fails_with_module_and_name() -> None:
    a = act('''
        from open_webui.utils.misc import get_gravatar_url
    ''')
    r = run(a)
    assert isinstance(r.error, owa.NotEmulatedError)
    assert isinstance(r.error, ImportError)
    assert "`open_webui.utils.misc.get_gravatar_url` exists in Open WebUI 0.12.4" in str(r.error)
    assert "server=owa.Server" in str(r.error)


def test_an_import_error_fallback_in_the_action_catches_not_emulated() -> None:
    a = act('''
        try:
            from open_webui.routers.memories import add_memory
            found = "yes"
        except ImportError:
            found = "fallback"
        return {"messages": [{"id": body["id"], "content": found}]}
    ''')
    assert run(a).message.text == "fallback"


@pytest.mark.parametrize(("statement", "error", "text"), [
    ("from open_webui.apps.webui.models.users import Users", ModuleNotFoundError,
     "No module named 'open_webui.apps': Open WebUI 0.12.4 has no such module"),
    ("from open_webui.models.users import get_db_context", ImportError,
     "cannot import name 'get_db_context' from 'open_webui.models.users'"),
    ("import open_webui.models.nothing_here", ModuleNotFoundError,
     "No module named 'open_webui.models.nothing_here'"),
])
def test_names_that_0_12_4_lacks_fail_as_they_would_there(statement: str, error: type,
                                                           text: str) -> None:
    r = run(act(statement))
    assert type(r.error) is error
    assert text in str(r.error)
    assert not isinstance(r.error, owa.NotEmulatedError)


def test_the_apps_layout_message_says_where_the_module_went() -> None:
    r = run(act("from open_webui.apps.webui.models.users import Users"))
    assert "now `open_webui.models.users`" in str(r.error)


def test_check_reports_an_unemulated_import_as_a_warning_not_an_import_error() -> None:
    src = HEAD + "from open_webui.routers.images import image_generations\n" + textwrap.dedent('''
    class Action:
        async def action(self, body):
            return None
    ''')
    codes = {f.code: f.severity for f in owa.check(src, id="chk")}
    assert codes.get("OWA704") == "warning"
    assert "OWA107" not in codes


# --- the tables read the run's state ---------------------------------------------------------

def test_users_returns_the_clicking_user_as_a_fresh_usermodel() -> None:
    a = act('''
        from open_webui.models.users import Users, UserModel
        user = await Users.get_user_by_id(__user__["id"])
        user.name = "changed"
        again = await Users.get_user_by_id(__user__["id"])
        built = UserModel(**__user__)
        missing = await Users.get_user_by_id("nobody")
        listed = await Users.get_users()
        return {"messages": [{"id": body["id"], "content": repr((
            type(user).__name__, user.role, user.profile_image_url, again.name,
            built.email, missing, listed["total"]))}]}
    ''')
    r = run(a, user={"name": "Ada", "email": "ada@example.com"})
    assert r.ok, r.traceback
    assert r.message.text == repr(("UserModel", "admin", "/user.png", "Ada", "ada@example.com",
                                   None, 1))


def test_an_unawaited_table_call_fails_as_on_the_server_and_says_await() -> None:
    a = act('''
        from open_webui.models.users import Users
        user = Users.get_user_by_id(__user__["id"])
        return {"messages": [{"id": body["id"], "content": user.role}]}
    ''')
    r = run(a)
    assert isinstance(r.error, AttributeError)
    assert "'coroutine' object has no attribute 'role'" in str(r.error)
    assert "OWA701" in r.codes
    del r  # its traceback holds the coroutine; Python warns when it is collected
    with pytest.warns(RuntimeWarning, match="was never awaited"):
        gc.collect()


def test_chats_holds_the_saved_chat_and_checks_the_owner() -> None:
    a = act('''
        from open_webui.models.chats import Chats
        chat = await Chats.get_chat_by_id(body["chat_id"])
        mine = await Chats.get_chat_by_id_and_user_id(body["chat_id"], __user__["id"])
        other = await Chats.get_chat_by_id_and_user_id(body["chat_id"], "someone-else")
        msg = chat.chat["history"]["messages"][body["id"]]
        return {"messages": [{"id": body["id"], "content": repr((
            chat.user_id == __user__["id"], mine is not None, other, msg["content"],
            chat.chat["history"]["currentId"] == body["id"]))}]}
    ''')
    r = run(a, owa.chat("Hi", "Hello there"))
    assert r.ok, r.traceback
    assert r.message.text == repr((True, True, None, "Hello there", True))


def test_a_temporary_chat_is_not_in_the_database() -> None:
    a = act('''
        from open_webui.models.chats import Chats
        chat = await Chats.get_chat_by_id(body["chat_id"])
        return {"messages": [{"id": body["id"], "content": repr(chat)}]}
    ''')
    assert run(a, owa.chat("Hi", "Hello", temporary=True)).message.text == "None"


def test_files_and_models_start_empty_and_keep_what_the_action_adds() -> None:
    a = act('''
        from open_webui.models.files import Files, FileForm
        from open_webui.models.models import Models
        before = await Files.get_file_by_id("f1")
        form = FileForm(id="f1", filename="notes.txt", path="/tmp/notes.txt")
        await Files.insert_new_file(__user__["id"], form)
        after = await Files.get_file_by_id("f1")
        row = await Models.get_model_by_id(body["model"])
        return {"messages": [{"id": body["id"], "content": repr(
            (before, after.filename, after.user_id == __user__["id"], row))}]}
    ''')
    r = run(a)
    assert r.ok, r.traceback
    assert r.message.text == repr((None, "notes.txt", True, None))
    assert list(r.backend.files) == ["f1"]


def test_concurrent_runs_each_see_their_own_user() -> None:
    a = act('''
        import asyncio
        from open_webui.models.users import Users
        await asyncio.sleep(0.01)
        user = await Users.get_user_by_id(__user__["id"])
        return {"messages": [{"id": body["id"], "content": user.name}]}
    ''')

    async def both() -> list[owa.Run]:
        return list(await asyncio.gather(owa.run(a, user={"name": "One"}),
                                         owa.run(a, user={"name": "Two"})))

    assert [r.message.text for r in asyncio.run(both())] == ["One", "Two"]


# --- __request__ -----------------------------------------------------------------------------

def test_request_models_hold_the_same_dict_as_model() -> None:
    a = act('''
        same = __request__.app.state.MODELS[body["model"]] is __model__
        __model__["touched"] = True
        return {"messages": [{"id": body["id"], "content": repr((
            same, __request__.app.state.MODELS[body["model"]]["touched"],
            type(__request__.state.user).__name__, __request__.headers.get("Host"),
            str(__request__.base_url), __request__.base_url.hostname))}]}
    ''')
    r = run(a)
    assert r.message.text == repr((True, True, "UserModel", "127.0.0.1:8080",
                                   "http://127.0.0.1:8080/", "127.0.0.1"))


def test_request_app_state_config_does_not_exist_in_0_12_4() -> None:
    r = run(act("return __request__.app.state.config.TTS_ENGINE"))
    assert isinstance(r.error, AttributeError)
    assert str(r.error).startswith("'State' object has no attribute 'config'")


def test_request_names_what_it_does_not_emulate() -> None:
    r = run(act("return __request__.scope"))
    assert "__request__.scope is not emulated" in str(r.error)
    assert "live" in str(r.error)


# --- pure helpers and constants --------------------------------------------------------------

MESSAGES = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": [{"type": "image_url"}, {"type": "text", "text": "Look"}]},
    {"role": "assistant", "content": "", "output": [
        {"type": "message", "content": [{"type": "output_text", "text": "Seen"}]}]},
]


@pytest.mark.parametrize(("fn", "expected"), [
    (misc.get_last_user_message, "Look"),
    (misc.get_last_assistant_message, "Seen"),
    (lambda m: misc.get_system_message(m)["content"], "Be brief."),
    (lambda m: len(misc.pop_system_message(m)[1]), 2),
    (misc.get_messages_content, "SYSTEM: Be brief.\nUSER: Look\nASSISTANT: Seen"),
])
def test_message_helpers_read_text_parts_and_output(fn: Any, expected: Any) -> None:
    assert fn(MESSAGES) == expected


def test_message_list_follows_parent_ids() -> None:
    chain = {"a": {"id": "a", "parentId": None}, "b": {"id": "b", "parentId": "a"}}
    assert [m["id"] for m in misc.get_message_list(chain, "b")] == ["a", "b"]
    assert misc.get_message_list(chain, "zz") == []


def test_config_dirs_exist_and_env_has_the_version() -> None:
    config, env = facade("open_webui.config"), facade("open_webui.env")
    assert isinstance(config.CACHE_DIR, Path) and config.CACHE_DIR.is_dir()
    assert env.VERSION == "0.12.4"


def test_the_name_table_matches_the_generator(tmp_path: Path) -> None:
    """``_api.py`` is generated; regenerate it when the installed 0.12.4 package is at hand."""
    import os
    import subprocess

    python = os.environ.get("OWA_KIT_OWUI_PYTHON",
                            str(Path(__file__).parents[1] / ".venv-owui/bin/python"))
    if not Path(python).exists():
        pytest.fail(f"owa-kit: no Open WebUI python at {python}; run scripts/owui.sh")
    where = subprocess.run([python, "-c", "import importlib.util as u; "
                            "print(u.find_spec('open_webui').submodule_search_locations[0])"],
                           capture_output=True, text=True, check=True).stdout.strip()
    root = Path(__file__).parents[1]
    out = subprocess.run([sys.executable, str(root / "scripts/owui_api.py"), where],
                         capture_output=True, text=True, check=True).stdout
    assert out == (root / "owa_kit/_owui/_api.py").read_text(encoding="utf-8"), (
        "owa_kit/_owui/_api.py is stale: run `python scripts/owui_api.py > "
        "owa_kit/_owui/_api.py`")
