"""Jet's order status mirrored to the OpenCart order, once.

The fetch job refreshes ``JetOrder.status`` (and ``raw``) from Jet, then calls
:func:`mirror_statuses` (store thread, no Jet call), which first finishes the OpenCart side of
shipped messages whose run was cut short (:func:`.shipping.finish_pending`). For each imported order whose Jet status
asks for an OpenCart status it does not have yet, the order moves through
``add_order_history`` (OpenCart's stock rules: a move to the cancelled status restocks what the
order's lines still hold) with a history comment ``Jet status: <status> (jettui)``.

Jet status → OpenCart status (settings ``orders.status_*``):

- ``acknowledged`` → nothing to move: the order was written with ``status_imported``.
- ``inprogress`` → ``status_partially_shipped``.
- ``complete`` → ``status_shipped`` when a unit shipped; ``status_cancelled`` when none did,
  or when Jet rejected or cancelled the order (``exception_state``).
- ``rejected`` / ``cancelled`` (and ``complete`` with ``exception - order rejected`` or
  ``exception - jet manual canceled to complete state``) → ``status_cancelled``; but an order
  with shipped units → ``status_shipped``, its unshipped units put back in stock first.

Stock (OpenCart's rules, :mod:`.account`): ``addOrderHistory`` restocks every line when an
order leaves processing∪complete, so the cancelled status is used only when no unit shipped
(the full restock returns exactly what the lines hold). Otherwise the units Jet — or another
tool's shipped message — cancelled are taken off their lines and put back first
(:func:`.account.settle_lines`: one guarded statement per line), and the order moves between
stock-holding statuses, which moves no stock.

Once. The history row written by a mirror is its own record: a Jet status whose comment is in
the order's history is never mirrored again, so a status the merchant set afterwards in the
admin stays. Changes jettui caused itself by shipping (``inprogress``/``complete`` after
jettui's shipped messages, the OpenCart side done by :mod:`.ship_apply`) are mirrored already
and skipped. A crash between ``add_order_history``'s status+stock step and its history insert
leaves the order at the new status: the next run finds nothing to move (OpenCart status equal
to the target) and writes no second stock move.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jettui.config import Settings
from jettui.jet.enums import ExceptionState, OrderStatus
from jettui.services.orders import account
from jettui.services.orders.ship_form import IMPORTED_STATES, build_order_view
from jettui.services.runtime import StoreThread
from jettui.store.errors import StoreError
from jettui.store.jet_tables import JetOrder, log_event
from jettui.store.oc_orders import ShopContext, add_order_history, has_history, shop_context
from jettui.store.opencart import Order

REJECTED = "rejected"
CANCELLED = "cancelled"
MIRRORED_STATUSES = (
    str(OrderStatus.ACKNOWLEDGED),
    str(OrderStatus.IN_PROGRESS),
    str(OrderStatus.COMPLETE),
    REJECTED,
    CANCELLED,
)
CANCELLING_EXCEPTIONS = frozenset({ExceptionState.ORDER_REJECTED, ExceptionState.MANUAL_CANCEL})


@dataclass(frozen=True)
class Mirror:
    """One status written to an OpenCart order."""

    merchant_order_id: str
    order_id: int
    jet_status: str
    status_id: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "merchant_order_id": self.merchant_order_id,
            "order_id": self.order_id,
            "jet_status": self.jet_status,
            "status_id": self.status_id,
        }


def jet_state(row: JetOrder) -> str:
    """The status to mirror: Jet's status, read as ``rejected``/``cancelled`` when a complete
    order carries the matching ``exception_state``."""
    return state_of(str(row.status or ""), row.raw or {})


def state_of(status: str, raw: Mapping[str, Any]) -> str:
    """:func:`jet_state` of Jet's ``status`` for the order ``raw`` (as Jet sent it)."""
    exception = str(raw.get("exception_state") or "")
    if status == OrderStatus.COMPLETE and exception in CANCELLING_EXCEPTIONS:
        return REJECTED if exception == ExceptionState.ORDER_REJECTED else CANCELLED
    return status


def target_status(settings: Settings, row: JetOrder) -> int | None:
    """The OpenCart status ``row``'s Jet status asks for (None: nothing to move)."""
    state = jet_state(row)
    orders = settings.orders
    if state == OrderStatus.IN_PROGRESS:
        return orders.status_partially_shipped
    if state == OrderStatus.COMPLETE:
        view = build_order_view(row.raw or {}, list(row.shipments or []))
        shipped = any(line.shipped for line in view.lines)
        return orders.status_shipped if shipped else orders.status_cancelled
    if state in (REJECTED, CANCELLED):
        return orders.status_cancelled
    return None


