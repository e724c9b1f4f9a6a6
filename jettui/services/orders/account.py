"""One account per Jet order line: the single place that decides refund caps and restocks.

Every Jet order item (keyed by Jet's ``order_item_id``: two items of one SKU are two lines)
has a ``jet_order_line`` row (:class:`jettui.store.jet_tables.JetOrderLine`): units ordered,
shipped, cancelled, returned, restocked, kept by the buyer, refunded, and the dollars refunded
per component (principal, tax, shipping_cost, shipping_tax; Decimal). The import creates the
rows; orders imported before the table existed get theirs on first use, from the order as Jet
sent it and the shipments jettui recorded (:func:`accounts`).

Who writes what (each in the same InnoDB transaction as the ledger row that records the event,
so a count can never be added twice nor lost):

- ``shipped`` / ``cancelled``: recomputed by value from Jet's shipments (jettui's own messages
  Jet took, and those Jet lists that other tools sent) and Jet's status (a cancelled, rejected
  or complete order has no open units left: they are cancelled) — :func:`progress`.
- ``refunded`` and the dollars: reserved when a refund or a return completion is recorded,
  before it is sent (:func:`reserve`), released when Jet refuses or rejects it
  (:func:`release`). A merchant refund's units are ``kept`` (they do not come back).
- ``returned`` / ``restocked`` / ``kept``: when a return completion is recorded in OpenCart
  (:func:`record_return`); ``restocked`` only with ``returns.restock`` on, never for units of
  a ``refund_without_return`` return (the buyer keeps them), nor for a rejected return.

Rules (pure, :func:`refund_terms`, :func:`check_units`): a refund or a return completion never
refunds more units than shipped and not yet refunded, nor more dollars per component than was
paid for the units refunded so far (these included) minus the dollars already refunded. The
default for ``n`` more units is ``paid(k + n) - paid(k)`` (``k`` units refunded before; paid
from :func:`jettui.services.return_rules.paid_for_units`, the one reading of Jet's item_price),
so split refunds add up exactly to the whole: 25.01 for 2 units → 12.51 + 12.50.

Stock: OpenCart's own rules stay the judge (shared/docs/opencart.md, "What OpenCart's own code
does later" and "Stock on orders"):

- Rule 1, ``addOrderHistory``: an order leaving processing∪complete gets every
  ``order_product`` line (and its ``order_option`` values) restocked in full; a change between
  two statuses of that set moves nothing. So the lines must always hold exactly the units still
  taken from stock: :func:`settle_lines` brings each line down to ``ordered - cancelled -
  restocked`` (units cancelled, or returned and restocked, go back now), like
  ``oc_orders.restock_lines`` does for partial cancels, and the sub-total and total follow the
  lines. A later Canceled in the admin then restocks exactly what is still out, and never a
  unit twice.
- Rule 2, same function: a refund of units the buyer kept or lost must not move the order out
  of processing∪complete (OpenCart would restock units that never came back).
  :func:`status_after_refund` picks ``orders.status_refunded`` only when that status holds
  stock or no line holds a unit any more; otherwise the order keeps its status and the refund
  is an ``order_history`` row (``config check`` warns about such a mapping).
- Rule 3, ``restock_lines``/``take_line_down``: each line's move is ONE statement guarded by the
  line's quantity read before it (a multi-table UPDATE on MySQL's MyISAM tables), and the
  target comes from the account, which is committed first. A run killed after the statement
  finds the line at its target and moves nothing; killed before it, the next run moves it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from jettui.errors import UsageError
from jettui.jet.item_price import order_items
from jettui.services import return_rules as rules
from jettui.store.order_lines import recorded_line_ids

if TYPE_CHECKING:
    from jettui.config import Settings
    from jettui.store.jet_tables import JetOrder
    from jettui.store.oc_orders import ShopContext

Amounts = dict[str, Decimal]
ZERO = Decimal("0.00")
#: refund component → the account's column
MONEY_COLUMNS: dict[str, str] = {
    "principal": "refunded_principal",
    "tax": "refunded_tax",
    "shipping_cost": "refunded_shipping_cost",
    "shipping_tax": "refunded_shipping_tax",
}
#: Jet statuses after which no unit of the order is open any more (open units = cancelled)
CLOSED_STATES = frozenset({"complete", "cancelled", "rejected"})
#: jettui's shipment records Jet took (JetOrder.shipments[].state)
TAKEN_RECORDS = frozenset({"sent", "applied"})
#: the feedback sent for returned units that were already refunded (Jet's RefundFeedback)
ALREADY_REFUNDED_FEEDBACK = "other"


class AccountChanged(UsageError):
    """Another run changed the order's account between the check and the write: nothing was
    sent; try again."""


# --- the account, as the rules see it (pure) --------------------------------------------------


@dataclass(frozen=True)
class LineAccount:
    """One Jet order line's account (a ``jet_order_line`` row, or a line not written yet)."""

    order_item_id: str
    merchant_sku: str = ""
    order_product_id: int = 0
    ordered: int = 0
    shipped: int = 0
    cancelled: int = 0
    returned: int = 0
    restocked: int = 0
    kept: int = 0
    refunded: int = 0
    amounts: Mapping[str, Decimal] = field(default_factory=rules.zero_amounts)
    version: int = 0

    @property
    def refundable(self) -> int:
        """Units shipped and not refunded yet."""
        return max(0, self.shipped - self.refunded)

    @property
    def held(self) -> int:
        """Units the OpenCart line must hold: taken from stock and not back."""
        return max(0, self.ordered - self.cancelled - self.restocked)

    def as_dict(self) -> dict[str, Any]:
        return {
            "order_item_id": self.order_item_id,
            "merchant_sku": self.merchant_sku,
            "order_product_id": self.order_product_id,
            "ordered": self.ordered,
            "shipped": self.shipped,
            "cancelled": self.cancelled,
            "returned": self.returned,
            "restocked": self.restocked,
            "kept": self.kept,
            "refunded": self.refunded,
            "refundable": self.refundable,
            "refunded_amounts": {k: f"{Decimal(v):.2f}" for k, v in self.amounts.items()},
        }


