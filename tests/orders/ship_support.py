"""Shared by the ship tests (tests/orders/test_ship_*.py): OpenCart 3.0.3.8's demo products
uploaded to the embedded sandbox through the catalog service, orders generated on the sandbox,
fetched and acknowledged through the order services, and readers for the OpenCart rows the
tests compare."""

from __future__ import annotations

from typing import Any

from jettui.config import Settings
from jettui.jet.connect import open_jet_client
from jettui.services.catalog import actions, run_action
from jettui.store.jet_tables import JetOrder, JetProduct
from jettui.store.opencart import Order, OrderHistory, OrderProduct, OrderTotal, Product
from tests.catalog.conftest import map_all_categories
from tests.orders.import_support import NODE, product_qty, value_qty

CANON, IPHONE = 30, 40
CANON_BLUE = 16  # product_option_value of the Canon's Select option: qty 5, subtract 1
IPHONE_SKU = "product 11"  # OpenCart's demo model of product 40


async def upload_products(settings: Settings, db: Any) -> dict[str, str]:
    """Upload the Canon (with its colour children) and the iPhone; ``{"iphone": sku,
    "canon_blue": sku}``."""
    actions.POLL_INTERVAL = 0.01
    map_all_categories()
    Product.update(upc="036000291452").where(Product.product_id == CANON).execute()
    Product.update(upc="012345678905").where(Product.product_id == IPHONE).execute()
    report = await run_action(settings, db, "upload", [CANON, IPHONE])
    assert report.exit_code == 0, report.summary
    blue = JetProduct.get(JetProduct.product_option_value_id == CANON_BLUE).merchant_sku
    return {"iphone": IPHONE_SKU, "canon_blue": blue}


async def generate(settings: Settings, items: list[tuple[str, int, int]]) -> str:
    """One sandbox order of ``(sku, quantity shipped, quantity Jet asks to cancel)`` items."""
    body = {
        "fulfillment_node": NODE,
        "items": [
            {"sku": sku, "order_quantity": qty, "order_cancel_quantity": cancel}
            for sku, qty, cancel in items
        ],
    }
    async with open_jet_client(settings) as jet:
        [order_id] = await jet.generate_orders(body, 1)
    return order_id


async def import_and_acknowledge(settings: Settings, db: Any, ids: list[str]) -> None:
    from jettui.services.orders.acknowledge import acknowledge_orders
    from jettui.services.orders.importer import fetch_orders

    report = await fetch_orders(settings, db)
    assert not [i for i in report.items if i.is_problem], report.items
    assert {i.item for i in report.items if i.outcome == "succeeded"} >= set(ids), report.items
    await acknowledge_orders(settings, db, ids)
    for merchant_order_id in ids:
        row = JetOrder.get(JetOrder.merchant_order_id == merchant_order_id)
        assert (row.state, row.status) == ("done", "acknowledged"), (row.state, row.status)


def oc_order_id(merchant_order_id: str) -> int:
    return int(JetOrder.get(JetOrder.merchant_order_id == merchant_order_id).order_id)


def oc_status(order_id: int) -> int:
    return int(Order.select(Order.order_status_id).where(Order.order_id == order_id).scalar())


def history(order_id: int) -> list[tuple[int, str]]:
    rows = (
        OrderHistory.select()
        .where(OrderHistory.order_id == order_id)
        .order_by(OrderHistory.order_history_id)
    )
    return [(int(h.order_status_id), h.comment) for h in rows]


def line_quantities(order_id: int) -> dict[int, int]:
    """``{product_id: quantity}`` of the order's lines."""
    rows = OrderProduct.select().where(OrderProduct.order_id == order_id)
    return {int(r.product_id): int(r.quantity) for r in rows}


def totals(order_id: int) -> dict[str, float]:
    rows = OrderTotal.select().where(OrderTotal.order_id == order_id)
    out = {r.code: float(r.value) for r in rows}
    out["order"] = float(Order.get_by_id(order_id).total)
    return out


def stock() -> dict[str, int]:
    return {
        "canon": product_qty(CANON),
        "canon_blue": value_qty(CANON_BLUE),
        "iphone": product_qty(IPHONE),
    }
