"""The read models of Jet returns: the Returns panel's grid source, ``jettui returns list``
and the completion form (store thread). Money is Decimal from Jet's JSON to the screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import peewee as pw

from jettui.errors import UsageError
from jettui.jet import item_price
from jettui.jet.dates import parse_jet_date
from jettui.jet.enums import CHARGE_FEEDBACK, REFUND_FEEDBACK
from jettui.services.listing import Column, JetTableSource, _money, _text, short_status, short_time
from jettui.services.orders import account
from jettui.services.return_rules import (
    AMOUNT_KEYS,
    ReturnForm,
    check_return_form,
    paid_for_units,
    requested_amounts,
    return_items,
)
from jettui.store.base import tuple_rows
from jettui.store.jet_tables import JetOrder, JetReturn
from jettui.store.opencart import Order

UNFINISHED = ("waiting", "intent")  # recorded, not mirrored to OpenCart yet


class ReturnNotFound(UsageError):
    """The return id is not one jettui has fetched."""


def load_for_completion(return_id: str) -> dict[str, Any]:
    """A mirrored return's state, its order as Jet sent it and the order's line accounts (store
    thread). Raises :class:`ReturnNotFound`."""
    row = JetReturn.get_or_none(JetReturn.merchant_return_authorization_id == return_id)
    if row is None:
        raise ReturnNotFound(f"return {return_id}: not fetched by jettui (run fetch-returns)")
    if row.state in UNFINISHED:
        why = row.error or "its OpenCart returns are not written yet"
        raise ReturnNotFound(f"return {return_id}: not mirrored to OpenCart yet ({why})")
    order = JetOrder.get_or_none(JetOrder.merchant_order_id == row.merchant_order_id)
    if order is None or not isinstance(order.raw, dict):
        raise ReturnNotFound(f"return {return_id}: its order {row.merchant_order_id} is unknown")
    return {
        "state": row.state,
        "order": order.raw,
        "merchant_order_id": order.merchant_order_id,
        "accounts": account.sync(order),
    }


def _requested_total(item: Mapping[str, Any]) -> Decimal:
    """principal + tax + shipping cost + shipping tax the return line asks for."""
    requested = item.get("requested_refund_amount")
    if not isinstance(requested, Mapping):
        return item_price.amount(requested)
    return sum((item_price.amount(requested.get(k)) for k in AMOUNT_KEYS), Decimal(0))


def _units(items: list[dict[str, Any]], *keys: str) -> str:
    total = 0
    for item in items:
        value = next((item[k] for k in keys if item.get(k) is not None), 0)
        total += int(item_price.amount(value))
    return str(total) if items else ""


def _reasons(items: list[dict[str, Any]], key: str = "reason") -> str:
    seen: list[str] = []
    for item in items:
        reason = str(item.get(key) or "").strip()
        if reason and reason not in seen:
            seen.append(reason)
    return "; ".join(seen)


#: what a completed return came to (the Returns panel's Outcome, ``returns list``'s outcome)
REFUNDED, PARTLY, REJECTED, NO_REFUND = "refunded", "partly", "rejected", "no refund"


def return_outcome(
    state: str, completion: Mapping[str, Any] | None, requested: Decimal
) -> tuple[str, Decimal | None]:
    """(outcome, amount actually refunded) of a return, from what its completion sent (the
    return's record: per line the units refunded and the four amounts). ``("", None)`` while
    it is not completed: ``rejected`` (completed with nothing refunded, as Jet's API rejects),
    ``refunded`` (every returned unit, the whole requested amount), ``partly`` (less),
    ``no refund`` (completed, refunding nothing, not a rejection)."""
    if state != "completed" or not isinstance(completion, Mapping):
        return "", None
    lines = [line for line in completion.get("lines") or [] if isinstance(line, Mapping)]
    refunded = sum(
        (
            item_price.amount((line.get("amounts") or {}).get(key))
            for line in lines
            for key in AMOUNT_KEYS
        ),
        Decimal(0),
    )
    if completion.get("rejected"):
        return REJECTED, refunded
    if refunded == 0:
        return NO_REFUND, refunded
    every_unit = all(
        int(line.get("refund_quantity") or 0) >= int(line.get("quantity_returned") or 0)
        for line in lines
    )
    return (REFUNDED if every_unit and refunded >= requested else PARTLY), refunded


class ReturnSource(JetTableSource):
    """Jet returns with the OpenCart returns they became: lines, reasons and requested
    amounts as Jet sent them; the buyer from the OpenCart order. `state="waiting"` marks a
    return whose order jettui never imported (its status says so)."""

    MODEL = "JetReturn"
    FIELDS = ("merchant_return_authorization_id", "return_ids")
    SEARCH = ("merchant_return_authorization_id", "reference_return_authorization_id",
              "merchant_order_id", "status")  # fmt: skip
    ZERO_IS_BLANK = frozenset()
    columns = (
        Column("return_id", "Jet return", min_width=9),
        Column("oc_returns", "OC ret", 7, sortable=False),
        Column("units", "Units", 5, align="right", sortable=False),
        Column("requested", "Requested", 9, align="right", sortable=False),
        Column("status", "Status", 10, short=short_status),
        Column("reason", "Reason", ratio=2, min_width=12, sortable=False),
        Column("order", "Jet order", 12, optional=True),
        # a completed return's outcome and the amount it actually refunded: "rejected 0.00"
        Column("outcome", "Outcome", 15, sortable=False),
        Column("buyer", "Buyer", 12, optional=True),
        Column("returned", "Returned", 11, optional=True),
    )

    def _select(self, *fields: Any) -> pw.ModelSelect:

        join_on = Order.order_id == self._model().order_id
        return super()._select(*fields).join(Order, pw.JOIN.LEFT_OUTER, on=join_on)

    def _fields(self) -> list[Any]:
        model = self._model()
        return [
            *super()._fields(),
            model.id,  # units
            model.id,  # requested
            model.status,
            model.id,  # reason
            model.merchant_order_id,
            model.id,  # outcome
            Order.lastname,
            model.created_at,
            # display only
            model.state,
            model.raw,
            Order.firstname,
            model.completion,
        ]

    def _search(self) -> list[Any]:

        return [*super()._search(), Order.lastname, Order.firstname]

    def _format(self, row: tuple[Any, ...]) -> Sequence[str]:
        (jet_id, return_ids, _u, _r, status, _why, order, _o, last, created,
         state, raw, first, completion) = row  # fmt: skip
        items = return_items(raw) if isinstance(raw, dict) else []
        requested = sum((_requested_total(i) for i in items), Decimal(0))
        outcome, refunded = return_outcome(state, completion, requested)
        returned = raw.get("return_date") if isinstance(raw, dict) else None
        when = short_time(created)
        if returned:
            try:
                when = parse_jet_date(returned).strftime("%m-%d %H:%M")
            except (TypeError, ValueError):
                pass
        ids = return_ids if isinstance(return_ids, list) else []
        return (
            _text(jet_id),
            ",".join(str(i) for i in ids),
            _units(items, "return_quantity", "total_quantity_returned"),
            _money(requested) if items else "",
            "no order" if state == "waiting" else _text(status),
            _reasons(items),
            _text(order),
            "" if refunded is None else f"{outcome} {_money(refunded)}",
            " ".join(_text(p) for p in (first, last) if p),
            when,
        )


def completion_form_view(db: Any, return_id: str) -> dict[str, Any]:
    """What the completion form shows (store thread; JSON-able): per returned line (SKU and
    order_item_id) the title, units returned, Jet's reason, what the return requested, what
    the buyer paid for those units, the units still refundable and already refunded on the
    line, and the default refund (units not refunded yet, at the smaller of what is left of
    what was paid and what was requested); plus the feedback and charge-feedback choices.
    Raises :class:`ReturnNotFound`."""
    loaded = load_for_completion(return_id)
    order = loaded["order"]
    row = JetReturn.get(JetReturn.merchant_return_authorization_id == return_id)
    accounts = loaded["accounts"]
    lines, _problems = check_return_form(row.raw or {}, order, ReturnForm(), accounts)
    items = {str(i.get("order_item_id")): i for i in return_items(row.raw or {})}
    ordered = {str(i.get("order_item_id")): i for i in order.get("order_items") or []}

    def text(amounts: Mapping[str, Decimal]) -> dict[str, str]:
        return {k: f"{v:.2f}" for k, v in amounts.items()}

    return {
        "return_id": return_id,
        "state": row.state,
        "lines": [
            {
                "sku": line.sku,
                "order_item_id": line.order_item_id,
                "title": items[line.order_item_id].get("merchant_sku_title"),
                "reason": items[line.order_item_id].get("reason"),
                "quantity_returned": line.quantity_returned,
                "requested": text(requested_amounts(items[line.order_item_id])),
                "paid": text(paid_for_units(ordered[line.order_item_id], line.quantity_returned)),
                "refundable": accounts[line.order_item_id].refundable,
                "already_refunded": accounts[line.order_item_id].refunded,
                "refund_quantity": line.refund_quantity,
                "default_refund": text(line.amounts),
            }
            for line in lines
            if line.order_item_id in accounts
        ],
        "refund_feedback_choices": list(REFUND_FEEDBACK),
        "charge_feedback_choices": list(CHARGE_FEEDBACK),
    }


def list_returns(db: Any, *, states: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Every Jet return jettui knows, newest first, as JSON-able dicts (store thread): Jet's
    return id and reference, the order (Jet id, reference, OpenCart id), the buyer, the lines
    (SKU, title, quantity, reason, requested amounts), the requested total, Jet's status, the
    mirror state (``waiting`` with the reason in ``error``...), the OpenCart return ids, what
    the completion sent, its ``outcome`` (refunded, partly, rejected, no refund; None until
    completed) with ``refunded_total`` (what it actually refunded), and ``deadline`` (None: Jet
    gives returns no deadline)."""
    query = JetReturn.select().order_by(JetReturn.created_at.desc(), JetReturn.id.desc())
    if states is not None:
        query = query.where(JetReturn.state.in_(list(states)))
    rows = list(query)
    order_ids = {r.order_id for r in rows if r.order_id}
    buyers = {
        o.order_id: f"{o.firstname} {o.lastname}".strip()
        for o in Order.select(Order.order_id, Order.firstname, Order.lastname).where(
            Order.order_id.in_(list(order_ids) or [0])
        )
    }
    refs: dict[str, str] = dict(
        tuple_rows(
            JetOrder.select(JetOrder.merchant_order_id, JetOrder.reference_order_id).where(
                JetOrder.merchant_order_id.in_([r.merchant_order_id for r in rows] or [""])
            )
        )
    )
    out = []
    for row in rows:
        raw = row.raw or {}
        lines: list[dict[str, Any]] = [
            {
                "sku": item.get("merchant_sku"),
                "title": item.get("merchant_sku_title"),
                "quantity": item.get("return_quantity"),
                "reason": item.get("reason"),
                "requested": {k: str(v) for k, v in requested_amounts(item).items()},
            }
            for item in return_items(raw)
        ]
        requested = sum(
            (Decimal(v) for line in lines for v in line["requested"].values()), Decimal(0)
        )
        outcome, refunded = return_outcome(row.state, row.completion, requested)
        out.append({
            "return_id": row.merchant_return_authorization_id,
            "reference": row.reference_return_authorization_id,
            "merchant_order_id": row.merchant_order_id,
            "reference_order_id": (
                raw.get("reference_order_id") or refs.get(row.merchant_order_id, "")
            ),
            "order_id": row.order_id,
            "buyer": buyers.get(row.order_id, ""),
            "lines": lines,
            "requested_total": f"{requested:.2f}",
            "outcome": outcome or None,  # None: not completed yet
            "refunded_total": None if refunded is None else f"{refunded:.2f}",
            "status": row.status,
            "state": row.state,
            "error": row.error,
            "oc_return_ids": list(row.return_ids or []),
            "completion": row.completion,
            "return_date": raw.get("return_date"),
            "deadline": None,
            "updated_at": row.updated_at.isoformat(sep=" ") if row.updated_at else None,
        })  # fmt: skip
    return out


def return_ids(db: Any, row_ids: list[int]) -> list[str]:
    """Grid row ids → Jet return ids (store thread)."""
    query = JetReturn.select(JetReturn.id, JetReturn.merchant_return_authorization_id).where(
        JetReturn.id.in_(row_ids)
    )
    found = dict(query.tuples().execute(db))
    return [found[i] for i in row_ids if i in found]


def return_state(db: Any, row_id: int) -> tuple[str, str] | None:
    """(Jet return id, ledger state) of a grid row (store thread); None when it is gone."""
    query = JetReturn.select(JetReturn.merchant_return_authorization_id, JetReturn.state).where(
        JetReturn.id == row_id
    )
    found = query.tuples().execute(db)
    return (str(found[0][0]), str(found[0][1])) if found else None
