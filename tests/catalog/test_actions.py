"""Bulk actions against the in-process sandbox: upload, archive/unarchive, sync, status."""

from __future__ import annotations

from typing import Any

import pytest

from jettui.config import Settings
from jettui.jet.connect import open_jet_client
from jettui.services.catalog import resolve_products, run_action
from tests.catalog.conftest import NODE, jet_products, map_all_categories


def _break(product_id: int) -> None:
    from jettui.store.opencart import Product

    Product.update(upc="720844000011").where(Product.product_id == product_id).execute()


async def _jet(settings: Settings, sku: str, what: str = "") -> dict[str, Any]:
    async with open_jet_client(settings) as jet:
        return await {"": jet.get_sku, "variation": jet.get_variation}[what](sku)


async def test_upload_dozen_products(settings, db) -> None:
    from jettui.store.jet_tables import JetFile

    map_all_categories()
    _break(1)
    ids = list(range(1, 13))
    seen: list[tuple[int, int]] = []
    report = await run_action(
        settings, db, "upload", ids, progress=lambda d, t: seen.append((d, t))
    )
    outcomes = {i.item: (i.outcome, i.reason) for i in report.items}
    assert outcomes["BRW-SWL00001"][0] == "not attempted"
    assert "wrong check digit" in outcomes["BRW-SWL00001"][1]
    succeeded = [s for s, (o, _) in outcomes.items() if o == "succeeded"]
    assert len(succeeded) == len(outcomes) - 1 == 17  # 11 products, 2 with 3 children each
    assert report.exit_code == 1
    assert seen[-1][0] == seen[-1][1]

    jet = await _jet(settings, "ACM-WB00002")
    assert jet["price"] > 0
    assert jet["inventory_by_fulfillment_node"][0]["fulfillment_node_id"] == NODE
    group = await _jet(settings, "NWH-DCS00005", "variation")
    children = [c["merchant_sku"] if isinstance(c, dict) else c for c in group["children_skus"]]
    assert children == ["NWH-DCS00005-twin", "NWH-DCS00005-full", "NWH-DCS00005-queen"]

    rows = jet_products()
    assert "BRW-SWL00001" not in rows
    assert rows["ACM-WB00002"].status == "Uploaded" and rows["ACM-WB00002"].sent_hash
    assert rows["NWH-DCS00005-full"].parent_sku == "NWH-DCS00005"
    files = {f.file_type: f for f in JetFile.select()}
    assert set(files) == {"MerchantSKUs", "Price", "Inventory", "Variation"}
    assert "ACM-WB00002" in files["Price"].payload


async def test_dry_run_sends_nothing(settings, db, monkeypatch) -> None:
    import httpx

    map_all_categories()

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a request was made")

    monkeypatch.setattr(httpx.AsyncClient, "send", refuse)
    report = await run_action(settings, db, "upload", [1, 2], dry_run=True)
    assert [i.outcome for i in report.items] == ["would send", "would send"]
    assert jet_products() == {}


async def test_archive_unarchive_round_trip(settings, db) -> None:
    map_all_categories()
    await run_action(settings, db, "upload", [2, 3])
    report = await run_action(settings, db, "archive", [2, 3, 4])
    outcomes = {i.item: i.outcome for i in report.items}
    assert outcomes == {
        "ACM-WB00002": "succeeded",
        "BRW-CK00003": "succeeded",
        "BRW-T00004": "not attempted",  # never uploaded
    }
    assert (await _jet(settings, "ACM-WB00002"))["is_archived"] is True
    assert jet_products()["ACM-WB00002"].is_archived
    from jettui.store.opencart import Product

    Product.update(quantity=42).where(Product.product_id == 2).execute()
    report = await run_action(settings, db, "unarchive", [2])
    assert [i.outcome for i in report.items] == ["succeeded"]
    jet = await _jet(settings, "ACM-WB00002")
    assert jet["is_archived"] is False
    assert jet["inventory_by_fulfillment_node"][0]["quantity"] == 42  # inventory resent
    assert not jet_products()["ACM-WB00002"].is_archived


async def test_sync_sends_only_changed(settings, db) -> None:
    from jettui.store.opencart import Product

    map_all_categories()
    await run_action(settings, db, "upload", [2, 3])
    Product.update(price=11, quantity=5).where(Product.product_id == 3).execute()
    report = await run_action(settings, db, "sync", [2, 3])
    assert {i.item: i.outcome for i in report.items} == {
        "ACM-WB00002": "unchanged",
        "BRW-CK00003": "succeeded",
    }
    jet = await _jet(settings, "BRW-CK00003")
    assert jet["price"] == 11.0
    assert jet["inventory_by_fulfillment_node"][0]["quantity"] == 5
    again = await run_action(settings, db, "sync", [2, 3])
    assert {i.outcome for i in again.items} == {"unchanged"}
    assert again.exit_code == 0


async def test_status_fetches_jet_status(settings, db) -> None:
    map_all_categories()
    await run_action(settings, db, "upload", [2])
    report = await run_action(settings, db, "status", [2])
    assert report.items[0].outcome == "succeeded"
    assert jet_products()["ACM-WB00002"].status == "Available for Purchase"


async def test_lock_held(settings, db) -> None:
    from jettui.store.errors import LockBusy
    from jettui.store.jet_tables import acquire_lock

    acquire_lock("products", "otherhost:1", 600)
    with pytest.raises(LockBusy):
        await run_action(settings, db, "upload", [2])


def test_resolve_unknown_sku(settings, db) -> None:
    from jettui.services.catalog import UnknownSku

    with pytest.raises(UnknownSku, match="NOPE"):
        resolve_products(settings, skus=["ACM-WB00002", "NOPE"])
    assert resolve_products(settings, skus=["ACM-WB00002"]) == [2]
