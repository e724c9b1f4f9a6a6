"""`cron sync` (the job registry's ``sync``): changed price/inventory reach Jet, others not."""

from __future__ import annotations

from jettui.services import jobs
from jettui.services.catalog import run_action
from tests.catalog.conftest import map_all_categories


async def test_sync_job_sends_changed_only(settings, db) -> None:
    from jettui.store.opencart import Product

    map_all_categories()
    await run_action(settings, db, "upload", [2, 3])
    Product.update(quantity=3).where(Product.product_id == 2).execute()
    (outcome,) = await jobs.run_jobs(settings, db, ["sync"], trigger="test")
    assert outcome.result == "ok", outcome.message
    assert outcome.items_ok == 2
    assert outcome.message.startswith("1 succeeded, 1 unchanged")


async def test_sync_job_waits_for_products_lock(settings, db) -> None:
    from jettui.store.jet_tables import acquire_lock

    acquire_lock("products", "otherhost:1", 600)
    (outcome,) = await jobs.run_jobs(settings, db, ["sync"], trigger="test")
    # Another process is working on the products: nothing done, exit 75 (not a failure).
    assert outcome.result == "locked" and outcome.exit_code == 75
    assert "otherhost:1" in outcome.message and "nothing done" in outcome.message
    assert outcome.failures == []
