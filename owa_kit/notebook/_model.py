"""The model's part in the panel: each completion request with its reply, and a reply box.

When the action asks the model and ``llm=`` is not given, an interactive run opens a
``ReplyDialog``: the request (model and messages) above a text box pre-filled with what the
echo model would answer. *Send reply* gives the text as the model's reply, *Echo* the echo
answer, *Model error* makes the model fail with the text as its message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from .._transcript import reply_text
from ..llm import ModelError, error
from . import _render as R
from ._dialogs import Textarea

if TYPE_CHECKING:
    from .._run import Completion, Run


def request_html(c: Completion) -> str:
    """The request: model, stream flag, other params, and each message (clipped)."""
    params = ", ".join(f"{k}={R.esc(v)}" for k, v in sorted(c.params.items()))
    head = f"<b>model {R.esc(c.model)}</b>" + (" · stream" if c.stream else "")
    if params:
        head += f' <span class="owa-muted">{params}</span>'
    rows = []
    for m in c.messages:
        content = m.get("content") if isinstance(m, dict) else m
        text = content if isinstance(content, str) else str(content)
        if len(text) > 400:
            text = text[:400] + f"… (+{len(text) - 400} chars)"
        role = m.get("role", "?") if isinstance(m, dict) else "?"
        rows.append(f'<div><span class="owa-muted">{R.esc(role)}:</span> '
                    f'<span style="white-space: pre-wrap">{R.esc(text)}</span></div>')
    return head + "".join(rows)


def completions_html(run: Run) -> str:
    """Every completion of the run so far, secrets masked (the panel's model section)."""
    if not run.completions:
        return ""
    parts = ['<div class="owa-muted">model calls</div>']
    for c in run.completions:
        parts.append(f'<div class="owa-dialog">{request_html(c)}'
                     f"<div>&rarr; {R.esc(reply_text(c))}</div></div>")
    return R.mask("".join(parts), run.secrets)


class ReplyDialog:
    """Asks the notebook's author for the model's reply to one completion request."""

    def __init__(self, c: Completion, suggestion: Any) -> None:
        self.suggestion = suggestion
        self._resolve: Callable[[Any], None] | None = None
        shown = suggestion.detail if isinstance(suggestion, ModelError) else (
            "".join(suggestion) if isinstance(suggestion, list) else str(suggestion))
        self.head = W.HTML(value=request_html(c))
        self.field = Textarea(value=shown, rows=4, continuous_update=False,
                              layout=W.Layout(width="100%"))
        self.send = W.Button(description="Send reply", button_style="primary")
        self.echo = W.Button(description="Echo", tooltip="Answer as the echo model")
        self.fail = W.Button(description="Model error",
                             tooltip="The model fails with the text as its message")
        self.send.on_click(lambda _b: self.give(self.field.value))
        self.echo.on_click(lambda _b: self.give(self.suggestion))
        self.fail.on_click(lambda _b: self.give(error(self.field.value)))
        note = W.HTML(value='<span class="owa-muted">llm= is not set: you are the model '
                            "(pass llm=[...] to script the replies)</span>")
        self.box = W.VBox([self.head, self.field, note,
                           W.HBox([self.send, self.echo, self.fail])],
                          _dom_classes=("owa-dialog", "owa-dialog-model"))

    def bind(self, resolve: Callable[[Any], None]) -> None:
        self._resolve = resolve

    def give(self, reply: Any) -> None:
        if self._resolve is not None:
            self._resolve(reply)

    def close(self) -> None:
        for w in (self.head, self.field, self.send, self.echo, self.fail, self.box):
            w.close()
