"""``owa-kit new NAME``: a new action and its notebook, passing ``owa-kit check`` and nbval.

::

    owa-kit new word_stats                # actions/word_stats.py, notebooks/word_stats.ipynb
    owa-kit new word_stats --dir ../proj  # the same under another project root

The action asks for a confirmation, reports its work in the status line and rewrites the
reply the way Open WebUI applies it; the notebook has a playground cell and regression cells
whose outputs are recorded (``owa-kit record``) before the command returns.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from string import Template
from typing import Any

from ._frontmatter import name_to_id
from .errors import OwaKitError

_NAME = re.compile(r"[a-z][a-z0-9_]*")

_ACTION = Template('''"""
title: $title
${author}version: 0.1.0
required_open_webui_version: 0.12.4
description: Appends a note to a reply after you confirm (a starting point: make it yours).
"""

from pydantic import BaseModel, Field


class Action:
    class Valves(BaseModel):
        priority: int = Field(default=0, description="Button order (lower is further left)")
        note: str = Field(default="Checked.", description="The note appended to the reply")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict, __user__=None, __event_emitter__=None,
                     __event_call__=None):
        async def status(description: str, done: bool) -> None:
            # `done` must be a bool: exactly False shows the working shimmer
            await __event_emitter__(
                {"type": "status", "data": {"description": description, "done": done}})

        text = body["messages"][-1]["content"]  # the reply the button is under
        answer = await __event_call__({"type": "confirmation", "data": {
            "title": "$title", "message": f"Append *{self.valves.note}* to this reply?"}})
        # Cancel gives False, a timeout or a closed tab {"error": ...}. Not `is True`: after
        # an input dialog, Confirm returns that dialog's value (owa-kit finding OWA307).
        if answer is False or isinstance(answer, dict):
            await status("Cancelled", True)
            return None

        await status("Adding the note...", False)
        new = f"{text.rstrip()}\\n\\n{self.valves.note}"
        await status("Note added", True)
        # The return shape Open WebUI applies: the reply is rewritten, the original kept.
        return {"messages": [{"id": body["id"], "content": new}]}
''')

_CELLS: list[tuple[str, str]] = [
    ("markdown", """# $title

`../actions/$name.py`: appends a note to the reply after a confirmation. Edit the action,
re-run the cells, and when the behaviour is what you want, save the outputs with
`owa-kit record notebooks/$name.ipynb`. `pytest --nbval notebooks/$name.ipynb` then checks
that the action still behaves this way."""),
    ("code", """import owa_kit as owa

act = owa.load("../actions/$name.py")
[(f.code, f.severity) for f in owa.check("../actions/$name.py")]"""),
    ("markdown", """## Playground

Type a reply, set the valves, click **Run** and answer the dialogs."""),
    ("code", """owa.play(act, message="The assistant's reply.")"""),
    ("markdown", """## Regression

Each cell clicks the button with scripted answers (`True` confirms, `False` cancels), prints
the transcript nbval compares, and asserts what matters."""),
    ("code", """run = await owa.run(act, "The assistant's reply.", answers=[True])
assert run.message.text == "The assistant's reply.\\n\\nChecked."
assert run.message.original_content == "The assistant's reply."
assert run.calls.types == ["confirmation"]
assert run.findings == []"""),
    ("code", """run = await owa.run(act, "The assistant's reply.", answers=[False],
                    valves={"note": "Reviewed."})
