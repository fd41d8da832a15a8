"""``owa.check``: the sample corpus (tests/samples/README.md) and the exact messages that matter."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

import owa_kit as owa
from owa_kit._check import KNOWN_EVENT_TYPES

SAMPLES = Path(__file__).parent / "samples"
FILES = sorted(SAMPLES.glob("*.py"))
EXPECT = re.compile(r"^(?:#\s*)?expect:(.*)$", re.MULTILINE)


def expected(path: Path) -> set[str]:
    match = EXPECT.search(path.read_text(encoding="utf-8"))
    return {c.strip() for c in (match.group(1) if match else "").split(",") if c.strip()}


def test_samples_are_named_and_annotated() -> None:
    assert len(FILES) >= 40
    for path in FILES:
        assert re.fullmatch(r"[a-z0-9]+-(pass|fail)-[a-z0-9-]+\.py", path.name), path.name
        if "-fail-" in path.name:
            assert expected(path), f"{path.name} has no `expect:` line"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_sample(path: Path) -> None:
    findings = owa.check(path)
    want = expected(path)
    loud = {f.code for f in findings if f.severity != "info"}
    report = "\n".join(str(f) for f in findings)
    assert want <= {f.code for f in findings}, report
    assert loud <= want, report
    if "-pass-" in path.name:
        assert not [f for f in findings if f.severity == "error"], report
    assert all(f.path == str(path.absolute()) for f in findings)
    assert all(f.line for f in findings if f.code != "OWA101"), report  # OWA101: the whole file


def test_findings_are_sorted_by_line() -> None:
    lines = [f.line or 0 for f in owa.check(SAMPLES / "guide-fail-example3-weather.py")]
    assert lines == sorted(lines)


def test_known_event_types() -> None:
    assert {"status", "chat:message:follow_ups", "citation", "execute"} <= KNOWN_EVENT_TYPES
    assert not {"follow_ups", "title", "progress", "select"} & KNOWN_EVENT_TYPES


# --- pinned messages -------------------------------------------------------------------------

def one(path: Path, code: str) -> str:
    [f] = [f for f in owa.check(path) if f.code == code]
    return str(f)


def test_weather_required_valve_as_a_finding() -> None:
    path = SAMPLES / "guide-fail-example3-weather.py"
    assert one(path, "OWA104") == (
        f"{path}:19: OWA104 error: Valves field `weather_api_key` has no default: `Valves()` "
        "fails, so saving fails if `__init__` builds it, and every click fails with HTTP 400 "
        "until an admin saves the valves\n"
        '    fix: give `weather_api_key` a default, e.g. `weather_api_key: str = '
        'Field(default="", description=...)`')


def test_classification_as_a_finding() -> None:
    path = SAMPLES / "type-fail-imports-filter.py"
    assert one(path, "OWA102") == (
        f"{path}:5: OWA102 error: the file defines `Action` but also has a module-level "
        "`Filter`, so Open WebUI classifies it as a filter (detection order Pipe > Filter > "
        "Action > Event)\n"
        "    fix: rename or remove the module-level `Filter` (import it inside a function, or "
        "as `import x` and use `x.Filter`)")


def test_guide_example2_does_not_compile() -> None:
    path = SAMPLES / "guide-fail-example2-visualize.py"
    assert one(path, "OWA106").startswith(
        f"{path}:66: OWA106 error: the file does not compile: SyntaxError: f-string: single '}}' "
        "is not allowed")


def test_progress_done_values_show_the_source() -> None:
    findings = owa.check(SAMPLES / "guide-fail-progress.py")
    assert [f.message.split(";")[0] for f in findings if f.code == "OWA202"] == [
        "status `done` is 0", "status `done` is i / 5", "status `done` is 1"]


# --- single rules on small sources -----------------------------------------------------------

def findings_of(body: str, head: str = "") -> list[tuple[str, str]]:
    src = textwrap.dedent(head) + "class Action:\n" + textwrap.indent(textwrap.dedent(body), "    ")
    return [(f.code, f.fix) for f in owa.check(src, id="snippet") if f.severity != "info"]


CALL = "async def action(self, body, __event_call__=None):\n    await __event_call__({})\n"


@pytest.mark.parametrize(("call", "fix"), [
    ('{"type": "select"}', 'use {"type": "input", "data": {"type": "select", "options": [...]}}'),
    ('{"type": "confirm"}', 'use {"type": "confirmation", "data": {"title": ..., "message": ...}}'),
    ('{"type": "prompt"}', 'use "confirmation" (True/False), "input" (text; type "password" or '),
])
def test_unanswered_call_hints(call: str, fix: str) -> None:
    [(code, got)] = findings_of(CALL.replace("{}", call))
    assert code == "OWA301" and got.startswith(fix)


@pytest.mark.parametrize(("expr", "code", "fix"), [
    ('body["message_id"]', "OWA605", 'use `body["id"]` (the id of the clicked message)'),
    ('body.get("metadata")', "OWA605", "there is no metadata; use `body[\"chat_id\"]`"),
    ('body["foo"]', "OWA605", "the body has only chat_id, id, messages, model, session_id"),
    ('body.get("content")', "OWA604", 'read `body["messages"][-1]["content"]`'),
    ('__user__["valves"]["shout"]', "OWA502", 'use attribute access: `__user__["valves"].shout`'),
    ("requests.post(u)", "OWA132", "use `httpx.AsyncClient` and `await client.get(...)`, or "
                                   "`await asyncio.to_thread(requests.post, ...)`"),
    ("time.sleep(1)", "OWA132", "use `await asyncio.sleep(...)`"),
])
def test_expression_rules(expr: str, code: str, fix: str) -> None:
    body = f"async def action(self, body, __user__=None):\n    x = {expr}\n"
    [(got, text)] = findings_of(body)
    assert got == code and text.startswith(fix)


@pytest.mark.parametrize(("params", "expect"), [
    ("self, body, __metadata__=None", [("OWA601", "__metadata__")]),
    ("self, body, __chat_id__", [("OWA602", "__chat_id__")]),
    ("self, body, *, user", [("OWA602", "user")]),
    ("self, body, **kw", []),  # OWA603 is info
    ("self, __user__=None", [("OWA606", "")]),
    ("self, body, __id__=None, __request__=None, __model__=None", []),
])
def test_signature_rules(params: str, expect: list[tuple[str, str]]) -> None:
    src = f"class Action:\n    async def action({params}):\n        pass\n"
    found = [(f.code, f.extra.get("name", "")) for f in owa.check(src, id="sig")
             if f.severity != "info"]
    assert found == expect


def test_nested_and_helper_functions_are_not_the_action() -> None:
    body = """
    async def helper(self, body):
        return {"content": body["messages"]}
    async def action(self, body):
        def inner():
            return "a string from a nested function"
        return None
    """
    assert findings_of(body) == []


def test_check_never_raises_for_a_file_that_does_not_load() -> None:
    assert [f.code for f in owa.check("class Nope:\n    pass\n", id="nope")] == ["OWA101"]
    assert [f.code for f in owa.check("def broken(:\n", id="broken")] == ["OWA106"]


def test_check_of_text_uses_the_title_for_the_label() -> None:
    src = '"""\ntitle: Pinned\n"""\nclass Action:\n    def action(self, body):\n        pass\n'
    [f] = owa.check(src)
    assert f.where == "<action pinned>:5" and f.code == "OWA130"
