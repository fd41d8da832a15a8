"""Interactive mode in a real kernel, with nbclient playing the browser and a "human".

The human acts on the comm messages a browser would send: a click is a ``custom`` message,
typing is an ``update`` of ``value``. The cell awaits each dialog (ipykernel >= 7.4).
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

HERE = Path(__file__).parent
CLICK = {"method": "custom", "content": {"event": "click"}}


class SimulatedHuman(NotebookClient):  # type: ignore[misc]
    """Answers each dialog 0.3 s after it is shown, with the next planned action."""

    def __init__(self, *a: Any, plan: list[str], **kw: Any) -> None:
        super().__init__(*a, **kw)
        self.plan = list(plan)
        self.models: dict[str, dict[str, Any]] = {}
        self.sent: list[str] = []  # msg ids of the comm messages the human sent
        self.acks: list[str] = []  # parent msg ids of idle statuses the kernel published
        self.done: list[str] = []

    async def async_start_new_kernel_client(self) -> Any:
        kc = await super().async_start_new_kernel_client()
        get = kc.iopub_channel.get_msg

        async def spy(*a: Any, **kw: Any) -> Any:
            msg = await get(*a, **kw)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                self.acks.append(msg["parent_header"].get("msg_id", ""))
            return msg

        kc.iopub_channel.get_msg = spy
        return kc

    def handle_comm_msg(self, outs: Any, msg: dict[str, Any], cell_index: int) -> None:
        super().handle_comm_msg(outs, msg, cell_index)
        if msg["msg_type"] != "comm_open":
            return
        state = msg["content"]["data"].get("state", {})
        self.models[msg["content"]["comm_id"]] = state
        if "owa-dialog" in state.get("_dom_classes", ()):
            ids = self._flatten(state)
            asyncio.get_running_loop().call_later(0.3, lambda: asyncio.ensure_future(
                self._act(self.plan.pop(0), ids)))

    def _flatten(self, state: dict[str, Any]) -> dict[str, str]:
        out: dict[str, str] = {}
        for child in state.get("children", []):
            cid = child.removeprefix("IPY_MODEL_")
            s = self.models.get(cid, {})
            if s.get("_model_name") == "ButtonModel":
                out[s["description"]] = cid
            elif s.get("_model_name") in ("TextareaModel", "PasswordModel"):
                out["text"] = cid
            out.update(self._flatten(s))
        return out

    def send(self, comm_id: str, data: dict[str, Any]) -> None:
        msg = self.kc.session.msg("comm_msg", {"comm_id": comm_id, "data": data})
        self.sent.append(msg["header"]["msg_id"])
        self.kc.shell_channel.send(msg)

    async def _act(self, action: str, ids: dict[str, str]) -> None:
        if action.startswith("type:"):
            for text in action[5:].split("|"):  # type, then edit: two state updates
                self.send(ids["text"], {"method": "update", "state": {"value": text},
                                        "buffer_paths": []})
                await asyncio.sleep(0.2)
            action = "Confirm"
        self.send(ids[action], CLICK)
        self.done.append(action)


def test_human_confirms_types_edits_and_cancels(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(HERE / "notebooks" / "demo_action.py", tmp_path)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in (
        'import owa_kit as owa\nact = owa.load("demo_action.py")',
        'r1 = await owa.run(act, "The reply")',
        'r2 = await owa.run(act, "The reply", answers=[True])',  # pre-fill; the human cancels
        "print(repr([c.answer for c in r1.calls + r2.calls]))",
    )]
    monkeypatch.setenv("OWA_KIT_MODE", "interactive")
    human = SimulatedHuman(nb, plan=["Confirm", "type:Ad|Ada Lovelace", "Cancel"],
                           kernel_name="python3", timeout=30,
                           resources={"metadata": {"path": str(tmp_path)}})
    human.execute()
    assert human.done == ["Confirm", "Confirm", "Cancel"]
    assert "".join(nb.cells[3].outputs[0]["text"]).strip() == "[True, 'Ada Lovelace', False]"
    transcript = "".join(o.get("text", "") for o in nb.cells[1].outputs)
    assert '-> "Ada Lovelace"' in transcript and "Hello, **Ada Lovelace**!" in transcript
    # the ipykernel 7.4 throttle workaround: each text update got an idle with it as parent
    updates = human.sent[1:3]
    assert all(u in human.acks for u in updates), (updates, human.acks)


def test_interrupt_stops_a_cell_waiting_at_a_dialog(tmp_path: Path) -> None:
    import os
    import queue
    import time

    from jupyter_client.manager import start_new_kernel

    env = {**os.environ, "OWA_KIT_MODE": "interactive"}
    km, kc = start_new_kernel(kernel_name="python3", env=env, cwd=str(HERE / "notebooks"))
    try:
        kc.execute_interactive('import owa_kit as owa\nact = owa.load("demo_action.py")',
                               timeout=30)
        msg_id = kc.execute('r = await owa.run(act, "The reply")')
        deadline = time.monotonic() + 30
        while True:  # wait until the dialog is on screen
            msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
            state = msg["content"].get("data", {}).get("state", {})
            if msg["msg_type"] == "comm_open" and "owa-dialog" in state.get("_dom_classes", ()):
                break
        time.sleep(0.3)
        asked = time.monotonic()
        km.interrupt_kernel()
        while True:
            try:
                reply = kc.get_shell_msg(timeout=10)
            except queue.Empty:
                pytest.fail("owa-kit: the interrupted cell did not end within 10 s")
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        took = time.monotonic() - asked
        assert reply["content"]["status"] == "error"
        assert reply["content"]["ename"] in ("CancelledError", "KeyboardInterrupt")
        assert took < 3.0, took
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
