"""Merchant refunds on Jet (POST /refunds/{order}/{alt_refund_id}), tracked until final.

- :func:`create_refund`: lines (SKU or order_item_id, quantity, optional amounts; default =
  what the buyer paid for those units) checked before sending against the order's line
  accounts (:mod:`.orders.account`, the one place that decides caps): at most the units shipped
  and not refunded yet, money never above what is left of what was paid. A unique
  ``alt_refund_id`` is recorded in ``jet_refund`` BEFORE the request leaves, in the same
  transaction that counts the refund on the accounts (as units the buyer keeps: a refund
  brings no stock back), so a retried request can never refund twice.
- Outage after "sent" (a timeout or a 5xx on the POST: Jet may have applied it): the refund is
  kept as ``unknown`` with ``may_have_applied``; :func:`reconcile_refund` (and every poll)
  looks it up on Jet by its alt_refund_id and resends only when Jet has no such refund — with
  the same alt_refund_id, which Jet refuses to apply twice.
- :func:`poll_refunds` / :func:`poll_refunds_with` (the fetch-returns job): the state of every
  refund not final (``created → processing → accepted | rejected - …``). Accepted: an
  ``order_history`` row through :func:`jettui.store.oc_orders.add_order_history` (status
  ``orders.status_refunded`` once every shipped unit is refunded, else the order's own status).
  Rejected: Jet's reason stored, nothing written to the order.
- :func:`list_refunds`: the read model for the Refunds panel and ``jettui refunds list``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from jettui.config import Settings
from jettui.errors import LockBusy, UsageError
from jettui.jet.client import JetClient
from jettui.jet.enums import REFUND_STATUS_PATHS, RefundStatus
from jettui.jet.errors import JetAuthError, JetError, JetNotFound, JetUnreachable
from jettui.jet.once import Looked, send_once
from jettui.services.jet_session import EventWriter, open_logged_client
from jettui.services.orders import account
from jettui.services.results import ItemResult, Outcome
from jettui.services.return_rules import (
    CheckedRefundLine,
    FormRefused,
    RefundLineForm,
    amounts_total,
    check_refund_form,
    format_amounts,
    refund_feedback,
)
from jettui.services.runtime import StoreThread, held_lock

log = logging.getLogger("jettui.services")

LOCK_NAME = "refunds"
OPEN_STATES = ("intent", "sent", "unknown")  # not final: polled / reconciled
FINAL_STATUSES = (RefundStatus.ACCEPTED,)  # plus every "rejected - ..."


class RefundOrderUnknown(UsageError):
    """The order is not one jettui imported."""


def is_final(status: str) -> bool:
    return status == RefundStatus.ACCEPTED or status.startswith("rejected")


def new_alt_refund_id() -> str:
    """Unique per refund, chosen by jettui: Jet refuses a second refund with the same one."""
    return f"jt-{uuid.uuid4().hex[:20]}"


# --- create -----------------------------------------------------------------------------------


async def create_refund(
    settings: Settings,
    db: Any,
    merchant_order_id: str,
    items: Sequence[RefundLineForm] | Mapping[str, int],
    reason: str,
    feedback: str | None = None,
) -> ItemResult:
    """Refund units of Jet order ``merchant_order_id``: ``items`` as lines or ``{sku: qty}``;
    ``reason`` a Jet refund reason, ``feedback`` a Jet merchant refund feedback (Jet requires
    one: when None, the one the reason implies, see :data:`return_rules.FEEDBACK_BY_REASON`;
    the result says which was sent and where it came from).

    Returns the refund's result: succeeded (sent; ``detail`` has ``refund_authorization_id``
    and ``alt_refund_id``) or failed with Jet's words; after an outage on the POST it is failed
    with ``detail["may_have_applied"]`` true (recorded as ``unknown``: the next poll or
    :func:`reconcile_refund` looks it up; never create it again by hand). Raises
    :class:`FormRefused` (each problem naming its field) or :class:`RefundOrderUnknown` before
    anything is sent, :class:`LockBusy` when the ``refunds`` lock is held."""
    lines = (
        [RefundLineForm(sku, qty) for sku, qty in items.items()]
        if isinstance(items, Mapping)
        else list(items)
    )
    feedback, feedback_source = refund_feedback(reason, feedback)
    store = StoreThread(db)
    try:
        async with held_lock(store, LOCK_NAME, purpose="create refund"):
            order_id = await store.run(_imported_order_id, merchant_order_id)
            async with open_logged_client(settings, db, events=EventWriter(store)) as jet:
                await _settle_order(settings, jet, store, merchant_order_id)
                order = await jet.get_order(merchant_order_id)
                lines_now = await store.run(account.accounts, merchant_order_id, order)
                checked, problems = check_refund_form(
                    order, lines, reason, feedback, accounts=lines_now
                )
                if problems or feedback is None:
                    raise FormRefused("refund", problems or ["feedback: required by Jet"])
                alt = new_alt_refund_id()
                body = {"items": [line.as_item(reason, feedback) for line in checked]}
                await store.run(
                    _record_intent, merchant_order_id, order_id, alt, checked, reason,
                    feedback, body, lines_now,
                )  # fmt: skip
                result = await _send(jet, store, merchant_order_id, alt, body)
    finally:
        await store.close()
    return _feedback_said(result, feedback, feedback_source)


def _feedback_said(result: ItemResult, feedback: str, source: str) -> ItemResult:
    """The result with the refund feedback sent, and where it came from, in its line and detail."""
    said = f"feedback '{feedback}' ({source})"
    reason = f"{result.reason}; {said}" if result.reason else said
    detail = {**result.detail, "feedback": feedback, "feedback_source": source}
    return ItemResult(result.item, result.outcome, reason, error=result.error, detail=detail)


async def _send(
    jet: JetClient,
    store: StoreThread,
    merchant_order_id: str,
    alt: str,
    body: dict[str, Any],
    *,
    look_first: bool = False,
) -> ItemResult:
    """POST the recorded refund through :func:`send_once` (after a lost answer it is looked
    up by its alt_refund_id, resent with the SAME alt only when Jet has none); record what
    became of it. ``look_first``: an earlier run's refund of unknown fate."""
    skip = await store.run(_known_ids)  # refunds jettui knows need not be read in a lookup
    once = await send_once(
        lambda: jet.create_refund(merchant_order_id, alt, body),
        lambda: _refund_on_jet(jet, merchant_order_id, alt, skip),
        resends=jet.max_retries,
        look_first=look_first,
    )
    if once.state == "uncertain":
        await store.run(_record_unknown, alt, str(once.error))
        return ItemResult(
            alt,
            Outcome.FAILED,
            f"Jet may have applied it ({once.error}); it will be looked up by its "
            "alt_refund_id, do not create it again",
            error=once.error,
            detail={"may_have_applied": True, "alt_refund_id": alt},
        )
    if not once.applied:
        assert once.error is not None
        await store.run(_record_failed, alt, once.note)
        if isinstance(once.error, JetUnreachable | JetAuthError):
            raise once.error
        return ItemResult(
            alt, Outcome.FAILED, once.note, error=once.error, detail={"alt_refund_id": alt}
        )
    refund_id = str(once.value)
    await store.run(_record_sent, alt, refund_id, RefundStatus.CREATED)
    text = f"refund {refund_id} created on Jet"
    return ItemResult(
        alt,
        Outcome.SUCCEEDED,
        f"{text}; {once.note}" if once.note else text,
        detail={"refund_authorization_id": refund_id, "alt_refund_id": alt},
    )


