"""Frontmatter, import rewriting and ids, exactly as Open WebUI 0.12.4 (contract §1.1-1.2)."""

from __future__ import annotations

import pytest

from owa_kit._frontmatter import (
    extract_frontmatter,
    frontmatter_findings,
    name_to_id,
    replace_imports,
)

Q = '"""'

FRONTMATTER = [
    # (content, manifest)
    (f"{Q}\ntitle: X\n{Q}\n", {"title": "X"}),
    (f"{Q}title: X\n{Q}\n", {}),  # header on the first line
    (f"\n{Q}\ntitle: X\n{Q}\n", {}),  # leading blank line
    (f"# comment\n{Q}\ntitle: X\n{Q}\n", {}),
    ("#!/usr/bin/env python\n" f"{Q}\ntitle: X\n{Q}\n", {}),
    ("'''\ntitle: X\n'''\n", {}),
    (f'r{Q}\ntitle: X\n{Q}\n', {}),
    (f"   {Q}  \ntitle: X\n{Q}\n", {"title": "X"}),  # line 1 is stripped before comparing
    (f"{Q}\ntitle: X\nversion: 1{Q}\n", {"title": "X"}),  # the closing line is not parsed
    (f"{Q}\ndescription: say {Q}hi{Q}\ntitle: X\n{Q}\n", {}),  # stops at any line with \"\"\"
    (f"{Q}\nicon-url: a\nkey2: b\nUpper_Key: c\n{Q}\n", {"Upper_Key": "c"}),
    (f"{Q}\n    title:    Indented   \n{Q}\n", {"title": "Indented"}),
    (f'{Q}\ntitle: "X"\nauthor: \'Y\'\n{Q}\n', {"title": '"X"', "author": "'Y'"}),
    (f"{Q}\ntitle: A\ntitle: B\n{Q}\n", {"title": "B"}),  # last duplicate wins
    (f"{Q}\ndescription: Does: things\n{Q}\n", {"description": "Does: things"}),
    (f"{Q}\ndescription: one\n  wrapped line without key\n{Q}\n", {"description": "one"}),
    (f"{Q}\r\ntitle: CRLF\r\nversion: 2\r\n{Q}\r\n", {"title": "CRLF", "version": "2"}),
    (f"{Q}\ntitle:\n{Q}\n", {"title": ""}),
    (f"{Q}\ntitle : spaced\n{Q}\n", {}),  # no space allowed before the colon
    ("", {}),
    (Q, {}),
    (f"{Q}\ntitle: never closed\n", {"title": "never closed"}),
]


@pytest.mark.parametrize(("content", "manifest"), FRONTMATTER)
def test_extract_frontmatter_matches_open_webui(content: str, manifest: dict[str, str]) -> None:
    assert extract_frontmatter(content) == manifest


@pytest.mark.parametrize(("name", "expected"), [
    ("Enhance Message", "enhance_message"),
    ("enhance-message", "enhance_message"),
    ("  --Weather v2!!  ", "weather_v2"),
    ("Résumé Générateur", "resume_generateur"),
    ("already_an_id", "already_an_id"),
    ("__dunder__", "dunder"),
    ("日本語 Tool", "tool"),  # JavaScript's \w is ASCII-only
    ("CamelCase", "camelcase"),
    ("", ""),
])
def test_name_to_id(name: str, expected: str) -> None:
    assert name_to_id(name) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("from utils.misc import x", "from open_webui.utils.misc import x"),
    ("from apps.webui import y", "from open_webui.apps.webui import y"),
    ("from config import Z", "from open_webui.config import Z"),
    ('"pick from main menu"', '"pick from open_webui.main menu"'),  # even inside strings
    ("from utilsx import q", "from open_webui.utilsx import q"),  # a prefix, not a module name
    ("import utils", "import utils"),
    ("from . import utils", "from . import utils"),
])
def test_replace_imports_is_a_naive_prefix_replace(text: str, expected: str) -> None:
    assert replace_imports(text) == expected


def codes(content: str) -> list[tuple[str, int | None]]:
    return [(f.code, f.line) for f in frontmatter_findings(content, "a.py")]


@pytest.mark.parametrize(("content", "expected"), [
    (f"{Q}\ntitle: Fine\nversion: 1\n{Q}\n", []),
    ("# hi\n" f"{Q}\ntitle: X\n{Q}\n", [("OWA110", 2)]),
    (f"{Q}title: X\nversion: 1\n{Q}\n", [("OWA110", 1)]),
    (f"{Q}\nJust a docstring.\nNote: not a header.\n{Q}\n", []),
    ("# a plain module\n" f"{Q}Docs.{Q}\n", []),
    (f"{Q}\ntitle: X\nicon-url: y\n{Q}\n", [("OWA111", 3)]),
    (f"{Q}\ntitle: X\nsee https://example.com: x\n{Q}\n", []),
    (f'{Q}\ntitle: "X"\n{Q}\n', [("OWA112", 2)]),
    (f"{Q}\ntitle: X\nversion: 1{Q}\n", [("OWA113", 3)]),
    (f"{Q}\nrequirements: a, b >= 2\n{Q}\n", [("OWA115", 2)]),
    (f"{Q}\nrequired_open_webui_version: 0.12.4\n{Q}\n", [("OWA116", 2)]),
    (f"{Q}\nicon_url: data:image/png;base64,{'A' * 3000}\n{Q}\n", [("OWA117", 2)]),
    (f"{Q}\nicon_url: data:image/png;base64,AAAA\n{Q}\n", []),
    (f"{Q}\ntitle: X\n{Q}\nfrom utils.misc import a\nfrom utils.x import b\n",
     [("OWA118", 4)]),
])
def test_frontmatter_findings(content: str, expected: list[tuple[str, int]]) -> None:
    assert codes(content) == expected


def test_findings_show_the_value_as_stored() -> None:
    [quoted] = frontmatter_findings(f'{Q}\ntitle: "My Action"\n{Q}\n', "a.py")
    assert str(quoted) == (
        'a.py:2: OWA112 warning: frontmatter `title` keeps its quotes: the value is '
        '`"My Action"`\n    fix: remove the quotes; frontmatter values are taken verbatim')
