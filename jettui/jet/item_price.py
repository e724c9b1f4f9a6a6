"""How jettui reads the money of a Jet order line: ``order_items[].item_price`` (docs/jet-api.md
table 2.4a). The one place that decides it: the order import, the refund and return caps, the
read models and the sandbox's generated orders all go through these functions.

The reading: ``base_price``, ``item_shipping_cost`` and ``item_shipping_tax`` are **per unit**
(the line costs them × ``request_order_quantity``); ``item_tax`` is the **whole line's**.

The evidence: Jet's only published order sample has quantity 1, so it cannot settle it. Two
public integrations of the same API read it so: CedCommerce's Magento 1 Jet extension books
``$price = $item['item_price']['base_price']``, ``$rowTotal = $price * $qty``,
``$baseprice += $qty * $price``, shipping as ``(item_shipping_cost + item_shipping_tax) * qty``
and adds ``item_tax`` once per line; a Shopify–Jet connector sends ``base_price`` as the line
item's price next to its quantity. Should a better source say otherwise, change
:data:`PER_UNIT` and every reader (and the sandbox) follows.

Pure Decimal arithmetic, no rounding: callers round to their column (cents for Jet, 4 decimals
for OpenCart) and say so.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

#: every key of ``item_price``
PRICE_KEYS: tuple[str, ...] = ("base_price", "item_tax", "item_shipping_cost", "item_shipping_tax")

# The reading (see the module doc for the evidence): the keys Jet gives per unit; the others
# (item_tax) are for the whole line. This set is the switch.
PER_UNIT: frozenset[str] = frozenset({"base_price", "item_shipping_cost", "item_shipping_tax"})


def for_units(value: Decimal, key: str, quantity: int, units: int) -> Decimal:
    """What ``units`` of a line of ``quantity`` units cost for the ``item_price`` ``key``
    whose value Jet sent is ``value`` (a line-level amount is shared pro rata)."""
    if key in PER_UNIT:
        return value * units
    if units == quantity:
        return value
    return value * units / quantity if quantity > 0 else value


def line_amount(value: Decimal, key: str, quantity: int) -> Decimal:
    """What the buyer paid for the whole line of ``quantity`` units."""
    return for_units(value, key, quantity, quantity)


def unit_amount(value: Decimal, key: str, quantity: int) -> Decimal:
    """What one unit of a line of ``quantity`` units cost."""
    return for_units(value, key, quantity, 1)


def sent_value(unit: Decimal, key: str, quantity: int) -> Decimal:
    """The value Jet puts in ``item_price[key]`` for a line of ``quantity`` units costing
    ``unit`` each (the sandbox builds its orders with it)."""
    return unit if key in PER_UNIT else unit * quantity


def amount(value: object) -> Decimal:
    """A money value from Jet's JSON as Decimal, without a float on the way (0 when absent or
    unreadable: the read models show what they can)."""
    try:
        return Decimal(str(value if value is not None else 0))
    except ArithmeticError:
        return Decimal(0)


def order_items(raw: object) -> list[dict[str, Any]]:
    """The lines of a Jet order as Jet sent it (``order_items``; anything not an object is
    left out, so a malformed order reads as fewer lines, never as a crash)."""
    items = raw.get("order_items") if isinstance(raw, dict) else None
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []
