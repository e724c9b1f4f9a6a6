"""What must hold after any number of killed imports and one complete run (the crash test
and bench/order_crash.py): one complete OpenCart order per Jet order, exact stock."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

#: merchant SKU → (product_id, product_option_value_id or 0)
SkuMap = dict[str, tuple[int, int]]


def import_problems(
    sku_map: SkuMap, expected_orders: int, status_id: int = 2, only: set[str] | None = None
) -> list[str]:
    """Every way the store differs from "each Jet order imported exactly once, complete".
    ``only``: look at the rows of these Jet orders in detail (the counts cover all)."""
    from jettui.store.jet_tables import JetOrder
    from jettui.store.opencart import Order

    problems: list[str] = []
    rows = list(JetOrder.select())
    states = Counter(r.state for r in rows)
    if len(rows) != expected_orders or states != {"done": expected_orders}:
        problems.append(f"ledger: {len(rows)} rows {dict(states)}, want {expected_orders} done")
    half = Order.select().where(Order.order_status_id == 0).count()
    if half:
        problems.append(f"{half} half-written OpenCart order(s) at status 0")
    per_jet = Counter(
        comment.rsplit("Jet order id ", 1)[-1].rstrip(")")
        for (comment,) in Order.select(Order.comment).tuples()
        if "Jet order id " in comment
    )
    doubles = [mid for mid, n in per_jet.items() if n > 1]
    if doubles:
        problems.append(f"{len(doubles)} Jet order(s) written twice: {doubles[:3]}")
    for row in rows:
        if only is None or row.merchant_order_id in only:
            problems += _order_problems(row, sku_map, status_id)
    return problems


def _order_problems(row: Any, sku_map: SkuMap, status_id: int) -> list[str]:
    from jettui.store.opencart import Order, OrderHistory, OrderOption, OrderProduct, OrderTotal

    mid = row.merchant_order_id
    order = Order.get_or_none(Order.order_id == row.order_id)
    if order is None or mid not in order.comment:
        return [f"{mid}: ledger points at no order of its own ({row.order_id})"]
    out = []
    if order.order_status_id != status_id:
        out.append(f"{mid}: status {order.order_status_id}")
    items = [i for i in row.raw["order_items"]]
    lines = list(
        OrderProduct.select()
        .where(OrderProduct.order_id == row.order_id)
        .order_by(OrderProduct.order_product_id)
    )
    want = [(sku_map[i["merchant_sku"]][0], i["request_order_quantity"]) for i in items]
    if [(x.product_id, x.quantity) for x in lines] != want:
        out.append(f"{mid}: lines {[(x.product_id, x.quantity) for x in lines]} != {want}")
    options = OrderOption.select().where(OrderOption.order_id == row.order_id).count()
    if options != sum(1 for i in items if sku_map[i["merchant_sku"]][1]):
        out.append(f"{mid}: {options} order_option rows")
    totals = {
        t.code: t.value for t in OrderTotal.select().where(OrderTotal.order_id == row.order_id)
    }
    if set(totals) != {"sub_total", "shipping", "total"} or not (
        totals["total"] == totals["sub_total"] + totals["shipping"] == order.total
        and totals["sub_total"] == sum((x.total for x in lines), Decimal(0))
    ):
        out.append(f"{mid}: totals {totals} (order total {order.total})")
    history = [
        h.order_status_id
        for h in OrderHistory.select().where(OrderHistory.order_id == row.order_id)
    ]
    if history != [status_id]:
        out.append(f"{mid}: history {history}")
    if row.acknowledgement_status != "accepted":
        out.append(f"{mid}: acknowledgement {row.acknowledgement_status}")
    return out


def stock_now(sku_map: SkuMap) -> dict[str, int]:
    from jettui.store.opencart import Product, ProductOptionValue

    products = {p for p, _v in sku_map.values()}
    values = {v for _p, v in sku_map.values() if v}
    out = {
        f"p{pid}": qty
        for pid, qty in Product.select(Product.product_id, Product.quantity)
        .where(Product.product_id.in_(sorted(products)))
        .tuples()
    }
    if values:
        rows = (
            ProductOptionValue.select(
                ProductOptionValue.product_option_value_id, ProductOptionValue.quantity
            )
            .where(ProductOptionValue.product_option_value_id.in_(sorted(values)))
            .tuples()
        )
        out.update({f"v{vid}": qty for vid, qty in rows})
    return out


def expected_stock(
    initial: dict[str, int], sku_map: SkuMap, shapes: list[list[tuple[str, int]]]
) -> dict[str, int]:
    """``initial`` minus every ordered unit (products and option values subtract: the tests
    and the bench only sell those)."""
    taken: Counter[str] = Counter()
    for shape in shapes:
        for sku, qty in shape:
            product_id, value_id = sku_map[sku]
            taken[f"p{product_id}"] += qty
            if value_id:
                taken[f"v{value_id}"] += qty
    return {key: initial[key] - taken[key] for key in initial}
