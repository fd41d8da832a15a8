"""Scripted model replies for actions that ask the model: ``owa.run(act, ..., llm=...)``.

An action asks the model with Open WebUI's own ``generate_chat_completion(__request__,
payload, user)``. In the kit that call reaches an emulated pipe model whose replies come
from ``llm=``:

======================  ====================================================================
``llm=``                the reply to each completion request
======================  ====================================================================
``None`` (default)      the *echo* model: ``"echo: "`` + the last message's content, as the
                        ``kit_echo`` pipe answers on a real server (see :func:`echo`)
a list                  one item per request, in order; a request with none left fails
a mapping               keyed by the request's last user message (``Completion.prompt``);
                        entries may be reused; entries never used fail the run
a callable              called with the ``Completion`` (model, messages, stream, params);
                        returns the reply
:func:`replay`          the replies of a recorded run (a live run, or a file written by
                        :func:`save`), each checked against its recorded request
======================  ====================================================================

A *reply* is a string (the model's text), a list of strings (streamed chunks, joined when
not streamed), a dict (returned as is, as a pipe returning a dict), or a model error:
:func:`error` or an exception instance. A pipe model's error reaches the action the way
0.12.4 hands it back: ``{"error": {"detail": ...}}`` instead of a completion (no exception),
or an SSE ``data: {"error": ...}`` line when streaming.

A live run (``server=``) records the server model's replies in ``run.completions``:
``owa.llm.save(run, path)`` writes them to a file and ``llm=owa.llm.replay(path)`` replays
them offline, exactly as the action received them (see ``owa_kit._replay``).

>>> import owa_kit as owa
>>> owa.llm.error("rate limited")
error('rate limited')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import MissingReplyError, ScriptError

if TYPE_CHECKING:
    import os

    from ._replay import Replay
    from ._run import Completion, Run

__all__ = ["ModelError", "Script", "echo", "error", "replay", "save"]


@dataclass(frozen=True)
class ModelError:
    """A scripted model failure: the pipe raised with ``detail`` as its message."""

    detail: str

    def __repr__(self) -> str:
        return f"error({self.detail!r})"


def error(detail: str) -> ModelError:
    """The model fails with ``detail`` (the action gets ``{"error": {"detail": detail}}``)."""
    return ModelError(str(detail))


def save(run: Run, path: str | os.PathLike[str]) -> Any:
    """Write the completions of ``run`` (live or emulated) to ``path``, a JSON file that
    :func:`replay` reads; secrets are written as ``••••••``. Returns the ``Path``.

    >>> owa.llm.save(live_run, "summarize.completions.json")    # doctest: +SKIP
    """
    from ._replay import save as _save

    return _save(run, path)


def replay(source: Run | str | os.PathLike[str]) -> Replay:
    """``llm=`` that hands back the replies of a recorded run (a ``Run`` or a saved file) in
    order. A request that differs from the recorded one stops the run with
    ``ReplayMismatchError`` naming the completion and the difference.

    >>> run = await owa.run(act, REPLY, llm=owa.llm.replay("summarize.completions.json"))
    ... # doctest: +SKIP
    """
    from ._replay import replay as _replay

    return _replay(source)


def echo(completion: Completion) -> Any:
    """The ``kit_echo`` pipe's answer: ``"echo: "`` and the last message's ``content``.

    As the pipe on the server, it reads ``messages[-1]["content"]`` whatever the role, and
    formats a list content with ``str()``; a last message without ``content`` makes the
    pipe fail (a ``KeyError``), which reaches the action as a model error.
    """
    messages = completion.payload.get("messages") or []
    try:
        last = messages[-1]["content"] if messages else ""
    except (KeyError, TypeError, IndexError) as exc:
        return ModelError(str(exc))
    return f"echo: {last}"


Reply = Any
_ECHO = "echo"


class Script:
    """Hands out the replies of ``llm=`` in order and knows which were never used."""

    def __init__(self, llm: Any = None) -> None:
        self.llm = llm
        self.used = 0
        self.keys_used: set[str] = set()
        from ._replay import Replay

        if isinstance(llm, Replay):
            self.kind = "replay"
        elif llm is None or callable(llm):
            self.kind = _ECHO if llm is None else "callable"
        elif isinstance(llm, Mapping):
            bad = [k for k in llm if not isinstance(k, str)]
            if bad:
                raise ScriptError(f"owa-kit: llm= mapping keys are the last user message "
                                  f"(a string); got {bad[0]!r}")
            self.kind = "mapping"
        elif isinstance(llm, Sequence) and not isinstance(llm, str | bytes):
            self.kind = "list"
        else:
            raise ScriptError(
                f"owa-kit: llm={llm!r} is not a script of replies; pass a list of replies, a "
                "mapping {last user message: reply}, a callable(completion) -> reply, "
                "owa.llm.replay(recording), or None for the echo model")

    @property
    def echoes(self) -> bool:
        return self.kind == _ECHO

    def models(self) -> set[str]:
        """Models the emulated server must know for this script (those of a replay)."""
        return self.llm.models() if self.kind == "replay" else set()

    def refused(self, completion: Completion, received: Any) -> None:
        """The emulator refused ``completion`` before the model (``Model not found``...)."""
        if self.kind == "replay":
            self.used = completion.index
            self.llm.check_refused(completion, received)

    def reply(self, completion: Completion) -> tuple[Reply, str]:
        """The reply for ``completion`` and where it came from (``script``, ``echo`` or
        ``replay``: then a ``Received``, handed back exactly)."""
        if self.kind == _ECHO:
            return echo(completion), "echo"
        if self.kind == "replay":
            self.used = completion.index
            return self.llm.reply(completion), "replay"
        if self.kind == "callable":
            fn: Callable[[Completion], Reply] = self.llm
            try:
                given = fn(completion)
            except Exception as exc:
                raise ScriptError(f"owa-kit: the llm= callable raised {type(exc).__name__}: "
                                  f"{exc} for completion #{completion.index}; fix the "
                                  "callable (return owa.llm.error(...) for a model error)"
                                  ) from exc
            return check_reply(given, completion), "script"
        if self.kind == "mapping":
            prompt = completion.prompt
            if prompt is None or prompt not in self.llm:
                keys = ", ".join(repr(k[:60]) for k in list(self.llm)[:5])
                raise MissingReplyError(
                    f"owa-kit: the action asked model {completion.model!r} (completion "
                    f"#{completion.index}) with the last user message {_short(prompt)}, and no "
                    f"key of llm= matches it (keys: {keys}); add "
                    f"{{{_short(prompt)}: 'the reply'}} to llm=")
            self.keys_used.add(prompt)
            return check_reply(self.llm[prompt], completion), "script"
        if self.used >= len(self.llm):
            raise MissingReplyError(
                f"owa-kit: the action asked model {completion.model!r} (completion "
                f"#{completion.index}, last user message {_short(completion.prompt)}) and "
                f"llm= has no reply left ({len(self.llm)} given, all used); add one, e.g. "
                "llm=[..., 'the reply'] or owa.llm.error('...') for a failure")
        given = self.llm[self.used]
        self.used += 1
        return check_reply(given, completion), "script"

    def leftover(self) -> list[Any]:
        if self.kind == "replay":
            return self.llm.leftover(self.used)  # type: ignore[no-any-return]
        if self.kind == "list":
            return list(self.llm[self.used:])
        if self.kind == "mapping":
            return [k for k in self.llm if k not in self.keys_used]
        return []


def check_reply(given: Any, completion: Completion) -> Reply:
    if isinstance(given, BaseException):
        return ModelError(str(given))
    if isinstance(given, str | dict | ModelError):
        return given
    if isinstance(given, list | tuple) and all(isinstance(c, str) for c in given):
        return list(given)
    raise ScriptError(
        f"owa-kit: the reply for completion #{completion.index} is {given!r}; a reply is a "
        "string, a list of strings (streamed chunks), a dict (the whole response), or "
        "owa.llm.error('...')")


def _short(text: str | None) -> str:
    if text is None:
        return "(none)"
    return repr(text if len(text) <= 60 else text[:57] + "...")
