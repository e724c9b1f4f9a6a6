"""The read models of merchant refunds: the Refunds panel's grid source and ``jettui refunds
list`` (store thread). Amounts are the Decimal the refund ledger holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from jettui.jet import item_price
from jettui.services.listing import Column, JetTableSource, _money, _text, short_status, short_time
from jettui.store.jet_tables import JetRefund
from jettui.text_safety import safe_text

# The refund send ledger's words where Jet has no state (yet) to show.
REFUND_STATE_LABELS = {
    "intent": "sending",
    "unknown": "unknown - may have applied: refresh settles it",
    "failed": "not sent",
}


def _refund_lines(items: Any) -> str:
    """``SKU-1×2, SKU-2×1`` (or the unit count when the SKUs are not recorded)."""
    parts = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        qty = int(item_price.amount(item.get("order_return_refund_qty", item.get("quantity"))))
        sku = item.get("merchant_sku") or item.get("sku") or item.get("order_item_id") or "?"
        parts.append(f"{sku}×{qty}")
    return ", ".join(parts)


class RefundSource(JetTableSource):
    """Merchant-initiated refunds and the state Jet reports (or, before Jet has answered,
    the send ledger's: sending, may have applied, not sent)."""

    MODEL = "JetRefund"
    FIELDS = ("merchant_order_id", "items", "amount", "reason", "status", "updated_at")
    SEARCH = ("refund_id", "refund_authorization_id", "merchant_order_id", "status", "reason")
    ZERO_IS_BLANK = frozenset()
    columns = (
        Column("order", "Jet order", min_width=10),
        Column("lines", "Lines", min_width=10, sortable=False, optional=True),
        Column("amount", "Amount", 9, align="right"),
        Column("reason", "Reason", min_width=10, optional=True),
        Column("status", "State", 12, short=short_status),
        Column("updated", "Updated", 11),
        Column("refund_id", "Refund id", 16, optional=True),
    )

    def _fields(self) -> list[Any]:
        model = self._model()
        return [*super()._fields(), model.refund_id, model.state, model.error]

    def _format(self, row: tuple[Any, ...]) -> Sequence[str]:
        order, items, amount, reason, status, updated, refund_id, state, error = row
        shown = REFUND_STATE_LABELS.get(state, _text(status))
        if state == "failed" and error:
            shown = f"not sent - {_text(error)}"
        return (
            _text(order),
            _refund_lines(items),
            _money(amount),
            _text(reason),
            shown,
            short_time(updated),
            _text(refund_id),
        )


def list_refunds(db: Any) -> list[dict[str, Any]]:
    """Every refund jettui created, newest first, as JSON-able dicts (store thread): alt and
    Jet ids, the order, lines (SKU, quantity, amounts), total, reason, feedback, Jet's status
    (``rejected`` with Jet's reason in ``error``), the ledger state, ``may_have_applied`` (the
    answer to the POST was lost: being looked up) and when it was last updated."""
    out = []
    for row in JetRefund.select().order_by(JetRefund.created_at.desc(), JetRefund.id.desc()):
        out.append({
            "alt_refund_id": row.refund_id,
            "refund_authorization_id": row.refund_authorization_id,
            "merchant_order_id": row.merchant_order_id,
            "order_id": row.order_id,
            "lines": row.items or [],
            "amount": f"{Decimal(row.amount):.2f}",
            "reason": row.reason,
            "feedback": row.feedback,
            "status": row.status,
            "state": row.state,
            "may_have_applied": row.state in ("intent", "unknown"),
            "error": row.error,
            "updated_at": row.updated_at.isoformat(sep=" ") if row.updated_at else None,
        })  # fmt: skip
    return out


@dataclass(frozen=True)
class RefundableOrder:
    """An imported Jet order with shipped units not refunded yet: a choice of the refund
    form's order picker (the form then reads the exact accounts from Jet)."""

    merchant_order_id: str
    reference_order_id: str
    buyer: str
    refundable: int  # units shipped and not refunded (jettui's tables)

    @property
    def label(self) -> str:
        """``123456789012 · Jane Doe · 3 refundable · 5e1f0c2a9`` (text from Jet made safe)."""
        parts = [self.reference_order_id, self.buyer[:24], f"{self.refundable} refundable",
                 self.merchant_order_id[:9]]  # fmt: skip
        return " · ".join(safe_text(p) for p in parts if p)


def refundable_orders(
    db: Any = None, *, limit: int = 100, scanned: int = 1000
) -> list[RefundableOrder]:
    """Imported orders with units to refund, newest first (at most ``limit``, among the
    ``scanned`` newest imported orders). Store thread; reads only."""
    from jettui.services.orders.ship_form import view_of
    from jettui.store.jet_tables import JetOrder, JetOrderLine

    rows = list(
        JetOrder.select()
        .where((JetOrder.state == "done") & (JetOrder.order_id != 0))
        .order_by(JetOrder.created_at.desc(), JetOrder.id.desc())
        .limit(scanned)
    )
    refunded: dict[tuple[str, str], int] = {}
    ids = [row.merchant_order_id for row in rows]
    for start in range(0, len(ids), 500):
        query = JetOrderLine.select(
            JetOrderLine.merchant_order_id, JetOrderLine.order_item_id, JetOrderLine.refunded
        ).where(JetOrderLine.merchant_order_id.in_(ids[start : start + 500]))
        for found in cast(Any, query.tuples()):
            order, item, units = (str(found[0]), str(found[1]), int(found[2] or 0))
            refunded[(order, item)] = units
    out: list[RefundableOrder] = []
    for row in rows:
        units = sum(
            max(0, line.shipped - refunded.get((row.merchant_order_id, line.order_item_id), 0))
            for line in view_of(row).lines
        )
        if units:
            buyer = str(((row.raw or {}).get("buyer") or {}).get("name") or "")
            reference = str(row.reference_order_id or "")
            out.append(RefundableOrder(row.merchant_order_id, reference, buyer, units))
        if len(out) >= limit:
            break
    return out