async def _refund_on_jet(
    jet: JetClient, merchant_order_id: str, alt: str, skip: set[str]
) -> Looked:
    found = await find_refund(jet, merchant_order_id, alt, skip=skip)
    return Looked(found is not None, found)


async def refund_form_view(settings: Settings, db: Any, merchant_order_id: str) -> dict[str, Any]:
    """What the refund form shows for an imported order (JSON-able): per Jet order line (its
    ``order_item_id`` and SKU) the title, units ordered, shipped, already refunded, still
    refundable, the dollars refunded so far, and the default amounts for all refundable units
    (what is left of what the buyer paid). Reads the order from Jet (its shipments). Raises
    :class:`RefundOrderUnknown` for an order jettui did not import."""
    store = StoreThread(db)
    try:
        order_id = await store.run(_imported_order_id, merchant_order_id)
        async with open_logged_client(settings, db, events=EventWriter(store)) as jet:
            order = await jet.get_order(merchant_order_id)
        lines_now = await store.run(account.accounts, merchant_order_id, order)
    finally:
        await store.close()
    lines = []
    for item in order.get("order_items") or []:
        line = lines_now.get(str(item.get("order_item_id")))
        if line is None:
            continue
        default, _cap = account.refund_terms(item, line, line.refundable)
        lines.append({
            "sku": line.merchant_sku, "order_item_id": line.order_item_id,
            "title": item.get("product_title"), "ordered": line.ordered,
            "shipped": line.shipped, "taken": line.refunded, "refundable": line.refundable,
            "refunded_amounts": {k: f"{v:.2f}" for k, v in line.amounts.items()},
            "default_amounts": {k: str(v) for k, v in default.items()} if line.refundable else {},
        })  # fmt: skip
    return {"merchant_order_id": merchant_order_id, "order_id": order_id, "lines": lines}


