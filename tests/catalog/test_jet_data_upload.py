"""The edited Jet data beyond codes and brand — attributes, shipping and returns exceptions —
reaches Jet on upload, and the dry run names the extra files."""

from __future__ import annotations

from typing import Any

from jettui.jet.connect import open_jet_client
from jettui.services.catalog import run_action, save_jet_data, validate_products
from tests.catalog.conftest import NODE, jet_products, map_all_categories
from tests.catalog.test_edit_jet_data import with_sandbox_attributes

SKU = "ACM-WB00002"  # product 2 of the demo store
OTHER = "BRW-CK00003"  # product 3: no Jet data
PARENT = "NWH-DCS00005"  # product 5: three children
ATTRIBUTE = {"attribute_id": 1, "attribute_value": "Red"}  # Color, of the sandbox's node
SHIPPING = {"service_level": "Standard", "shipping_exception_type": "exclusive"}
JET_DATA = {
    "attributes": [ATTRIBUTE],
    "shipping_exceptions": [SHIPPING],
    "returns_exceptions": {"time_to_return": 15},
}


async def _on_jet(settings: Any, sku: str) -> tuple[dict, dict, dict]:
    async with open_jet_client(settings) as jet:
        return (
            await jet.get_sku(sku),
            await jet.get_shipping_exception(sku),
            await jet.get_returns_exception(sku),
        )


async def test_upload_sends_attributes_and_exceptions(settings, db) -> None:
    from jettui.store.jet_tables import JetFile

    with_sandbox_attributes()
    assert save_jet_data(settings, 2, JET_DATA) == []
    report = await run_action(settings, db, "upload", [2, 3])
    assert {i.item: i.outcome for i in report.items} == {
        SKU: "succeeded",
        OTHER: "succeeded",
    }
    product, shipping, returns = await _on_jet(settings, SKU)
    assert product["attributes_node_specific"] == [ATTRIBUTE]
    assert shipping["fulfillment_nodes"] == [
        {"fulfillment_node_id": NODE, "shipping_exceptions": [SHIPPING]}
    ]
    assert returns["time_to_return"] == 15
    files = {f.file_type: f for f in JetFile.select()}
    assert set(files["ShippingException"].payload) == {SKU}  # product 3 has no exceptions
    assert set(files["ReturnsException"].payload) == {SKU}


def test_children_carry_the_attributes(settings, db) -> None:
    with_sandbox_attributes()
    assert save_jet_data(settings, 5, JET_DATA) == []
    check = validate_products(settings, [5])[0]
    assert check.ok, check.errors
    assert [x.sku for x in check.listings][0] == PARENT and len(check.listings) == 4
    for listing in check.listings:
        assert listing.product["attributes_node_specific"] == [ATTRIBUTE]
        assert listing.returns_exception == {"time_to_return": 15}


async def test_dry_run_lists_the_exception_files(settings, db) -> None:
    map_all_categories()
    assert save_jet_data(settings, 2, {"returns_exceptions": {"time_to_return": 15}}) == []
    report = await run_action(settings, db, "upload", [2, 3], dry_run=True)
    reasons = {i.item: i.reason for i in report.items}
    assert reasons[SKU] == "MerchantSKUs, Price, Inventory, ReturnsException"
    assert reasons[OTHER] == "MerchantSKUs, Price, Inventory"
    assert save_jet_data(settings, 2, {"shipping_exceptions": [SHIPPING]}) == []
    report = await run_action(settings, db, "upload", [2], dry_run=True)
    assert "ShippingException, ReturnsException" in report.items[0].reason


async def test_refused_exception_fails_the_sku_but_it_stays_uploaded(settings, db) -> None:
    from jettui.store.jet_tables import JetProduct

    map_all_categories()
    assert save_jet_data(settings, 2, {"brand": "Acme"}) == []
    # Saved before the 30-day limit was checked: edit.py would refuse it today.
    JetProduct.update(overrides={"returns_exceptions": {"time_to_return": 45}}).execute()
    report = await run_action(settings, db, "upload", [2])
    [item] = report.items
    assert item.outcome == "failed"
    assert "ReturnsException" in item.reason and "time_to_return" in item.reason
    row = jet_products()[SKU]
    assert row.sent_at is not None and "ReturnsException" in row.last_error
    async with open_jet_client(settings) as jet:
        assert (await jet.get_sku(SKU))["merchant_sku"] == SKU
