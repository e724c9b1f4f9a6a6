"""The read models of the Orders and Rejected orders panels: grid sources over ``JetOrder``
with its OpenCart order, and the small reads the orders screens make (store thread).

Money is Decimal from Jet's JSON (:mod:`jettui.jet.item_price`) to the cell; the Ack-left
cell is :func:`.deadlines.time_left` of :func:`.deadlines.waiting_ack_deadline`, the same
reckoning as ``jettui orders list`` and ``jettui status``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, ClassVar

import peewee as pw

from jettui.jet import item_price
from jettui.services.listing import (
    Column,
    JetTableSource,
    _money,
    _text,
    short_status,
    short_time,
)
from jettui.services.orders import deadlines
from jettui.store.currency import shown_in
from jettui.store.jet_tables import JetOrder
from jettui.store.opencart import Order


def _order_units(raw: Any) -> str:
    items = item_price.order_items(raw)
    return str(sum(_whole(item.get("request_order_quantity")) for item in items)) if items else ""


def _whole(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _shown_total(total: Any, rate: Any) -> str:
    """An OpenCart order's total in dollars, as its admin shows it (total × currency_value:
    jettui writes Jet orders in the default currency with USD's rate)."""
    return _money(shown_in(Decimal(str(total)), Decimal(str(rate or 1))))


def _jet_total(raw: Any) -> str:
    """What the buyer pays on Jet (every unit's price, the line's tax, every unit's shipping
    and its tax, as :mod:`jettui.jet.item_price` reads them), for an order not written to
    OpenCart. Decimal from Jet's JSON to the cell."""
    items = item_price.order_items(raw)
    if not items:
        return ""
    total = Decimal(0)
    for item in items:
        price = item.get("item_price")
        if not isinstance(price, dict):
            continue
        quantity = _whole(item.get("request_order_quantity"))
        for key in item_price.PRICE_KEYS:
            total += item_price.line_amount(item_price.amount(price.get(key)), key, quantity)
    return _money(total)


def _buyer(raw: Any, first: object = None, last: object = None) -> str:
    """The buyer's name as Jet sent it, else as written in the OpenCart order."""
    if isinstance(raw, dict):
        for part in ("buyer", "shipping_to"):
            block = raw.get(part) or {}
            person = block.get("recipient", block) if isinstance(block, dict) else {}
            name = person.get("name") if isinstance(person, dict) else None
            if name:
                return str(name)
    return " ".join(_text(p) for p in (first, last) if p)


class OrderSource(JetTableSource):
    """Jet orders with their OpenCart order (if written). `state=("held", "rejected")`
    gives the rejected-orders grid; `status="ready"` only Jet's ready orders.

    Ack left counts down to ``ack_minutes`` after the order became ready, for orders Jet still
    has as ``ready`` (:func:`.deadlines.time_left`); buyer and items come from the order as
    Jet sent it.
    """

    MODEL = "JetOrder"
    FIELDS: ClassVar[tuple[str, ...]] = ("merchant_order_id", "order_id")
    SEARCH: ClassVar[tuple[str, ...]] = ("merchant_order_id", "reference_order_id", "status")
    # At 80 columns Ref gives way first (the last optional), then Buyer.
    columns: tuple[Column, ...] = (
        Column("merchant_order_id", "Jet order", min_width=10),
        Column("order_id", "OC #", 5, align="right"),
        Column("buyer", "Buyer", min_width=10, optional=True),
        Column("reference_order_id", "Ref", 12, optional=True),
        Column("items", "Items", 5, align="right", sortable=False),
        Column("total", "Total", 9, align="right"),
        Column("status", "Jet status", 12, short=short_status),
        Column("ack_left", "Ack left", 8, align="right", alert=deadlines.is_urgent),
        Column("ship_by", "Ship by", 11),
    )

    def __init__(
        self,
        db: pw.Database,
        *,
        status: str | Sequence[str] | None = None,
        state: str | Sequence[str] | None = None,
        settings: Any = None,
    ) -> None:
        super().__init__(db, status=status, state=state)
        self.settings = settings
        #: the moment every Ack-left cell is reckoned from (the screen sets it with the
        #: header's, so both read the same); None: :func:`.deadlines.clock` at each read
        self.now: _dt.datetime | None = None

    def _select(self, *fields: Any) -> pw.ModelSelect:

        join_on = Order.order_id == JetOrder.order_id
        return super()._select(*fields).join(Order, pw.JOIN.LEFT_OUTER, on=join_on)

    def _fields(self) -> list[Any]:
        model = JetOrder
        return [
            *super()._fields(),
            Order.lastname,  # buyer sorts by the OpenCart order's last name
            model.reference_order_id,
            model.id,  # items: not sortable (counted from Jet's order)
            Order.total,
            model.status,
            model.order_placed_date,  # ack left sorts by when the order was placed
            model.ship_by,
            # display only
            Order.firstname,
            model.raw,
            model.created_at,
            model.state,
            model.acknowledged_at,
            model.acknowledgement_status,
            Order.currency_value,
        ]

    def _search(self) -> list[Any]:

        return [*super()._search(), Order.lastname, Order.firstname, Order.email]

    def _format(self, row: tuple[Any, ...]) -> Sequence[str]:
        (jet_id, order_id, last, ref, _id, total, status, placed, ship_by, first, raw, created,
         state, acknowledged_at, ack_status, rate) = row  # fmt: skip
        deadline = deadlines.waiting_ack_deadline(
            self.settings, status=status, state=state, acknowledgement_status=ack_status,
            raw=raw, placed=placed,
        )  # fmt: skip
        minutes = self.settings.orders.acknowledge_within_minutes if self.settings else 15
        ack = deadlines.time_left(deadline, self.now or deadlines.clock(), minutes)
        return (
            _text(jet_id),
            "" if not order_id else str(order_id),
            _buyer(raw, first, last),
            _text(ref),
            _order_units(raw),
            _shown_total(total, rate) if total is not None else _jet_total(raw),
            _text(status),
            ack,
            short_time(ship_by),
        )


