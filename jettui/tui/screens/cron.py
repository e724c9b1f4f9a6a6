"""Cron status: each job's schedule (from settings), last run, result and next run (UTC)."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime, timedelta
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Static

from jettui.config import CronSettings
from jettui.services.listing import Column, ListSource, PageSource
from jettui.tui.screens.base import GridPanel, later

COLUMNS = (
    Column("job", "Job", 14),
    Column("every", "Every", 6),
    Column("last", "Last run (UTC)", 16),
    Column("result", "Result", None),
    Column("next", "Next run (UTC)", 16),
)


LastRun = tuple[datetime, str, str]  # started (UTC), result, message


def last_runs(db: Any) -> dict[str, LastRun]:
    """The latest run of each job from jettui's job-run table (job names use dashes)."""
    from jettui.store.jet_tables import JetJobRun

    latest: dict[str, LastRun] = {}
    query = JetJobRun.select(
        JetJobRun.job, JetJobRun.started_at, JetJobRun.result, JetJobRun.message
    ).order_by(JetJobRun.started_at)
    for job, started, result, message in query.tuples().execute(db):
        latest[job.replace("_", "-")] = (started, result, message)
    return latest


def schedule_rows(
    cron: CronSettings, runs: dict[str, LastRun]
) -> list[tuple[str, tuple[str, ...]]]:
    """One row per job: its interval from settings, its last run from the store."""
    rows = []
    for f in fields(CronSettings):
        job = f.name.replace("_", "-")
        minutes = getattr(cron, f.name)
        every = f"{minutes} min" if minutes else "off"
        run = runs.get(job)
        if run is None:
            last, result, upcoming = "never", "—", "next `cron due`" if minutes else "—"
        else:
            started, result, message = run
            last = f"{started:%Y-%m-%d %H:%M}"
            result = f"{result}: {message}" if message else result
            due = started + timedelta(minutes=minutes)
            upcoming = f"{due:%Y-%m-%d %H:%M}" if minutes else "—"
        rows.append((job, (job, every, last, result, upcoming)))
    return rows


class CronScreen(GridPanel):
    PANEL_ID = "cron"
    DETAIL_TITLE_KEY = "job"
    EMPTY_TEXT = "No jobs."
    BINDINGS = [
        later("r", "Running a job by hand", "Run job", "cron.run", headless="jettui cron JOB",
              show=True),
        later("d", "Running due jobs", "Run due jobs", "cron.due", headless="jettui cron due"),
    ]  # fmt: skip

    def compose_top(self) -> ComposeResult:
        yield Static(
            "One crontab line runs every due job:  */5 * * * * jettui cron due",
            id="cron-hint",
            classes="hint",
        )

    def make_source(self, db: object) -> PageSource:
        return ListSource(COLUMNS, schedule_rows(self.app.settings.cron, last_runs(db)))
