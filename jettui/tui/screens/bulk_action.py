"""Confirm → progress → per-item result, for a bulk product action (upload, archive...).

The action runs in an async worker (the screen stays responsive); the modal dismisses with the
:class:`ActionReport` (None when cancelled or when it could not run)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, ProgressBar, Static

if TYPE_CHECKING:
    from jettui.services.catalog import ActionReport
    from jettui.tui.app import JettuiApp

TITLES = {
    "upload": "Upload to Jet",
    "archive": "Archive on Jet",
    "unarchive": "Unarchive on Jet (resends inventory)",
    "sync": "Sync price and inventory",
    "status": "Fetch Jet status",
}
FAILURES_SHOWN = 50


class BulkActionModal(ModalScreen["ActionReport | None"]):
    DEFAULT_CSS = """
    BulkActionModal { align: center middle; }
    #bulk-box { width: 72; height: auto; max-height: 90%; padding: 1 2;
                border: thick $primary; background: $surface; }
    #bulk-progress { display: none; margin-top: 1; }
    #bulk-progress.-running { display: block; }
    #bulk-result { height: auto; max-height: 14; margin-top: 1; }
    #bulk-buttons { height: auto; margin-top: 1; align-horizontal: right; }
    #bulk-buttons Button { margin-left: 2; }
    """
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape,n", "cancel", "Cancel", id="bulk.cancel"),
        Binding("y", "confirm", "Run", id="bulk.confirm"),
    ]

    app: JettuiApp

    def __init__(self, action: str, product_ids: list[int]) -> None:
        super().__init__(id="bulk-action")
        self.action = action
        self.product_ids = product_ids
        self.report: ActionReport | None = None
        self.summary = ""  # one line for the notification once closed
        self._busy = False

    def compose(self) -> ComposeResult:
        count = len(self.product_ids)
        noun = "product" if count == 1 else "products"
        with Vertical(id="bulk-box"):
            yield Static(f"[b]{TITLES[self.action]}[/b]", id="bulk-title")
            yield Static(
                f"{TITLES[self.action]}: {count} {noun} (their option SKUs included)?",
                id="bulk-question",
            )
            yield ProgressBar(id="bulk-progress", show_eta=False)
            with VerticalScroll(id="bulk-result"):
                yield Static("", id="bulk-result-text", markup=False)
            with Horizontal(id="bulk-buttons"):
                yield Button("Cancel (n)", id="no")
                yield Button("Run (y)", id="yes", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "yes":
            self.action_confirm()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        if not self._busy:
            self.dismiss(self.report)

    def action_confirm(self) -> None:
        if self._busy:
            return
        if self.summary:  # the result is shown: y closes
            self.dismiss(self.report)
            return
        self._busy = True
        self.query_one("#bulk-question", Static).update("Running…")
        self.query_one("#bulk-buttons").display = False
        self.query_one("#bulk-progress", ProgressBar).add_class("-running")
        self.run_action()

    def _progress(self, done: int, total: int) -> None:
        self.query_one("#bulk-progress", ProgressBar).update(total=max(total, 1), progress=done)

    @work(group="bulk-action", exit_on_error=False)
    async def run_action(self) -> None:
        from jettui.errors import LockBusy
        from jettui.services.catalog import run_action

        try:
            db = await asyncio.to_thread(self.app.database)
            report = await run_action(
                self.app.settings, db, self.action, self.product_ids, progress=self._progress
            )
        except LockBusy as exc:
            self._done(f"Nothing done: {exc}.", None)
        except Exception as exc:  # the store failed: one line, never a traceback
            self._done(f"{TITLES[self.action]} failed: {str(exc).splitlines()[0][:200]}", None)
        else:
            self._done(report.summary, report)

    def _done(self, summary: str, report: ActionReport | None) -> None:
        self._busy = False
        self.report = report
        self.summary = summary
        lines = [summary]
        if report is not None:
            problems = report.problems
            lines += [f"  {item.line}" for item in problems[:FAILURES_SHOWN]]
            if len(problems) > FAILURES_SHOWN:
                lines.append(f"  … and {len(problems) - FAILURES_SHOWN} more")
        self.query_one("#bulk-question", Static).update("Done. Press y, n or escape to close.")
        self.query_one("#bulk-result-text", Static).update(self.app.redact("\n".join(lines)))
        bar = self.query_one("#bulk-progress", ProgressBar)
        bar.update(total=bar.total or 1, progress=bar.total or 1)
