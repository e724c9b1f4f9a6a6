"""Read models of Jet orders for the Orders and Rejected orders panels and ``jettui orders
list|show``: plain rows built from ``JetOrder`` (what Jet sent, the import ledger, jettui's
shipped messages) and the OpenCart order (totals, history, order_shipment rows).

Synchronous and read-only: run them on the store thread (``await store.run(list_orders, db)``)
with the store connected. Money is Decimal in the rows; every row has ``as_dict()``,
JSON-able (money as numbers, dates as
ISO-8601 text: jettui's and Jet's in UTC with an offset, OpenCart's history and shipment dates
without one, in the shop's local time as its admin shows them), for ``--json``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from jettui.config import Settings
from jettui.errors import UsageError
from jettui.jet import item_price
from jettui.jet.dates import parse_jet_date
from jettui.jet.enums import OrderStatus
from jettui.services.orders import deadlines
from jettui.services.orders.admin_changes import AdminChange, admin_changes, still_open
from jettui.services.orders.ship_form import LineView, view_of
from jettui.store import oc_shipments
from jettui.store.currency import shown_in
from jettui.store.jet_tables import JET_ORDER_STATES, JetOrder
from jettui.store.opencart import Order, OrderHistory, OrderTotal
from jettui.store.opencart import OrderStatus as OcOrderStatus

#: import states listed on the Rejected orders panel
PROBLEM_STATES = ("held", "rejected")
CENT = Decimal("0.01")


class UnknownStatus(UsageError, ValueError):
    """``--status`` names no Jet status or import state (exit 2)."""


# --- rows -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderRow:
    """One line of the Orders panel."""

    merchant_order_id: str
    reference_order_id: str
    order_id: int  # OpenCart order (0 = not written)
    buyer: str
    items: int  # units ordered
    total: Decimal  # what the buyer pays on Jet (items, tax, shipping), to the cent
    jet_status: str
    import_state: str
    ship_by: _dt.datetime | None
    ack_deadline: _dt.datetime | None  # None once acknowledged (or when it does not apply)
    ack_seconds_left: int | None  # negative: past the deadline
    open_units: int
    error: str = ""
    admin_change: str = ""  # cancelled or deleted in OpenCart's admin (.admin_changes)

    @property
    def needs_acknowledging(self) -> bool:
        return self.ack_deadline is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "merchant_order_id": self.merchant_order_id,
            "reference_order_id": self.reference_order_id,
            "order_id": self.order_id,
            "buyer": self.buyer,
            "items": self.items,
            "total": float(self.total),  # JSON: money as numbers
            "jet_status": self.jet_status,
            "import_state": self.import_state,
            "ship_by": _iso(self.ship_by),
            "ack_deadline": _iso(self.ack_deadline),
            "ack_seconds_left": self.ack_seconds_left,
            "open_units": self.open_units,
            "error": self.error,
            "admin_change": self.admin_change,
        }


@dataclass(frozen=True)
class HistoryRow:
    date_added: _dt.datetime | None
    status_id: int
    status: str
    comment: str
    notify: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "date_added": _iso(self.date_added),
            "status_id": self.status_id,
            "status": self.status,
            "comment": self.comment,
            "notify": self.notify,
        }


@dataclass(frozen=True)
class ShipmentRow:
    """One shipped message jettui sent (or Jet lists from elsewhere: ``state`` "on Jet")."""

    alt_shipment_id: str
    state: str  # sending / sent / applied / on Jet
    sent_at: str
    carrier: str
    method: str
    tracking_number: str
    shipped: dict[str, int]
    cancelled: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {
            "alt_shipment_id": self.alt_shipment_id,
            "state": self.state,
            "sent_at": self.sent_at,
            "carrier": self.carrier,
            "method": self.method,
            "tracking_number": self.tracking_number,
            "shipped": dict(self.shipped),
            "cancelled": dict(self.cancelled),
        }


@dataclass(frozen=True)
class LineRow:
    line: LineView
    unit_price: Decimal
    order_product_id: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.line.as_dict(),
            "unit_price": float(self.unit_price),
            "order_product_id": self.order_product_id,
        }


@dataclass(frozen=True)
class OrderDetail:
    """Everything the order detail screen and ``jettui orders show`` show."""

    row: OrderRow
    lines: tuple[LineRow, ...]
    ship_to: dict[str, str]
    request: dict[str, str]  # Jet's requested carrier, method, service level, ship/deliver by
    jet_totals: dict[str, Decimal]
    oc_totals: tuple[dict[str, Any], ...]  # OpenCart order_total rows (code, title, value)
    oc_status: str
    history: tuple[HistoryRow, ...]
    shipments: tuple[ShipmentRow, ...]
    oc_shipments: tuple[dict[str, Any], ...] = ()
    warnings: tuple[str, ...] = ()
    placed: _dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: per Jet order line: units ordered, shipped, cancelled, returned, restocked, kept,
    #: refunded, still refundable, and the dollars refunded (services/orders/account.py)
    account: tuple[dict[str, Any], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.row.as_dict(),
            "placed": _iso(self.placed),
            "lines": [line.as_dict() for line in self.lines],
            "ship_to": dict(self.ship_to),
            "request": dict(self.request),
            "jet_totals": {k: float(v) for k, v in self.jet_totals.items()},
            "oc_totals": [dict(t) for t in self.oc_totals],
            "oc_status": self.oc_status,
            "history": [h.as_dict() for h in self.history],
            "shipments": [s.as_dict() for s in self.shipments],
            "oc_shipments": [
                {**s, "date_added": _iso(s.get("date_added"))} for s in self.oc_shipments
            ],
            "warnings": list(self.warnings),
        } | ({"account": [dict(a) for a in self.account]} if self.account else {})


def _account(row: JetOrder) -> list[dict[str, Any]]:
    """The order's line accounts as the detail shows them (one dict per Jet order line)."""
    from jettui.services.orders import account
    from jettui.services.return_rules import amounts_total

    return [
        {**line.as_dict(), "refunded_dollars": f"{amounts_total(line.amounts):.2f}"}
        for line in account.sync(row).values()
    ]