# --- reconcile and poll -----------------------------------------------------------------------


async def reconcile_refund(settings: Settings, db: Any, alt_refund_id: str) -> ItemResult:
    """Settle a refund whose answer was lost: look it up on Jet by ``alt_refund_id``; found →
    recorded as sent; not there → sent again with the SAME alt_refund_id. Raises LockBusy."""
    store = StoreThread(db)
    try:
        async with held_lock(store, LOCK_NAME, purpose="reconcile refund"):
            row = await store.run(_refund_row, alt_refund_id)
            async with open_logged_client(settings, db, events=EventWriter(store)) as jet:
                return await _reconcile(jet, store, row)
    finally:
        await store.close()


async def poll_refunds(settings: Settings, db: Any) -> list[ItemResult]:
    """Ask Jet for the state of every refund not final yet (see :func:`poll_refunds_with`)."""
    store = StoreThread(db)
    try:
        async with open_logged_client(settings, db, events=EventWriter(store)) as jet:
            return await poll_refunds_with(settings, jet, store)
    finally:
        await store.close()


async def poll_refunds_with(
    settings: Settings, jet: JetClient, store: StoreThread
) -> list[ItemResult]:
    """One result per open refund: unknown/intent ones reconciled, sent ones polled; a final
    state is recorded (accepted → order history). Under the ``refunds`` lock (held elsewhere
    → one failed item). Jet unreachable is raised."""
    try:
        async with held_lock(store, LOCK_NAME, purpose="poll refunds"):
            rows = await store.run(_open_rows)
            results = []
            for row in rows:
                if row["state"] in ("intent", "unknown"):
                    results.append(await _reconcile(jet, store, row))
                else:
                    results.append(await _poll_one(settings, jet, store, row))
            return results
    except LockBusy as exc:
        return [ItemResult(LOCK_NAME, Outcome.NOT_ATTEMPTED, f"{exc}; refunds not polled")]


async def _poll_one(
    settings: Settings, jet: JetClient, store: StoreThread, row: dict[str, Any]
) -> ItemResult:
    alt, refund_id = row["alt"], row["refund_authorization_id"]
    try:
        detail = await jet.get_refund(refund_id)
    except (JetUnreachable, JetAuthError):
        raise
    except JetError as exc:
        return ItemResult(alt, Outcome.FAILED, str(exc))
    status = str(detail.get("refund_status") or row["status"])
    return await store.run(_record_status, settings, alt, status, detail)


async def _settle_order(
    settings: Settings, jet: JetClient, store: StoreThread, merchant_order_id: str
) -> None:
    """Before units are counted: the order's refunds of unknown fate (this run holds the
    ``refunds`` lock) and its other unconfirmed writes are settled on Jet."""
    from jettui.services.unconfirmed import settle

    for row in await store.run(_open_rows):
        if row["merchant_order_id"] == merchant_order_id and row["state"] != "sent":
            await _reconcile(jet, store, row)
    await settle(settings, jet, store, merchant_order_id)


async def settle_refund(jet: JetClient, store: StoreThread, alt_refund_id: str) -> str:
    """A refund of unknown fate (an earlier run's answer was lost): looked up by its
    alt_refund_id and recorded as sent, or sent again (same alt) when Jet has none. Returns
    the outcome's line ("" when it is not open any more). Caller holds the ``refunds`` lock."""
    try:
        row = await store.run(_refund_row, alt_refund_id)
    except UsageError:
        return ""
    return (await _reconcile(jet, store, row)).reason


async def _reconcile(jet: JetClient, store: StoreThread, row: dict[str, Any]) -> ItemResult:
    """Look the refund up by alt_refund_id before anything is sent again."""
    return await _send(jet, store, row["merchant_order_id"], row["alt"], row["body"],
                       look_first=True)  # fmt: skip


async def find_refund(
    jet: JetClient, merchant_order_id: str, alt_refund_id: str, *, skip: set[str] | None = None
) -> str | None:
    """Jet's refund_authorization_id of the refund with ``alt_refund_id`` on the order, if Jet
    has one (every refund list is read; refunds jettui already knows, ``skip``, are not)."""
    skip = skip or set()
    for status in REFUND_STATUS_PATHS:
        for refund_id in await jet.list_refunds(status):
            if refund_id in skip:
                continue
            try:
                detail = await jet.get_refund(refund_id)
            except JetNotFound:
                continue
            if (
                detail.get("alt_refund_id") == alt_refund_id
                and detail.get("merchant_order_id") == merchant_order_id
            ):
                return refund_id
    return None


