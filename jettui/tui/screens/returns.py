"""Returns: Jet returns mirrored into OpenCart's returns, completed with the right money.

f fetches returns (the fetch-returns job, which also polls refund states); c opens the
completion form of the return under the cursor (per line: units returned and refunded, the
four amounts, feedback; agree or dispute the return charge); x rejects it (completed with
nothing refunded and a feedback reason: the way Jet's API allows); enter shows the return.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Label, Select, Static

from jettui.jet.enums import CHARGE_FEEDBACK, REFUND_FEEDBACK
from jettui.services.listing import PageSource
from jettui.services.returns.queries import ReturnSource, list_returns, return_ids
from jettui.tui.screens.order_detail import RecordDetailScreen
from jettui.tui.screens.panel_actions import ActionPanel
from jettui.tui.widgets.bulk_table import BulkTable, int_id

if TYPE_CHECKING:
    import peewee as pw


def load_return(db: Any, return_id: str, settings: Any = None) -> Mapping[str, Any]:
    """The read model of one return (``list_returns``'s row for it)."""
    for row in list_returns(db):
        if row.get("return_id") == return_id:
            return row
    raise LookupError(f"no Jet return '{return_id}' in jettui")


class ReturnsScreen(ActionPanel):
    PANEL_ID = "returns"
    DETAIL_TITLE_KEY = "return_id"
    EMPTY_TEXT = (
        "No Jet returns yet — press f to fetch them (headless: `jettui cron fetch-returns`)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "fetch", "Fetch returns", id="returns.fetch"),
        Binding("c", "complete", "Complete", id="returns.complete"),
        Binding("x", "reject", "Reject", id="returns.reject"),
    ]

    def make_source(self, db: pw.Database) -> PageSource:
        return ReturnSource(db)

    def action_fetch(self) -> None:
        self.start_job("fetch-returns")

    def _cursor_row(self) -> int | None:
        cursor = self.cursor_id()
        if cursor is None:
            self.tell("No return under the cursor.", "warning")
            return None
        return int_id(cursor)

    def action_complete(self) -> None:
        row = self._cursor_row()
        if row is not None:
            self._open_completion(row)

    @work(group="return-complete", exclusive=True, exit_on_error=False)
    async def _open_completion(self, row: int) -> None:
        """The completion form, or at once the one line saying why the return takes none."""
        from jettui.tui.screens.return_form import ReturnFormScreen, completion_refused

        refusal = await completion_refused(self.app, row)
        if refusal is not None:
            self.tell(refusal, "warning")
            return

        def closed(done: bool | None) -> None:
            if done:
                self.reload_rows()

        self.app.push_screen(ReturnFormScreen(row), closed)

    def action_reject(self) -> None:
        row = self._cursor_row()
        if row is not None:
            self._open_rejection(row)

    @work(group="return-complete", exclusive=True, exit_on_error=False)
    async def _open_rejection(self, row: int) -> None:
        """The rejection's feedback picker, or at once the line saying why there is none."""
        from jettui.tui.screens.return_form import completion_refused

        refusal = await completion_refused(self.app, row, verb="reject")
        if refusal is not None:
            self.tell(refusal, "warning")
            return

        def picked(choice: tuple[str, str | None] | None) -> None:
            if choice is None:
                return
            feedback, charge = choice

            async def reject(settings: Any, db: Any, progress: Callable[[int, int], None]) -> Any:
                from jettui.services.returns import reject_return

                (rid,) = await asyncio.to_thread(return_ids, db, [row])
                return await reject_return(settings, db, rid, feedback, charge_feedback=charge)

            question = f"Reject the return (nothing refunded, feedback '{feedback}')?"
            self.run_items("Reject return", question, reject)

        self.app.push_screen(RejectReturnModal(), picked)

    @on(BulkTable.RowActivated)
    def _open_return(self, event: BulkTable.RowActivated) -> None:
        event.prevent_default()  # instead of the generic row detail
        event.stop()
        self.app.push_screen(RecordDetailScreen("Return", str(event.cells[0]), load_return))


DISPUTE_LABEL = "Dispute the return charge (space)"


class RejectReturnModal(ModalScreen[tuple[str, str | None] | None]):
    """Pick the feedback of a rejection (and, to dispute the return charge, its reason)."""

    DEFAULT_CSS = """
    RejectReturnModal { align: center middle; }
    #reject-box { width: 70; max-width: 100%; height: auto; padding: 0 1;
                  border: round $primary; background: $surface; }
    #reject-box .form-row { height: 1; margin-top: 1; }
    #reject-box Label { width: 16; color: $text-muted; }
    #reject-box Select { width: 1fr; }
    #reject-box Checkbox { border: none; padding: 0; height: 1; margin-top: 1; }
    #reject-problem { color: $text-error; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "ok", "Reject", id="reject-return.ok"),
        Binding("escape", "cancel", "Cancel", id="reject-return.cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="reject-box"):
            yield Static("[b]Reject the return[/b]: Jet completes it with no refund.")
            with Horizontal(classes="form-row"):
                yield Label("Feedback")
                yield Select([(f, f) for f in REFUND_FEEDBACK], id="reject-feedback",
                             compact=True, prompt="why (required)")  # fmt: skip
            yield Checkbox(DISPUTE_LABEL + ": no", id="reject-dispute")
            with Horizontal(classes="form-row"):
                yield Label("Charge reason")
                yield Select([(f, f) for f in CHARGE_FEEDBACK], id="reject-charge",
                             compact=True, prompt="when disputing")  # fmt: skip
            yield Static("", id="reject-problem", markup=False)
            yield Static("ctrl+s reject · escape cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#reject-feedback", Select).focus()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = f"{DISPUTE_LABEL}: {'yes' if event.value else 'no'}"

    def action_ok(self) -> None:
        feedback = self.query_one("#reject-feedback", Select).value
        charge = self.query_one("#reject-charge", Select).value
        dispute = self.query_one("#reject-dispute", Checkbox).value
        problem = ""
        if not isinstance(feedback, str):
            problem = "return_refund_feedback: pick why the return is rejected"
        elif dispute and not isinstance(charge, str):
            problem = "return_charge_feedback: required when disputing the return charge"
        if problem:
            self.query_one("#reject-problem", Static).update(problem)
            return
        self.dismiss((str(feedback), str(charge) if dispute else None))

    def action_cancel(self) -> None:
        self.dismiss(None)
