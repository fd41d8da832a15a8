"""``owa-kit push | pull | list | diff | doctor | conformance``: the server commands.

``owa_kit.cli`` calls :func:`add_commands`; each command returns an exit code and prints to
stdout. The server URL and token come from ``--url``/``--token`` or ``OWA_KIT_URL`` /
``OWA_KIT_TOKEN``; the token is never printed. Imports of httpx happen only when a server
command runs, so ``owa-kit check`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import OwaKitError

if TYPE_CHECKING:
    from ._client import Client

__all__ = ["add_commands"]


def _client(args: argparse.Namespace) -> Client:
    from ._client import Client, resolve_url_token

    url, token = resolve_url_token(args.url, args.token)
    return Client(url, token, timeout=args.http_timeout)


def _read_valves(path: str | None) -> dict[str, Any] | None:
    if path is None:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise OwaKitError(f"owa-kit: cannot read the valves file {path} ({exc.strerror}); "
                          "check the path") from exc
    except json.JSONDecodeError as exc:
        # the message names the position only: the file may hold secrets
        raise OwaKitError(f"owa-kit: the valves file {path} is not valid JSON (line "
                          f"{exc.lineno}, column {exc.colno}); write an object like "
                          '{"api_key": "...", "units": "metric"}') from exc
    if not isinstance(data, dict):
        raise OwaKitError(f"owa-kit: the valves file {path} must hold a JSON object of "
                          f"valve names to values, not a {type(data).__name__}")
    return data


def _cmd_push(args: argparse.Namespace) -> int:
    from ._deploy import push

    valves = _read_valves(args.valves)
    started = time.monotonic()
    with _client(args) as client:
        result = push(client, args.file, fid=args.id, make_global=args.make_global,
                      model=args.model, valves=valves, backup_dir=args.backup_dir)
        url = client.url
    for path in result.backups:
        print(f"  backup: {path}")
    for change in result.changes:
        print(f"  {change}")
    for note in result.notes:
        print(f"  {note}")
    state = "pushed" if result.changes else "already up to date on"
    print(f"owa-kit: {result.type} {result.id!r} {state} {url} "
          f"({time.monotonic() - started:.2f} s)")
    return 0


def _cmd_pull(args: argparse.Namespace) -> int:
    from ._deploy import pull

    with _client(args) as client:
        path, changed = pull(client, args.id, args.output, force=args.force)
    print(f"owa-kit: {'wrote' if changed else 'unchanged'} {path}")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    from ._deploy import list_functions

    with _client(args) as client:
        rows = list_functions(client)
    if args.type:
        rows = [r for r in rows if r.get("type") == args.type]
    if not rows:
        print("owa-kit: no functions on the server; `owa-kit push FILE` adds one")
        return 0
    width = max(len(str(r.get("id"))) for r in rows)
    print(f"{'ID':<{width}}  TYPE    ACTIVE  GLOBAL  NAME")
    for r in rows:
        print(f"{r.get('id')!s:<{width}}  {r.get('type')!s:<6}  "
              f"{_yes(r.get('is_active')):<6}  {_yes(r.get('is_global')):<6}  {r.get('name')}")
    return 0


def _yes(value: Any) -> str:
    return "yes" if value else "no"


def _cmd_diff(args: argparse.Namespace) -> int:
    from ._deploy import diff

    with _client(args) as client:
        result = diff(client, args.file, fid=args.id)
    if result.same:
        print(f"owa-kit: {args.file} and the server's {result.id!r} are the same")
        return 0
    print("".join(result.lines), end="")
    return 1


def _cmd_doctor(args: argparse.Namespace) -> int:
    from ._doctor import doctor

    with _client(args) as client:
        checks = doctor(client, args.id, model=args.model, chat_id=args.chat,
                        message_id=args.message)
    for check in checks:
        print(check.render())
    failed = [c.name for c in checks if c.ok is False]
    if failed:
        print(f"owa-kit: {len(failed)} check(s) failed: {', '.join(failed)}")
        return 1
    print("owa-kit: every check passed")
    return 0


def _cmd_conformance(args: argparse.Namespace) -> int:
    import asyncio

    from ._client import resolve_url_token
    from ._conformance import conformance, scenarios_for
    from ._target import Server

    files = list(args.files)
    if not files and Path("actions").is_dir():
        files = sorted(str(p) for p in Path("actions").glob("*.py"))
    scenarios = scenarios_for(files, contract=not args.no_contract)
    if args.only:
        scenarios = [s for s in scenarios if s.name in args.only]
        if not scenarios:
            raise OwaKitError(f"owa-kit: no scenario named {', '.join(args.only)}; "
                              "`owa-kit conformance --list` shows the names")
    if args.list:
        for s in scenarios:
            print(s.name)
        return 0
    url, token = resolve_url_token(args.url, args.token)
    report = asyncio.run(conformance(Server(url, token), scenarios,
                                     progress=lambda o: print(o.render(), flush=True)))
    print(f"{report.summary} ({report.seconds:.1f} s)")
    return 0 if report.ok else 1


def _cmd_serve(args: argparse.Namespace) -> int:
    from ._serve import run_forever, serve

    with serve(Path(args.python) if args.python else None, port=args.port,
               data_dir=Path(args.data_dir)) as served:
        run_forever(served)
    return 0


def _server_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--url", default=None,
                   help="Open WebUI URL, e.g. http://127.0.0.1:8080 (default: $OWA_KIT_URL)")
    p.add_argument("--token", default=None,
                   help="an admin's token or API key (default: $OWA_KIT_TOKEN); never printed")
    p.add_argument("--http-timeout", type=float, default=30.0, metavar="SECONDS",
                   help="per-request timeout")


def add_commands(sub: Any) -> None:
    """Add ``push``, ``pull``, ``list``, ``diff``, ``conformance`` and ``doctor`` to the CLI."""
    p = sub.add_parser("push", help="create or update a function on a server, activate it, "
                                    "attach it, set valves")
    p.add_argument("file", metavar="FILE")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--global", dest="make_global", action="store_true",
                       help="make the action global (shown on every model)")
    where.add_argument("--model", default=None, metavar="MODEL",
                       help="add the action to this model's meta.actionIds")
    p.add_argument("--valves", default=None, metavar="FILE",
                   help="JSON object of admin valve values to set (only these keys change)")
    p.add_argument("--id", default=None, help="function id (default: from the file name)")
    p.add_argument("--backup-dir", default=str(Path(".owa-kit") / "backups"), metavar="DIR",
                   help="where the server's copy is saved before an overwrite")
    _server_options(p)
    p.set_defaults(func=_cmd_push)

    p = sub.add_parser("serve", help="run a local Open WebUI 0.12.4 (from `make owui`) on "
                                     "127.0.0.1 with an admin and the echo model")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--data-dir", default=str(Path(".owa-kit") / "server"), metavar="DIR",
                   help="where the server keeps its database (kept between starts)")
    p.add_argument("--python", default=None, metavar="PATH",
                   help="the Open WebUI venv's python (default: $OWA_KIT_OWUI_PYTHON or "
                        ".venv-owui/bin/python)")
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser("pull", help="write a server function's content to a local file")
    p.add_argument("id", metavar="ID")
    p.add_argument("-o", "--output", default=None, metavar="FILE",
                   help="where to write it (default: ./ID.py)")
    p.add_argument("--force", action="store_true", help="overwrite a different local file")
    _server_options(p)
    p.set_defaults(func=_cmd_pull)

    p = sub.add_parser("list", help="list the functions on a server")
    p.add_argument("--type", default=None, choices=["action", "pipe", "filter", "event"])
    _server_options(p)
    p.set_defaults(func=_cmd_list)

    p = sub.add_parser("diff", help="diff a local file against the server's copy "
                                    "(exit 1 if they differ)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--id", default=None, help="function id (default: from the file name)")
    _server_options(p)
    p.set_defaults(func=_cmd_diff)

    p = sub.add_parser("conformance", help="run each scenario in the emulator and on a real "
                                           "server and compare (exit 1 on a difference)")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="action files to click too (default: actions/*.py if there)")
    p.add_argument("--only", action="append", metavar="NAME",
                   help="run only this scenario (repeatable)")
    p.add_argument("--no-contract", action="store_true",
                   help="skip the built-in contract scenarios; run only the FILEs")
    p.add_argument("--list", action="store_true", help="list the scenario names and exit")
    _server_options(p)
    p.set_defaults(func=_cmd_conformance)

    p = sub.add_parser("doctor", help="why is my action's button not showing? "
                                      "(checks a live server)")
    p.add_argument("id", metavar="ID", help="function id, or ID.SUB for a sub-action")
    p.add_argument("--model", default=None, help="the model the button should show on")
    p.add_argument("--chat", default=None, metavar="CHAT_ID",
                   help="check a message of this saved chat")
    p.add_argument("--message", default=None, metavar="MESSAGE_ID",
                   help="the message to check (default: the chat's current message)")
    _server_options(p)
    p.set_defaults(func=_cmd_doctor)
