"""What the orders, returns and refunds panels share: running a job from a key, and a
confirm → progress → per-item result dialog for an action over Jet orders or returns.

Jet and store work runs in async workers (store calls on threads inside the services): the
event loop never waits. Results are the services' :class:`ItemResult` lists, shown one line
each, every line reachable (the result scrolls)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, ProgressBar, Static

from jettui.errors import LockBusy, one_line
from jettui.services.results import ItemResult, summary
from jettui.tui.screens.base import GridPanel, GridTable

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from jettui.config import Settings
    from jettui.tui.app import JettuiApp

#: on a form screen, digits never switch panels (typed while a picker or a box has focus);
#: inputs take them as text before any binding sees them
FORM_BINDINGS: list[Binding] = [
    Binding(",".join("1234567890"), "form_digit", show=False, id="form.digits"),
]


class FormKeys:
    """Mixin for form screens: the digit keys stay on the form."""

    def action_form_digit(self) -> None:
        """Nothing: a digit outside an input is not a panel key on a form."""


#: the action: (settings, db, progress(done, total)) -> one result per item
ItemsAction = Callable[[Any, Any, Callable[[int, int], None]], Awaitable[list[ItemResult]]]


def as_items(report: Any) -> list[ItemResult]:
    """The per-item results of whatever a service returned (a list, one result, or a report
    with ``items``/``results``)."""
    if report is None:
        return []
    if isinstance(report, ItemResult):
        return [report]
    if isinstance(report, list | tuple):
        return [r for r in report if isinstance(r, ItemResult)]
    for name in ("items", "results"):
        value = getattr(report, name, None)
        if isinstance(value, list | tuple):
            return [r for r in value if isinstance(r, ItemResult)]
    return []


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class ItemsActionModal(ModalScreen[list[ItemResult] | None]):
    """y runs the action, n/escape cancels; once done, y/n/escape close. Dismisses with the
    results (None when cancelled or when the action could not run at all)."""

    DEFAULT_CSS = """
    ItemsActionModal { align: center middle; }
    #items-box { width: 74; max-width: 100%; height: auto; max-height: 100%; padding: 0 1;
                 border: round $primary; background: $surface; }
    #items-title { text-style: bold; }
    #items-progress { display: none; }
    #items-progress.-running { display: block; }
    #items-result { height: auto; max-height: 14; }
    #items-buttons { height: auto; align-horizontal: right; }
    #items-buttons Button { margin-left: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "cancel", "Cancel", id="items.cancel"),
        Binding("y", "confirm", "Run", id="items.confirm"),
        Binding("down,j", "scroll_result(1)", "Down", show=False, id="items.down"),
        Binding("up,k", "scroll_result(-1)", "Up", show=False, id="items.up"),
        Binding("end,G", "scroll_result(100000)", "End", show=False, id="items.end"),
    ]

    app: JettuiApp

    def __init__(self, title: str, question: str, action: ItemsAction) -> None:
        super().__init__(id="items-action")
        self._title = title
        self._question = question
        self._action = action
        self.results: list[ItemResult] | None = None
        self.summary = ""  # one line for the notification once closed
        self.failed = False  # the run (not only some items) went wrong
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="items-box"):
            yield Static(self._title, id="items-title", markup=False)
            yield Static(self._question, id="items-question", markup=False)
            yield ProgressBar(id="items-progress", show_eta=False)
            with VerticalScroll(id="items-result"):
                yield Static("", id="items-result-text", markup=False)
            with Horizontal(id="items-buttons"):
                yield Button("Cancel (n)", id="no")
                yield Button("Run (y)", id="yes", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "yes":
            self.action_confirm()
        else:
            self.action_cancel()

    def action_scroll_result(self, lines: int) -> None:
        scroll = self.query_one("#items-result", VerticalScroll)
        scroll.scroll_to(y=scroll.scroll_y + lines, animate=False)

    def action_cancel(self) -> None:
        if not self._busy:
            self.dismiss(self.results)

    def action_confirm(self) -> None:
        if self._busy:
            return
        if self.summary:  # the result is shown: y closes
            self.dismiss(self.results)
            return
        self._busy = True
        self.query_one("#items-question", Static).update("Running…")
        self.query_one("#items-buttons").display = False
        self.query_one("#items-progress", ProgressBar).add_class("-running")
        self.run_items()

    def _progress(self, done: int, total: int) -> None:
        self.query_one("#items-progress", ProgressBar).update(total=max(total, 1), progress=done)

    # (not run_action: that is Widget.run_action(action), which this must not shadow)
    @work(group="items-action", exit_on_error=False)
    async def run_items(self) -> None:
        try:
            db = await asyncio.to_thread(self.app.database)
            report = await self._action(self.app.settings, db, self._progress)
        except LockBusy as exc:
            self._done(f"Nothing done: {exc}.", None)
        except Exception as exc:  # noqa: BLE001 - Jet or the store failed: one line
            self._done(f"{self._title} failed: {one_line(exc)[:200]}", None)
        else:
            results = as_items(report)
            # a service report says more than its items (a lock held, Jet unreachable)
            line = getattr(report, "summary", None)
            if not isinstance(line, str):
                line = f"{self._title}: {summary(results)}"
            self.failed = getattr(report, "exit_code", 0) != 0
            self._done(line, results)

    def _done(self, line: str, results: list[ItemResult] | None) -> None:
        self._busy = False
        self.results = results
        self.summary = line
        self.failed = self.failed or results is None or any(r.is_problem for r in results)
        lines = [line, *(f"  {item.line}" for item in results or [])]
        self.query_one("#items-question", Static).update("Done. Press y, n or escape to close.")
        self.query_one("#items-result-text", Static).update(self.app.redact("\n".join(lines)))
        bar = self.query_one("#items-progress", ProgressBar)
        bar.update(total=bar.total or 1, progress=bar.total or 1)


class ActionPanel(GridPanel):
    """A grid panel with a status line, a job key (fetch) and per-item actions."""

    _job_running = False

    def compose_top(self) -> ComposeResult:
        status = Static("", id="panel-status", classes="hint", markup=False)
        status.display = False
        yield status

    # --- helpers ------------------------------------------------------------------------------

    def status(self, text: str) -> None:
        widget = self.query_one("#panel-status", Static)
        widget.update(self.app.redact(text))
        widget.display = bool(text)

    def tell(self, text: str, severity: SeverityLevel = "information") -> None:
        self.notify(self.app.redact(text), title=self.panel_title, severity=severity, markup=False)

    def cursor_id(self) -> Hashable | None:
        tables = self.query(GridTable)
        return tables.first().cursor_id if tables else None

    def targets(self) -> list[Hashable]:
        """The selected rows, or the one under the cursor when none is."""
        ids = sorted(self.selected_ids, key=str)
        if ids:
            return ids
        cursor = self.cursor_id()
        return [cursor] if cursor is not None else []

    def reload_rows(self) -> None:
        """Re-read the grid (keeps cursor and selection), or load it when it was empty, and
        the header's state with it: after an action both show the same moment."""
        moment = self.pin_moment()
        tables = self.query(GridTable)
        if tables and tables.first().display:
            tables.first().reload()
        else:
            self.load()
        if self.app.show_state:
            self.app.refresh_state(moment)

    def pin_moment(self) -> Any:
        """The moment the reloaded rows are reckoned from (the Orders panel's deadlines);
        None: the panel shows no clock-dependent cell."""
        return None

    # a dialog over the panel reloads it through its own callback when it matters
    AWAY_ON_DIALOG = False

    def came_back(self) -> None:
        """Back on the panel: what other panels' actions and jobs changed shows at once."""
        self.reload_rows()

    def run_items(self, title: str, question: str, action: ItemsAction) -> None:
        """Confirm, run and show the per-item results; notify the summary and reload."""
        modal = ItemsActionModal(title, question, action)

        def closed(results: list[ItemResult] | None) -> None:
            if modal.summary:
                self.tell(modal.summary, "warning" if modal.failed else "information")
            for table in self.query(GridTable):
                table.clear_selection()
            self.reload_rows()

        self.app.push_screen(modal, closed)

    # --- jobs ---------------------------------------------------------------------------------

    def start_job(self, name: str) -> None:
        """Run the job ``name`` (as ``jettui cron NAME`` does: lock, run record, log)."""
        if self._job_running:
            self.tell(f"{name} is already running.", "warning")
            return
        self._job_running = True
        self.status(f"{name}: starting…")
        self._run_job(name)

    @work(group="panel-job", exit_on_error=False)
    async def _run_job(self, name: str) -> None:
        from jettui.services.jobs import run_jobs
        from jettui.tui.screens.cron import notify_outcome

        def progress(job: str, message: str) -> None:
            self.status(f"{job}: {message}")

        settings: Settings = self.app.settings
        try:
            db = await asyncio.to_thread(self.app.database)
            outcomes = await run_jobs(settings, db, [name], trigger="dashboard", progress=progress)
        except Exception as exc:  # noqa: BLE001 - the store is unreachable: one line
            self.tell(f"{name}: {one_line(exc)[:200]}", "error")
        else:
            for outcome in outcomes:
                notify_outcome(self.app, outcome)
        finally:
            self._job_running = False
            self.status("")
            self.reload_rows()
