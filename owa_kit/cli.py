"""The ``owa-kit`` command line.

::

    owa-kit check actions/*.py                       # findings; exit 1 on any error
    owa-kit run actions/x.py --message "Reply" --answer true --answer "Ada"

Exit codes: 0 fine, 1 findings of severity error / the action failed, 2 the kit could not
do what was asked (bad arguments, a file that does not load, a script error).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from . import answers as _answers
from .__about__ import __version__
from .errors import OwaKitError

Command = Callable[[argparse.Namespace], int]

_SPECIAL = {
    "true": True,
    "false": False,
    "cancel": _answers.cancel(),
    "timeout": _answers.timeout(),
    "disconnect": _answers.disconnect(),
}


def parse_answer(text: str) -> Any:
    """``true``/``false``/``cancel``/``timeout``/``disconnect`` are special; ``json:...`` is
    a JSON value (for execute calls); anything else is typed text."""
    low = text.strip().lower()
    if low in _SPECIAL:
        return _SPECIAL[low]
    if text.startswith("json:"):
        return json.loads(text[5:])
    return text


def _key_value(text: str) -> tuple[str, Any]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    key, _, raw = text.partition("=")
    try:
        value: Any = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return key.strip(), value


def _cmd_check(args: argparse.Namespace) -> int:
    from ._check import check

    worst = 0
    for path in args.files:
        findings = check(path)
        if not findings:
            print(f"{path}: ok")
        for f in findings:
            where = f.where or path
            print(f"{where}: {f.code} {f.severity}: {f.message}")
            print(f"    fix: {f.fix}")
            if f.severity == "error":
                worst = 1
    return worst


def parse_reply(text: str) -> Any:
    """A scripted model reply: ``error:DETAIL`` is a model error, anything else the text."""
    from . import llm

    return llm.error(text[6:]) if text.startswith("error:") else text


def _cmd_run(args: argparse.Namespace) -> int:
    from ._loader import load
    from ._runtime import run

    server = None
    if args.live:
        from .server._target import Server

        server = Server(args.url or "", args.token)
    act = load(args.file)
    result = asyncio.run(run(
        act,
        args.message,
        answers=[parse_answer(a) for a in args.answer],
        valves=dict(args.valve) or None,
        user_valves=dict(args.user_valve) or None,
        sub_action=args.sub_action,
        timeout=args.timeout,
        llm=[parse_reply(r) for r in args.reply] or None,
        server=server,
    ))
    print(result.transcript)
    return 0 if result.ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="owa-kit",
        description="Write, run and test Open WebUI 0.12.4 Action functions.",
    )
    parser.add_argument("--version", action="version", version=f"owa-kit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("check", help="report findings for action files (exit 1 on errors)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("run", help="run an action headless and print its transcript")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--message", "-m", default="Hello! How can I help?",
                   help="the assistant reply the button is clicked under")
    p.add_argument("--answer", "-a", action="append", default=[], metavar="VALUE",
                   help="answer for the next event call: text, true, false, cancel, timeout, "
                        "disconnect, or json:VALUE (repeat in order)")
    p.add_argument("--valve", action="append", default=[], type=_key_value,
                   metavar="NAME=VALUE", help="an admin valve value (JSON or text)")
    p.add_argument("--user-valve", action="append", default=[], type=_key_value,
                   metavar="NAME=VALUE", help="a user valve value (JSON or text)")
    p.add_argument("--sub-action", default=None, help="which sub-action button to click")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds before the run stops")
    p.add_argument("--reply", action="append", default=[], metavar="TEXT",
                   help="the model's reply to the action's next completion request, or "
                        "error:DETAIL for a model error (repeat in order; default: echo)")
    p.add_argument("--live", action="store_true",
                   help="run on a real Open WebUI ($OWA_KIT_URL/$OWA_KIT_TOKEN or --url/--token)")
    p.add_argument("--url", default=None, help="with --live: the server (default: $OWA_KIT_URL)")
    p.add_argument("--token", default=None,
                   help="with --live: an admin's token (default: $OWA_KIT_TOKEN); never printed")
    p.set_defaults(func=_cmd_run)

    for module in _EXTRA_COMMANDS:
        importlib.import_module(f".{module}", __package__).add_commands(sub)
    return parser


#: modules whose ``add_commands(subparsers)`` adds their commands; each is imported only
#: when the parser is built, and none imports widgets or httpx at that point
_EXTRA_COMMANDS = ("notebook._cli", "server._cli", "_scaffold")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Command = args.func
    try:
        return func(args)
    except OwaKitError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("owa-kit: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
