"""The cron screen runs jobs (r: the one under the cursor, R: the due ones) without freezing,
and the dashboard runs due jobs on a background timer only when it is turned on."""

from __future__ import annotations

import asyncio
import time

from jettui.tui.app import JettuiApp
from jettui.tui.screens import cron as cron_screen
from jettui.tui.screens.base import GridTable
from jettui.tui.screens.cron import CronScreen
from tests.pilot_support import settle
from tests.service_support import events

from .conftest import SECRET, job_runs, link_products, put_on_jet

TRUECOLOUR = {"COLORTERM": "truecolor"}


def rows(app: JettuiApp) -> dict[str, tuple[str, ...]]:
    table = app.screen.query_one(GridTable)
    return dict(table.source.fetch("", None, False, 0, 20))


def notes(app: JettuiApp) -> list[str]:
    return [n.message for n in app._notifications]


async def open_cron(pilot) -> None:
    await pilot.app.run_action("goto('cron')")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CronScreen)


async def test_r_runs_the_job_under_the_cursor(settings, db) -> None:
    await put_on_jet(settings, ["scr-1"])
    link_products(["scr-1", "scr-gone"])
    app = JettuiApp(settings, environ=TRUECOLOUR)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cron(pilot)
        assert rows(app)["product-status"][2:4] == ("never", "never run")

        await pilot.press("r")  # the cursor starts on fetch-orders
        await settle(pilot)
        assert any("fetch-orders is not available yet" in n for n in notes(app))

        await pilot.press("down", "down", "down", "down", "r")
        await settle(pilot)

        row = rows(app)["product-status"]
        run = job_runs("product-status")[-1]
        assert row[2] == f"{run.started_at:%Y-%m-%d %H:%M}"
        assert row[3] == "partial: 2 checked, 1 failed"
        assert any(
            n.startswith("product-status: partial, 2 checked, 1 failed") and "scr-gone" in n
            for n in notes(app)
        )
        assert SECRET not in " ".join(notes(app))
    assert [e.detail["trigger"] for e in events("job")] == ["dashboard"]
    assert job_runs("fetch-orders") == []


async def test_R_runs_due_jobs_and_the_screen_stays_responsive(make_settings) -> None:
    # Each Jet answer takes 150 ms, one call at a time: the run lasts about a second.
    settings = make_settings(jet="  concurrency: 1\n", sandbox="  latency_ms: 150\n")
    app = JettuiApp(settings, environ=TRUECOLOUR)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cron(pilot)
        await asyncio.to_thread(link_products, ["slow-1", "slow-2", "slow-3"])
        table = app.screen.query_one(GridTable)
        await pilot.press("R")
        await pilot.pause(0.3)
        running = [w for w in app.workers if w.group == "cron-run" and w.is_running]
        assert running, "the run ended before the responsiveness check"
        before = table.cursor_row
        started = time.monotonic()
        await pilot.press("down")
        assert table.cursor_row == before + 1
        assert time.monotonic() - started < 0.5  # a key is handled while Jet is answering
        await pilot.press("R")  # a second press while running is refused, not queued
        assert "Jobs are already running." in notes(app)
        await settle(pilot)

        table_rows = rows(app)
        assert table_rows["product-status"][3] == "failed: 3 checked, 3 failed"
        assert table_rows["fetch-errors"][3].startswith("ok: 0 checked")
        assert table_rows["fetch-orders"][2] == "never"
    assert len(job_runs("product-status")) == 1


async def test_background_timer_runs_due_jobs_once_when_turned_on(
    settings, db, monkeypatch
) -> None:
    await put_on_jet(settings, ["bg-1"])
    link_products(["bg-1"])
    checks: list[float] = []
    real_run_due = cron_screen.run_due

    async def counting_run_due(*args, **kwargs):
        checks.append(time.monotonic())
        return await real_run_due(*args, **kwargs)

    monkeypatch.setattr(cron_screen, "run_due", counting_run_due)
    app = JettuiApp(settings, environ=TRUECOLOUR)
    app.run_due_jobs = True
    app.DUE_JOBS_FIRST_SECONDS = 0.05
    app.DUE_JOBS_EVERY_SECONDS = 0.2
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.8)
        assert len(checks) >= 2  # the chain goes on after the first check
        runs = job_runs()
        assert sorted(r.job for r in runs) == ["fetch-errors", "product-status"]  # once each
        assert any(n.startswith("product-status: ok, 1 checked") for n in notes(app))
    assert {e.detail["trigger"] for e in events("job")} == {"timer"}


async def test_background_timer_is_off_by_default(settings, db, monkeypatch) -> None:
    checks: list[float] = []
    monkeypatch.setattr(cron_screen, "run_due", lambda *a, **k: checks.append(1))
    app = JettuiApp(settings, environ=TRUECOLOUR)
    app.DUE_JOBS_FIRST_SECONDS = 0.01
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
    assert checks == [] and job_runs() == []
