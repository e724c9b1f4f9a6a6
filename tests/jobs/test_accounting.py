"""Job accounting: rows never uploaded are not failures, exit 75 only when a process did
nothing, runs a killed process left "running" are closed, and the registry imports job bodies
only when their job runs."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from jettui.services import jobs
from jettui.services.jobs import combined_exit_code, run_due, run_job
from jettui.store.jet_tables import JetJobRun, acquire_lock
from tests.service_support import events

from .conftest import job_runs, link_products, products, put_on_jet


async def test_product_status_skips_rows_never_uploaded(settings, db) -> None:
    # `products edit` on a new SKU saves its Jet data before any upload: not on Jet yet.
    await put_on_jet(settings, ["acc-1"])
    link_products(["acc-1"])
    link_products(["acc-new"], sent_at=None)

    outcome = await run_job(settings, db, "product-status", trigger="test")

    assert outcome.result == "ok" and outcome.exit_code == 0, outcome.message
    assert (outcome.items_ok, outcome.items_failed) == (1, 0)
    assert outcome.message == "1 checked, 0 failed; 1 never uploaded, skipped"
    row = products()["acc-new"]
    assert row.status_checked_at is None and row.last_error is None  # Jet was not asked


async def test_a_process_that_ran_jobs_and_found_others_locked_exits_by_what_it_ran(
    settings, db
) -> None:
    await put_on_jet(settings, ["acc-2"])
    link_products(["acc-2"])
    # Another `cron due` runs product-status right now; fetch-errors is left to this one.
    assert acquire_lock("job:product-status", "elsewhere:77:job", 600)

    outcomes = {o.job: o for o in await run_due(settings, db, trigger="test")}

    assert outcomes["fetch-errors"].result == "ok"
    assert outcomes["product-status"].result == "locked"
    assert combined_exit_code(list(outcomes.values())) == 0


async def test_a_process_that_found_every_due_job_locked_exits_75(settings, db) -> None:
    for job in ("product-status", "fetch-errors"):
        assert acquire_lock(f"job:{job}", "elsewhere:77:job", 600)

    outcomes = await run_due(settings, db, trigger="test")

    assert {o.job for o in outcomes if o.result == "locked"} == {"product-status", "fetch-errors"}
    assert combined_exit_code(outcomes) == 75
    assert job_runs() == []


async def test_a_run_left_running_by_a_killed_process_is_closed_as_failed(settings, db) -> None:
    started = datetime.now() - timedelta(hours=2)  # noqa: DTZ005 - naive like the store's
    left = JetJobRun.create(job="product-status", started_at=started, result="running")
    busy = JetJobRun.create(job="fetch-errors", started_at=started, result="running")
    # fetch-errors really is running elsewhere (its lock is held): its row must stay open.
    assert acquire_lock("job:fetch-errors", "elsewhere:88:job", 600)

    await run_due(settings, db, trigger="test")

    closed = JetJobRun.get_by_id(left.id)
    assert closed.result == "failed" and closed.finished_at is not None
    assert "interrupted" in closed.message and "ended" in closed.message
    assert JetJobRun.get_by_id(busy.id).result == "running"
    assert any(e.detail.get("abandoned") for e in events("job"))
    newest = job_runs("product-status")[-1]
    assert newest.id != left.id and newest.result == "ok"


async def test_running_a_job_closes_its_own_abandoned_runs(settings, db) -> None:
    left = JetJobRun.create(
        job="fetch-errors", started_at=datetime(2026, 1, 1, 8, 0), result="running"
    )
    outcome = await run_job(settings, db, "fetch-errors", trigger="test")
    assert outcome.result == "ok"
    assert JetJobRun.get_by_id(left.id).result == "failed"


def test_every_registered_body_resolves_to_a_job_body() -> None:
    import inspect

    for job in jobs.JOBS.values():
        if job.available:
            body = job.body()
            assert inspect.iscoroutinefunction(body), job.name
            assert list(inspect.signature(body).parameters) == ["ctx"], job.name


def test_cron_due_with_nothing_due_imports_no_job_body(make_settings) -> None:
    settings = make_settings(
        cron={k: 0 for k in ("fetch_orders", "fetch_errors", "fetch_returns", "acknowledge")}
        | {"product_status": 0, "sync": 0}
    )
    script = f"""
import asyncio, json, sys
from jettui.config import load_settings
from jettui.services import jobs
from jettui.store.db import connect, ensure_jet_tables
settings = load_settings({str(settings.path)!r})
db = connect(settings)
ensure_jet_tables(db)
outcomes = asyncio.run(jobs.run_due(settings, db, trigger="test"))
heavy = ("jettui.services.catalog", "jettui.services.product_status",
         "jettui.services.file_status", "jettui.jet.models", "jettui.jet.client", "stdnum")
print(json.dumps({{"ran": [o.job for o in outcomes if o.ran],
                   "loaded": sorted(m for m in sys.modules if m.startswith(heavy))}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"ran": [], "loaded": []}


async def test_two_concurrent_cron_due_run_each_job_once_and_75_only_for_doing_nothing(
    settings, db
) -> None:
    await put_on_jet(settings, ["acc-3", "acc-4"])
    link_products(["acc-3", "acc-4"])

    first, second = await asyncio.gather(
        run_due(settings, db, trigger="cron"), run_due(settings, db, trigger="cron")
    )

    for job in ("product-status", "fetch-errors"):
        assert len(job_runs(job)) == 1, job  # the later process saw it run: not again
    for outcomes in (first, second):
        ran_something = any(o.ran for o in outcomes)
        assert (combined_exit_code(outcomes) == 75) == (
            not ran_something and any(o.result == "locked" for o in outcomes)
        )
        assert combined_exit_code(outcomes) in (0, 75)


async def test_a_job_another_process_ran_since_the_plan_is_not_run_again(settings, db) -> None:
    # This `cron due` planned product-status as due; another process ran it meanwhile.
    planned_at = datetime.now(UTC).replace(tzinfo=None)
    JetJobRun.create(job="product-status", started_at=planned_at, result="ok")

    outcome = await run_job(settings, db, "product-status", trigger="cron", due_at=planned_at)

    assert outcome.result == "skipped" and "another process ran it" in outcome.message
    assert len(job_runs("product-status")) == 1


async def test_the_store_going_away_mid_job_is_unreachable_in_one_readable_line(
    settings, db, monkeypatch
) -> None:
    import peewee as pw

    from jettui.services import product_status

    await put_on_jet(settings, ["acc-5"])
    link_products(["acc-5"])

    def write(changes: list) -> None:
        raise pw.OperationalError(2003, "Can't connect to MySQL server on 'db' (111)")

    monkeypatch.setattr(product_status, "_write", write)
    outcome = await run_job(settings, db, "product-status", trigger="test")

    assert outcome.result == "unreachable" and outcome.exit_code == 3
    assert outcome.message == "store unreachable: Can't connect to MySQL server on 'db' (111)"
    assert combined_exit_code([outcome]) == 3
