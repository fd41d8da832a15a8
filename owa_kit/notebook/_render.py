"""HTML for each part of the chat view, from the run's chat state (pure functions).

Follows the Open WebUI 0.12.4 message view: the status line shimmers only while the last
status has ``done`` exactly ``False`` and disappears when the last status is ``hidden``; the
text is markdown with raw HTML escaped; embeds sit in sandboxed iframes.
"""

from __future__ import annotations

import html
import json
from functools import lru_cache
from typing import Any

from .._apply import error_text
from .._chat import Message
from .._run import MASK

# Open WebUI's embed iframe: scripts and forms run, but not with the page's origin.
EMBED_SANDBOX = "allow-scripts allow-forms allow-popups allow-downloads"

STYLE = """<style>
.owa-panel {font-family: var(--jp-ui-font-family, sans-serif); font-size: 13px;}
.owa-title {font-weight: 600; font-size: 14px;}
.owa-status {color: #555;}
.owa-shimmer {background: linear-gradient(90deg, #888 0%, #ddd 50%, #888 100%);
  background-size: 200% 100%; -webkit-background-clip: text; background-clip: text;
  color: transparent; animation: owa-shimmer 1.5s linear infinite;}
@keyframes owa-shimmer {from {background-position: 200% 0;} to {background-position: -200% 0;}}
.owa-history {color: #777; font-size: 12px; margin-left: 1em;}
.owa-content {line-height: 1.5;}
.owa-chip {display: inline-block; border: 1px solid #ccc; border-radius: 12px;
  padding: 1px 8px; margin: 2px; font-size: 12px;}
.owa-error {border: 1px solid #e11d48; background: #fff1f2; color: #9f1239;
  border-radius: 6px; padding: 6px 10px;}
.owa-toast {border-radius: 6px; padding: 4px 10px; margin: 2px 0; border: 1px solid #ccc;}
.owa-toast-success {background: #ecfdf5; border-color: #10b981;}
.owa-toast-error {background: #fff1f2; border-color: #e11d48;}
.owa-toast-warning {background: #fffbeb; border-color: #f59e0b;}
.owa-toast-info {background: #eff6ff; border-color: #3b82f6;}
.owa-embed {width: 100%; min-height: 200px; border: 1px solid #ddd; border-radius: 6px;}
.owa-dialog {border: 1px solid #bbb; border-radius: 8px; padding: 8px 12px; margin: 6px 0;
  max-width: 640px;}
.owa-warning {border-color: #f59e0b; background: #fffbeb;}
.owa-muted {color: #777; font-size: 12px;}
.owa-field-error {color: #be123c; font-size: 12px;}
</style>"""


@lru_cache(maxsize=1)
def _md() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def markdown(text: str) -> str:
    """Markdown to HTML; raw HTML in the text is escaped, as Open WebUI shows it."""
    if not text:
        return ""
    return str(_md().render(text))


def esc(value: Any) -> str:
    return html.escape(value if isinstance(value, str) else json.dumps(value, default=str))


def mask(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text


def _description(status: dict[str, Any]) -> str:
    text = str(status.get("description") or "")
    # Open WebUI interpolates these two placeholders (i18n) from the status's own fields.
    if "{{count}}" in text:
        text = text.replace("{{count}}", str(status.get("count", len(status.get("urls") or []))))
    if "{{searchQuery}}" in text:
        text = text.replace("{{searchQuery}}", str(status.get("query", "")))
    return text


def status_line(msg: Message) -> str:
    """The status line, or '' when there is none or the last status is hidden."""
    status = msg.status
    if status is None:
        return ""
    cls = "owa-status owa-shimmer" if msg.shimmer else "owa-status"
    urls = status.get("urls") or []
    links = "".join(f' <span class="owa-chip">{esc(u)}</span>' for u in urls
                    if isinstance(u, str))
    return f'<div class="{cls}">{esc(_description(status))}</div>{links}'


def status_history(msg: Message) -> str:
    """The expanded list: every status that is not hidden ('' when there is at most one)."""
    history = msg.status_history
    if len(history) <= 1 or msg.status is None:
        return ""
    items = []
    for s in history:
        if not isinstance(s, dict):
            s = {"description": str(s)}
        if s.get("hidden") is True:
            continue
        items.append(f"<li>{esc(_description(s))}</li>")
    return f'<ul class="owa-history">{"".join(items)}</ul>'


def content(msg: Message) -> str:
    return f'<div class="owa-content">{markdown(msg.text)}</div>' if msg.text else ""


def sources(msg: Message) -> str:
    chips = []
    names: list[str] = []
    for src in msg.sources:
        s = src.get("source") if isinstance(src, dict) else None
        name = ""
        if isinstance(s, dict):
            name = str(s.get("name") or s.get("id") or s.get("url") or "")
        if not name and isinstance(src, dict):
            meta = src.get("metadata") or [{}]
            first = meta[0] if isinstance(meta, list) and meta else {}
            name = str(first.get("source", "")) if isinstance(first, dict) else ""
        name = name or "source"
        if name in names:  # Open WebUI groups citations of the same source
            continue
        names.append(name)
        url = s.get("url") if isinstance(s, dict) else None
        label = f"{len(names)} {esc(name)}"
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            label = f'<a href="{esc(url)}" target="_blank" rel="noopener">{label}</a>'
        chips.append(f'<span class="owa-chip">{label}</span>')
    return f'<div class="owa-muted">Sources: {"".join(chips)}</div>' if chips else ""


def files(msg: Message) -> str:
    out = []
    for f in msg.files:
        if not isinstance(f, dict):
            out.append(f'<span class="owa-chip">{esc(f)}</span>')
            continue
        url = f.get("url")
        name = f.get("name") or url or "file"
        if f.get("type") == "image" and isinstance(url, str):
            out.append(f'<img src="{esc(url)}" alt="{esc(name)}" '
                       'style="max-width: 240px; max-height: 240px; margin: 2px;">')
        else:
            out.append(f'<span class="owa-chip">&#128206; {esc(name)}</span>')
    return f"<div>{''.join(out)}</div>" if out else ""


def embeds(msg: Message) -> str:
    out = []
    for e in msg.embeds:
        if isinstance(e, str) and e.startswith(("http://", "https://")) and "\n" not in e:
            out.append(f'<iframe class="owa-embed" sandbox="{EMBED_SANDBOX}" src="{esc(e)}">'
                       "</iframe>")
        else:
            doc = e if isinstance(e, str) else json.dumps(e)
            out.append(f'<iframe class="owa-embed" sandbox="{EMBED_SANDBOX}" '
                       f'srcdoc="{html.escape(doc, quote=True)}"></iframe>')
    return "".join(out)


def follow_ups(msg: Message) -> str:
    items = [f'<div class="owa-chip">{esc(f)}</div>' for f in msg.follow_ups]
    return (f'<div class="owa-muted">Follow up</div><div>{"".join(items)}</div>'
            if items else "")


def error_box(msg: Message) -> str:
    err = msg.error
    if not err:
        return ""
    return f'<div class="owa-error">{esc(error_text(err))}</div>'


def toasts(notifications: list[dict[str, Any]]) -> str:
    out = []
    for n in notifications:
        kind = n.get("type")
        kind = kind if kind in ("success", "error", "warning") else "info"
        out.append(f'<div class="owa-toast owa-toast-{kind}">{esc(n.get("content", ""))}</div>')
    return "".join(out)


def title(text: str | None) -> str:
    return f'<div class="owa-title">{esc(text)}</div>' if text else ""
