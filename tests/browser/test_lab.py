"""The notebook front in a real JupyterLab, driven by Debian's chromium through Playwright.

A human's path through an interactive cell: the panel shows the status shimmering while the
confirmation dialog waits; Confirm; type a name, leave the field, type more (the second edit
must reach the kernel: the ipykernel 7.4 idle-ack workaround); Confirm; the reply changes,
the status is done, a toast appears. A second cell is cancelled. Screenshots go to
``artifacts/``.

Needs JupyterLab in ``OWA_KIT_LAB_PYTHON`` (default ``.venv-lab``) and chromium in
``OWA_KIT_CHROMIUM`` (default ``/usr/bin/chromium``); ``make test`` sets both up.
"""

from __future__ import annotations

import nbformat
import pytest
from labdriver import ARTIFACTS, ROOT, Lab, LabRoot, lab_page, menu

pytestmark = pytest.mark.browser


@pytest.fixture
def lab_root() -> LabRoot:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in (
        'import owa_kit as owa\nact = owa.load("demo_action.py")',
        'run = await owa.run(act, "The reply", answers=[True, "Ada"])',
        'run2 = await owa.run(act, "The reply")',
        "print([c.answer for c in run.calls + run2.calls])",
    )]
    return LabRoot({"demo_action.py": ROOT / "tests" / "notebooks" / "demo_action.py",
                    "browser.ipynb": nb}, kernels=("browser.ipynb",))


def test_interactive_cell_in_jupyterlab(lab: Lab) -> None:
    from playwright.sync_api import expect

    with lab_page(lab, "browser.ipynb", "lab") as page:
        menu(page, "Run", "Run All Cells")

        # 1. confirmation dialog, status shimmering, pre-filled note from answers=
        cells = page.locator(".jp-Notebook .jp-CodeCell")
        first = cells.nth(1)
        dialog = first.locator(".owa-dialog-confirmation")
        expect(dialog).to_be_visible()
        expect(first.locator(".owa-shimmer")).to_have_text("Asking the user")
        expect(dialog).to_contain_text("Rewrite the reply?")
        expect(dialog.locator("strong")).to_have_text("greeting")  # markdown message
        expect(dialog).to_contain_text("answers= has True")
        page.screenshot(path=str(ARTIFACTS / "lab-1-confirmation.png"))
        dialog.get_by_role("button", name="Confirm").click()

        # 2. input dialog: pre-filled "Ada"; edit, leave the field, edit again
        box = first.locator(".owa-dialog-input textarea")
        expect(box).to_have_value("Ada")
        box.fill("")
        box.press_sequentially("Ad")
        first.locator(".owa-dialog-input b").first.click()  # blur: first update, "Ad"
        box.click()
        box.press("End")
        box.press_sequentially("a Lovelace")  # second update, sent when Confirm is clicked
        page.screenshot(path=str(ARTIFACTS / "lab-2-input.png"))
        first.locator(".owa-dialog-input").get_by_role("button", name="Confirm").click()

        # 3. the reply changed, the status is done (no shimmer), the toast is shown
        expect(first.locator(".owa-content")).to_contain_text("Hello, Ada Lovelace!")
        expect(first.locator(".owa-content strong")).to_have_text("Ada Lovelace")
        expect(first.locator(".owa-status")).to_have_text("Done")
        expect(first.locator(".owa-shimmer")).to_have_count(0)
        expect(first.locator(".owa-toast-success")).to_have_text("Greeted Ada Lovelace")
        expect(first.locator(".jp-OutputArea-output pre").last).to_contain_text(
            'call input {"message": "Who is greeted?", "placeholder": "Ada", "title": '
            '"Your name"} -> "Ada Lovelace"')
        page.screenshot(path=str(ARTIFACTS / "lab-3-done.png"))

        # 4. the next cell's dialog: Cancel
        second = cells.nth(2)
        dialog2 = second.locator(".owa-dialog-confirmation")
        expect(dialog2).to_be_visible()
        dialog2.get_by_role("button", name="Cancel").click()
        expect(second.locator(".owa-toast-warning")).to_have_text("Nothing changed")
        expect(second.locator(".owa-status")).to_have_text("Cancelled")
        expect(cells.nth(3).locator(".jp-OutputArea-output")).to_contain_text(
            "[True, 'Ada Lovelace', False]")
        page.screenshot(path=str(ARTIFACTS / "lab-4-cancelled.png"))