def comment_for(state: str) -> str:
    return f"Jet status: {state} (jettui)"


def mirror_order(
    settings: Settings, row: JetOrder, shop: ShopContext | None = None
) -> Mirror | None:
    """Mirror one order's Jet status if it was never mirrored (store thread). None when there
    is nothing to do."""
    if not row.order_id or row.state not in IMPORTED_STATES:
        return None
    state = jet_state(row)
    target = target_status(settings, row)
    if target is None or _caused_by_jettui(row, state):
        return None
    comment = comment_for(state)
    if has_history(int(row.order_id), comment):
        return None
    current = Order.select(Order.order_status_id).where(Order.order_id == row.order_id).scalar()
    if current is None:
        return None
    shop = shop or shop_context(settings)
    lines = account.sync(row)
    if target == settings.orders.status_cancelled and any(a.shipped for a in lines.values()):
        # cancelled after a partial shipment: the shipped units stay sold (OpenCart would
        # restock every line on the cancelled status); the rest come back below
        target = settings.orders.status_shipped
    back: dict[int, int] = {}
    if target != settings.orders.status_cancelled:
        # units Jet (or another tool) cancelled come back: the lines hold what is still out
        back = account.settle_lines(row.merchant_order_id, shop)
    if int(current) == target and not back:
        return None
    if back:
        comment += f"; {sum(back.values())} cancelled unit(s) back in stock"
    add_order_history(
        int(row.order_id),
        target,
        comment,
        shop=shop,
        expected_status_id=int(current),
    )
    log_event(
        "order",
        f"Jet status {state} mirrored: OpenCart order {row.order_id} → status {target}",
        ref=row.merchant_order_id,
    )
    return Mirror(row.merchant_order_id, int(row.order_id), state, target)


def mirror_statuses(
    settings: Settings, merchant_order_ids: list[str] | None = None
) -> list[Mirror]:
    """Mirror every imported order's Jet status that was not mirrored yet (or only those of
    ``merchant_order_ids``). Store thread; no Jet call. Returns what was written.

    First finishes the OpenCart side of shipped messages whose run was cut short
    (:func:`.shipping.finish_pending`), so a status jettui's own shipment caused is never
    mirrored in its place."""
    from jettui.services.orders.shipping import finish_pending

    finish_pending(settings)
    query = JetOrder.select().where(
        (JetOrder.order_id > 0)
        & JetOrder.state.in_(sorted(IMPORTED_STATES))
        & JetOrder.status.in_([s for s in MIRRORED_STATUSES if s != OrderStatus.ACKNOWLEDGED])
    )
    if merchant_order_ids is not None:
        query = query.where(JetOrder.merchant_order_id.in_(merchant_order_ids))
    shop = None
    done = []
    for row in query:
        shop = shop or shop_context(settings)
        try:
            mirrored = mirror_order(settings, row, shop)
        except StoreError as exc:  # changed meanwhile, or deleted: this order only
            log_event(
                "order",
                f"Jet status {row.status} not mirrored: {exc}",
                level="warning",
                ref=row.merchant_order_id,
            )
            continue
        if mirrored is not None:
            done.append(mirrored)
    return done


async def mirror_order_statuses(
    settings: Settings, db: Any, merchant_order_ids: list[str] | None = None
) -> list[Mirror]:
    """:func:`mirror_statuses` off the event loop."""
    store = StoreThread(db)
    try:
        return await store.run(mirror_statuses, settings, merchant_order_ids)
    finally:
        await store.close()


def _caused_by_jettui(row: JetOrder, state: str) -> bool:
    """inprogress/complete reached by jettui's own shipped messages: their OpenCart side is
    (or, for a message whose run was cut short, will be) written by :mod:`.ship_apply`. Only a
    shipment Jet lists that jettui did not send makes the status Jet's own doing."""
    if state not in (OrderStatus.IN_PROGRESS, OrderStatus.COMPLETE):
        return False
    ours = {r.get("alt_shipment_id") for r in row.shipments or []}
    if not ours:
        return False
    return all(s.get("alt_shipment_id") in ours for s in (row.raw or {}).get("shipments") or [])
