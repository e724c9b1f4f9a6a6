"""OpenCart's shipment tables and the order totals after a partial cancel (synchronous: run on
the store thread).

``order_shipment`` / ``shipping_courier`` exist in OpenCart 3.0.0–3.0.4 only (gone in 3.0.5, not
in 2.3), so their models are not registered with the other OpenCart models (a store without
them stays a valid store): :func:`has_shipment_tables` looks first. A tracking number goes there
only when Jet's carrier is one of the shop's couriers (``FedEx SmartPost`` → ``fedex``: the
first word of the carrier is the courier code); it is always in the order history as well.

``order_shipment.shipping_courier_id`` is a varchar in the install SQL; like the extensions that
write it, jettui stores the courier's numeric id there.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import peewee as pw

from .base import StoreModel, current_prefix, database_proxy
from .opencart import Order, OrderProduct, OrderTotal
from .text import now

CENT = Decimal("0.0001")


class OrderShipment(StoreModel):
    order_shipment_id = pw.AutoField()
    order_id = pw.IntegerField()
    date_added = pw.DateTimeField(default=now)
    shipping_courier_id = pw.CharField(255, default="")
    tracking_number = pw.CharField(255, default="")

    class Meta:
        table_name = "order_shipment"


class ShippingCourier(StoreModel):
    shipping_courier_id = pw.IntegerField(primary_key=True)
    shipping_courier_code = pw.CharField(255, default="")
    shipping_courier_name = pw.CharField(255, default="")

    class Meta:
        table_name = "shipping_courier"


def _bind() -> None:
    """Give both models the prefix the OpenCart models are bound with now."""
    prefix = current_prefix()
    OrderShipment._meta.set_table_name(prefix + "order_shipment")
    ShippingCourier._meta.set_table_name(prefix + "shipping_courier")


def has_shipment_tables() -> bool:
    _bind()
    tables = set(database_proxy.get_tables())
    return {OrderShipment._meta.table_name, ShippingCourier._meta.table_name} <= tables


def courier_for(carrier: str) -> int | None:
    """The ``shipping_courier_id`` for a Jet carrier (None: no table, or no such courier)."""
    if not carrier or not has_shipment_tables():
        return None
    code = carrier.split()[0].lower()
    return (
        ShippingCourier.select(ShippingCourier.shipping_courier_id)
        .where(pw.fn.LOWER(ShippingCourier.shipping_courier_code) == code)
        .scalar()
    )


def add_order_shipment(order_id: int, courier_id: int, tracking_number: str) -> bool:
    """Insert the ``order_shipment`` row unless the order already has this tracking number
    (so a re-run after a crash adds none). True when a row was inserted."""
    _bind()
    exists = (
        OrderShipment.select()
        .where(
            (OrderShipment.order_id == order_id)
            & (OrderShipment.tracking_number == tracking_number)
        )
        .exists()
    )
    if exists:
        return False
    OrderShipment.insert(
        order_id=order_id,
        shipping_courier_id=str(courier_id),
        tracking_number=tracking_number[:255],
        date_added=now(),
    ).execute()
    return True


def order_shipments(order_id: int) -> list[dict[str, Any]]:
    """The order's ``order_shipment`` rows with the courier's name (empty without the tables)."""
    if not has_shipment_tables():
        return []
    couriers = {
        str(c.shipping_courier_id): c.shipping_courier_name for c in ShippingCourier.select()
    }
    rows = (
        OrderShipment.select()
        .where(OrderShipment.order_id == order_id)
        .order_by(OrderShipment.order_shipment_id)
    )
    return [
        {
            "tracking_number": r.tracking_number,
            "courier": couriers.get(str(r.shipping_courier_id), str(r.shipping_courier_id)),
            "date_added": r.date_added,
        }
        for r in rows
    ]


# --- totals after a partial cancel ------------------------------------------------------------


def totals_after_cancel(order_id: int, take: Mapping[int, int]) -> dict[str, Any]:
    """The order's totals once ``take`` (``{order_product_id: units}``) is taken off its lines:
    ``{"rows": {order_total_id: new value}, "total": new order.total}``. Absolute values,
    computed once before anything is written, so applying them twice changes nothing.

    Sub-total loses price × units, the tax row (the first, when several) the line's unit tax ×
    units, the total both; shipping and other rows stay (Jet refunds the units, not the
    shipping)."""
    lines = {
        line.order_product_id: line
        for line in OrderProduct.select().where(OrderProduct.order_id == order_id)
    }
    less_sub = sum(
        (Decimal(str(lines[i].price)) * k for i, k in take.items() if i in lines), Decimal(0)
    )
    less_tax = sum(
        (Decimal(str(lines[i].tax)) * k for i, k in take.items() if i in lines), Decimal(0)
    )
    rows = list(
        OrderTotal.select()
        .where(OrderTotal.order_id == order_id)
        .order_by(OrderTotal.sort_order, OrderTotal.order_total_id)
    )
    new: dict[int, Decimal] = {}
    taken = Decimal(0)
    tax_done = False
    for row in rows:
        value = Decimal(str(row.value))
        if row.code == "sub_total":
            new[row.order_total_id] = value - less_sub
            taken += less_sub
        elif row.code == "tax" and not tax_done:
            new[row.order_total_id] = value - less_tax
            taken += less_tax
            tax_done = True
    order_total = Decimal(
        str(Order.select(Order.total).where(Order.order_id == order_id).scalar() or 0)
    )
    for row in rows:
        if row.code == "total":
            new[row.order_total_id] = Decimal(str(row.value)) - taken
    return {
        "rows": {str(k): str(v.quantize(CENT)) for k, v in new.items()},
        "total": str((order_total - taken).quantize(CENT)),
    }


def set_totals(order_id: int, plan: Mapping[str, Any]) -> None:
    """Write the values :func:`totals_after_cancel` computed (idempotent)."""
    for total_id, value in (plan.get("rows") or {}).items():
        OrderTotal.update(value=Decimal(value)).where(
            (OrderTotal.order_total_id == int(total_id)) & (OrderTotal.order_id == order_id)
        ).execute()
    if plan.get("total") is not None:
        Order.update(total=Decimal(plan["total"])).where(Order.order_id == order_id).execute()