# --- queries ----------------------------------------------------------------------------------


def list_orders(
    db: Any = None,
    status: str | None = None,
    *,
    settings: Settings | None = None,
    now: _dt.datetime | None = None,
) -> list[OrderRow]:
    """Rows of the Orders panel, newest first. ``status``: a Jet status (``ready``,
    ``acknowledged``, ``inprogress``, ``complete``), an import state (``held``, ``done``...)
    or ``open`` (units left to ship or cancel); anything else raises :class:`UnknownStatus`
    (a UsageError) naming the choices. ``settings`` gives
    ``orders.acknowledge_within_minutes`` (default 15)."""
    query = JetOrder.select().order_by(JetOrder.created_at.desc(), JetOrder.id.desc())
    if status is not None:
        query = _filtered(query, status)
    found = list(query)
    changes = admin_changes([int(r.order_id or 0) for r in found if r.state == "done"], settings)
    rows = [order_row(r, settings=settings, now=now, changes=changes) for r in found]
    if status == "open":
        rows = [r for r in rows if r.open_units and r.jet_status != OrderStatus.COMPLETE]
    return rows


def problem_orders(
    db: Any = None, *, settings: Settings | None = None, now: _dt.datetime | None = None
) -> list[OrderRow]:
    """Rows of the Rejected orders panel: held (waiting for the merchant: retry or reject),
    rejected on Jet, or failed; ``error`` says why."""
    query = (
        JetOrder.select()
        .where(JetOrder.state.in_(PROBLEM_STATES))
        .order_by(JetOrder.created_at.desc(), JetOrder.id.desc())
    )
    return [order_row(r, settings=settings, now=now) for r in query]