def progress(
    raw: Mapping[str, Any], records: Sequence[Mapping[str, Any]], jet_state: str = ""
) -> dict[str, tuple[int, int]]:
    """``{order_item_id: (shipped, cancelled)}`` of the Jet order ``raw``: jettui's shipment
    ``records`` Jet took and every shipment Jet lists that they do not hold. Jet's shipments
    name SKUs, not items: a SKU on several items fills them in item order. ``jet_state``
    complete/cancelled/rejected: the units still open were cancelled by Jet."""
    from jettui.services.orders.ship_form import shipment_items

    taken = [r for r in records if r.get("state") in TAKEN_RECORDS]
    ours = {r.get("alt_shipment_id") for r in taken}
    bodies = [r.get("body") or {} for r in taken]
    bodies += [s for s in raw.get("shipments") or [] if s.get("alt_shipment_id") not in ours]
    shipped: dict[str, int] = {}
    cancelled: dict[str, int] = {}
    for item in shipment_items(bodies):
        sku = str(item.get("merchant_sku") or "")
        shipped[sku] = shipped.get(sku, 0) + _int(item.get("response_shipment_sku_quantity"))
        cancelled[sku] = cancelled.get(sku, 0) + _int(item.get("response_shipment_cancel_qty"))
    out: dict[str, tuple[int, int]] = {}
    for item in order_items(raw):
        sku = str(item.get("merchant_sku") or "")
        ordered = _int(item.get("request_order_quantity"))
        ship = min(ordered, shipped.get(sku, 0))
        shipped[sku] = shipped.get(sku, 0) - ship
        cancel = min(ordered - ship, cancelled.get(sku, 0))
        cancelled[sku] = cancelled.get(sku, 0) - cancel
        if jet_state in CLOSED_STATES:
            cancel = ordered - ship
        out[str(item.get("order_item_id") or "")] = (ship, cancel)
    return out


def refund_terms(
    item: Mapping[str, Any], account: LineAccount, units: int
) -> tuple[Amounts, Amounts]:
    """``(default, cap)`` per component for refunding ``units`` more units of ``item`` (the Jet
    order item) on top of ``account``: the default is what the buyer paid for exactly these
    units (``paid(k + units) - paid(k)``, so parts add up to the whole), the cap what was paid
    for all units refunded so far and these, minus the dollars already refunded."""
    before = account.refunded
    paid_now = rules.paid_for_units(item, before + units) if before + units else None
    paid_before = rules.paid_for_units(item, before) if before else rules.zero_amounts()
    cap: Amounts = {}
    default: Amounts = {}
    for key in rules.AMOUNT_KEYS:
        whole = paid_now[key] if paid_now is not None else ZERO
        cap[key] = max(ZERO, rules.cents(whole - Decimal(account.amounts.get(key, ZERO))))
        default[key] = min(max(ZERO, whole - paid_before[key]), cap[key]) if units else ZERO
    return default, cap


