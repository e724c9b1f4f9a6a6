"""The one SKU → OpenCart order line resolver, used by the import, shipping and returns.

A Jet SKU names a product (and, for a variation child, its option value or combination
slot, :mod:`.combination`) through jettui's link (``JetProduct``); a SKU jettui never linked
is OpenCart's ``product.sku``, then its ``model``, preferring an enabled product, then the
lowest product id (:func:`product_for_sku`). An order line is the line the import recorded
for the Jet item when there is one, else the first line of that product whose option values
stand for the SKU's slot (:func:`lines_for_skus`, :func:`find_order_line`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .base import tuple_rows
from .combination import stands_for
from .jet_tables import JetProduct
from .opencart import OrderOption, OrderProduct, Product


@dataclass(frozen=True)
class OrderLine:
    """The OpenCart order line a Jet SKU was imported as."""

    order_product_id: int
    product_id: int
    name: str
    model: str
    quantity: int
    option_value_ids: tuple[int, ...]


def product_for_sku(sku: str) -> int:
    """The OpenCart product of a SKU jettui has no link for: ``sku`` then ``model``, an enabled
    product first, then the lowest id (0: none)."""
    if not sku:
        return 0
    for column in (Product.sku, Product.model):
        found = (
            Product.select(Product.product_id)
            .where(column == sku)
            .order_by(Product.status.desc(), Product.product_id)
            .scalar()
        )
        if found:
            return int(found)
    return 0


def recorded_line_ids(lines: Iterable[Any] | None) -> dict[str, int]:
    """``{order_item_id: order_product_id}`` as the import recorded them (``JetOrder.lines``)."""
    return {
        str(line["order_item_id"]): int(line["order_product_id"])
        for line in lines or []
        if isinstance(line, dict) and line.get("order_item_id") and line.get("order_product_id")
    }


def lines_for_skus(order_id: int, skus: list[str], used: set[int] | None = None) -> dict[int, int]:
    """The order line of each SKU by its position in ``skus`` (a SKU listed twice gets two
    lines), leaving out the lines in ``used``: ``{position: order_product_id}``. SKUs not
    found are left out."""
    lines = list(OrderProduct.select().where(OrderProduct.order_id == order_id))
    options = _option_values(order_id)
    links = {
        p.merchant_sku: p for p in JetProduct.select().where(JetProduct.merchant_sku.in_(skus))
    }
    found: dict[int, int] = {}
    used = set(used or ())
    for n, sku in enumerate(skus):
        line = _first_line(lines, options, _sku_target(sku, links.get(sku)), used)
        if line is not None:
            found[n] = int(line.order_product_id)
            used.add(int(line.order_product_id))
    return found


def find_order_line(
    order_id: int, sku: str, title: str = "", order_product_id: int | None = None
) -> OrderLine | None:
    """The ``order_product`` of ``order_id`` for Jet ``sku``: the line the import recorded
    (``order_product_id``) when given, else the SKU's product line (:func:`lines_for_skus`'s
    rule), else a line whose own model is the SKU or whose name is ``title`` (its product
    since deleted or changed)."""
    lines = list(OrderProduct.select().where(OrderProduct.order_id == order_id))
    options = _option_values(order_id)

    def pick(line: OrderProduct) -> OrderLine:
        values = options.get(int(line.order_product_id), ())
        return OrderLine(
            int(line.order_product_id),
            int(line.product_id),
            line.name,
            line.model,
            int(line.quantity),
            values,
        )

    if order_product_id:
        for line in lines:
            if int(line.order_product_id) == int(order_product_id):
                return pick(line)
    link = JetProduct.get_or_none(JetProduct.merchant_sku == sku)
    found = _first_line(lines, options, _sku_target(sku, link), set())
    if found is not None:
        return pick(found)
    for line in lines:
        if line.model == sku or (title and line.name == title):
            return pick(line)
    return None


def _sku_target(sku: str, link: JetProduct | None) -> tuple[int, int]:
    """(product_id, slot) a SKU stands for: its link, else :func:`product_for_sku` (any line)."""
    if link is not None:
        return int(link.product_id), int(link.product_option_value_id or 0)
    return product_for_sku(sku), 0


def _first_line(
    lines: list[OrderProduct],
    options: dict[int, tuple[int, ...]],
    target: tuple[int, int],
    used: set[int],
) -> OrderProduct | None:
    product_id, slot = target
    if not product_id:
        return None
    for line in lines:
        line_id = int(line.order_product_id)
        if (
            int(line.product_id) == product_id
            and line_id not in used
            and stands_for(options.get(line_id, ()), slot)
        ):
            return line
    return None


def _option_values(order_id: int) -> dict[int, tuple[int, ...]]:
    options: dict[int, tuple[int, ...]] = {}
    for line_id, value_id in tuple_rows(
        OrderOption.select(OrderOption.order_product_id, OrderOption.product_option_value_id).where(
            OrderOption.order_id == order_id
        )
    ):
        if value_id:
            options[int(line_id)] = (*options.get(int(line_id), ()), int(value_id))
    return options
