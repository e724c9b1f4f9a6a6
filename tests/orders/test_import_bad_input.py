"""Jet data that does not fit OpenCart's columns: written as faithfully as they allow, with a
warning on the order; never a traceback, never a half order."""

from __future__ import annotations

from decimal import Decimal

from jettui.services.orders.importer import fetch_orders
from jettui.store.jet_tables import JetOrder
from jettui.store.opencart import Order, OrderHistory, OrderProduct, OrderTotal
from tests.shop_support import (
    edit_jet_order,
    link_skus,
    list_on_jet,
    place_order,
    product_qty,
)

LONG_LAST = "Wolfeschlegelsteinhausenbergerdorff-Welchevoralternwarengewissenhaft"


def awkward(doc: dict) -> None:
    doc["buyer"] = {"name": f"\U0001f600Zoë {LONG_LAST}", "phone_number": "+1 (801) 555-0100"}
    doc["shipping_to"]["recipient"] = dict(doc["buyer"])
    doc["shipping_to"]["address"] = {
        "address1": "1 Main St \U0001f3e0 " + "a" * 200,
        "address2": "",
        "city": "Midvale",
        "state": "ZZ",
        "zip_code": "84047-1234",
    }
    first, second = doc["order_items"]
    first["item_price"]["base_price"] = 0
    second["item_price"].update(item_tax=1.5, item_shipping_cost=4.99, item_shipping_tax=0.5)


async def test_awkward_order_is_written_as_faithfully_as_the_columns_allow(
    oc_settings, oc_db
) -> None:
    settings = oc_settings
    link_skus()
    await list_on_jet(settings)
    [mid] = await place_order(settings, [("product 11", 1, 0), ("product 11", 2, 0)])
    edit_jet_order(settings, mid, awkward)
    iphone = product_qty(40)

    report = await fetch_orders(settings, oc_db)
    assert report.exit_code == 0, report.summary
    [item] = report.items
    assert "warning(s) on the order" in item.reason

    row = JetOrder.get(JetOrder.merchant_order_id == mid)
    order = Order.get_by_id(row.order_id)
    assert order.firstname == "\ufffdZoë"  # the emoji cannot be stored in utf8 (3 bytes)
    assert order.lastname == LONG_LAST[:32]
    assert order.shipping_lastname == LONG_LAST[:32]
    assert len(order.shipping_address_1) == 128
    assert order.shipping_address_1.startswith("1 Main St \ufffd aaa")
    assert order.payment_postcode == order.shipping_postcode == "84047-1234"
    assert (order.shipping_zone_id, order.shipping_zone) == (0, "ZZ")
    assert (order.payment_zone_id, order.payment_country_id) == (0, 223)
    assert any("state 'ZZ'" in w for w in row.warnings)
    assert any(w.startswith("lastname ") for w in row.warnings)
    [history] = OrderHistory.select().where(OrderHistory.order_id == order.order_id)
    assert "state 'ZZ' is not a zone of United States: zone 0" in history.comment

    lines = list(
        OrderProduct.select()
        .where(OrderProduct.order_id == order.order_id)
        .order_by(OrderProduct.order_product_id)
    )
    assert [(x.product_id, x.quantity, x.price, x.total, x.tax) for x in lines] == [
        (40, 1, Decimal("0.0000"), Decimal("0.0000"), Decimal("0.0000")),
        (40, 2, Decimal("101.0000"), Decimal("202.0000"), Decimal("0.7500")),
    ]
    totals = {
        t.code: t.value for t in OrderTotal.select().where(OrderTotal.order_id == order.order_id)
    }
    assert totals == {  # shipping and its tax per unit, item_tax for the line
        "sub_total": Decimal("202.0000"),
        "shipping": Decimal("9.9800"),
        "tax": Decimal("2.5000"),
        "total": Decimal("214.4800"),
    }
    assert order.total == totals["sub_total"] + totals["shipping"] + totals["tax"]
    assert product_qty(40) == iphone - 3  # the same SKU twice: both lines taken
    assert [x["order_product_id"] for x in row.lines] == [x.order_product_id for x in lines]


async def test_order_without_items_is_rejected_not_a_traceback(oc_settings, oc_db) -> None:
    settings = oc_settings
    await list_on_jet(settings, {"product 11": 101.0})
    [mid] = await place_order(settings, [("product 11", 1, 0)])
    edit_jet_order(settings, mid, lambda d: d.update(order_items=[]))
    report = await fetch_orders(settings, oc_db)
    [item] = report.items
    assert item.outcome == "failed" and "the order has no items" in item.reason
    assert JetOrder.get(JetOrder.merchant_order_id == mid).state == "rejected"
    assert Order.select().count() == 0