def units_problem(account: LineAccount, units: int, where: str) -> str | None:
    """The problem with refunding ``units`` of the line (None: allowed)."""
    if units <= account.refundable:
        return None
    return (
        f"{where}: {units} is more than the {account.refundable} left to refund on order item "
        f"{account.order_item_id} ({account.merchant_sku}: {account.shipped} shipped, "
        f"{account.refunded} already refunded)"
    )


def find_lines(
    key: str, accounts: Mapping[str, LineAccount]
) -> tuple[list[LineAccount], str | None]:
    """The lines a form line names: an ``order_item_id``, or a SKU (every line of it)."""
    if key in accounts:
        return [accounts[key]], None
    found = [a for a in accounts.values() if a.merchant_sku == key]
    if not found:
        return [], f"'{key}' is not on this order"
    return found, None


def spread(units: int, lines: Sequence[LineAccount]) -> list[tuple[LineAccount, int]]:
    """``units`` of a SKU that is on several lines, filled in item order up to what is left
    to refund on each; the last line takes the rest (so its check names what is missing)."""
    out: list[tuple[LineAccount, int]] = []
    left = units
    for n, line in enumerate(lines):
        take = left if n == len(lines) - 1 else min(left, line.refundable)
        if take:
            out.append((line, take))
        left -= take
    return out or [(lines[-1], 0)]


def status_after_refund(
    settings: Settings,
    shop: ShopContext,
    current: int,
    accounts: Iterable[LineAccount],
    held: Mapping[int, int],
) -> tuple[int, str]:
    """The OpenCart status after an accepted refund, and why (for the history comment):
    ``orders.status_refunded`` once every shipped unit is refunded, when OpenCart's move there
    restocks nothing that is not back (the status holds stock, or no line holds a unit:
    ``held`` is each ``order_product`` line's quantity); else the current status."""
    lines = list(accounts)
    whole = any(a.shipped for a in lines) and all(a.refunded >= a.shipped for a in lines)
    target = settings.orders.status_refunded
    if not whole or current == target:
        return current, ""
    if target in shop.stock_statuses or not any(held.values()):
        return target, ""
    units = sum(held.values())
    return current, (
        f" Every shipped unit is refunded; the order keeps its status: OpenCart would restock "
        f"the {units} unit(s) still on its lines (not back) if it moved to status {target}."
    )


# --- the store side (store thread) --------------------------------------------------------------


def accounts(
    merchant_order_id: str, raw: Mapping[str, Any] | None = None
) -> dict[str, LineAccount]:
    """The order's line accounts (``{order_item_id: LineAccount}``), created when missing and
    their shipped/cancelled brought up to date from ``raw`` (the order as Jet has it now;
    default: as jettui stored it) and jettui's shipment records."""
    from jettui.store.jet_tables import JetOrder

    row = JetOrder.get_or_none(JetOrder.merchant_order_id == merchant_order_id)
    if row is None:
        return {}
    return sync(row, raw)


def open_lines(
    row: JetOrder, lines: Sequence[Mapping[str, Any]] = (), *, new_order: bool = False
) -> None:
    """Write the missing account rows of an imported order (the import, and first use).
    ``lines``: the import's Jet item ↔ order_product pairs (default: ``row.lines``). A row
    made on first use counts what refunds and returns recorded before (an order an older
    jettui imported); ``new_order`` (the import) skips that look-up."""
    from jettui.store.base import tuple_rows
    from jettui.store.jet_tables import JetOrderLine

    # the import's insert skips lines written before (unique key): no look-up needed
    written = (
        set()
        if new_order
        else {
            str(i)
            for (i,) in tuple_rows(
                JetOrderLine.select(JetOrderLine.order_item_id).where(
                    JetOrderLine.merchant_order_id == row.merchant_order_id
                )
            )
        }
    )
    new = new_line_rows(row, lines, written)
    if new:
        earlier = {} if new_order else _earlier_counts(row.merchant_order_id)
        for values in new:
            values.update(earlier.get(str(values["order_item_id"]), {}))
        insert_line_rows(new)


