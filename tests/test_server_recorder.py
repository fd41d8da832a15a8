"""The live copy's recorder without a server: the copy's source and the tab's end of the wire.

The recorder itself runs inside Open WebUI; tests/server/test_replay.py runs it there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import owa_kit as owa
from owa_kit._frontmatter import replace_imports
from owa_kit.server._recorder import LiveCompletions, instrument

ROOT = Path(__file__).resolve().parents[1]
SUMMARIZE = (ROOT / "actions" / "summarize.py").read_text(encoding="utf-8")


def test_the_copy_is_the_authors_code_unchanged_then_the_recorder() -> None:
    copy = instrument(SUMMARIZE)
    assert copy.startswith(SUMMARIZE.rstrip() + "\n")  # the author's lines keep their numbers
    assert copy.rstrip().endswith("_owa_kit_recorder(globals())")
    assert "owa-kit live-run recorder" in copy[len(SUMMARIZE):]
    compile(copy, "copy", "exec")
    assert replace_imports(copy) == copy  # the server's import rewriting leaves it alone


class Panel:
    """A front-end's optional ``completion`` hook, as the notebook panel has it."""

    def __init__(self) -> None:
        self.shown: list[Any] = []

    def completion(self, run: owa.Run, c: owa.Completion) -> None:
        self.shown.append(c.reply)


def chunk(content: str) -> str:
    return "data: " + json.dumps({"id": "m-1", "created": 5, "model": "m", "choices": [
        {"index": 0, "logprobs": None, "finish_reason": None, "delta": {"content": content}}],
        "object": "chat.completion.chunk"}, separators=(",", ":")) + "\n\n"


def fed(*messages: Any) -> tuple[owa.Run, Panel]:
    act = owa.load('"""\ntitle: T\n"""\nclass Action:\n    async def action(self, body):\n'
                   "        return None\n", id="t")
    r = owa.Run(action=act, button="t", chat=owa.chat("Hi", "There"), body={})
    panel = Panel()
    tab = LiveCompletions(r, panel)
    for m in messages:
        tab.feed(m)
    tab.finish()
    return r, panel


ASK = {"model": "m", "messages": [{"role": "user", "content": "Hi"}]}
WHOLE = {"id": "m-1", "created": 5, "model": "m", "object": "chat.completion", "choices": [
    {"index": 0, "logprobs": None, "finish_reason": "stop",
     "message": {"role": "assistant", "content": "Hello"}}]}


def test_a_request_and_its_dict_become_one_completion_shown_as_text() -> None:
    r, panel = fed({"index": 1, "request": ASK}, {"index": 1, "json": WHOLE})
    c = r.completions.last
    assert (c.seq, c.index, c.source, c.answered, c.reply) == (1, 1, "live", True, "Hello")
    assert c.received.value == WHOLE and panel.shown == ["Hello"]


def test_a_stream_collects_the_items_read_and_reads_as_chunks_at_the_end() -> None:
    r, panel = fed({"index": 1, "request": {**ASK, "stream": True}}, {"index": 1, "stream": []},
                   {"index": 1, "chunk": chunk("Hel"), "bytes": True},
                   {"index": 1, "chunk": chunk("lo"), "bytes": True},
                   {"index": 1, "chunk": "data: [DONE]", "bytes": True})
    c = r.completions.last
    assert c.received.items == [chunk("Hel"), chunk("lo"), "data: [DONE]"]
    assert c.received.binary is True and c.reply == ["Hel", "lo"] == panel.shown[-1]
    assert c.received.stream_items()[0] == chunk("Hel").encode()


def test_errors_and_refusals_read_as_such() -> None:
    r, _ = fed({"index": 1, "request": ASK}, {"index": 1, "json": {"error": {"detail": "down"}}},
               {"index": 2, "request": ASK},
               {"index": 2, "raised": {"type": "Exception", "module": "builtins",
                                       "args": ["Model not found"]}})
    first, second = r.completions
    assert repr(first.reply) == "error('down')"
    assert second.reply.describe() == "raised Exception('Model not found')"
    assert "      -> raised Exception('Model not found')" in r.transcript.splitlines()


def test_messages_the_tab_cannot_place_are_ignored() -> None:
    r, panel = fed("junk", {"index": "1"}, {"index": 3, "json": {}},
                   {"index": 1, "request": ASK}, {"index": 1, "unknown": 1})
    assert len(r.completions) == 1 and r.completions.last.answered is False
    assert panel.shown == [] and "-> (no reply)" in r.transcript


def test_a_reply_without_a_plain_reading_is_shown_without_ids_or_times() -> None:
    odd = {**WHOLE, "choices": [{"index": 0, "message": {"role": "assistant", "content": None,
                                                        "tool_calls": [{"id": "call-7"}]}}]}
    r, _ = fed({"index": 1, "request": ASK}, {"index": 1, "json": odd})
    text = next(x for x in r.transcript.splitlines() if x.startswith("      -> "))
    assert text.startswith("      -> json {") and '"id": "<id>"' in text
    assert '"created": "<created>"' in text and "call-7" in text
