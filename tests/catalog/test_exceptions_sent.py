"""The edited Jet data as Jet receives it: an upload sends the attributes, the variation
refined by the option's chosen attribute, and the shipping / returns exceptions of the parent
and of every child; a later edit of an exception reaches Jet with the next sync (PUT
/merchant-skus/{sku}/shippingexception and /returnsexception), once."""

from __future__ import annotations

from typing import Any

from jettui.jet.connect import open_jet_client
from jettui.services.catalog import form_changes, run_action, save_jet_data
from tests.catalog.conftest import NODE, jet_products
from tests.catalog.test_edit_jet_data import SHIPPING, with_sandbox_attributes

PARENT = "NWH-DCS00005"  # product 5: option "Bed Size" (id 4), three children
RETURNS = {"days": "20", "locations": "loc-east", "methods": "UPS Ground"}


def edit(settings: Any, product_id: int, **form: Any) -> None:
    changes, problems = form_changes(settings, product_id, **form)
    assert problems == []
    assert save_jet_data(settings, product_id, changes) == []


def puts(kind: str) -> list[str]:
    """The SKUs jettui PUT ``kind`` (shippingexception / returnsexception) for, in order."""
    from jettui.store.jet_tables import JetEvent

    out = []
    for event in JetEvent.select().where(JetEvent.kind == "api").order_by(JetEvent.id):
        words = event.message.split()
        if len(words) > 1 and words[0] == "PUT" and words[1].endswith(f"/{kind}"):
            out.append(words[1].split("/")[2])
    return out


async def on_jet(settings: Any, sku: str) -> tuple[dict, dict, dict]:
    async with open_jet_client(settings) as jet:
        return (
            await jet.get_sku(sku),
            await jet.get_shipping_exception(sku),
            await jet.get_returns_exception(sku),
        )


async def test_upload_then_sync_an_edited_exception(settings, db) -> None:
    with_sandbox_attributes()
    edit(
        settings,
        5,
        shipping=SHIPPING,
        returns=RETURNS,
        attributes=["Material=Stainless Steel", "Capacity=2 qt"],
        options=["Bed Size=Capacity"],
        values=["Twin=1 qt", "Full=2 qt", "Queen=3 qt"],  # each child its Capacity
    )
    report = await run_action(settings, db, "upload", [5])
    assert report.exit_code == 0, report.summary
    skus = sorted(i.item for i in report.items)
    assert len(skus) == 4 and PARENT in skus  # the parent and its three children
    item = {
        "service_level": "Standard",
        "override_type": "Override charge",
        "shipping_charge_amount": 4.99,
        "shipping_exception_type": "exclusive",
    }
    capacity = {PARENT: "2", f"{PARENT}-twin": "1", f"{PARENT}-full": "2", f"{PARENT}-queen": "3"}
    for sku in skus:  # the children inherit the parent's exceptions and attributes
        product, shipping, returns = await on_jet(settings, sku)
        assert product["attributes_node_specific"] == [
            {"attribute_id": 2, "attribute_value": "Stainless Steel"},
            {"attribute_id": 14, "attribute_value": capacity[sku], "attribute_value_unit": "qt"},
        ]
        assert shipping == {
            "fulfillment_nodes": [{"fulfillment_node_id": NODE, "shipping_exceptions": [item]}]
        }
        assert returns == {
            "time_to_return": 20,
            "return_location_ids": ["loc-east"],
            "return_shipping_methods": ["UPS Ground"],
        }
    async with open_jet_client(settings) as jet:
        assert (await jet.get_variation(PARENT))["variation_refinements"] == [14]
    assert all(row.exceptions_hash for row in jet_products().values())

    # nothing edited: a sync sends no exception
    report = await run_action(settings, db, "sync", [5])
    assert {i.outcome for i in report.items} == {"unchanged"}
    assert puts("shippingexception") == []

    # a new amount: the next sync PUTs the exceptions of each SKU, once
    edit(settings, 5, shipping={"shipping_charge_amount": "6.50"})
    dry = await run_action(settings, db, "sync", [5], dry_run=True)
    assert {i.reason for i in dry.items} == {"ShippingException, ReturnsException"}
    report = await run_action(settings, db, "sync", [5])
    assert {(i.outcome, i.reason) for i in report.items} == {
        ("succeeded", "shipping/returns exceptions sent")
    }
    assert sorted(puts("shippingexception")) == skus
    assert sorted(puts("returnsexception")) == skus
    _, shipping, _ = await on_jet(settings, skus[-1])
    assert (
        shipping["fulfillment_nodes"][0]["shipping_exceptions"][0]["shipping_charge_amount"] == 6.5
    )
    report = await run_action(settings, db, "sync", [5])
    assert {i.outcome for i in report.items} == {"unchanged"}
    assert len(puts("shippingexception")) == 4


async def test_sync_reports_an_exception_jet_refuses(settings, db) -> None:
    from jettui.store.jet_tables import JetProduct

    with_sandbox_attributes()
    edit(settings, 2, returns={"days": "10"})
    report = await run_action(settings, db, "upload", [2])
    assert report.exit_code == 0, report.summary
    # stored before today's checks (an older jettui): Jet refuses an override without amount
    bad = [{"service_level": "Standard", "override_type": "Override charge",
            "shipping_exception_type": "exclusive"}]  # fmt: skip
    row = JetProduct.get(JetProduct.product_id == 2)
    JetProduct.update(overrides=row.overrides | {"shipping_exceptions": bad}).execute()
    report = await run_action(settings, db, "sync", [2])
    [item] = report.items
    assert item.outcome == "failed"
    assert "exceptions:" in item.reason and "shipping_charge_amount" in item.reason
    assert JetProduct.get(JetProduct.product_id == 2).exceptions_hash == row.exceptions_hash


async def test_sandbox_refuses_attribute_values_jet_does_not_list(settings, db) -> None:
    from jettui.store.jet_tables import JetProduct

    with_sandbox_attributes()
    edit(settings, 2, attributes=["Color=Red"])
    row = JetProduct.get(JetProduct.product_id == 2)  # as if the node's values had changed
    wrong = [{"attribute_id": 1, "attribute_value": "Plaid"}]
    JetProduct.update(overrides=row.overrides | {"attributes": wrong}).execute()
    report = await run_action(settings, db, "upload", [2])
    [item] = report.items
    assert item.outcome == "failed"
    assert (
        "attributes_node_specific[0].attribute_value: 'Plaid' is not a valid value" in item.reason
    )