def order_detail(
    db: Any,
    merchant_order_id: str,
    *,
    settings: Settings | None = None,
    now: _dt.datetime | None = None,
) -> OrderDetail | None:
    """The order detail (None when jettui has no such Jet order)."""
    row = JetOrder.get_or_none(JetOrder.merchant_order_id == merchant_order_id)
    if row is None:
        return None
    raw = row.raw or {}
    view = view_of(row)
    items = {str(i.get("order_item_id")): i for i in raw.get("order_items") or []}
    # the import's ledger names each line's Jet item (older rows only its SKU)
    ids = {
        str(x.get("order_item_id") or x.get("merchant_sku")): int(x.get("order_product_id") or 0)
        for x in row.lines or []
    }
    lines = tuple(
        LineRow(
            line,
            _unit_price(items.get(line.order_item_id, {})),
            ids.get(line.order_item_id) or ids.get(line.merchant_sku, 0),
        )
        for line in view.lines
    )
    address = (raw.get("shipping_to") or {}).get("address") or {}
    recipient = (raw.get("shipping_to") or {}).get("recipient") or {}
    ship_to = {
        "name": str(recipient.get("name") or ""),
        "phone_number": str(recipient.get("phone_number") or ""),
        **{
            k: str(address.get(k) or "")
            for k in ("address1", "address2", "city", "state", "zip_code")
        },
    }
    detail = raw.get("order_detail") or {}
    request = {k.removeprefix("request_"): str(v) for k, v in detail.items() if v is not None}
    oc_totals: tuple[dict[str, Any], ...] = ()
    oc_status = ""
    history: tuple[HistoryRow, ...] = ()
    oc_rows: tuple[dict[str, Any], ...] = ()
    if row.order_id:
        rate = Order.select(Order.currency_value).where(Order.order_id == row.order_id).scalar()
        oc_totals = tuple(  # as the admin shows them: value × currency_value (dollars)
            {
                "code": t.code,
                "title": t.title,
                "value": float(shown_in(t.value, Decimal(str(rate or 1)))),
            }
            for t in OrderTotal.select()
            .where(OrderTotal.order_id == row.order_id)
            .order_by(OrderTotal.sort_order, OrderTotal.order_total_id)
        )
        oc_status = _status_name(
            Order.select(Order.order_status_id).where(Order.order_id == row.order_id).scalar(),
            settings,
        )
        history = _history(int(row.order_id), settings)
        oc_rows = tuple(oc_shipments.order_shipments(int(row.order_id)))
    ledger = tuple(_account(row)) if row.order_id and row.state == "done" else ()
    return OrderDetail(
        account=ledger,
        row=order_row(row, settings=settings, now=now),
        lines=lines,
        ship_to=ship_to,
        request=request,
        jet_totals=_jet_totals(raw),
        oc_totals=oc_totals,
        oc_status=oc_status,
        history=history,
        shipments=_shipments(row),
        oc_shipments=oc_rows,
        warnings=tuple(str(w) for w in row.warnings or []),
        placed=_date(raw.get("order_placed_date")) or row.order_placed_date,
    )


def order_row(
    row: JetOrder,
    *,
    settings: Settings | None = None,
    now: _dt.datetime | None = None,
    changes: dict[int, AdminChange] | None = None,
) -> OrderRow:
    """One order's row; ``changes``: :func:`.admin_changes.admin_changes` of the orders listed
    (read for this order alone when not given)."""
    raw = row.raw or {}
    order_id = int(row.order_id or 0)
    if changes is None:
        changes = admin_changes([order_id] if row.state == "done" else [], settings)
    view = view_of(row)
    open_units = 0 if row.status == OrderStatus.COMPLETE else view.open_units
    change = still_open(changes.get(order_id), open_units)
    deadline = deadlines.waiting_ack_deadline(
        settings, status=row.status, state=row.state,
        acknowledgement_status=row.acknowledgement_status, raw=row.raw,
        placed=row.order_placed_date,
    )  # fmt: skip
    now = now or _dt.datetime.now(_dt.UTC)
    return OrderRow(
        merchant_order_id=row.merchant_order_id,
        reference_order_id=str(row.reference_order_id or raw.get("reference_order_id") or ""),
        order_id=int(row.order_id or 0),
        buyer=str((raw.get("buyer") or {}).get("name") or ""),
        items=sum(line.ordered for line in view.lines),
        total=_jet_totals(raw)["total"],
        jet_status=str(row.status or ""),
        import_state=str(row.state or ""),
        ship_by=_aware(deadlines.ship_by(raw, row.ship_by)),
        ack_deadline=deadline,
        ack_seconds_left=None if deadline is None else int((deadline - now).total_seconds()),
        open_units=view.open_units,
        error=str(row.error or ""),
        admin_change=change.reason if change else "",
    )


# --- helpers ----------------------------------------------------------------------------------


def _filtered(query: Any, status: str) -> Any:
    jet = [str(s) for s in OrderStatus]
    if status in jet:
        return query.where(JetOrder.status == status)
    if status in JET_ORDER_STATES:
        return query.where(JetOrder.state == status)
    if status == "open":
        return query.where(JetOrder.state == "done")
    choices = ", ".join([*jet, *JET_ORDER_STATES, "open"])
    raise UnknownStatus(f"--status: '{status}' is not one of {choices}")


