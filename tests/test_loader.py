"""Loading an action as Open WebUI 0.12.4 does: module, type, instance, buttons, cache."""

from __future__ import annotations

import os
import sys
import textwrap
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

import owa_kit as owa
from owa_kit._loader import clear_cache, requirement_satisfied

SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return path


SIMPLE = '''\
"""
title: Hello World
description: says hello
"""
class Action:
    async def action(self, body):
        return None
'''


def codes(act: owa.LoadedAction) -> list[str]:
    return [f.code for f in act.findings]


# --- ids, names, sources -------------------------------------------------------------------

def test_load_from_path_derives_id_from_the_file_name(tmp_path: Path) -> None:
    path = write(tmp_path, "hello-world.py", SIMPLE)
    act = owa.load(path)
    assert (act.id, act.name, act.description) == ("hello_world", "Hello World", "says hello")
    assert act.path == path and act.source == path.read_text(encoding="utf-8")
    assert act.manifest == {"title": "Hello World", "description": "says hello"}
    assert repr(act) == "<LoadedAction id='hello_world' name='Hello World' sub_actions=[]>"
    assert owa.load(str(path)).instance is act.instance  # str paths work too


def test_load_from_text_uses_the_title_or_the_given_id() -> None:
    assert owa.load(SIMPLE).id == "hello_world"
    act = owa.load("class Action:\n    async def action(self, body): pass\n", id="Plain")
    assert (act.id, act.name, act.path) == ("plain", "plain", None)  # lowercased like the server
    assert owa.load(SIMPLE, id="x", name="Shown").name == "Shown"


def test_text_without_title_or_id_is_refused() -> None:
    with pytest.raises(owa.LoadError) as err:
        owa.load("class Action:\n    pass\n")
    assert str(err.value) == ("owa-kit: cannot derive an action id from source text without a "
                              "`title:`; pass id='my_action'")


def test_missing_file_is_a_load_error(tmp_path: Path) -> None:
    with pytest.raises(owa.LoadError, match="cannot read the action file"):
        owa.load(tmp_path / "nope.py")


def test_id_that_open_webui_refuses() -> None:
    act = owa.load("class Action:\n    async def action(self, body): pass\n", id="2fast")
    assert codes(act) == ["OWA128"]


# --- module setup --------------------------------------------------------------------------

def test_module_is_registered_like_open_webui(tmp_path: Path) -> None:
    path = write(tmp_path, "mod.py", '''
        import os
        SEEN = os.path.exists(__file__)
        HELP = "pick from main menu"
        class Action:
            async def action(self, body): pass
    ''')
    act = owa.load(path)
    name = act.module.__name__
    assert name.startswith("function_mod_") and len(name) == len("function_mod_") + 32
    assert sys.modules[name] is act.module and sys.modules["function_mod"] is act.module
    assert act.module.SEEN is True  # the temp copy exists while the module runs...
    assert not os.path.exists(act.module.__file__)  # ...and is gone afterwards
    assert act.module.HELP == "pick from open_webui.main menu"  # the rewritten text ran
    assert "OWA119" in codes(act) and "OWA118" in codes(act)


def test_tracebacks_point_at_the_authors_file(tmp_path: Path) -> None:
    path = write(tmp_path, "tb.py", '''
        class Action:
            def boom(self):
                raise ValueError("inside")
            async def action(self, body): pass
    ''')
    act = owa.load(path)
    with pytest.raises(ValueError) as err:
        act.instance.boom()
    frame = traceback.extract_tb(err.value.__traceback__)[-1]
    assert (frame.filename, frame.lineno, frame.line) == (str(path), 3,
                                                          'raise ValueError("inside")')


# --- refusals ------------------------------------------------------------------------------

def test_action_next_to_a_filter_is_classified_as_a_filter() -> None:
    path = SAMPLES / "type-fail-imports-filter.py"
    with pytest.raises(owa.LoadError) as err:
        owa.load(path)
    assert (err.value.path, err.value.line) == (str(path), 5)
    assert str(err.value) == (
        f"owa-kit: {path}:5: the file defines `Action` but also has a module-level `Filter`, so "
        "Open WebUI classifies it as a filter (detection order Pipe > Filter > Action > Event) "
        "[OWA102]. Fix: rename or remove the module-level `Filter` (import it inside a "
        "function, or as `import x` and use `x.Filter`).")


