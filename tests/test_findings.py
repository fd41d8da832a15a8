"""The finding table: codes are unique and well formed, and the docs page is generated from it."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from owa_kit._findings import RULES, finding, render_markdown

DOCS = Path(__file__).parent.parent / "docs" / "findings.md"


def test_docs_page_is_generated_from_the_table() -> None:
    assert DOCS.read_text(encoding="utf-8") == render_markdown(), (
        "docs/findings.md is stale: run `python -m owa_kit._findings > docs/findings.md`")


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_formats_with_its_own_fields(code: str) -> None:
    rule = RULES[code]
    assert re.fullmatch(r"OWA[1-7]\d\d", code)
    fields = {f for text in (rule.message, rule.fix)
              for _, f, _, _ in string.Formatter().parse(text) if f}
    values = {f.split("!")[0].split(".")[0]: "X" for f in fields}
    made = finding(code, **values)
    assert made.message and made.fix
    assert "{" not in made.message.replace("{{", "").replace("}}", "") or "{" in str(values)
