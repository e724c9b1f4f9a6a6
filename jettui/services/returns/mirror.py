"""Mirroring one Jet return into OpenCart: one ``return`` per returned line and a
``return_history`` row naming the Jet return authorization id (:mod:`jettui.store.oc_returns`),
or ``waiting`` when jettui never imported its order."""

from __future__ import annotations

from typing import Any

from jettui.config import Settings
from jettui.services.results import ItemResult, Outcome
from jettui.services.return_rules import (
    format_amounts,
    requested_amounts,
    return_items,
)
from jettui.services.returns.queries import UNFINISHED
from jettui.store.errors import StoreError
from jettui.store.jet_tables import JetOrder, JetReturn, log_event
from jettui.store.oc_returns import MirroredLine, mirror_return, write_transaction
from jettui.store.order_lines import recorded_line_ids
from jettui.store.text import utcnow


def mirror_one(settings: Settings, rid: str, detail: dict[str, Any]) -> ItemResult:
    """Mirror one return read from Jet (store thread)."""

    row = JetReturn.get(JetReturn.merchant_return_authorization_id == rid)
    status = str(detail.get("return_status") or row.status)
    if row.state not in UNFINISHED:
        return ItemResult(rid, Outcome.UNCHANGED, f"already mirrored: {_returns_text(row)}")
    order_ref = str(detail.get("merchant_order_id") or "")
    order = JetOrder.get_or_none(JetOrder.merchant_order_id == order_ref)
    base: dict[str, Any] = {
        "merchant_order_id": order_ref,
        "reference_return_authorization_id": str(
            detail.get("reference_return_authorization_id") or ""
        )[:64],
        "status": status[:32],
        "raw": detail,
        "attempts": row.attempts + 1,
        "updated_at": utcnow(),
    }
    if order is None or not order.order_id or order.state != "done":
        why = (
            f"order {order_ref} was never imported by jettui"
            if order is None
            else f"order {order_ref} is not imported (import {order.state})"
        )
        reason = f"{why}: not mirrored, retried on the next fetch"
        JetReturn.update(state="waiting", error=reason, **base).where(
            JetReturn.id == row.id
        ).execute()
        return ItemResult(rid, Outcome.NOT_ATTEMPTED, reason, detail={"order": order_ref})
    JetReturn.update(state="intent", order_id=order.order_id, **base).where(
        JetReturn.id == row.id
    ).execute()
    line_ids = recorded_line_ids(order.lines)
    lines = [
        MirroredLine(
            order_item_id=str(item.get("order_item_id") or ""),
            sku=str(item.get("merchant_sku") or ""),
            title=str(item.get("merchant_sku_title") or ""),
            reason=str(item.get("reason") or ""),
            quantity=int(item.get("return_quantity") or 0),
            requested=format_amounts(requested_amounts(item)),
            order_product_id=line_ids.get(str(item.get("order_item_id") or "")),
        )
        for item in return_items(detail)
    ]
    try:
        with write_transaction():  # all of it on SQLite; the ledger only on MySQL (MyISAM)
            ids = mirror_return(
                rid,
                base["reference_return_authorization_id"],
                order.order_id,
                lines,
                reason_map=reason_map(settings),
                store_id=settings.store.store_id,
                language_id=settings.store.language_id,
            )
            JetReturn.update(state="mirrored", return_ids=ids, error=None).where(
                JetReturn.id == row.id
            ).execute()
    except StoreError as exc:
        JetReturn.update(error=str(exc)).where(JetReturn.id == row.id).execute()
        return ItemResult(rid, Outcome.FAILED, str(exc))
    text = f"OpenCart return(s) {', '.join(map(str, ids))} for order {order.order_id}"
    log_event("return", f"return {rid} mirrored as {text}", ref=rid)
    return ItemResult(rid, Outcome.SUCCEEDED, text, detail={"return_ids": ids})


def reason_map(settings: Settings) -> dict[str, str]:
    """Jet reason → OpenCart return_reason name overrides from ``returns.reason_map`` (a YAML
    mapping, read as pairs like ``tui.keymap``); absent: the default map of oc_returns."""
    return dict(getattr(settings.returns, "reason_map", None) or ())


def _returns_text(row: Any) -> str:
    ids = row.return_ids or []
    return f"OpenCart return(s) {', '.join(map(str, ids))}" if ids else "no OpenCart return"
