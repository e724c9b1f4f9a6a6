"""The runner: which jobs are due, the lock between runs, unreachable Jet, `due` outcomes."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from jettui.services.jobs import JOBS, due_jobs, run_due, run_job, run_jobs
from jettui.store.jet_tables import JetJobRun, acquire_lock, lock_holder
from tests.service_support import events

from .conftest import job_runs, link_products, products, put_on_jet

NOW = datetime(2026, 5, 1, 12, 0)


def ran(job: str, minutes_ago: float, result: str = "ok") -> None:
    started = NOW - timedelta(minutes=minutes_ago)
    JetJobRun.create(job=job, started_at=started, finished_at=started, result=result)


def test_due_jobs_respect_intervals_and_zero_is_off(make_settings) -> None:
    settings = make_settings(cron={"product_status": 20, "fetch_errors": 0})
    from jettui.store.db import connect, ensure_jet_tables

    db = connect(settings)
    ensure_jet_tables(db)
    try:
        # Never run: due (if available and on). fetch-errors is off; the rest not available.
        assert due_jobs(settings, db, NOW) == ["product-status"]
        ran("product-status", 19)
        assert due_jobs(settings, db, NOW) == []
        assert due_jobs(settings, db, NOW + timedelta(minutes=1)) == ["product-status"]
        ran("product-status", 5, result="unreachable")  # the latest start counts, any result
        assert due_jobs(settings, db, NOW + timedelta(minutes=1)) == []
        ran("fetch-errors", 600)
        ran("fetch-orders", 600)  # a run of a job not available here never makes it due
        assert due_jobs(settings, db, NOW + timedelta(minutes=16)) == ["product-status"]
    finally:
        db.close()


async def test_run_due_says_why_each_other_job_did_not_run(settings, db) -> None:
    outcomes = await run_due(settings, db, trigger="test")
    assert [o.job for o in outcomes] == list(JOBS)
    by_job = {o.job: o for o in outcomes}
    assert by_job["fetch-errors"].result == "ok" and by_job["product-status"].result == "ok"
    assert by_job["fetch-orders"].result == "unavailable"
    assert by_job["acknowledge"].message == "not available yet"
    assert by_job["sync"].message == "off (interval 0)"

    again = {o.job: o for o in await run_due(settings, db, trigger="test")}
    assert again["product-status"].result == "skipped"
    assert again["product-status"].message.startswith("not due until ")
    assert len(job_runs("product-status")) == 1  # skipped runs are not recorded


async def test_second_run_while_the_lock_is_held_is_locked_and_does_nothing(settings, db) -> None:
    await put_on_jet(settings, ["lk-1"])
    link_products(["lk-1"])
    assert acquire_lock("job:product-status", "cron-box:4242:job:product-status", 600)

    outcome = await run_job(settings, db, "product-status", trigger="test")

    assert outcome.result == "locked" and outcome.exit_code == 75
    assert "cron-box:4242" in outcome.message and "nothing done" in outcome.message
    assert job_runs() == [] and products()["lk-1"].status_checked_at is None
    assert lock_holder("job:product-status") == "cron-box:4242:job:product-status"
    assert [e.detail["result"] for e in events("job")] == ["locked"]


async def test_the_same_job_started_twice_at_once_runs_once(make_settings) -> None:
    settings = make_settings(jet="  concurrency: 1\n")
    from jettui.store.db import connect, ensure_jet_tables

    db = connect(settings)
    ensure_jet_tables(db)
    try:
        await put_on_jet(settings, ["twice-1", "twice-2"])
        link_products(["twice-1", "twice-2"])
        first, second = await asyncio.gather(
            run_job(settings, db, "product-status", trigger="dashboard"),
            run_job(settings, db, "product-status", trigger="timer"),
        )
        assert sorted([first.result, second.result]) == ["locked", "ok"]
        assert len(job_runs("product-status")) == 1
    finally:
        db.close()


async def test_unreachable_jet_is_recorded_and_later_jobs_skipped(make_settings) -> None:
    settings = make_settings(jet="  api_url: http://127.0.0.1:9/api\n  timeout_seconds: 2\n")
    from jettui.store.db import connect, ensure_jet_tables

    db = connect(settings)
    ensure_jet_tables(db)
    try:
        link_products(["far-1", "far-2"])
        outcomes = await run_jobs(
            settings, db, ["product-status", "fetch-errors", "sync"], trigger="test"
        )
        assert [o.result for o in outcomes] == ["unreachable", "skipped", "skipped"]
        assert "product-status found Jet or the store unreachable" in outcomes[1].message
        outcome = outcomes[0]
        assert outcome.result == "unreachable" and outcome.exit_code == 3
        assert "unreachable" in outcome.message
        assert job_runs("fetch-errors") == []
        [run] = job_runs("product-status")
        assert run.result == "unreachable" and run.finished_at is not None
        assert products()["far-1"].status == "Not Uploaded"  # nothing learnt, nothing written
    finally:
        db.close()


async def test_unknown_job_name_is_a_programming_error(settings, db) -> None:
    with pytest.raises(ValueError, match="fetch-everything"):
        await run_job(settings, db, "fetch-everything", trigger="test")
