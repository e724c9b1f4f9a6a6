"""Cron status: each job's schedule (from settings), last run, result and next run."""

from __future__ import annotations

from dataclasses import fields
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from jettui.config import CronSettings
from jettui.services.listing import Column, ListSource, PageSource
from jettui.tui.screens.base import GridPanel

COLUMNS = (
    Column("job", "Job", 16),
    Column("every", "Every", 9),
    Column("last", "Last run", None),
    Column("result", "Result", None),
    Column("next", "Next run", None),
)


def schedule_rows(cron: CronSettings) -> list[tuple[str, tuple[str, ...]]]:
    """One row per job; run history is not recorded yet, so every job is due at the next run."""
    rows = []
    for f in fields(CronSettings):
        job = f.name.replace("_", "-")
        minutes = getattr(cron, f.name)
        every = f"{minutes} min" if minutes else "off"
        upcoming = "next `cron due`" if minutes else "—"
        rows.append((job, (job, every, "never", "—", upcoming)))
    return rows


class CronScreen(GridPanel):
    PANEL_ID = "cron"
    EMPTY_TEXT = "No jobs."
    NEEDS_STORE = False  # the schedule comes from settings; run history arrives with the store
    BINDINGS: ClassVar[list[Binding]] = [
        Binding(
            "r",
            "not_available('Running a job by hand', 'jettui cron JOB')",
            "Run job",
            id="cron.run",
        ),
        Binding(
            "d",
            "not_available('Running due jobs', 'jettui cron due')",
            "Run due jobs",
            show=False,
            id="cron.due",
        ),
    ]

    def compose_top(self) -> ComposeResult:
        yield Static(
            "One crontab line runs every due job:  */5 * * * * jettui cron due",
            id="cron-hint",
            classes="hint",
        )

    def make_source(self, db: object) -> PageSource:
        return ListSource(COLUMNS, schedule_rows(self.app.settings.cron))