def new_line_rows(
    row: JetOrder, lines: Sequence[Mapping[str, Any]] = (), written: Set[str] = frozenset()
) -> list[dict[str, Any]]:
    """The account rows of an imported order's items not in ``written`` (item ids)."""
    line_ids = recorded_line_ids(lines or row.lines)
    return [
        {
            "merchant_order_id": row.merchant_order_id,
            "order_item_id": str(item.get("order_item_id") or ""),
            "order_id": int(row.order_id or 0),
            "order_product_id": line_ids.get(str(item.get("order_item_id") or ""), 0),
            "merchant_sku": str(item.get("merchant_sku") or "")[:100],
            "ordered": _int(item.get("request_order_quantity")),
        }
        for item in order_items(row.raw or {})
        if str(item.get("order_item_id") or "") not in written
    ]


def insert_line_rows(rows: list[dict[str, Any]]) -> None:
    """Insert account rows (of one order or many); a line that has one keeps it (unique key)."""
    from jettui.store.fast_sql import insert_rows
    from jettui.store.jet_tables import JetOrderLine

    insert_rows(JetOrderLine, rows, ignore=True)


def _earlier_counts(merchant_order_id: str) -> dict[str, dict[str, Any]]:
    """What refunds and completed returns recorded before this order had accounts (an order
    imported by an older jettui) count on each line: refunds not failed nor rejected, and the
    refunds, units back and restocks of completed returns."""
    from jettui.store.jet_tables import JetRefund, JetReturn

    out: dict[str, dict[str, Any]] = {}

    def add(item_id: str, column: str, value: Any) -> None:
        line = out.setdefault(item_id, {})
        line[column] = line.get(column, 0) + value

    refunds = JetRefund.select().where(
        (JetRefund.merchant_order_id == merchant_order_id) & (JetRefund.state != "failed")
    )
    for refund in refunds:
        if refund.status.startswith("rejected"):
            continue
        for item in refund.items or []:
            qty = int(item.get("quantity") or 0)
            item_id = str(item.get("order_item_id"))
            add(item_id, "refunded", qty)
            add(item_id, "kept", qty)
            for key, value in (item.get("amounts") or {}).items():
                add(item_id, MONEY_COLUMNS[key], Decimal(str(value)))
    returns = JetReturn.select().where(
        (JetReturn.merchant_order_id == merchant_order_id) & (JetReturn.state == "completed")
    )
    for ret in returns:
        completion = ret.completion or {}
        for line in completion.get("lines") or []:
            item_id = str(line.get("order_item_id"))
            add(item_id, "refunded", int(line.get("refund_quantity") or 0))
            for key, value in (line.get("amounts") or {}).items():
                add(item_id, MONEY_COLUMNS[key], Decimal(str(value)))
            back = int(line.get("quantity_returned") or 0)
            add(item_id, "returned", back)
            if completion.get("restocked"):
                add(item_id, "restocked", back)
    return out


def sync(row: JetOrder, raw: Mapping[str, Any] | None = None) -> dict[str, LineAccount]:
    """:func:`accounts` of a loaded ``jet_order`` row."""
    from jettui.services.orders.status import jet_state, state_of
    from jettui.store.jet_tables import JetOrderLine
    from jettui.store.text import utcnow

    open_lines(row)
    source = dict(raw) if raw is not None else dict(row.raw or {})
    state = jet_state(row) if raw is None else state_of(str(source.get("status") or ""), source)
    done = progress(source, list(row.shipments or []), state)
    out: dict[str, LineAccount] = {}
    # read whole before writing: an UPDATE while the SELECT's cursor is still open upgrades a
    # SQLite read snapshot to a write, which fails at once ("database is locked") when another
    # connection wrote in between
    lines = list(
        JetOrderLine.select()
        .where(JetOrderLine.merchant_order_id == row.merchant_order_id)
        .order_by(JetOrderLine.id)  # item order: a SKU on two items fills them in this order
    )
    for line in lines:
        shipped, cancelled = done.get(line.order_item_id, (line.shipped, line.cancelled))
        # by value, never down: Jet's counts only grow (an older read must not undo a newer)
        shipped, cancelled = max(shipped, line.shipped), max(cancelled, line.cancelled)
        if (shipped, cancelled) != (line.shipped, line.cancelled):
            JetOrderLine.update(shipped=shipped, cancelled=cancelled, updated_at=utcnow()).where(
                JetOrderLine.id == line.id
            ).execute()
            line.shipped, line.cancelled = shipped, cancelled
        out[line.order_item_id] = _view(line)
    return out