assert run.message.text == "The assistant's reply."  # unchanged
assert run.message.status["description"] == "Cancelled"
assert run.findings == []"""),
]

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def check_name(name: str) -> str:
    """``name`` if it can be an Open WebUI action id and a file name; else a clear error."""
    if _NAME.fullmatch(name):
        return name
    guess = name_to_id(name)
    hint = f" Try {guess!r}." if guess and _NAME.fullmatch(guess) else ""
    raise OwaKitError(
        f"owa-kit: {name!r} cannot name an action: the file name is its Open WebUI id, which "
        "allows only letters, digits and underscores; use lower case, starting with a letter "
        f"(e.g. 'word_stats').{hint}")


def action_source(name: str, author: str | None = None) -> str:
    title = " ".join(w.capitalize() for w in name.split("_") if w) or name
    return _ACTION.substitute(title=title, author=f"author: {author}\n" if author else "")


def notebook(name: str) -> Any:
    """The notebook, without outputs (``record`` adds them); cell ids are stable."""
    import nbformat

    title = " ".join(w.capitalize() for w in name.split("_") if w) or name
    nb: Any = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    for i, (kind, text) in enumerate(_CELLS):
        source = Template(text).substitute(name=name, title=title)
        new = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        cell = new(source)  # type: ignore[no-untyped-call]
        cell.id = f"{name}-{i}"
        nb.cells.append(cell)
    return nb


def scaffold(name: str, root: str | Path = ".", *, author: str | None = None,
             record: bool = True) -> tuple[Path, Path]:
    """Write ``actions/NAME.py`` and ``notebooks/NAME.ipynb`` under ``root`` (refusing to
    overwrite either) and record the notebook's outputs; returns the two paths."""
    import nbformat

    check_name(name)
    base = Path(root)
    if not base.is_dir():
        raise OwaKitError(f"owa-kit: --dir {str(base)!r} is not a directory; give the project "
                          "root (the folder that holds actions/ and notebooks/)")
    action_path = base / "actions" / f"{name}.py"
    nb_path = base / "notebooks" / f"{name}.ipynb"
    taken = [str(p) for p in (action_path, nb_path) if p.exists()]
    if taken:
        raise OwaKitError(f"owa-kit: {' and '.join(taken)} already exist(s); nothing was "
                          "written. Pick another NAME, or move the file(s) away first.")
    action_path.parent.mkdir(exist_ok=True)
    nb_path.parent.mkdir(exist_ok=True)
    action_path.write_text(action_source(name, author), encoding="utf-8")
    nbformat.write(notebook(name), nb_path)  # type: ignore[no-untyped-call]
    if record:
        from .notebook._record import record as record_notebook

        try:
            record_notebook(nb_path)
        except OwaKitError as exc:
            raise OwaKitError(f"{exc}\nowa-kit: {action_path} and {nb_path} were written; "
                              f"fix the cause, then run `owa-kit record {nb_path}`.") from None
    return action_path, nb_path


def add_commands(subparsers: Any) -> None:
    """Add ``new`` to the ``owa-kit`` argument parser."""
    p = subparsers.add_parser(
        "new", help="scaffold actions/NAME.py and notebooks/NAME.ipynb",
        description="Write a new action (frontmatter, Valves, an async action using the "
                    "emitter and a confirmation) and its notebook (playground and regression "
                    "cells, outputs recorded). Both pass `owa-kit check` and nbval as written. "
                    "Existing files are never overwritten.")
    p.add_argument("name", metavar="NAME",
                   help="the action id: lower-case letters, digits and underscores")
    p.add_argument("--dir", default=".", metavar="ROOT",
                   help="the project root holding actions/ and notebooks/ (default: here)")
    p.add_argument("--author", default=None, help="the frontmatter's author line")
    p.add_argument("--no-record", dest="record", action="store_false",
                   help="write the notebook without running it (no outputs yet)")
    p.set_defaults(func=_cmd_new)


def _cmd_new(args: argparse.Namespace) -> int:
    action_path, nb_path = scaffold(args.name, args.dir, author=args.author, record=args.record)
    print(f"owa-kit: created {action_path}")
    print(f"owa-kit: created {nb_path}" + (" (outputs recorded)" if args.record else ""))
    print(f"next: open {nb_path} (make lab); after changing the action, "
          f"owa-kit record {nb_path} saves the new outputs")
    return 0