#: import ledger states listed on the rejected-orders grid (jet_tables.JET_ORDER_STATES):
#: held for the merchant to fix and retry, or rejected on Jet
REJECTED_STATES = ("held", "rejected")


class RejectedOrderSource(OrderSource):
    """Jet orders that could not become OpenCart orders, with the reason: `held` ones wait
    for the merchant (fix, then retry or reject), `rejected` ones were rejected on Jet."""

    FIELDS = ("merchant_order_id", "reference_order_id", "order_placed_date")
    SEARCH = ("merchant_order_id", "reference_order_id", "error", "state")
    columns = (
        Column("merchant_order_id", "Jet order", min_width=10),
        Column("reference_order_id", "Ref", 12, optional=True),
        Column("placed", "Placed", 11),
        Column("items", "Items", 5, align="right", sortable=False),
        Column("state", "State", 8),
        Column("status", "Jet status", 10, short=short_status, optional=True),
        Column("reason", "Reason", ratio=2, min_width=16),
    )

    def __init__(self, db: pw.Database, *, state: Sequence[str] = REJECTED_STATES) -> None:
        super().__init__(db, state=state)

    def _select(self, *fields: Any) -> pw.ModelSelect:
        return JetTableSource._select(self, *fields)

    def _fields(self) -> list[Any]:
        model = JetOrder
        return [
            *JetTableSource._fields(self),
            model.id,  # items: not sortable
            model.state,
            model.status,
            model.error,
            model.raw,  # display only
        ]

    def _search(self) -> list[Any]:
        return JetTableSource._search(self)

    def _format(self, row: tuple[Any, ...]) -> Sequence[str]:
        jet_id, ref, placed, _id, state, status, error, raw = row
        return (
            _text(jet_id),
            _text(ref),
            short_time(placed),
            _order_units(raw),
            _text(state),
            _text(status),
            " ".join(_text(error).split()),
        )


def jet_order_ids(db: Any, row_ids: Sequence[int]) -> list[str]:
    """Grid row ids (jettui's JetOrder ids) → Jet order ids, in the given order (store thread)."""
    query = JetOrder.select(JetOrder.id, JetOrder.merchant_order_id).where(
        JetOrder.id.in_(list(row_ids))
    )
    found = dict(query.tuples().execute(db))
    return [found[i] for i in row_ids if i in found]


def any_order(db: Any) -> bool:
    """Has jettui fetched any Jet order yet (the getting-started path's last step)?"""
    return bool(JetOrder.select().exists(db))
