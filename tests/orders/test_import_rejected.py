"""Orders that cannot be created: rejected on Jet with the reason (or held for the merchant,
then retried or rejected), nothing written to OpenCart, no stock moved."""

from __future__ import annotations

from jettui.services.orders.importer import fetch_orders, reject_order, retry_order
from jettui.store.jet_tables import JetOrder
from jettui.store.opencart import Order, OrderProduct, Product, ProductOptionValue
from tests.shop_support import (
    edit_jet_order,
    jet_order,
    link_skus,
    list_on_jet,
    place_order,
    product_qty,
    value_qty,
    write_settings,
)

PRICES = {
    "CANON-RED": 98.0,
    "product 11": 101.0,
    "Product 21": 122.0,
    "GHOST-1": 5.0,
    "GONE-1": 7.0,
}


def jet_orders_in_opencart() -> int:
    return Order.select().where(Order.comment.contains("Jet order id")).count()


async def test_problem_orders_are_rejected_on_jet_with_the_reason(oc_settings, oc_db) -> None:
    settings = oc_settings
    link_skus({"CANON-RED": (30, 15), "GONE-1": (999, 0)})
    await list_on_jet(settings, PRICES)
    [unknown] = await place_order(settings, [("product 11", 1, 0), ("GHOST-1", 1, 0)])
    [deleted] = await place_order(settings, [("GONE-1", 1, 0)])
    [no_stock] = await place_order(settings, [("CANON-RED", 3, 0)])  # option value: 2 left
    [zero] = await place_order(settings, [("CANON-RED", 1, 0)])
    edit_jet_order(settings, zero, lambda d: d["order_items"][0].update(request_order_quantity=0))
    Product.update(status=0).where(Product.product_id == 47).execute()  # HP LP3065 disabled
    [disabled] = await place_order(settings, [("Product 21", 1, 0)])
    before = (product_qty(30), value_qty(15), product_qty(40))

    report = await fetch_orders(settings, oc_db)
    assert report.exit_code == 1
    reasons = {i.item: i.reason for i in report.items}
    assert "GHOST-1: unknown merchant SKU" in reasons[unknown]
    assert "product 999 no longer exists" in reasons[deleted]
    assert "CANON-RED: 2 in stock, 3 ordered" in reasons[no_stock]
    assert "quantity 0" in reasons[zero]
    assert "disabled" in reasons[disabled]
    assert all(r.startswith("rejected on Jet: ") for r in reasons.values())
    assert jet_orders_in_opencart() == 0
    assert OrderProduct.select().count() == 0
    assert (product_qty(30), value_qty(15), product_qty(40)) == before

    rows = {r.merchant_order_id: r for r in JetOrder.select()}
    assert {r.state for r in rows.values()} == {"rejected"}
    assert rows[unknown].error == "GHOST-1: unknown merchant SKU"
    jet = await jet_order(settings, unknown)
    assert jet["status"] == "complete"
    assert jet["acknowledgement_status"] == "rejected - item level error"
    assert [i["order_item_acknowledgement_status"] for i in jet["order_items"]] == [
        "fulfillable",
        "nonfulfillable - invalid merchant SKU",
    ]
    stock = await jet_order(settings, no_stock)
    assert stock["order_items"][0]["order_item_acknowledgement_status"] == (
        "nonfulfillable - no inventory"
    )
    # nothing is sent twice
    again = await fetch_orders(settings, oc_db)
    assert again.items == [] and again.exit_code == 0


async def test_held_orders_wait_for_retry_or_reject(oc_database, tmp_path, oc_db) -> None:
    settings = write_settings(tmp_path, oc_database, "  hold_problem_orders: true\n")
    link_skus({"CANON-RED": (30, 15)})
    await list_on_jet(settings, PRICES)
    [short] = await place_order(settings, [("CANON-RED", 3, 0)])
    [ghost] = await place_order(settings, [("GHOST-1", 1, 0)])

    report = await fetch_orders(settings, oc_db)
    assert report.exit_code == 1
    assert all(i.reason.startswith("held: ") for i in report.items)
    assert {r.state for r in JetOrder.select()} == {"held"}
    assert (await jet_order(settings, short))["status"] == "ready"  # not rejected on Jet
    # a second fetch leaves them held and sends nothing
    await fetch_orders(settings, oc_db)
    assert (await jet_order(settings, ghost))["status"] == "ready"

    # the merchant adds stock, then retries: imported, stock taken once
    ProductOptionValue.update(quantity=10).where(
        ProductOptionValue.product_option_value_id == 15
    ).execute()
    canon = product_qty(30)
    retried = await retry_order(settings, oc_db, short)
    assert retried.exit_code == 0, retried.summary
    row = JetOrder.get(JetOrder.merchant_order_id == short)
    assert row.state == "done" and row.order_id > 0
    assert (product_qty(30), value_qty(15)) == (canon - 3, 7)
    assert Order.get_by_id(row.order_id).order_status_id == 2

    # the other one is rejected by hand
    rejected = await reject_order(settings, oc_db, ghost)
    assert rejected.exit_code == 0, rejected.summary
    jet = await jet_order(settings, ghost)
    assert jet["acknowledgement_status"] == "rejected - item level error"
    assert JetOrder.get(JetOrder.merchant_order_id == ghost).state == "rejected"
    assert (await reject_order(settings, oc_db, ghost)).items[0].outcome == "unchanged"
    late = await retry_order(settings, oc_db, ghost)  # Jet closed it: nothing to import
    assert "Jet has it as 'complete'" in late.items[0].reason and late.exit_code == 1
    assert jet_orders_in_opencart() == 1
