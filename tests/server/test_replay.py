"""A live run records the server model's replies; saved, they replay offline identically."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

import owa_kit as owa
from owa_kit.server import Client
from owa_kit.server._live import live_id

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[2]
REPLY = "Photosynthesis turns light, water and CO2 into sugar and oxygen."

STREAMS = '''"""
title: Streams
"""
import json

from open_webui.models.users import Users
from open_webui.utils.chat import generate_chat_completion
from pydantic import BaseModel, Field


class Action:
    class Valves(BaseModel):
        api_key: str = Field(default="", json_schema_extra={"input": {"type": "password"}})

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body, __user__=None, __request__=None, __event_emitter__=None):
        user = await Users.get_user_by_id(__user__["id"])
        payload = {"model": body["model"], "stream": True, "temperature": 0.1, "messages": [
            {"role": "system", "content": "Key " + self.valves.api_key},
            {"role": "user", "content": "Shout: " + body["messages"][-1]["content"]}]}
        response = await generate_chat_completion(__request__, payload, user)
        text, lines = "", []
        async for line in response.body_iterator:
            lines.append(line)
            data = line[len("data: "):].strip()
            if data == "[DONE]":
                break
            delta = json.loads(data)["choices"][0]["delta"].get("content", "")
            if delta:
                text += delta
                await __event_emitter__({"type": "status",
                                         "data": {"description": delta, "done": False}})
        return {"text": text.upper(), "lines": lines}
'''


def run(act: owa.LoadedAction, *args: Any, **kw: Any) -> owa.Run:
    return asyncio.run(owa.run(act, *args, show=False, **kw))


def offline(transcript: str) -> str:
    return transcript.replace(" · live", "", 1)


def model_lines(r: owa.Run) -> list[str]:
    """The transcript's ``model`` blocks: the request line, its messages and the reply."""
    out: list[str] = []
    for line in r.transcript.splitlines():
        if " model " in line[:10] or (out and line.startswith("      ") and not
                                      out[-1].startswith("      ->")):
            out.append(line)
    return out


def test_a_summary_recorded_live_replays_offline_with_the_same_transcript(
        live: owa.Server, client: Client, tmp_path: Path) -> None:
    act = owa.load(ROOT / "actions" / "summarize.py")
    recorded = run(act, REPLY, server=live)
    asked = recorded.completions.last
    assert (asked.source, asked.model, asked.reply) == ("live", "kit_echo", f"echo: {REPLY}")
    assert asked.received.kind == "json" and asked.received.value["object"] == "chat.completion"
    assert recorded.events.types == ["status", "status"]  # the recorder's messages are not events
    assert "_owa_kit_recorder(globals())" in client.function(live_id(act.id))["content"]

    path = owa.llm.save(recorded, tmp_path / "summarize.json")
    replayed = run(act, REPLY, llm=owa.llm.replay(path))
    assert replayed.completions.last.source == "replay"
    assert replayed.result == recorded.result
    assert replayed.transcript == offline(recorded.transcript)
    # the very dict the server returned, its id included, comes back
    assert replayed.completions.last.received.value == asked.received.value


def test_a_refused_completion_is_recorded_and_replays_as_the_same_exception(
        live: owa.Server, tmp_path: Path) -> None:
    act = owa.load(ROOT / "actions" / "summarize.py")
    recorded = run(act, REPLY, valves={"model": "no-such-model"}, server=live)
    assert recorded.completions.last.received.describe() == "raised Exception('Model not found')"
    path = owa.llm.save(recorded, tmp_path / "refused.json")
    replayed = run(act, REPLY, valves={"model": "no-such-model"}, llm=owa.llm.replay(path))
    assert (replayed.result, replayed.notifications) == (None, recorded.notifications)
    assert model_lines(replayed) == model_lines(recorded) != []
    assert replayed.codes == ["OWA702"]  # the emulator also says why the model is unknown


def test_a_stream_is_recorded_as_the_action_read_it_and_replays_item_for_item(
        live: owa.Server, tmp_path: Path) -> None:
    act = owa.load(STREAMS, id=f"streams_{uuid.uuid4().hex[:8]}")
    recorded = run(act, "quiet words", valves={"api_key": "sk-live-secret"}, server=live)
    assert recorded.ok, recorded.traceback
    asked = recorded.completions.last
    assert asked.received.kind == "stream"
    assert asked.received.items == recorded.result["lines"]  # exactly what the action read
    assert asked.reply == ["echo: Shout: quiet words"]
    lines = recorded.transcript.splitlines()
    model = next(i for i, line in enumerate(lines) if " model kit_echo stream" in line)
    assert '{"temperature": 0.1}' in lines[model]
    assert "emit status" in lines[model + 4]  # the model line comes before what the action did

    path = owa.llm.save(recorded, tmp_path / "streams.json")
    assert "sk-live-secret" not in path.read_text(encoding="utf-8")
    assert "Key ••••••" in path.read_text(encoding="utf-8")
    replayed = run(act, "quiet words", valves={"api_key": "sk-live-secret"},
                   llm=owa.llm.replay(path))
    assert replayed.result == recorded.result  # server ids and timestamps included
    assert replayed.transcript == offline(recorded.transcript)


def test_a_replay_of_a_changed_request_names_the_completion_and_the_difference(
        live: owa.Server, tmp_path: Path) -> None:
    act = owa.load(ROOT / "actions" / "summarize.py")
    path = owa.llm.save(run(act, REPLY, server=live), tmp_path / "summarize.json")
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["recorded"] == "live" and saved["action"] == "summarize"
    with pytest.raises(owa.ReplayMismatchError, match=r"completion #1 does not match .*"
                       r"messages\[0\]\.content differs from character 46: recorded "
                       r".*40 words.*, now .*12 words"):
        run(act, REPLY, valves={"max_words": 12}, llm=owa.llm.replay(path))
