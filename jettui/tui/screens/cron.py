"""Cron status: each job's schedule (from settings), last run, result and next run (UTC).

``r`` runs the job under the cursor now, ``R`` every due job: in an async worker (store work
on its own thread, Jet calls async), so the screen stays responsive while a status line follows
the work; the table reloads as each job starts and ends, and each outcome is notified. The same
runner serves `jettui cron` and the app's background timer; a job's lock keeps them apart.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from jettui.cli.cron import crontab_line
from jettui.services.jobs import (
    JOBS,
    NOT_AVAILABLE,
    JobOutcome,
    JobResult,
    Schedule,
    run_due,
    run_jobs,
    schedules,
)
from jettui.services.listing import Column, ListSource, PageSource
from jettui.services.status import NEVER_RUN
from jettui.tui.screens.base import GridPanel, GridTable, _brief

if TYPE_CHECKING:
    import peewee as pw
    from textual.notifications import SeverityLevel

    from jettui.tui.app import JettuiApp

# Below 80 columns Next run gives way first, then Every: the result stays readable (60x20).
COLUMNS = (
    Column("job", "Job", 14),
    Column("every", "Every", 6, optional=True),
    Column("last", "Last run (UTC)", 16),
    Column("result", "Result", None, min_width=16),
    Column("next", "Next run (UTC)", 16, optional=True),
)
IDLE = "r runs the job under the cursor now, R every due job."
SEVERITY: dict[JobResult, SeverityLevel] = {
    JobResult.OK: "information",
    JobResult.UNREACHABLE: "error",
    JobResult.FAILED: "error",
}


def schedule_rows(schedules: Sequence[Schedule]) -> list[tuple[str, tuple[str, ...]]]:
    """One row per job, from the jobs service's schedules (interval, last run, next due)."""
    rows: list[tuple[str, tuple[str, ...]]] = []
    for item in schedules:
        if item.minutes:
            every = f"{item.minutes} min"
        else:
            every = "off" if item.scheduled else "—"
        if item.last is None:
            last, result = "never", NEVER_RUN
            if not item.available:
                upcoming = "not available"
            else:
                upcoming = "next `cron due`" if item.minutes else "—"
        else:
            last = f"{item.last.started_at:%Y-%m-%d %H:%M}"
            result = item.last.result
            result = f"{result}: {item.last.message}" if item.last.message else result
            due = item.next_due
            upcoming = f"{due:%Y-%m-%d %H:%M}" if due is not None and item.minutes else "—"
        rows.append((item.job, (item.job, every, last, result, upcoming)))
    return rows


def notify_outcome(app: JettuiApp, outcome: JobOutcome) -> None:
    """One notification for a job's outcome (Jet's words: never markup)."""
    text = outcome.line
    if outcome.failures:
        text += f"\n{outcome.first_failure()}"
    severity = SEVERITY.get(outcome.result, "warning")
    app.notify(app.redact(text), title="Jobs", severity=severity, timeout=10, markup=False)


async def run_due_in_background(app: JettuiApp) -> None:
    """The app's timer: run due jobs; notify what did something or went wrong; never raises."""
    try:
        db = await asyncio.to_thread(app.database)
        outcomes = await run_due(app.settings, db, trigger="timer")
    except Exception as exc:  # noqa: BLE001 - a background check must not end the dashboard
        app.notify(
            app.redact(f"Background jobs: {_brief(exc)}"),
            title="Jobs",
            severity="error",
            markup=False,
        )
        return
    for outcome in outcomes:
        if outcome.ran and (outcome.result != JobResult.OK or outcome.items_ok):
            notify_outcome(app, outcome)
    if isinstance(app.screen, CronScreen) and any(o.ran for o in outcomes):
        app.screen.load()


class CronScreen(GridPanel):
    PANEL_ID = "cron"
    DETAIL_TITLE_KEY = "job"
    EMPTY_TEXT = "No jobs."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "run_job", "Run job", id="cron.run"),
        Binding("R", "run_due", "Run due jobs", key_display="R", id="cron.due"),
    ]

    _jobs_running = False

    def compose_top(self) -> ComposeResult:
        line = crontab_line(self.app.settings.path or "")
        yield Static(
            Text.assemble("One crontab line runs every due job (`crontab -e`):\n", (line, "bold")),
            id="cron-hint",
            classes="hint",
        )
        yield Static(IDLE, id="cron-status", classes="hint")

    def make_source(self, db: object) -> PageSource:
        rows = schedule_rows(schedules(self.app.settings, cast("pw.Database", db)))
        return ListSource(COLUMNS, rows)

    def came_back(self) -> None:
        self.load()  # cron or the timer may have run jobs meanwhile

    def _status(self, text: str) -> None:
        self.query_one("#cron-status", Static).update(Text(self.app.redact(text)))

    def action_run_job(self) -> None:
        tables = self.query(GridTable)
        name = tables.first().cursor_id if tables else None
        job = JOBS.get(str(name))
        if job is None:
            return
        if not job.available:
            self.notify(
                f"{job.name} is {NOT_AVAILABLE}.", title=self.panel_title, severity="warning"
            )
            return
        self._start([job.name])

    def action_run_due(self) -> None:
        self._start(None)

    def _start(self, names: Sequence[str] | None) -> None:
        if self._jobs_running:
            self.notify("Jobs are already running.", title=self.panel_title, severity="warning")
            return
        self._jobs_running = True
        self._status(f"Starting {', '.join(names)}…" if names else "Looking for due jobs…")
        self.run_now(names)

    @work(group="cron-run", exit_on_error=False)
    async def run_now(self, names: Sequence[str] | None) -> None:
        started: set[str] = set()

        def progress(job: str, message: str) -> None:
            if job not in started:
                started.add(job)
                self.load()  # shows the run as "running"
            self._status(f"{job}: {message}")

        settings = self.app.settings
        try:
            db = await asyncio.to_thread(self.app.database)
            if names is None:
                outcomes = await run_due(settings, db, trigger="dashboard", progress=progress)
            else:
                outcomes = await run_jobs(
                    settings, db, names, trigger="dashboard", progress=progress
                )
        except Exception as exc:  # noqa: BLE001 - the store is unreachable: one line
            self._status(f"Cannot run jobs: {_brief(exc)}")
            self.notify(
                self.app.redact(_brief(exc)), title=self.panel_title, severity="error", markup=False
            )
            return
        finally:
            self._jobs_running = False
            self.load()
        ran = [o for o in outcomes if o.ran or o.result == JobResult.LOCKED]
        for outcome in ran:
            notify_outcome(self.app, outcome)
        if not ran:
            self.notify("No job is due.", title=self.panel_title)
            self._status(f"No job was due. {IDLE}")
        else:
            self._status(ran[-1].line if len(ran) == 1 else f"{len(ran)} jobs run. {IDLE}")