# --- store side (store thread) ----------------------------------------------------------------


def _imported_order_id(merchant_order_id: str) -> int:
    from jettui.store.jet_tables import JetOrder

    row = JetOrder.get_or_none(JetOrder.merchant_order_id == merchant_order_id)
    if row is None or not row.order_id:
        raise RefundOrderUnknown(f"order {merchant_order_id}: not imported by jettui")
    return int(row.order_id)


def _record_intent(
    merchant_order_id: str,
    order_id: int,
    alt: str,
    lines: Sequence[CheckedRefundLine],
    reason: str,
    feedback: str | None,
    body: dict[str, Any],
    checked_against: Mapping[str, account.LineAccount],
) -> None:
    """The refund's ledger row and its count on the accounts: one transaction (the accounts'
    version guard refuses a refund another run counted meanwhile)."""
    from jettui.store.jet_tables import JetRefund, log_event
    from jettui.store.oc_returns import write_transaction

    items = [
        {"sku": line.sku, "order_item_id": line.order_item_id, "quantity": line.quantity,
         "amounts": {k: str(v) for k, v in line.amounts.items()}}
        for line in lines
    ]  # fmt: skip
    with write_transaction():
        JetRefund.create(
            refund_id=alt,
            merchant_order_id=merchant_order_id,
            order_id=order_id,
            state="intent",
            status=str(RefundStatus.CREATED),
            items=items,
            amount=sum((amounts_total(line.amounts) for line in lines), Decimal(0)),
            reason=reason[:255],
            feedback=(feedback or "")[:255],
            raw={"body": body},
        )
        account.reserve(
            merchant_order_id,
            [
                replace(change, version=checked_against[change.order_item_id].version)
                for change in _changes(items)
            ],
        )
    log_event("refund", f"refund {alt} for order {merchant_order_id} recorded, sending",
              ref=merchant_order_id, detail={"items": items})  # fmt: skip


def _changes(items: Sequence[Mapping[str, Any]]) -> list[account.Change]:
    """What a refund's lines count on the accounts: units refunded, which the buyer keeps."""
    return [
        account.Change(
            str(item["order_item_id"]),
            refunded=int(item.get("quantity") or 0),
            amounts={k: Decimal(str(v)) for k, v in (item.get("amounts") or {}).items()},
            kept=int(item.get("quantity") or 0),
        )
        for item in items
    ]


def _release(alt: str, **values: Any) -> bool:
    """Jet refused or rejected the refund: record ``values`` on it and take it back from the
    accounts, once (the state change from an open state is the guard; one transaction)."""
    from jettui.store.jet_tables import JetRefund
    from jettui.store.oc_returns import write_transaction
    from jettui.store.text import utcnow

    with write_transaction():
        row = JetRefund.get(JetRefund.refund_id == alt)
        moved = (
            JetRefund.update(updated_at=utcnow(), **values)
            .where((JetRefund.refund_id == alt) & JetRefund.state.in_(OPEN_STATES))
            .execute()
        )
        if moved:
            account.release(row.merchant_order_id, _changes(row.items or []))
    return bool(moved)


def _update(alt: str, **values: Any) -> None:
    from jettui.store.jet_tables import JetRefund
    from jettui.store.text import utcnow

    JetRefund.update(updated_at=utcnow(), **values).where(JetRefund.refund_id == alt).execute()


def _record_sent(alt: str, refund_id: str, status: str) -> None:
    _update(alt, state="sent", refund_authorization_id=refund_id, status=str(status), error=None)


def _record_unknown(alt: str, reason: str) -> None:
    from jettui.store.jet_tables import log_event

    _update(alt, state="unknown", error=f"may have applied: {reason}")
    log_event("refund", f"refund {alt}: the answer was lost ({reason}); to be looked up",
              level="warning", ref=alt)  # fmt: skip


def _record_failed(alt: str, reason: str) -> None:
    from jettui.store.jet_tables import log_event

    _release(alt, state="failed", error=reason)
    log_event("refund", f"refund {alt} refused: {reason}", level="warning", ref=alt)


def _refund_row(alt: str) -> dict[str, Any]:
    from jettui.store.jet_tables import JetRefund

    row = JetRefund.get_or_none(JetRefund.refund_id == alt)
    if row is None:
        raise UsageError(f"refund {alt}: not created by jettui")
    if row.state not in ("intent", "unknown"):
        raise UsageError(f"refund {alt}: nothing to reconcile (it is {row.state})")
    return _as_open(row)


