"""Changes the merchant made to a Jet order in OpenCart's admin that jettui must not ship over
silently (synchronous reads: run on the store thread; :func:`confirmation_problem` is pure).

- **Cancelled in the admin**: the OpenCart order's status is outside processing∪complete
  (e.g. Canceled) while the Jet order still has units open (jettui moves an order there only
  once nothing is open). OpenCart's ``addOrderHistory`` put every unit on its lines back in
  stock when the order left that set.
- **Deleted in the admin**: the ``order`` row is gone. OpenCart's ``deleteOrder`` voids the
  order first (``addOrderHistory(order_id, 0)``: status 0 is outside the set, so its units
  went back to stock too), then deletes the order and its lines.

Such an order ships from jettui only with an explicit confirmation (the ship form's confirm
step, ``jettui orders ship --confirm-admin-change``); the reason is shown on the order
(``orders list``/``show``, the order detail screen). A cancel-only message to a cancelled
order agrees with the merchant and needs none; every message to a deleted order does.

Stock after a confirmed shipment (what jettui chose, by OpenCart's own rules):

- Cancelled: the OpenCart side is written as for any order (:mod:`.ship_apply`). Units
  cancelled by the message come off their lines first without a stock move (the order holds
  none); the move to the shipped / partially shipped status then re-enters processing∪complete,
  and ``addOrderHistory`` takes every unit still on the lines out of stock again: the shipped
  units (and, while the order stays partially shipped, its open units, as for every open
  order). So the order leaves Canceled only through OpenCart's own rule, and stock ends at
  what is really gone; the history comment names the shipment.
- Deleted: there is no order left to move, nor a status to guard a stock move with (a second
  run after a crash could take the units twice), so jettui writes nothing to OpenCart and says
  so: the result and the event log name the order and that the delete put its units back in
  stock; the merchant takes the shipped units off by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from jettui.store.base import tuple_rows
from jettui.store.errors import StoreError
from jettui.store.oc_orders import shop_context
from jettui.store.opencart import Order
from jettui.store.opencart import OrderStatus as OcOrderStatus

if TYPE_CHECKING:
    from jettui.config import Settings
    from jettui.services.orders.ship_form import OrderView, ShipmentForm

CANCELLED = "cancelled"
DELETED = "deleted"
#: the CLI flag that confirms shipping such an order
CONFIRM_FLAG = "--confirm-admin-change"


@dataclass(frozen=True)
class AdminChange:
    kind: str  # CANCELLED or DELETED
    reason: str  # one line for the merchant


def admin_changes(order_ids: list[int], settings: Settings | None = None) -> dict[int, AdminChange]:
    """``{OpenCart order id: change}`` for the orders of ``order_ids`` cancelled or deleted in
    the admin (the others are left out). Two queries whatever the number of orders."""
    ids = sorted({int(i) for i in order_ids if i})
    if not ids:
        return {}
    statuses = {
        int(order_id): int(status or 0)
        for order_id, status in tuple_rows(
            Order.select(Order.order_id, Order.order_status_id).where(Order.order_id.in_(ids))
        )
    }
    try:
        holding = shop_context(settings).stock_statuses
    except StoreError:  # no USD currency: no order is imported; the deletions still show
        holding = frozenset(statuses.values())
    names = _status_names(settings, {s for s in statuses.values() if s not in holding})
    out: dict[int, AdminChange] = {}
    for order_id in ids:
        if order_id not in statuses:
            out[order_id] = AdminChange(
                DELETED,
                f"deleted in the OpenCart admin: OpenCart order {order_id} is gone "
                "(its units were put back in stock)",
            )
        elif statuses[order_id] not in holding:
            name = names.get(statuses[order_id]) or f"status {statuses[order_id]}"
            out[order_id] = AdminChange(
                CANCELLED,
                f"cancelled in the OpenCart admin: OpenCart order {order_id} is '{name}', "
                "which holds no stock",
            )
    return out


def admin_change(order_id: int, settings: Settings | None = None) -> AdminChange | None:
    """:func:`admin_changes` of one order."""
    return admin_changes([order_id], settings).get(int(order_id)) if order_id else None


def still_open(change: AdminChange | None, open_units: int) -> AdminChange | None:
    """``change`` where it matters: a deletion always; a status without stock only while the
    order has units left to ship (jettui itself moves an order there only once nothing is open:
    every unit cancelled, or Jet cancelled it)."""
    if change is None or (change.kind == CANCELLED and open_units <= 0):
        return None
    return change


def confirmation_problem(view: OrderView, form: ShipmentForm, *, confirmed: bool) -> str:
    """The problem (``order: ...``) when ``form`` would ship over an admin change without the
    merchant's confirmation; "" when it may go."""
    if confirmed or not view.admin_change:
        return ""
    if view.admin_change == CANCELLED and form.units_shipped == 0:
        return ""  # cancelling units of an order the merchant cancelled agrees with them
    return (
        f"order: {view.admin_reason}: ship it only after confirming "
        f"(dashboard: confirm on the ship form; headless: {CONFIRM_FLAG})"
    )


def _status_names(settings: Settings | None, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    language = settings.store.language_id if settings else 1
    query = OcOrderStatus.select(OcOrderStatus.order_status_id, OcOrderStatus.name).where(
        OcOrderStatus.order_status_id.in_(sorted(ids)) & (OcOrderStatus.language_id == language)
    )
    return {int(i): str(name) for i, name in tuple_rows(query)}