def test_no_action_class() -> None:
    with pytest.raises(owa.LoadError, match=r"no class `Action` at module level.*\[OWA101\]"):
        owa.load(SAMPLES / "type-fail-no-action.py")


def test_syntax_error_has_path_and_line() -> None:
    path = SAMPLES / "syntax-fail-missing-colon.py"
    with pytest.raises(owa.LoadError) as err:
        owa.load(path)
    assert (err.value.path, err.value.line) == (str(path), 8)
    assert isinstance(err.value.__cause__, SyntaxError)
    assert "[OWA106]" in str(err.value)


def test_exec_error_keeps_the_cause_and_the_line() -> None:
    path = SAMPLES / "import-fail-module-error.py"
    with pytest.raises(owa.LoadError) as err:
        owa.load(path)
    assert isinstance(err.value.__cause__, ModuleNotFoundError)
    assert str(err.value).startswith(
        f"owa-kit: {path}:5: executing the file raised ModuleNotFoundError: No module named "
        "'definitely_not_installed_module' [OWA107].")
    assert not any(m.startswith("function_import_fail_module_error") for m in sys.modules)


def test_init_error_names_the_line_in_init() -> None:
    path = SAMPLES / "init-fail-raises.py"
    with pytest.raises(owa.LoadError) as err:
        owa.load(path)
    assert err.value.line == 10
    assert "`Action()` raised KeyError: 'OWA_KIT_SURELY_UNSET_VARIABLE'" in str(err.value)


def test_guide_weather_valves_name_the_field_line_and_fix() -> None:
    path = SAMPLES / "guide-fail-example3-weather.py"
    with pytest.raises(owa.LoadError) as err:
        owa.load(path)
    assert (err.value.path, err.value.line) == (str(path), 19)
    assert str(err.value) == (
        f"owa-kit: {path}:19: Valves field `weather_api_key` has no default: `Valves()` fails, "
        "so saving fails if `__init__` builds it, and every click fails with HTTP 400 until an "
        "admin saves the valves [OWA104]. Fix: give `weather_api_key` a default, e.g. "
        '`weather_api_key: str = Field(default="", description=...)`.')


def test_every_required_valve_is_listed() -> None:
    path = SAMPLES / "valves-fail-required-field.py"
    with pytest.raises(owa.LoadError) as err:
        owa.load(path)
    first, second = str(err.value).splitlines()
    assert first.startswith(f"owa-kit: {path}:11: Valves field `api_token` has no default")
    assert second.startswith(f"{path}:13: Valves field `retries` has no default")
    assert second.endswith("e.g. `retries: int = Field(default=0, description=...)`.")


# --- buttons: sub-actions, icon, priority ----------------------------------------------------

def test_sub_actions_are_the_buttons() -> None:
    act = owa.load(SAMPLES / "subactions-pass-two-buttons.py")
    assert act.sub_actions == [
        owa.SubAction("summarize", "Summarize", "https://example.com/s.svg"),
        owa.SubAction("translate", "Sample (translate)", None),
    ]
    assert repr(act).endswith("sub_actions=['summarize', 'translate']>")


def test_bad_sub_action_entries_are_findings_not_errors() -> None:
    act = owa.load(SAMPLES / "subactions-fail-bad-entries.py")
    assert [s.id for s in act.sub_actions] == ["ok", "v1.2"]
    assert codes(act) == ["OWA121", "OWA122"]


def test_module_level_actions_are_ignored() -> None:
    act = owa.load(SAMPLES / "subactions-fail-module-level.py")
    assert act.sub_actions == []
    [f] = act.findings
    assert (f.code, f.line) == ("OWA120", 7)


ICON_HEAD = '"""\ntitle: Icons\n{front}"""\n'


@pytest.mark.parametrize(("front", "attrs", "icon"), [
    ("icon_url: F\n", 'icon_url = "U"\n    icon = "I"', "F"),
    ("", 'icon_url = "U"\n    icon = "I"', "U"),
    ("", 'icon = "I"', "I"),
    ("icon_url:\n", 'icon = "I"', "I"),  # an empty frontmatter value falls through (`or`)
    ("", "", None),
])
def test_icon_precedence(front: str, attrs: str, icon: str | None) -> None:
    src = ICON_HEAD.format(front=front) + (
        f"class Action:\n    {attrs or 'pass'}\n    async def action(self, body): pass\n")
    assert owa.load(src, id="icons").icon == icon


