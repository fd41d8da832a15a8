"""The notebook front of owa-kit: live panel, call dialogs, valves forms, playground.

Imported lazily by ``owa.run`` inside a Jupyter kernel (``import owa_kit`` never imports
ipywidgets)::

    import owa_kit as owa
    act = owa.load("../actions/enhance_message.py")
    run = await owa.run(act, "The reply", answers=["formal"])   # panel + dialogs
    owa.play(act)                                               # an interactive playground
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._frontend import Panel, WidgetFrontend

__all__ = ["Panel", "WidgetFrontend", "make_frontend", "play"]


def __getattr__(name: str) -> Any:
    # lazy: ``owa-kit record``/``test`` import ``owa_kit.notebook._cli`` without ipywidgets
    if name in ("Panel", "WidgetFrontend"):
        from . import _frontend

        return getattr(_frontend, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def make_frontend(answers: list[Any], mode: str) -> WidgetFrontend:
    """The front-end ``owa.run`` uses inside a Jupyter kernel (widgets; see ``_frontend``)."""
    from ._frontend import WidgetFrontend

    return WidgetFrontend(answers, mode)


def play(action: Any, **kw: Any) -> Any:
    """A playground for ``action``: message editor, valves forms, Run button, live view.

    >>> owa.play(owa.load("../actions/enhance_message.py"))   # doctest: +SKIP
    """
    from ._playground import Playground

    return Playground(action, **kw)
