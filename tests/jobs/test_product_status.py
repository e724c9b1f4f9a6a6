"""product-status against the sandbox: what Jet says about each SKU lands in jettui's table."""

from __future__ import annotations

import json

from jettui.jet.connect import open_jet_client
from jettui.services.jobs import run_job
from jettui.store.jet_tables import lock_holder
from tests.service_support import events

from .conftest import SECRET, jet_view, job_runs, link_products, products, put_on_jet


async def test_statuses_stored_as_jet_says_and_unknown_sku_recorded(settings, db) -> None:
    listed, bare, archived, unknown = ["ps-a", "ps-b"], "ps-bare", "ps-arch", "ps-nowhere"
    await put_on_jet(settings, [*listed, archived], bare=(bare,))
    async with open_jet_client(settings) as jet:
        await jet.archive(archived)
    # Archived rows are checked too; one SKU Jet has never seen.
    link_products([*listed, bare, unknown])
    link_products([archived], is_archived=True)

    seen: list[tuple[str, str]] = []
    outcome = await run_job(
        settings, db, "product-status", trigger="test", progress=lambda *a: seen.append(a)
    )

    assert outcome.result == "partial", outcome.message
    assert (outcome.items_ok, outcome.items_failed) == (4, 1)
    assert outcome.message == "5 checked, 1 failed"
    [failure] = outcome.failures
    assert failure.item == unknown and "not found" in failure.reason  # Jet's words
    stored = products()
    for sku in [*listed, bare, archived]:
        jet = await jet_view(settings, sku)
        row = stored[sku]
        assert row.status == jet["status"], sku
        assert row.sub_statuses == jet["sub_status"], sku
        assert row.is_archived == jet["is_archived"], sku
        assert row.status_checked_at is not None and row.last_error is None
    assert stored["ps-a"].status == "Available for Purchase"
    assert stored[bare].status == "Missing Listing Data" and stored[bare].sub_statuses
    assert stored[archived].status == "Archived"
    assert stored[unknown].status == "Not on Jet"
    assert "merchant SKU 'ps-nowhere' not found" in stored[unknown].last_error

    [run] = job_runs("product-status")
    assert (run.result, run.items_ok, run.items_failed) == ("partial", 4, 1)
    assert run.finished_at is not None and run.message == outcome.message
    [event] = events("job")
    assert event.ref == "product-status" and event.detail["trigger"] == "test"
    assert event.detail["failures"][0]["item"] == unknown
    assert sum(e.message.startswith("GET /merchant-skus/") for e in events("api")) == 5
    assert SECRET not in json.dumps([[e.message, e.detail] for e in events()])
    assert lock_holder("job:product-status") is None
    assert ("product-status", "5/5 checked") in seen

    # Once Jet knows the SKU, the next run clears the error this job wrote.
    await put_on_jet(settings, [unknown])
    again = await run_job(settings, db, "product-status", trigger="test")
    assert again.result == "ok" and again.items_ok == 5
    assert products()[unknown].status == "Available for Purchase"
    assert products()[unknown].last_error is None
    assert [r.result for r in job_runs("product-status")] == ["partial", "ok"]


async def test_every_sku_unknown_is_a_failed_run(settings, db) -> None:
    link_products(["gone-1", "gone-2"])
    outcome = await run_job(settings, db, "product-status", trigger="test")
    assert outcome.result == "failed" and outcome.items_failed == 2
    assert outcome.exit_code == 1
    assert job_runs("product-status")[0].result == "failed"
