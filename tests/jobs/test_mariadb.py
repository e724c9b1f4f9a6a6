"""Both jobs and the lock with the store on MariaDB (real OpenCart 3.0 tables + jettui's)."""

from __future__ import annotations

import pytest

from jettui.jet.bulk import upload_bulk
from jettui.jet.connect import open_jet_client
from jettui.services.jobs import due_jobs, run_due, run_job
from jettui.store.db import connect, ensure_jet_tables
from jettui.store.jet_tables import JetFile, acquire_lock, lock_holder
from tests.jet_client.payloads import inventory

from .conftest import job_runs, link_products, products, put_on_jet


@pytest.mark.mariadb
async def test_jobs_with_a_mariadb_store(make_settings, mariadb_url: str) -> None:
    settings = make_settings(database=mariadb_url)
    db = connect(settings)
    try:
        ensure_jet_tables(db)
        await put_on_jet(settings, ["mdb-1", "mdb-2"], bare=("mdb-bare",))
        link_products(["mdb-1", "mdb-2", "mdb-bare", "mdb-unknown"])
        entries = {"mdb-1": inventory(2), "mdb-2": inventory(1, node="node-nowhere")}
        async with open_jet_client(settings) as jet:
            result = await upload_bulk(jet, "Inventory", entries, poll_interval=0.01)
        [sent] = result.files
        JetFile.create(jet_file_id=sent.jet_file_id, file_type="Inventory", status="Acknowledged")

        outcomes = {o.job: o for o in await run_due(settings, db, trigger="test")}

        status = outcomes["product-status"]
        assert status.result == "partial" and (status.items_ok, status.items_failed) == (3, 1)
        stored = products()
        assert stored["mdb-1"].status == "Available for Purchase"
        assert stored["mdb-bare"].status == "Missing Listing Data"
        assert stored["mdb-unknown"].status == "Not on Jet"
        assert outcomes["fetch-errors"].result == "ok"
        assert JetFile.get(JetFile.jet_file_id == sent.jet_file_id).error_count == 1
        assert "node-nowhere" in stored["mdb-2"].last_error
        assert {r.job: r.result for r in job_runs()} == {
            "product-status": "partial",
            "fetch-errors": "ok",
        }
        assert due_jobs(settings, db) == []
        assert lock_holder("job:product-status") is None

        assert acquire_lock("job:fetch-errors", "other-host:1:job:fetch-errors", 60)
        locked = await run_job(settings, db, "fetch-errors", trigger="test")
        assert locked.result == "locked" and len(job_runs("fetch-errors")) == 1
    finally:
        db.close()