def _view(line: Any) -> LineAccount:
    return LineAccount(
        order_item_id=line.order_item_id,
        merchant_sku=line.merchant_sku,
        order_product_id=int(line.order_product_id or 0),
        ordered=int(line.ordered),
        shipped=int(line.shipped),
        cancelled=int(line.cancelled),
        returned=int(line.returned),
        restocked=int(line.restocked),
        kept=int(line.kept),
        refunded=int(line.refunded),
        amounts={k: rules.cents(Decimal(str(getattr(line, c)))) for k, c in MONEY_COLUMNS.items()},
        version=int(line.version),
    )


@dataclass(frozen=True)
class Change:
    """What one event adds to one line (negative to take back)."""

    order_item_id: str
    refunded: int = 0
    amounts: Mapping[str, Decimal] = field(default_factory=dict)
    kept: int = 0
    returned: int = 0
    restocked: int = 0
    version: int | None = None  # the version the caller checked against (None: no guard)

    def negated(self) -> Change:
        return replace(
            self,
            refunded=-self.refunded,
            amounts={k: -Decimal(v) for k, v in self.amounts.items()},
            kept=-self.kept,
            returned=-self.returned,
            restocked=-self.restocked,
            version=None,
        )


def apply(merchant_order_id: str, changes: Iterable[Change]) -> None:
    """Add ``changes`` to the order's lines: one UPDATE per line, guarded by the version the
    caller checked (:class:`AccountChanged` when another run changed the line since). Run it
    inside the transaction that writes the event's ledger row: both or neither."""
    from jettui.store.jet_tables import JetOrderLine
    from jettui.store.text import utcnow

    for change in changes:
        values: dict[Any, Any] = {
            JetOrderLine.refunded: JetOrderLine.refunded + change.refunded,
            JetOrderLine.kept: JetOrderLine.kept + change.kept,
            JetOrderLine.returned: JetOrderLine.returned + change.returned,
            JetOrderLine.restocked: JetOrderLine.restocked + change.restocked,
            JetOrderLine.version: JetOrderLine.version + 1,
            JetOrderLine.updated_at: utcnow(),
        }
        for key, amount in change.amounts.items():
            column = getattr(JetOrderLine, MONEY_COLUMNS[key])
            values[column] = column + rules.cents(Decimal(amount))
        where = (JetOrderLine.merchant_order_id == merchant_order_id) & (
            JetOrderLine.order_item_id == change.order_item_id
        )
        if change.version is not None:
            where &= JetOrderLine.version == change.version
        if not JetOrderLine.update(values).where(where).execute():
            raise AccountChanged(
                f"order {merchant_order_id} item {change.order_item_id}: changed by another "
                "run meanwhile; nothing was sent, try again"
            )


def reserve(merchant_order_id: str, changes: Iterable[Change]) -> None:
    """Count a refund (or a return completion's refund) before it is sent: see :func:`apply`."""
    apply(merchant_order_id, changes)


def release(merchant_order_id: str, changes: Iterable[Change]) -> None:
    """Take back what :func:`reserve` counted (Jet refused or rejected it)."""
    apply(merchant_order_id, [c.negated() for c in changes])


