"""The deterministic text of a run: what nbval compares and what the CLI prints.

No ids that change, no timestamps, sorted JSON keys, secrets masked. Long runs of
``message`` deltas are folded into one line so a streaming action stays readable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._calls import is_password
from ._run import MASK, Call, Completion, Event, dumps

if TYPE_CHECKING:
    from ._run import Run

_FOLD = 5  # consecutive deltas of the same type folded above this many


def render(run: Run) -> str:
    head = f"── owa-kit · {run.button}"
    if run.action.name and run.action.name != run.button:
        head += f" ({run.action.name})"
    head += f" · chat {'temporary' if run.chat.temporary else 'saved'}"
    if run.server is not None:
        head += " · live"  # on a real Open WebUI (the URL is left out: ports change)
    lines = [head]
    if run.valves:
        lines.append("valves: " + _kv(run.valves))
    if run.user_valves:
        lines.append("user valves: " + _kv(run.user_valves))
    items: list[Event | Call | Completion] = sorted(
        [*run.events, *run.calls, *run.completions], key=lambda x: x.seq)
    lines.extend(_items(items))
    if run.error is not None and run.http_status != 200:
        lines.append(f"HTTP {run.http_status}: {_detail(run)}")
    elif run.result is not None:
        lines.append(f"returned: {dumps(run.result)}")
    else:
        lines.append("returned: None")
    lines.extend(_message(run))
    if run.notifications:
        for n in run.notifications:
            lines.append(f"toast {n.get('type', 'info')}: {n.get('content', '')}")
    if run.title is not None:
        lines.append(f"chat title: {run.title}")
    if run.findings:
        lines.append("findings:")
        for f in run.findings:
            where = f"{f.where}: " if f.where else ""
            lines.append(f"  {where}{f.code} {f.severity}: {f.message}")
            lines.append(f"      fix: {f.fix}")
    text = "\n".join(lines)
    for secret in run.secrets:
        text = text.replace(secret, MASK)
    return text


def _kv(values: dict[str, Any]) -> str:
    return ", ".join(f"{k}={dumps(v)}" for k, v in sorted(values.items()))


def _detail(run: Run) -> str:
    body = run.http_body
    if isinstance(body, dict) and "detail" in body:
        return str(body["detail"])
    return dumps(body)


def _items(items: list[Event | Call | Completion]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, Event) and item.kind == "message":
            j = i
            while (j + 1 < len(items) and isinstance(items[j + 1], Event)
                   and items[j + 1].type == item.type):
                j += 1
            if j - i + 1 > _FOLD:
                run_ = items[i : j + 1]
                chars = sum(len(str((e.data or {}).get("content", ""))) for e in run_
                            if isinstance(e, Event) and isinstance(e.data, dict))
                out.append(f"{item.seq:>3}-{items[j].seq} emit {item.type} ×{j - i + 1} "
                           f"({chars} chars)")
                i = j + 1
                continue
        out.append(_item(item))
        i += 1
    return out


def _item(item: Event | Call | Completion) -> str:
    if isinstance(item, Completion):
        return _completion(item)
    if isinstance(item, Event):
        kind = item.type if item.type is not None else "<malformed>"
        data = dumps(item.data) if item.type is not None else dumps(item.raw)
        return f"{item.seq:>3} emit {kind} {data}"
    kind = item.type if item.type is not None else "<malformed>"
    answer = dumps(item.answer) if item.answered else "(never answered)"
    if item.answered and isinstance(item.answer, str) and is_password(item):
        answer = dumps(MASK)  # what was typed into a password field never reaches text
    return f"{item.seq:>3} call {kind} {dumps(item.data)} -> {answer}"


_CLIP = 160  # characters of each prompt message shown


def _completion(c: Completion) -> str:
    """``model`` line: the request (model, stream, params, messages) and the reply."""
    head = f"{c.seq:>3} model {c.model}" + (" stream" if c.stream else "")
    if c.params:
        head += f" {dumps(c.params)}"
    lines = [head]
    for m in c.messages:
        role = m.get("role", "?") if isinstance(m, dict) else "?"
        content = m.get("content") if isinstance(m, dict) else m
        text = content if isinstance(content, str) else dumps(content)
        if len(text) > _CLIP:
            text = f"{text[:_CLIP]}… (+{len(text) - _CLIP} chars)"
        lines.append(f"      {role}: {dumps(text)[1:-1]}")
    lines.append("      -> " + reply_text(c))
    return "\n".join(lines)


def reply_text(c: Completion) -> str:
    """The reply as the transcript and the panel show it."""
    from ._received import Received
    from .llm import ModelError

    if not c.answered:
        return "(no reply)"
    reply = c.reply
    if isinstance(reply, ModelError):
        text = f"model error {dumps(reply.detail)}"
    elif isinstance(reply, Received):  # no plain reading: an exception, a raw dict or stream
        text = reply.describe()
    elif isinstance(reply, list):
        text = f"chunks {dumps(reply)}"
    else:
        text = dumps(reply)
    return text + (f" ({c.source})" if c.source in ("echo", "typed") else "")


def _message(run: Run) -> list[str]:
    msg = run.message
    out = ["message:"]
    status = msg.status
    if status is not None:
        state = "running" if msg.shimmer else "done"
        out.append(f"  status: {status.get('description', '')} [{state}]")
    text = msg.text
    out.append("  text: " + _indent(text))
    if isinstance(msg.content, str) and msg.content != text:
        out.append("  content (stored, not shown): " + _indent(msg.content))
    for key, label in (("sources", "sources"), ("files", "files"), ("embeds", "embeds"),
                       ("followUps", "follow-ups"), ("error", "error")):
        value = msg.data.get(key)
        if value:
            out.append(f"  {label}: {dumps(value)}")
    if run.saved is not None and run.saved != msg:
        out.append("  saved (database) differs: " + _diff_keys(run.saved.data, msg.data))
    return out


def _indent(text: str) -> str:
    return text.replace("\n", "\n        ")


def _diff_keys(a: dict[str, Any], b: dict[str, Any]) -> str:
    keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    return ", ".join(keys)
