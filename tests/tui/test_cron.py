"""Cron status: interval from settings, last run and next run from jettui's job-run table."""

from __future__ import annotations

from datetime import datetime

from jettui.config import Settings
from jettui.store.jet_tables import JetJobRun
from jettui.tui.screens.base import GridTable

from .conftest import make_app, settle


async def test_cron_shows_last_and_next_run(demo_settings: Settings) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        JetJobRun.create(
            job="fetch-orders",
            started_at=datetime(2026, 3, 1, 12, 0),
            finished_at=datetime(2026, 3, 1, 12, 1),
            result="ok",
            items_ok=3,
            message="3 orders",
        )
        await pilot.press("8")
        await settle(pilot)
        table = app.screen.query_one(GridTable)
        rows = dict(table.source.fetch("", None, False, 0, 10))
        assert rows["fetch-orders"] == (
            "fetch-orders", "10 min", "2026-03-01 12:00", "ok: 3 orders", "2026-03-01 12:10"
        )  # fmt: skip
        assert rows["fetch-returns"][1:4] == ("30 min", "never", "never run")
