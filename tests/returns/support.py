"""Shared by tests/returns (the store, settings and sandbox helpers are tests/shop_support.py's):
a bare OpenCart order with two lines for the store-level tests, a Jet order shipped through the
order services, and readers of the returns the sandbox and the store keep."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from jettui.config import Settings
from tests.shop_support import CANON, CANON_BLUE, CANON_OPTION, IPHONE, place_order


def buyer_order(placed: _dt.datetime) -> tuple[int, dict[str, int]]:
    """An OpenCart order of Jane Doe: 2 × Canon (option value 16) and 1 × iPhone, with the SKU
    links jettui keeps. Returns the order id and ``{sku: order_product_id}``."""
    from jettui.store.jet_tables import JetProduct
    from jettui.store.opencart import Order, OrderOption, OrderProduct

    order_id = int(
        Order.insert(
            order_status_id=5, firstname="Jane", lastname="Doe & Co", email="jd@customer.jet.com",
            telephone="5555550100", total=0, date_added=placed, date_modified=placed,
        ).execute()
    )  # fmt: skip
    lines: dict[str, int] = {}
    for sku, product_id, name, model, qty, value in (
        ("CANON-RED", CANON, "Canon EOS 5D", "Product 3", 2, CANON_BLUE),
        ("IPHONE", IPHONE, "iPhone", "product 11", 1, 0),
    ):
        line_id = OrderProduct.insert(
            order_id=order_id, product_id=product_id, name=name, model=model, quantity=qty,
            price=10, total=10 * qty,
        ).execute()  # fmt: skip
        if value:
            OrderOption.insert(
                order_id=order_id, order_product_id=line_id, product_option_id=CANON_OPTION,
                product_option_value_id=value, name="Select", value="Red", type="select",
            ).execute()  # fmt: skip
        JetProduct.create(product_id=product_id, product_option_value_id=value, merchant_sku=sku)
        lines[sku] = int(line_id)
    return order_id, lines


def row_dicts(model: Any, *where: Any) -> list[dict[str, Any]]:
    query = model.select()
    for condition in where:
        query = query.where(condition)
    return list(query.order_by(*model._meta.sorted_fields[:1]).dicts())


async def shipped_order(settings: Settings, db: Any, items: dict[str, int]) -> str:
    """A sandbox order of ``{sku: quantity}``, imported, acknowledged and shipped in full
    through the order services; its merchant_order_id."""
    from jettui.services.orders.acknowledge import acknowledge_orders
    from jettui.services.orders.importer import fetch_orders
    from jettui.services.orders.shipping import default_form, order_view, ship_order

    [merchant_order_id] = await place_order(settings, [(s, q, 0) for s, q in items.items()])
    report = await fetch_orders(settings, db)
    assert not [i for i in report.items if i.is_problem], report.items
    await acknowledge_orders(settings, db, [merchant_order_id])
    form = default_form(await order_view(db, merchant_order_id), settings)
    form.tracking_number = "1Z999AA10123456784"
    result = await ship_order(settings, db, merchant_order_id, form)
    assert result.outcome == "succeeded", result.reason
    return merchant_order_id


async def generate_return(settings: Settings, merchant_order_id: str) -> str:
    from jettui.jet.connect import open_jet_client

    async with open_jet_client(settings) as jet:
        return await jet.generate_return(merchant_order_id)


async def jet_return(settings: Settings, return_id: str) -> dict[str, Any]:
    from jettui.jet.connect import open_jet_client

    async with open_jet_client(settings) as jet:
        return await jet.get_return(return_id)


def jet_order_raw(merchant_order_id: str) -> dict[str, Any]:
    from jettui.store.jet_tables import JetOrder

    return JetOrder.get(JetOrder.merchant_order_id == merchant_order_id).raw