def settle_lines(merchant_order_id: str, shop: ShopContext, *, attempts: int = 3) -> dict[int, int]:
    """Bring every OpenCart line of the order down to the units its account says it holds
    (:attr:`LineAccount.held`), units put back in stock when the order's status holds stock
    (module docstring, rules 1 and 3). Never raises a line; returns ``{order_product_id:
    units taken off}``. Idempotent: a line already at its target moves nothing."""
    from jettui.store.jet_tables import JetOrder, log_event
    from jettui.store.oc_orders import take_line_down
    from jettui.store.opencart import OrderProduct

    row = JetOrder.get_or_none(JetOrder.merchant_order_id == merchant_order_id)
    if row is None or not row.order_id:
        return {}
    order_id = int(row.order_id)
    taken: dict[int, int] = {}
    for line in sync(row).values():
        if not line.order_product_id:
            continue
        for _ in range(attempts):
            current = (
                OrderProduct.select(OrderProduct.quantity)
                .where(
                    (OrderProduct.order_product_id == line.order_product_id)
                    & (OrderProduct.order_id == order_id)
                )
                .scalar()
            )
            if current is None or int(current) <= line.held:
                break  # gone (the admin deleted it), or already at its target
            if take_line_down(order_id, line.order_product_id, int(current), line.held, shop=shop):
                taken[line.order_product_id] = int(current) - line.held
                log_event(
                    "order",
                    f"OpenCart line {line.order_product_id} ({line.merchant_sku}): "
                    f"{int(current) - line.held} unit(s) back, {line.held} left on the line",
                    ref=merchant_order_id,
                )
                break
    _totals_from_lines(order_id)
    return taken


def _totals_from_lines(order_id: int) -> None:
    """The order's ``sub_total`` row = Σ its lines' totals, ``total`` (and ``order.total``) =
    the other rows plus it, as the import wrote them: absolute values, so a run killed between
    a line's move and this write is put right by the next :func:`settle_lines`. Tax and
    shipping rows stay (what Jet refunds of them is in the order history)."""
    from jettui.store.opencart import Order, OrderProduct, OrderTotal

    lines = OrderProduct.select(OrderProduct.total).where(OrderProduct.order_id == order_id)
    sub_total = sum((Decimal(str(line.total)) for line in lines), Decimal(0))
    rows = list(OrderTotal.select().where(OrderTotal.order_id == order_id))
    by_code = {row.code: row for row in rows}
    if "sub_total" not in by_code or "total" not in by_code:
        return  # not a shape jettui wrote: left to the merchant
    others = sum(
        (Decimal(str(r.value)) for r in rows if r.code not in ("sub_total", "total")), Decimal(0)
    )
    total = sub_total + others
    for code, value in (("sub_total", sub_total), ("total", total)):
        if Decimal(str(by_code[code].value)) != value:
            OrderTotal.update(value=value).where(
                OrderTotal.order_total_id == by_code[code].order_total_id
            ).execute()
    Order.update(total=total).where((Order.order_id == order_id) & (Order.total != total)).execute()


def held_units(order_id: int) -> dict[int, int]:
    """``{order_product_id: quantity}`` of an OpenCart order's lines."""
    from jettui.store.base import tuple_rows
    from jettui.store.opencart import OrderProduct

    rows = OrderProduct.select(OrderProduct.order_product_id, OrderProduct.quantity).where(
        OrderProduct.order_id == order_id
    )
    return {int(i): int(q) for i, q in tuple_rows(rows)}


def refund_changes(
    lines: Sequence[Mapping[str, Any]], *, units_key: str, kept: bool
) -> list[Change]:
    """What recorded refund lines (``order_item_id``, ``units_key`` units, ``amounts``) count
    on the accounts: units and dollars refunded; ``kept``: a merchant refund, whose units the
    buyer keeps (a return's refunds are of units that come back)."""
    out = []
    for line in lines:
        units = int(line.get(units_key) or 0)
        amounts = {k: Decimal(str(v)) for k, v in (line.get("amounts") or {}).items()}
        out.append(
            Change(str(line["order_item_id"]), refunded=units, amounts=amounts,
                   kept=units if kept else 0)
        )  # fmt: skip
    return out


def return_changes(
    lines: Sequence[Mapping[str, Any]],
    accounts: Mapping[str, LineAccount],
    *,
    restock: bool,
    without_return: bool,
    rejected: bool,
) -> list[Change]:
    """What a completed return adds to its lines once OpenCart has it (its refunds are counted
    apart): units the buyer kept (``refund_without_return``), or units back — restocked when
    ``restock`` is on and the return is not rejected — which the buyer no longer keeps."""
    out = []
    for line in lines:
        item_id = str(line["order_item_id"])
        units = int(line.get("quantity_returned") or 0)
        if without_return:
            out.append(Change(item_id, kept=units))
            continue
        kept = accounts[item_id].kept if item_id in accounts else 0
        back = 0 if rejected or not restock else units
        out.append(Change(item_id, returned=units, restocked=back, kept=-min(kept, units)))
    return out


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0