@pytest.mark.parametrize(("body", "priority", "found"), [
    ("class Valves(BaseModel):\n        priority: int = 3", 3, []),
    ("class Valves(BaseModel):\n        priority: float = -1.5", -1.5, []),
    ("class Valves(BaseModel):\n        other: int = 1", 0, []),
    ("class Valves(BaseModel):\n        priority: int", 0, []),  # Valves() fails: 0
    ("class Valves(BaseModel):\n        priority: str = 'high'", 0, ["OWA124"]),
    ("priority = 5", 0, ["OWA123"]),
    ("pass", 0, []),
])
def test_priority_is_a_valve(body: str, priority: float, found: list[str]) -> None:
    src = ("from pydantic import BaseModel\nclass Action:\n    " + body
           + "\n    async def action(self, body): pass\n")
    act = owa.load(src, id="prio")
    assert (act.priority, codes(act)) == (priority, found)


def test_valves_classes_are_exposed() -> None:
    act = owa.load(SAMPLES / "valves-pass-secret-masked.py")
    assert act.Valves is not None and set(act.Valves.model_fields) == {"api_key"}
    assert act.UserValves is not None and set(act.UserValves.model_fields) == {"password"}
    assert owa.load(SIMPLE, id="nov").Valves is None


# --- requirements --------------------------------------------------------------------------

@pytest.mark.parametrize(("spec", "ok"), [
    ("pydantic>=1", True),
    ("pydantic", True),
    ("pydantic<1", False),
    ("definitely-not-installed-pkg", False),
    ("definitely-not-installed-pkg; python_version < '3'", True),  # marker not for us
    ("not a valid ===spec", False),
])
def test_requirement_satisfied(spec: str, ok: bool) -> None:
    assert requirement_satisfied(spec) is ok


def test_requirements_are_checked_never_installed() -> None:
    src = '"""\ntitle: Reqs\nrequirements: pydantic>=1, definitely-not-installed-pkg\n"""\n'
    act = owa.load(src + "class Action:\n    async def action(self, body): pass\n")
    [f] = act.findings
    assert (f.code, f.line, f.extra["req"]) == ("OWA114", 3, "definitely-not-installed-pkg")


# --- cache ---------------------------------------------------------------------------------

COUNTER = '''
class Action:
    def __init__(self):
        self.clicks = 0
    async def action(self, body):
        self.clicks += 1
'''


def test_same_id_and_text_share_module_and_instance(tmp_path: Path) -> None:
    path = write(tmp_path, "counter.py", COUNTER)
    first = owa.load(path)
    first.instance.clicks += 1
    again = owa.load(path)
    assert again.instance is first.instance and again.module is first.module
    assert again.instance.clicks == 1  # state on self persists, as in Open WebUI
    assert owa.load(path.read_text(encoding="utf-8"), id="counter").instance is first.instance


def test_changed_text_re_execs(tmp_path: Path) -> None:
    path = write(tmp_path, "counter.py", COUNTER)
    first = owa.load(path)
    assert first.refreshed() is first
    path.write_text(COUNTER.replace("clicks = 0", "clicks = 10"), encoding="utf-8")
    second = first.refreshed()
    assert second is not first and second.instance is not first.instance
    assert second.instance.clicks == 10
    assert sys.modules["function_counter"] is second.module
    assert first.module.__name__ not in sys.modules
    assert owa.load(path).instance is second.instance


def test_refreshed_keeps_id_and_given_name(tmp_path: Path) -> None:
    path = write(tmp_path, "counter.py", COUNTER)
    first = owa.load(path, id="other", name="Shown")
    path.write_text(COUNTER + "\n", encoding="utf-8")
    second = first.refreshed()
    assert (second.id, second.name) == ("other", "Shown")


def test_text_loads_do_not_refresh() -> None:
    act = owa.load(COUNTER, id="c")
    assert act.refreshed() is act


def test_clear_cache_forgets_instances() -> None:
    first = owa.load(COUNTER, id="c")
    clear_cache()
    assert "function_c" not in sys.modules
    assert owa.load(COUNTER, id="c").instance is not first.instance