def _jet_totals(raw: dict[str, Any]) -> dict[str, Decimal]:
    """Items, tax, shipping, shipping tax and total over the order's items: what the buyer
    paid for every unit (:mod:`jettui.jet.item_price` reads Jet's amounts), to the cent."""
    sums = {
        "items": Decimal(0),
        "tax": Decimal(0),
        "shipping": Decimal(0),
        "shipping_tax": Decimal(0),
    }
    keys = {
        "items": "base_price",
        "tax": "item_tax",
        "shipping": "item_shipping_cost",
        "shipping_tax": "item_shipping_tax",
    }
    for item in raw.get("order_items") or []:
        price = item.get("item_price") or {}
        quantity = _quantity(item)
        for name, key in keys.items():
            sums[name] += item_price.line_amount(item_price.amount(price.get(key)), key, quantity)
    sums["total"] = sum(sums.values(), Decimal(0))
    return {k: v.quantize(CENT, rounding=ROUND_HALF_UP) for k, v in sums.items()}


def _unit_price(item: dict[str, Any]) -> Decimal:
    base = item_price.amount((item.get("item_price") or {}).get("base_price"))
    unit = item_price.unit_amount(base, "base_price", _quantity(item))
    return unit.quantize(CENT, rounding=ROUND_HALF_UP)


def _quantity(item: dict[str, Any]) -> int:
    try:
        return max(int(item.get("request_order_quantity") or 0), 0)
    except (TypeError, ValueError):
        return 0


def _shipments(row: JetOrder) -> tuple[ShipmentRow, ...]:
    records = list(row.shipments or [])
    ours = {r.get("alt_shipment_id") for r in records}
    foreign = [
        {
            "alt_shipment_id": s.get("alt_shipment_id") or s.get("shipment_id") or "",
            "state": "on Jet",
            "body": s,
        }
        for s in (row.raw or {}).get("shipments") or []
        if s.get("alt_shipment_id") not in ours
    ]
    out = []
    for record in [*records, *foreign]:
        body = record.get("body") or {}
        shipped: dict[str, int] = {}
        cancelled: dict[str, int] = {}
        for item in body.get("shipment_items") or []:
            sku = str(item.get("merchant_sku") or "")
            if item.get("response_shipment_sku_quantity"):
                shipped[sku] = shipped.get(sku, 0) + int(item["response_shipment_sku_quantity"])
            if item.get("response_shipment_cancel_qty"):
                cancelled[sku] = cancelled.get(sku, 0) + int(item["response_shipment_cancel_qty"])
        out.append(
            ShipmentRow(
                alt_shipment_id=str(record.get("alt_shipment_id") or ""),
                state=str(record.get("state") or ""),
                sent_at=str(record.get("sent_at") or ""),
                carrier=str(body.get("carrier") or ""),
                method=str(body.get("response_shipment_method") or ""),
                tracking_number=str(body.get("shipment_tracking_number") or ""),
                shipped=shipped,
                cancelled=cancelled,
            )
        )
    return tuple(out)


def _history(order_id: int, settings: Settings | None) -> tuple[HistoryRow, ...]:
    rows = (
        OrderHistory.select()
        .where(OrderHistory.order_id == order_id)
        .order_by(OrderHistory.date_added, OrderHistory.order_history_id)
    )
    return tuple(
        HistoryRow(
            date_added=h.date_added,  # the shop's local time, as its admin shows it
            status_id=int(h.order_status_id),
            status=_status_name(h.order_status_id, settings),
            comment=h.comment or "",
            notify=bool(h.notify),
        )
        for h in rows
    )


def _status_name(status_id: Any, settings: Settings | None) -> str:
    if status_id is None:
        return ""
    language = settings.store.language_id if settings else 1
    name = (
        OcOrderStatus.select(OcOrderStatus.name)
        .where(
            (OcOrderStatus.order_status_id == status_id) & (OcOrderStatus.language_id == language)
        )
        .scalar()
    )
    return name or f"status {status_id}"


def _date(value: Any) -> _dt.datetime | None:
    try:
        return parse_jet_date(value)
    except (TypeError, ValueError):
        return None


def _aware(value: Any) -> _dt.datetime | None:
    """jettui's naive-UTC timestamps (and OpenCart's) as aware UTC datetimes."""
    if not isinstance(value, _dt.datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=_dt.UTC)


def _iso(value: Any) -> str | None:
    if isinstance(value, _dt.datetime):
        return value.isoformat(timespec="seconds")
    return None
