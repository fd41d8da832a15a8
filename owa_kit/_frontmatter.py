"""The frontmatter and source rewriting Open WebUI 0.12.4 applies before it runs a function.

``extract_frontmatter`` and ``replace_imports`` behave like ``open_webui/utils/plugin.py``;
``name_to_id`` like the function editor's ``nameToId``. ``frontmatter_findings`` explains
where a file's frontmatter is read differently from what its author wrote.
"""

from __future__ import annotations

import ast
import re
import unicodedata

from ._findings import Finding, finding

__all__ = ["extract_frontmatter", "frontmatter_findings", "name_to_id", "replace_imports"]

_FENCE = '"""'
# Open WebUI's line pattern. Note ``\s*$`` after a greedy ``.*``: trailing blanks stay in the
# group and are removed by ``strip()``, so the effect is "value stripped".
_KEY_LINE = re.compile(r"^\s*([a-z_]+):\s*(.*)\s*$", re.IGNORECASE)
# What an author *meant* as a key line: used only to explain why a line was ignored.
_LOOSE_KEY_LINE = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*:\s*(.*)$")
#: keys Open WebUI or its UI read, or that guides put in the header; used to spot a header
#: that was written but not parsed (a docstring that merely says "Note: ..." is not one).
MANIFEST_KEYS = frozenset({
    "title", "author", "author_url", "funding_url", "version", "required_open_webui_version",
    "requirements", "description", "icon_url", "license", "git_url",
})
#: ``str.replace`` prefixes, in Open WebUI's order (the order matters for overlapping text)
IMPORT_REWRITES: tuple[tuple[str, str], ...] = (
    ("from utils", "from open_webui.utils"),
    ("from apps", "from open_webui.apps"),
    ("from main", "from open_webui.main"),
    ("from config", "from open_webui.config"),
)
#: data-URL icons longer than this are copied into ``/api/models`` for every model (OWA117)
DATA_ICON_LIMIT = 2048


def extract_frontmatter(content: str) -> dict[str, str]:
    """The manifest Open WebUI 0.12.4 stores for ``content``: every value a string, verbatim.

    >>> extract_frontmatter('\"\"\"\\ntitle: "Quoted"\\nicon-url: x\\n\"\"\"\\n')
    {'title': '"Quoted"'}
    """
    lines = content.splitlines()
    if not lines or lines[0].strip() != _FENCE:
        return {}
    manifest: dict[str, str] = {}
    for line in lines[1:]:
        if _FENCE in line:  # the closing line is not parsed, even if it holds `key: value"""`
            break
        match = _KEY_LINE.match(line)
        if match:
            key, value = match.groups()
            manifest[key.strip()] = value.strip()
    return manifest


def replace_imports(content: str) -> str:
    """The text Open WebUI actually executes: four naive prefix replacements, strings included.

    >>> replace_imports("from utils.misc import x  # pick from main menu")
    'from open_webui.utils.misc import x  # pick from open_webui.main menu'
    """
    for old, new in IMPORT_REWRITES:
        content = content.replace(old, new)
    return content


def name_to_id(name: str) -> str:
    """The id the Open WebUI editor derives from a name (``nameToId`` in the 0.12.4 frontend).

    Accents are dropped, every run of other characters becomes ``_`` (JavaScript's ``\\w`` is
    ASCII-only), leading and trailing ``_`` are trimmed, and the result is lowercased.

    >>> name_to_id("Énhance Message!"), name_to_id("weather-v2")
    ('enhance_message', 'weather_v2')
    """
    text = unicodedata.normalize("NFD", name)
    text = re.sub("[\u0300-\u036f]", "", text)
    text = re.sub(r"[^\w]+", "_", text, flags=re.ASCII)
    return text.strip("_").lower()


def frontmatter_findings(content: str, path: str | None) -> list[Finding]:
    """Findings about how Open WebUI reads the header of ``content`` (OWA110-118)."""
    lines = content.splitlines()
    out: list[Finding] = []
    if lines and lines[0].strip() == _FENCE:
        out += _header_findings(lines, path)
    else:
        line = _unparsed_header_line(content)
        if line is not None:
            out.append(finding("OWA110", path=path, line=line))
    out += _rewrite_findings(lines, path)
    return out


def _header_findings(lines: list[str], path: str | None) -> list[Finding]:
    out: list[Finding] = []
    where: dict[str, int] = {}  # key -> line number of the occurrence that wins (the last)
    manifest: dict[str, str] = {}
    for number, line in enumerate(lines[1:], start=2):
        if _FENCE in line:
            before = line.split(_FENCE, 1)[0]
            match = _KEY_LINE.match(before)
            if match and before.strip():
                out.append(finding("OWA113", path=path, line=number, key=match.group(1),
                                   text=line.strip()))
            break
        match = _KEY_LINE.match(line)
        if match:
            key, value = match.group(1), match.group(2).strip()
            manifest[key] = value
            where[key] = number
        elif (loose := _LOOSE_KEY_LINE.match(line)) and not loose.group(1).startswith("http"):
            out.append(finding("OWA111", path=path, line=number, text=line.strip()))
    for key, value in manifest.items():
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            out.append(finding("OWA112", path=path, line=where[key], key=key, value=value))
    for req in split_requirements(manifest.get("requirements", "")):
        if " " in req:
            out.append(finding("OWA115", path=path, line=where["requirements"], req=req))
    if "required_open_webui_version" in manifest:
        out.append(finding("OWA116", path=path, line=where["required_open_webui_version"],
                           value=manifest["required_open_webui_version"]))
    icon = manifest.get("icon_url", "")
    if icon.startswith("data:") and len(icon) > DATA_ICON_LIMIT:
        out.append(finding("OWA117", path=path, line=where["icon_url"], size=len(icon)))
    return sorted(out, key=lambda f: f.line or 0)


def _unparsed_header_line(content: str) -> int | None:
    """Where a header that Open WebUI will not parse starts (docstring not on line 1 alone)."""
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return None
    first = tree.body[0] if tree.body else None
    if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)):
        return None
    for text in first.value.value.splitlines():
        match = _KEY_LINE.match(text)
        if match and match.group(1).lower() in MANIFEST_KEYS:
            return first.lineno
    return None


def _rewrite_findings(lines: list[str], path: str | None) -> list[Finding]:
    out = []
    for old, new in IMPORT_REWRITES:
        for number, line in enumerate(lines, start=1):
            if old in line:
                out.append(finding("OWA118", path=path, line=number, old=old, new=new))
                break  # one finding per prefix is enough to explain it
    return out


def split_requirements(value: str) -> list[str]:
    """Open WebUI's split of the ``requirements`` value: on commas, stripped, empties dropped."""
    return [item.strip() for item in value.split(",") if item.strip()]
