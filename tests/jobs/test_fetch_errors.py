"""fetch-errors against the sandbox: a bulk file left pending gets Jet's verdict and per-SKU
errors reach the products."""

from __future__ import annotations

from jettui.jet.bulk import upload_bulk
from jettui.jet.connect import open_jet_client
from jettui.services.jobs import run_job
from jettui.store.jet_tables import JetFile
from tests.jet_client.payloads import inventory

from .conftest import job_runs, link_products, products, put_on_jet


async def test_pending_file_gets_status_and_per_sku_errors(settings, db) -> None:
    skus = ["fe-1", "fe-2", "fe-3"]
    await put_on_jet(settings, skus)
    entries = {
        "fe-1": inventory(3),
        "fe-2": inventory(4, node="node-nowhere"),
        "fe-3": inventory(5),
    }
    async with open_jet_client(settings) as jet:
        # timeout 0: registered with Jet, then left as if jettui stopped before Jet finished
        result = await upload_bulk(jet, "Inventory", entries, poll_interval=0, timeout=0)
    [sent] = result.files
    assert sent.registered and not sent.processed
    link_products(skus)
    link_products(["fe-other"], last_error="an older error of a SKU not in this file")
    JetProduct = type(products()["fe-1"])
    JetProduct.update(last_error="refused by an earlier file").where(
        JetProduct.merchant_sku == "fe-3"
    ).execute()
    done = JetFile.create(jet_file_id="f-done", file_type="Price", status="Processed successfully")
    pending = JetFile.create(
        jet_file_id=sent.jet_file_id,
        file_type="Inventory",
        file_name=sent.file_name,
        status="Acknowledged",
        sku_count=3,
        payload=entries,
    )

    # The sandbox moves a file one step per read (or per 2 s): Processing, then processed.
    first = await run_job(settings, db, "fetch-errors", trigger="test")
    assert first.result == "ok" and first.items_ok == 1, first.message
    row = JetFile.get_by_id(pending.id)
    if row.status == "Processing":  # not final: stored, and asked again next time
        assert row.processed_at is None and row.error_count == 0
        second = await run_job(settings, db, "fetch-errors", trigger="test")
    else:  # a slow machine: more than 2 s passed since the upload
        second = first
    assert second.result == "ok" and second.items_ok == 1
    assert second.message == "1 checked, 0 failed; 1 processed, 1 SKU error(s)"
    row = JetFile.get_by_id(pending.id)
    assert row.status == "Processed with errors" and row.error_count == 1
    assert row.processed_at is not None
    assert len(row.error_excerpt) == 1 and "node-nowhere" in row.error_excerpt[0]
    stored = products()
    assert "SKU 'fe-2'" in stored["fe-2"].last_error and "node-nowhere" in stored["fe-2"].last_error
    assert stored["fe-1"].last_error is None
    assert stored["fe-3"].last_error is None  # accepted by this file: the old error is over
    assert stored["fe-other"].last_error == "an older error of a SKU not in this file"
    assert JetFile.get_by_id(done.id).processed_at is None  # final files are not asked about

    third = await run_job(settings, db, "fetch-errors", trigger="test")
    assert third.message.startswith("0 checked")  # nothing pending any more
    assert [r.items_ok for r in job_runs("fetch-errors")][-2:] == [1, 0]


async def test_file_jet_does_not_know_is_a_failed_item(settings, db) -> None:
    JetFile.create(jet_file_id="no-such-file", file_type="Price", status="Acknowledged")
    JetFile.create(jet_file_id=None, file_type="Price", status="created")  # never reached Jet
    outcome = await run_job(settings, db, "fetch-errors", trigger="test")
    assert outcome.result == "failed" and outcome.items_failed == 1
    [failure] = outcome.failures
    assert failure.item == "no-such-file" and "not found" in failure.reason
    assert JetFile.get(JetFile.jet_file_id == "no-such-file").status == "Acknowledged"