def _as_open(row: Any) -> dict[str, Any]:
    return {
        "alt": row.refund_id,
        "state": row.state,
        "status": row.status,
        "merchant_order_id": row.merchant_order_id,
        "refund_authorization_id": row.refund_authorization_id,
        "body": (row.raw or {}).get("body") or {},
    }


def _open_rows() -> list[dict[str, Any]]:
    from jettui.store.jet_tables import JetRefund

    query = JetRefund.select().where(JetRefund.state.in_(OPEN_STATES)).order_by(JetRefund.id)
    return [_as_open(r) for r in query]


def _known_ids() -> set[str]:
    from jettui.store.base import tuple_rows
    from jettui.store.jet_tables import JetRefund

    query = JetRefund.select(JetRefund.refund_authorization_id).where(
        JetRefund.refund_authorization_id.is_null(False)
    )
    return {r for (r,) in tuple_rows(query)}


def _record_status(settings: Settings, alt: str, status: str, detail: dict[str, Any]) -> ItemResult:
    """Store Jet's state; on a final one write the order history once (accepted only)."""
    from jettui.store.jet_tables import JetRefund, log_event
    from jettui.store.oc_returns import write_transaction
    from jettui.store.text import utcnow

    row = JetRefund.get(JetRefund.refund_id == alt)
    stamp = utcnow()
    if not is_final(status):
        _update(alt, status=status[:32], checked_at=stamp)
        return ItemResult(alt, Outcome.UNCHANGED, f"{status} on Jet")
    raw = {**(row.raw or {}), "jet": detail}
    if status != RefundStatus.ACCEPTED:
        _release(alt, state="final", status="rejected", checked_at=stamp, raw=raw, error=status)
        log_event("refund", f"refund {alt} rejected by Jet: {status}", level="warning", ref=alt)
        return ItemResult(alt, Outcome.FAILED, f"rejected by Jet: {status}",
                          detail={"status": status})  # fmt: skip
    with write_transaction():
        if not row.history_written:
            _order_history(settings, row)
        _update(alt, state="final", status=str(RefundStatus.ACCEPTED), checked_at=stamp, raw=raw,
                history_written=True, error=None)  # fmt: skip
    log_event("refund", f"refund {alt} accepted by Jet", ref=alt)
    return ItemResult(alt, Outcome.SUCCEEDED, "accepted by Jet", detail={"status": "accepted"})


def _order_history(settings: Settings, row: Any) -> None:
    """The accepted refund as an ``order_history`` row; the status is the account's choice
    (:func:`.orders.account.status_after_refund`: never one whose stock move would put back
    units the buyer kept)."""
    from jettui.store.oc_orders import add_order_history, shop_context
    from jettui.store.opencart import Order

    lines = "; ".join(
        f"{item['quantity']} x {item['sku']}: {format_amounts(item.get('amounts') or {})}"
        for item in row.items or []
    )
    comment = (
        f"Jet refund {row.refund_authorization_id} (alt {row.refund_id}) accepted: {lines}. "
        f"Total {Decimal(row.amount):.2f}. Reason: {row.reason}"
        + (f"; feedback: {row.feedback}" if row.feedback else "")
        + "."
    )
    current = Order.select(Order.order_status_id).where(Order.order_id == row.order_id).scalar()
    if current is None or _has_history(int(row.order_id), f"(alt {row.refund_id})"):
        return  # deleted in the admin, or written by a run killed before it said so
    shop = shop_context(settings)
    status, why = account.status_after_refund(
        settings,
        shop,
        int(current),
        account.accounts(row.merchant_order_id).values(),
        account.held_units(int(row.order_id)),
    )
    add_order_history(row.order_id, status, comment + why, shop=shop)


def _has_history(order_id: int, marker: str) -> bool:
    from jettui.store.opencart import OrderHistory

    return (
        OrderHistory.select()
        .where((OrderHistory.order_id == order_id) & OrderHistory.comment.contains(marker))
        .exists()
    )


# --- read model -------------------------------------------------------------------------------


def list_refunds(db: Any) -> list[dict[str, Any]]:
    """Every refund jettui created, newest first, as JSON-able dicts (store thread): alt and
    Jet ids, the order, lines (SKU, quantity, amounts), total, reason, feedback, Jet's status
    (``rejected`` with Jet's reason in ``error``), the ledger state, ``may_have_applied`` (the
    answer to the POST was lost: being looked up) and when it was last updated."""
    from jettui.store.jet_tables import JetRefund

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
