"""What a shipped message does to the OpenCart order (synchronous: run on the store thread).

Once Jet has taken a shipped message, :func:`plan_shipment` decides every OpenCart write and
records the plan on the shipment's record in ``JetOrder.shipments`` (InnoDB) before anything
is written; :func:`apply_shipment` then carries it out step by step, each step idempotent, and
marks the record ``applied``. A run killed half-way is finished by the next ship, status or
fetch run (:func:`apply_pending`), never applied twice:

1. ``lines`` — units cancelled while the order goes on (a partial cancel): OpenCart restocks an
   order in full only when it leaves processing∪complete, from ``order_product.quantity``. So
   the cancelled units are taken off their ``order_product`` line and put back in stock now
   (``restock_lines``: one guarded statement per line, stock only when the order's status
   holds stock). The plan records each line's quantity before: a line already at
   ``before - take`` was done, a line at ``before`` is done now. A later full cancel by the
   admin restocks exactly what is still on the lines, i.e. what is still taken.
   When the message leaves nothing open and nothing was ever shipped, the order is simply
   moved to the cancelled status, whose full restock returns what the lines still hold.
2. ``totals`` — sub-total, tax and total (and ``order.total``) lose the cancelled units: the
   absolute values are in the plan, so writing them twice is harmless.
3. ``history`` — ``add_order_history`` to the mapped status (partially shipped / shipped /
   cancelled, or the current status for a partial cancel-only message), comment naming the
   units, carrier, method and tracking number and the ``alt_shipment_id``. Skipped when a
   history row with that comment exists (a crash between the status change and the history
   insert is recovered by ``add_order_history`` itself: from the new status it moves no stock).
4. ``shipment`` — an ``order_shipment`` row when the table exists and the carrier is a courier
   of the shop; skipped when the order already has that tracking number.

An OpenCart order deleted in the admin (its ``order`` row gone) gets a plan marked
``deleted`` with every step done: nothing is written to OpenCart (no status to guard a stock
move with; the delete already put its units back), and the caller reports it once
(:mod:`.admin_changes`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jettui.config import Settings
from jettui.services.orders import account
from jettui.services.orders.ship_form import OrderView, item_tally
from jettui.store import oc_shipments
from jettui.store.errors import StoreError
from jettui.store.jet_tables import JetOrder, log_event
from jettui.store.oc_orders import add_order_history, has_history, restock_lines, shop_context
from jettui.store.opencart import Order, OrderProduct
from jettui.store.order_lines import lines_for_skus, recorded_line_ids
from jettui.store.text import utcnow

STEPS = ("lines", "totals", "history", "shipment")


def target_status(settings: Settings, view: OrderView, current: int) -> int:
    """The OpenCart status after a message, from the order's units once it is counted:
    nothing open → shipped (or cancelled when no unit ever shipped); some shipped and some
    open → partially shipped; only cancels so far with units open → unchanged."""
    shipped = sum(line.shipped for line in view.lines)
    if view.open_units == 0:
        return settings.orders.status_shipped if shipped else settings.orders.status_cancelled
    return settings.orders.status_partially_shipped if shipped else current


def shipment_comment(record: Mapping[str, Any]) -> str:
    """``Jet shipment jettui-…: shipped 2 × CAM-1; cancelled 1 × SHIRT-M. Carrier: UPS,
    method: UPS Ground, tracking number: 1Z….``"""
    body = record.get("body") or {}
    items = body.get("shipment_items") or []
    shipped = [
        f"{i['response_shipment_sku_quantity']} × {i['merchant_sku']}"
        for i in items
        if i.get("response_shipment_sku_quantity")
    ]
    cancelled = [
        f"{i['response_shipment_cancel_qty']} × {i['merchant_sku']}"
        for i in items
        if i.get("response_shipment_cancel_qty")
    ]
    parts = []
    if shipped:
        parts.append("shipped " + ", ".join(shipped))
    if cancelled:
        parts.append("cancelled " + ", ".join(cancelled))
    text = f"Jet shipment {body.get('alt_shipment_id', '')}: {'; '.join(parts)}."
    if shipped:
        text += (
            f" Carrier: {body.get('carrier', '')}, method: "
            f"{body.get('response_shipment_method', '')}, tracking number: "
            f"{body.get('shipment_tracking_number', '')}."
        )
    return text


def item_line_ids(row: JetOrder, view: OrderView, item_ids: list[str]) -> dict[str, int]:
    """``{order_item_id: order_product_id}`` of Jet order items: as the import recorded them,
    else found through their SKU (:func:`~jettui.store.order_lines.lines_for_skus`) among the lines not already taken."""
    ids = recorded_line_ids(row.lines)
    found = {i: ids[i] for i in item_ids if i in ids}
    rest = [i for i in item_ids if i not in found]
    skus = {line.order_item_id: line.merchant_sku for line in view.lines}
    by_sku = lines_for_skus(int(row.order_id), [skus.get(i, "") for i in rest], set(found.values()))
    return found | {i: by_sku[n] for n, i in enumerate(rest) if n in by_sku}


def plan_shipment(
    settings: Settings, merchant_order_id: str, alt_shipment_id: str, view_after: OrderView
) -> dict[str, Any]:
    """Decide every OpenCart write of a shipment Jet has taken and save the plan on its
    record (``record["oc"]``). Returns the plan. A record that has a plan keeps it."""
    row = JetOrder.get(JetOrder.merchant_order_id == merchant_order_id)
    records = list(row.shipments or [])
    record = _find(records, alt_shipment_id)
    if record.get("oc"):
        return record["oc"]
    order_id = int(row.order_id)
    current = Order.select(Order.order_status_id).where(Order.order_id == order_id).scalar()
    if current is None:  # deleted in the admin: nothing to write, settled once
        return _settle_deleted(row, records, record, order_id)
    status = target_status(settings, view_after, int(current))
    # cancelled units per Jet order item (an item of a shared SKU is named by the message)
    units = item_tally((row.raw or {}).get("order_items") or [], [record.get("body") or {}])
    cancels = {item_id: u[1] for item_id, u in units.items() if u[1]}
    take: dict[str, dict[str, int]] = {}
    if cancels and status != settings.orders.status_cancelled:
        ids = item_line_ids(row, view_after, list(cancels))
        names = {line.order_item_id: line.name for line in view_after.lines}
        missing = sorted(names.get(i, i) for i in set(cancels) - set(ids))
        if missing:
            log_event(
                "order",
                f"cancelled SKU(s) {', '.join(missing)} have no OpenCart line: "
                "stock not put back for them",
                level="warning",
                ref=merchant_order_id,
            )
        quantities = {
            line.order_product_id: int(line.quantity)
            for line in OrderProduct.select().where(OrderProduct.order_id == order_id)
        }
        take = {
            str(line_id): {
                "before": quantities[line_id],
                "take": min(cancels[item_id], quantities[line_id]),
            }
            for item_id, line_id in ids.items()
            if line_id in quantities
        }
    totals = (
        oc_shipments.totals_after_cancel(order_id, {int(i): t["take"] for i, t in take.items()})
        if take
        else None
    )
    body = record.get("body") or {}
    tracking = str(body.get("shipment_tracking_number") or "")
    courier = oc_shipments.courier_for(str(body.get("carrier") or "")) if tracking else None
    plan = {
        "order_id": order_id,
        "status_id": status,
        "comment": shipment_comment(record),
        "take": take,
        "totals": totals,
        "courier_id": courier,
        "tracking": tracking,
        "done": [],
    }
    record["oc"] = plan
    _save(row, records)
    return plan


def apply_shipment(
    settings: Settings, merchant_order_id: str, alt_shipment_id: str
) -> dict[str, Any]:
    """Carry out the saved plan of one shipment (module docstring), marking each step done;
    the record ends ``applied``. Returns the plan."""
    row = JetOrder.get(JetOrder.merchant_order_id == merchant_order_id)
    records = list(row.shipments or [])
    record = _find(records, alt_shipment_id)
    plan = record["oc"]
    order_id = int(plan["order_id"])
    if not plan.get("deleted") and not Order.select().where(Order.order_id == order_id).exists():
        return _settle_deleted(row, records, record, order_id)  # deleted since it was planned
    shop = shop_context(settings)
    for step in STEPS:
        if step in plan["done"]:
            continue
        if step == "lines" and plan["take"]:
            _take_lines(order_id, plan["take"], shop, merchant_order_id)
        elif step == "totals" and plan["totals"]:
            oc_shipments.set_totals(order_id, plan["totals"])
        elif step == "history" and not has_history(order_id, plan["comment"]):
            add_order_history(order_id, int(plan["status_id"]), plan["comment"], shop=shop)
        elif step == "shipment" and plan["courier_id"] and plan["tracking"]:
            oc_shipments.add_order_shipment(order_id, int(plan["courier_id"]), plan["tracking"])
        plan = _mark(merchant_order_id, alt_shipment_id, step)
    account.accounts(merchant_order_id)  # the line accounts count the shipped/cancelled units
    return plan


def _settle_deleted(
    row: JetOrder, records: list[dict[str, Any]], record: dict[str, Any], order_id: int
) -> dict[str, Any]:
    """The plan of a shipment whose OpenCart order was deleted in the admin: nothing to write,
    every step done, the record ``applied``."""
    record["oc"] = {
        **(record.get("oc") or {}),
        "order_id": order_id,
        "deleted": True,
        "status_id": None,
        "comment": shipment_comment(record),
        "done": list(STEPS),
    }
    record["state"] = "applied"
    _save(row, records)
    return record["oc"]


def _take_lines(order_id: int, take: Mapping[str, Mapping[str, int]], shop: Any, ref: str) -> None:
    for line_id, step in take.items():
        current = (
            OrderProduct.select(OrderProduct.quantity)
            .where(OrderProduct.order_product_id == int(line_id))
            .scalar()
        )
        if current is None or int(current) == step["before"] - step["take"]:
            continue  # line gone (nothing to put back) or already taken off by an earlier run
        if int(current) != step["before"]:
            log_event(
                "order",
                f"OpenCart line {line_id} changed to {current} units outside "
                "jettui: cancelled units not put back",
                level="warning",
                ref=ref,
            )
            continue
        restock_lines(order_id, {int(line_id): int(step["take"])}, shop=shop)


def _mark(merchant_order_id: str, alt_shipment_id: str, step: str) -> dict[str, Any]:
    row = JetOrder.get(JetOrder.merchant_order_id == merchant_order_id)
    records = list(row.shipments or [])
    record = _find(records, alt_shipment_id)
    plan = record["oc"]
    if step not in plan["done"]:
        plan["done"].append(step)
    if all(s in plan["done"] for s in STEPS):
        record["state"] = "applied"
    _save(row, records)
    return plan


def _find(records: list[dict[str, Any]], alt_shipment_id: str) -> dict[str, Any]:
    for record in records:
        if record.get("alt_shipment_id") == alt_shipment_id:
            return record
    raise StoreError(f"no shipment '{alt_shipment_id}' recorded")


def _save(row: JetOrder, records: list[dict[str, Any]]) -> None:
    JetOrder.update(shipments=records, updated_at=utcnow()).where(JetOrder.id == row.id).execute()
