"""The ``open_webui`` modules the kit serves to actions, and the import hook that serves them.

The hook is a replacement ``__import__`` in the ``__builtins__`` of each module the kit loads
(``_loader`` sets it before ``exec``). Python's import statement looks ``__import__`` up in
the running code's builtins, so ``import open_webui...`` inside the action file (at load time
or in ``action()``) reaches the emulation, and every other import goes to the normal machinery.
Nothing is put in ``sys.modules``: a real ``open-webui`` installed in the same environment
stays importable and untouched for all other code, and code the action imports from elsewhere
never sees the emulation. ``importlib.import_module("open_webui...")`` is not served (it does
not go through ``__import__``).

The facade modules are built once per process from the kit modules named in ``EMULATED``.
"""

from __future__ import annotations

import builtins
import functools
import importlib
import types
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import NotEmulatedError
from . import _api

#: dotted module -> the kit module implementing it (None: a package with nothing of its own)
EMULATED: dict[str, str | None] = {
    "open_webui": None,
    "open_webui.config": "config",
    "open_webui.env": "env",
    "open_webui.models": None,
    "open_webui.models.chats": "chats",
    "open_webui.models.files": "files",
    "open_webui.models.models": "models",
    "open_webui.models.users": "users",
    "open_webui.utils": None,
    "open_webui.utils.chat": "chat",
    "open_webui.utils.misc": "misc",
}

#: what older releases called it, for messages about names 0.12.4 no longer has
MOVED: dict[str, str] = {
    "open_webui.apps": "the `open_webui.apps.*` layout is gone (0.5.0 restructured the "
                       "backend): `open_webui.apps.webui.models.users` is now "
                       "`open_webui.models.users`",
    "open_webui.internal.db.get_db_context": "the database is async in 0.12.4 (0.9.0: 'Plugin "
                                             "async migration required'); use the table "
                                             "methods (`await Chats.get_chat_by_id(...)`)",
    "open_webui.internal.db.get_db": "the database is async in 0.12.4 (0.9.0: 'Plugin async "
                                     "migration required'); use the table methods "
                                     "(`await Users.get_user_by_id(...)`)",
}

LIVE_HINT = ("run the action live against an Open WebUI server instead: "
             "`await owa.run(act, ..., server=owa.Server(url, token))`")

_FACADES: dict[str, types.ModuleType] = {}


@functools.cache
def names_of(module: str) -> frozenset[str] | None:
    """The public names of ``module`` in 0.12.4; None when they are not recorded."""
    names = _api.NAMES.get(module)
    return None if names is None else frozenset(names.split())


@functools.cache
def exists(module: str) -> bool:
    """True if ``module`` is a module or package of 0.12.4 (namespace packages included)."""
    if module in _api.MODULES:
        return True
    prefix = module + "."
    return any(m.startswith(prefix) for m in _api.MODULES)


@functools.cache
def table_methods(table: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """(async, sync) public methods of a 0.12.4 table singleton such as
    ``open_webui.models.users.Users``; None for anything else."""
    found = _api.TABLES.get(table)
    return None if found is None else (frozenset(found[0].split()), frozenset(found[1].split()))


def emulated_list() -> str:
    return ", ".join(m for m, impl in EMULATED.items() if impl is not None)


def moved_hint(dotted: str) -> str:
    for old, hint in MOVED.items():
        if dotted == old or dotted.startswith(old + "."):
            return f"; {hint}"
    return ""


def facade(name: str) -> types.ModuleType:
    """The emulated module ``name`` (which must be in ``EMULATED``), built on first use."""
    module = _FACADES.get(name)
    if module is not None:
        return module
    impl = EMULATED[name]
    module = types.ModuleType(name, f"owa-kit emulation of {name} (Open WebUI {_api.VERSION})")
    if impl is None:
        module.__path__ = []
    else:
        kit = importlib.import_module(f"{__package__}.{impl}")
        public = list(kit.__all__)
        for attr in public:
            setattr(module, attr, getattr(kit, attr))
        module.__all__ = public  # type: ignore[attr-defined]
    module.__getattr__ = _missing(name)  # type: ignore[method-assign]
    _FACADES[name] = module
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(facade(parent), child, module)
    return module


def _missing(module: str) -> Any:
    def __getattr__(attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        dotted = f"{module}.{attr}"
        if dotted in EMULATED:
            return facade(dotted)  # a running server has every submodule imported
        if exists(dotted) or attr in (names_of(module) or ()):
            raise NotEmulatedError(
                f"owa-kit: `{dotted}` exists in Open WebUI {_api.VERSION}, but the kit does "
                f"not emulate it; {LIVE_HINT}. Emulated: {emulated_list()}",
                name=dotted)
        raise AttributeError(
            f"module {module!r} has no attribute {attr!r}: Open WebUI {_api.VERSION} has no "
            f"`{dotted}` either, so the action fails there too{moved_hint(dotted)}")
    return __getattr__


def first_gap(name: str) -> tuple[str, bool] | None:
    """The first dotted prefix of module ``name`` the kit does not emulate, and whether
    Open WebUI 0.12.4 has it; None when the whole path is emulated."""
    parts = name.split(".")
    for i in range(1, len(parts) + 1):
        prefix = ".".join(parts[:i])
        if prefix not in EMULATED:
            return prefix, exists(prefix)
    return None


def _resolve(name: str) -> types.ModuleType:
    """The facade for ``name``, or the import error Open WebUI 0.12.4 (or the kit) raises."""
    gap = first_gap(name)
    if gap is None:
        return facade(name)
    prefix, real = gap
    if real:
        raise NotEmulatedError(
            f"owa-kit: `{name}` exists in Open WebUI {_api.VERSION}, but the kit does not "
            f"emulate it; {LIVE_HINT}. Emulated: {emulated_list()}", name=name)
    raise ModuleNotFoundError(
        f"No module named {prefix!r}: Open WebUI {_api.VERSION} has no such module, so the "
        f"action fails to load there too{moved_hint(name)}", name=prefix)


def _import_from(module: types.ModuleType, fromlist: Sequence[str]) -> None:
    for attr in fromlist:
        if attr == "*":
            continue
        try:
            getattr(module, attr)
        except NotEmulatedError:
            raise
        except AttributeError as exc:
            # what `from m import missing` raises, with the kit's explanation appended
            raise ImportError(f"cannot import name {attr!r} from {module.__name__!r}: "
                              + str(exc).split(": ", 1)[-1], name=module.__name__) from None


def emulated_import(name: str, globals: Mapping[str, Any] | None = None,
                    locals: Mapping[str, Any] | None = None, fromlist: Sequence[str] | None = (),
                    level: int = 0) -> types.ModuleType:
    """``__import__`` for kit-loaded code: ``open_webui`` from the emulation, the rest as usual."""
    if level == 0 and (name == "open_webui" or name.startswith("open_webui.")):
        module = _resolve(name)
        if fromlist:
            _import_from(module, fromlist)
            return module
        return facade("open_webui")
    real: Any = builtins.__import__
    return real(name, globals, locals, fromlist or (), level)  # type: ignore[no-any-return]


def kit_builtins() -> dict[str, Any]:
    """Fresh ``__builtins__`` for a module the kit loads: Python's, with ``emulated_import``.

    A copy per module (a few microseconds), so names IPython adds to builtins later still show.
    """
    return {**builtins.__dict__, "__import__": emulated_import}
