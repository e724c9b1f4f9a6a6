"""Jet goes away part-way through an upload: what got through is recorded and reported."""

from __future__ import annotations

import json
from typing import Any

import pytest

from jettui.cli import main
from jettui.jet import bulk
from jettui.jet.errors import JetUnreachable
from jettui.services.catalog import run_action
from tests.catalog.conftest import SECRET, jet_products, map_all_categories

IDS = [2, 3, 4]
REAL_UPLOAD = bulk.upload_bulk


@pytest.fixture
def price_outage(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """MerchantSKUs goes through the sandbox; the Price file finds Jet unreachable."""
    sent: list[str] = []

    async def upload_bulk(client: Any, file_type: str, *args: Any, **kw: Any) -> Any:
        sent.append(file_type)
        if file_type == "Price":
            raise JetUnreachable(method="POST", path="/files/uploadToken")
        return await REAL_UPLOAD(client, file_type, *args, **kw)

    monkeypatch.setattr(bulk, "upload_bulk", upload_bulk)
    return sent


async def test_outage_after_merchant_skus_keeps_what_got_through(
    settings, db, price_outage
) -> None:
    from jettui.store.jet_tables import JetFile

    map_all_categories()
    planned = await run_action(settings, db, "upload", IDS, dry_run=True)
    skus = {i.item for i in planned.items}
    assert len(skus) >= 3

    report = await run_action(settings, db, "upload", IDS)
    # Price and Inventory go out together once MerchantSKUs is processed; nothing after them
    assert price_outage == ["MerchantSKUs", "Price", "Inventory"]
    assert report.unreachable and report.exit_code == 3
    items = {i.item: i for i in report.items}
    assert set(items) == skus and len(report.items) == len(skus)
    for item in items.values():
        assert item.outcome == "failed"
        assert item.reason.startswith("Jet unreachable: ") and "\n" not in item.reason

    rows = jet_products()
    assert set(rows) == skus
    for row in rows.values():
        assert row.sent_at is not None and row.status == "Uploaded"
        assert row.sent_hash is None  # price and inventory never reached Jet: sync resends
        assert row.last_error.startswith("Jet unreachable: ")
    files = {f.file_type: f for f in JetFile.select()}
    assert set(files) == {"MerchantSKUs", "Inventory"}  # the Inventory file went through
    assert set(files["MerchantSKUs"].payload) == skus


async def test_sync_after_the_outage_sends_price_and_inventory(
    settings, db, price_outage, monkeypatch
) -> None:
    map_all_categories()
    await run_action(settings, db, "upload", IDS)
    monkeypatch.setattr(bulk, "upload_bulk", REAL_UPLOAD)  # Jet is back
    report = await run_action(settings, db, "sync", IDS)
    assert report.exit_code == 0, report.summary
    assert {i.outcome for i in report.items} == {"succeeded"}
    assert all(row.sent_hash for row in jet_products().values())


def test_cli_exit_3_lists_every_sku(settings, db, capsys, price_outage) -> None:
    map_all_categories()
    code = main(["--config", str(settings.path), "products", "upload", "--all", "--json"])
    out = capsys.readouterr()
    assert SECRET not in out.out + out.err
    doc = json.loads(out.out)
    assert code == 3 and doc["exit_code"] == 3
    uploaded = jet_products()
    cut_off = [i for i in doc["items"] if i["reason"].startswith("Jet unreachable: ")]
    assert {i["sku"] for i in cut_off} == set(uploaded)
    assert all(i["outcome"] == "failed" for i in cut_off)
    assert all(r.sent_at is not None for r in uploaded.values())
    assert "stopped: " in out.err
