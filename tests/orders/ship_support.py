"""Shared by the ship tests (tests/orders/test_ship_*.py), on tests/shop_support.py's store and
sandbox helpers: orders generated on the sandbox, fetched and acknowledged through the order
services, and readers for the OpenCart rows the tests compare."""

from __future__ import annotations

from typing import Any

from jettui.config import Settings
from jettui.store.jet_tables import JetOrder
from jettui.store.opencart import Order, OrderHistory, OrderProduct, OrderTotal
from tests.shop_support import CANON, CANON_BLUE, IPHONE, place_order, product_qty, value_qty


async def generate(settings: Settings, items: list[tuple[str, int, int]]) -> str:
    """One sandbox order of ``(sku, quantity shipped, quantity Jet asks to cancel)`` items."""
    [order_id] = await place_order(settings, items)
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
