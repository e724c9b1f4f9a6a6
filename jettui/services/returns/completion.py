"""Completing and rejecting Jet returns: checked against the order's line accounts, recorded
before it is sent (``completing``), sent once (:func:`jettui.jet.once.send_once`), then counted
on the accounts, restocked and mirrored to OpenCart (Complete or Rejected). See the package
docstring for the crash safety."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from functools import partial
from typing import Any

from jettui.config import Settings
from jettui.errors import is_unreachable
from jettui.jet.client import JetClient
from jettui.jet.enums import ReturnStatus
from jettui.jet.once import ANSWER_LOST, Looked, send_once
from jettui.services.jet_session import jet_session
from jettui.services.orders import account
from jettui.services.results import ItemResult, Outcome
from jettui.services.return_rules import (
    AMOUNT_KEYS,
    CheckedReturnLine,
    FormRefused,
    ReturnForm,
    ReturnLineForm,
    check_return_form,
    completion_body,
    completion_refusal,
    format_amounts,
    return_items,
)
from jettui.services.returns.queries import load_for_completion
from jettui.services.returns.report import LOCK_NAME
from jettui.services.runtime import StoreThread
from jettui.services.unconfirmed import settle
from jettui.store.jet_tables import JetReturn, log_event
from jettui.store.oc_orders import shop_context
from jettui.store.oc_returns import (
    COMPLETE_STATUS,
    complete_return_rows,
    named_status_id,
    write_transaction,
)
from jettui.store.text import utcnow

REJECTED_STATUS = "Rejected"  # OpenCart return_status for a rejected return (created if missing)


#: what a completion's lines refund, as account changes (the units come back: not kept)
refunded_on = partial(account.refund_changes, units_key="refund_quantity", kept=False)


async def complete_return(
    settings: Settings, db: Any, return_id: str, form: ReturnForm | None = None
) -> ItemResult:
    """Complete Jet return ``return_id`` (its merchant_return_authorization_id) with ``form``
    (default: every returned unit refunded at what the buyer paid, capped at what the return
    requested). A return Jet already shows completed (e.g. on Jet's portal) is not sent again:
    Jet's completion is mirrored to OpenCart. Raises :class:`FormRefused` (every broken rule,
    each naming its field) or :class:`ReturnNotFound` before anything is sent,
    :class:`LockBusy` when the ``returns`` lock is held, and Jet's errors when Jet cannot be
    reached (the completion then stays recorded: run it again to finish). Jet refusing the
    completion is a failed result with Jet's words."""
    return await _finish(settings, db, return_id, form or ReturnForm(), rejected=False)


async def reject_return(
    settings: Settings,
    db: Any,
    return_id: str,
    feedback: str,
    *,
    charge_feedback: str | None = None,
    notes: str | None = None,
) -> ItemResult:
    """Reject Jet return ``return_id``: complete it on Jet with nothing refunded and
    ``feedback`` (a Jet return_refund_feedback such as 'Returned outside window') on every
    line; with ``charge_feedback`` the return charge is disputed too. The OpenCart returns
    move to the status "Rejected". Raises like :func:`complete_return`."""
    if not feedback:
        raise FormRefused("rejection", ["return_refund_feedback: required to reject a return"])
    return await _finish(settings, db, return_id, None, rejected=True,
                         reject=(feedback, charge_feedback, notes))  # fmt: skip


async def _finish(
    settings: Settings,
    db: Any,
    return_id: str,
    form: ReturnForm | None,
    *,
    rejected: bool,
    reject: tuple[str, str | None, str | None] | None = None,
) -> ItemResult:
    async with jet_session(settings, db, lock=LOCK_NAME, purpose="complete return") as session:
        jet, store = session.jet, session.store
        row = await store.run(load_for_completion, return_id)
        refusal = completion_refusal(row["state"])
        if refusal is not None:
            return ItemResult(return_id, Outcome.UNCHANGED, refusal)
        # the order's other unconfirmed writes (refunds...) first: they count units
        await settle(settings, jet, store, str(row["order"].get("merchant_order_id")))
        detail = await jet.get_return(return_id)
        if row["state"] == "completing" and _completed_on_jet(detail):
            # sent before a crash or an outage, and Jet has it: finish OpenCart's side
            result = await store.run(_record_completion, settings, return_id)
            result.reason = f"{result.reason}; {ANSWER_LOST}"
            return result
        if _completed_on_jet(detail):
            # completed elsewhere (Jet's portal): OpenCart follows what Jet has
            await store.run(_record_jet_completion, return_id, detail)
            result = await store.run(_record_completion, settings, return_id)
            result.reason = f"already completed on Jet; mirrored: {result.reason}"
            return result
        if row["state"] == "completing":
            # an earlier completion Jet does not have: its count goes before the check
            await store.run(_release_unsent, return_id)
        # the caps count every shipment Jet has now (another tool's included)
        fresh = await jet.get_order(row["merchant_order_id"])
        row["accounts"] = await store.run(account.accounts, row["merchant_order_id"], fresh)
        if reject is not None:
            form = _rejection_form(detail, *reject)
        assert form is not None
        lines, problems = check_return_form(detail, row["order"], form, row["accounts"])
        if problems:
            raise FormRefused("completion", problems)
        body = completion_body(detail, form, lines)
        await store.run(_record_intent, return_id, body, lines, form, rejected, row["accounts"])
        return await _send_completion(settings, jet, store, return_id, body)


async def _send_completion(
    settings: Settings, jet: JetClient, store: StoreThread, return_id: str, body: dict[str, Any]
) -> ItemResult:
    """PUT the recorded completion through :func:`send_once` (looked up by the return's state
    after a lost answer, resent only when Jet shows it not completed); record what became of
    it. Jet refusing it is a failed result (recorded, its count taken back); Jet unreachable
    before it left is raised; an answer lost that Jet cannot be asked about leaves it
    ``completing`` for the next run."""
    once = await send_once(
        lambda: jet.complete_return(return_id, body),
        lambda: completion_on_jet(jet, return_id),
        resends=jet.max_retries,
    )
    if once.state == "uncertain":
        note = f"completion of return {return_id} {once.note}"
        await store.run(_log_unconfirmed, return_id, note)
        return ItemResult(return_id, Outcome.FAILED, note, error=once.error)
    if not once.applied:
        assert once.error is not None
        if is_unreachable(once.error):
            raise once.error  # stays "completing": the next try asks Jet first
        await store.run(_record_refusal, return_id, once.note)
        return ItemResult(return_id, Outcome.FAILED, once.note, error=once.error)
    result = await store.run(_record_completion, settings, return_id)
    if once.note:
        result.reason = f"{result.reason}; {once.note}"
    return result


async def completion_on_jet(jet: JetClient, return_id: str) -> Looked:
    """Whether Jet shows the return completed by the merchant."""
    return Looked(_completed_on_jet(await jet.get_return(return_id)))


async def settle_completion(settings: Settings, jet: JetClient, store: StoreThread,
                            return_id: str) -> str:  # fmt: skip
    """A completion recorded (``completing``) by a run that never learnt its outcome: looked
    up on Jet; completed there → OpenCart's side finished; not → back to ``mirrored`` (complete
    it again). "" when Jet cannot tell. Caller holds the ``returns`` lock."""
    once = await send_once(None, partial(completion_on_jet, jet, return_id), look_first=True)
    if once.state == "uncertain":
        return ""
    if once.applied:
        await store.run(_record_completion, settings, return_id)
        return f"completion of return {return_id}: {ANSWER_LOST}"
    note = "completion not applied on Jet (its answer was lost): complete it again"
    await store.run(_record_refusal, return_id, note)
    return f"return {return_id}: {note}"


def _log_unconfirmed(return_id: str, note: str) -> None:

    log_event("return", note, level="warning", ref=return_id)


def _completed_on_jet(detail: Mapping[str, Any]) -> bool:
    return str(detail.get("return_status") or "") == ReturnStatus.COMPLETED_BY_MERCHANT


def _rejection_form(
    detail: Mapping[str, Any], feedback: str, charge_feedback: str | None, notes: str | None
) -> ReturnForm:
    lines = [
        ReturnLineForm(
            sku=str(item.get("merchant_sku")),
            refund_quantity=0,
            amounts=dict.fromkeys(AMOUNT_KEYS, 0),
            notes=notes,
        )
        for item in return_items(detail)
    ]
    return ReturnForm(
        lines=lines,
        agree_to_return_charge=charge_feedback is None,
        charge_feedback=charge_feedback,
        feedback=feedback,
    )


def _record_intent(
    return_id: str,
    body: dict[str, Any],
    lines: Sequence[CheckedReturnLine],
    form: ReturnForm,
    rejected: bool,
    checked_against: Mapping[str, account.LineAccount],
) -> None:
    """The completion about to be sent, and its refunds counted on the line accounts: one
    transaction (the accounts' version guard refuses a refund counted meanwhile)."""

    lines_json = [
        {
            "sku": line.sku,
            "order_item_id": line.order_item_id,
            "quantity_returned": line.quantity_returned,
            "refund_quantity": line.refund_quantity,
            "amounts": {k: str(v) for k, v in line.amounts.items()},
            "feedback": line.feedback,
        }
        for line in lines
    ]
    completion = {
        "body": body,
        "rejected": rejected,
        "reserved": True,  # the refunds below are on the accounts
        "lines": lines_json,
        "agree_to_return_charge": form.agree_to_return_charge,
        "charge_feedback": form.charge_feedback,
    }
    with write_transaction():
        row = JetReturn.get(JetReturn.merchant_return_authorization_id == return_id)
        JetReturn.update(
            state="completing", completion=completion, error=None, updated_at=utcnow()
        ).where(JetReturn.id == row.id).execute()
        account.reserve(
            row.merchant_order_id,
            [
                replace(c, version=checked_against[c.order_item_id].version)
                for c in refunded_on(lines_json)
            ],
        )


def _release_unsent(return_id: str) -> None:
    """Take an unsent completion's refunds back from the accounts (once: the ``reserved`` flag
    changes in the same transaction)."""

    with write_transaction():
        row = JetReturn.get(JetReturn.merchant_return_authorization_id == return_id)
        completion = dict(row.completion or {})
        if completion.get("reserved") and not completion.get("accounted"):
            JetReturn.update(completion={**completion, "reserved": False}).where(
                JetReturn.id == row.id
            ).execute()
            account.release(
                row.merchant_order_id,
                refunded_on(completion.get("lines") or []),
            )


def _record_jet_completion(return_id: str, detail: Mapping[str, Any]) -> None:
    """Record the completion Jet shows (made outside jettui) as if jettui had sent it."""

    lines = []
    for item in return_items(detail):
        amounts = item.get("refund_amount") or {}
        returned = item.get("total_quantity_returned", item.get("return_quantity")) or 0
        lines.append({
            "sku": str(item.get("merchant_sku")),
            "order_item_id": str(item.get("order_item_id")),
            "quantity_returned": int(returned),
            "refund_quantity": int(item.get("order_return_refund_qty") or 0),
            "amounts": {k: str(amounts.get(k) or 0) for k in AMOUNT_KEYS},
            "feedback": item.get("return_refund_feedback"),
        })  # fmt: skip
    completion = {
        "body": None,
        "rejected": all(line["refund_quantity"] == 0 for line in lines),
        "reserved": False,  # counted on the accounts when OpenCart's side is recorded
        "lines": lines,
        "agree_to_return_charge": detail.get("agree_to_return_charge", True),
        "charge_feedback": detail.get("return_charge_feedback"),
        "outside_jettui": True,
    }
    JetReturn.update(state="completing", completion=completion).where(
        JetReturn.merchant_return_authorization_id == return_id
    ).execute()


def _record_refusal(return_id: str, reason: str) -> None:
    """Jet refused the completion: back to ``mirrored``, its refunds taken back from the
    accounts (once: the state change is the guard; one transaction)."""

    with write_transaction():
        row = JetReturn.get(JetReturn.merchant_return_authorization_id == return_id)
        completion = dict(row.completion or {})
        moved = (
            JetReturn.update(
                state="mirrored",
                error=reason,
                completion={**completion, "reserved": False},
                updated_at=utcnow(),
            )
            .where((JetReturn.id == row.id) & (JetReturn.state == "completing"))
            .execute()
        )
        if moved and completion.get("reserved"):
            account.release(
                row.merchant_order_id,
                refunded_on(completion.get("lines") or []),
            )
    log_event("return", f"completion of return {return_id} refused: {reason}", level="warning",
              ref=return_id)  # fmt: skip


def _record_completion(settings: Settings, return_id: str) -> ItemResult:
    """Jet has the completion: the line accounts count it once (units back, restocked, or
    kept by the buyer of a ``refund_without_return`` return), the order lines are brought down
    to what is still out (the restock: one guarded statement per line, nothing moved twice
    after a crash), then OpenCart's returns move to Complete (or Rejected) with the amounts in
    their history."""

    with write_transaction():
        row = JetReturn.get(JetReturn.merchant_return_authorization_id == return_id)
        completion = dict(row.completion or {})
        lines = completion.get("lines") or []
        rejected = bool(completion.get("rejected"))
        if not completion.get("accounted"):
            # once: the flag is written in the same transaction as the counts
            kept_back = bool((row.raw or {}).get("refund_without_return"))
            changes = [] if completion.get("reserved") else refunded_on(lines)
            changes += account.return_changes(
                lines,
                account.accounts(row.merchant_order_id),
                restock=settings.returns.restock,
                without_return=kept_back,
                rejected=rejected,
            )
            account.apply(row.merchant_order_id, changes)
            completion |= {
                "accounted": True,
                "reserved": True,
                "restocked": settings.returns.restock and not rejected and not kept_back,
                "kept_by_buyer": kept_back,
            }
            JetReturn.update(completion=completion).where(JetReturn.id == row.id).execute()
    if completion.get("restocked"):
        account.settle_lines(row.merchant_order_id, shop_context(settings))
    lang = settings.store.language_id
    status = named_status_id(REJECTED_STATUS if rejected else COMPLETE_STATUS, lang)
    action = 0 if rejected else settings.returns.return_action_id
    by_item = {line["order_item_id"]: line for line in lines}
    items = return_items(row.raw or {})
    comments: dict[int, str] = {}
    for item, oc_return in zip(items, row.return_ids or [], strict=False):
        line = by_item.get(str(item.get("order_item_id")))
        if line is not None:
            comments[int(oc_return)] = _line_comment(line, completion, rejected)
    with write_transaction():
        complete_return_rows(
            return_id, row.return_ids or [], comments, status_id=status, action_id=action
        )
        JetReturn.update(
            state="completed",
            status=str(ReturnStatus.COMPLETED_BY_MERCHANT),  # Jet has the completion
            completed_at=utcnow(),
            updated_at=utcnow(),
            error=None,
        ).where(JetReturn.id == row.id).execute()
    total = sum(
        (Decimal(v) for line in lines for v in (line.get("amounts") or {}).values()), Decimal(0)
    )
    what = "rejected" if rejected else f"completed, {total:.2f} refunded"
    log_event("return", f"return {return_id} {what}", ref=return_id, detail=completion)
    return ItemResult(return_id, Outcome.SUCCEEDED, what, detail={"return_ids": row.return_ids})


def _line_comment(line: Mapping[str, Any], completion: Mapping[str, Any], rejected: bool) -> str:
    amounts = {k: Decimal(v) for k, v in (line.get("amounts") or {}).items()}
    head = (
        f"rejected on Jet: nothing refunded for {line['quantity_returned']} unit(s) of "
        f"{line['sku']}"
        if rejected
        else f"refunded {line['refund_quantity']} of {line['quantity_returned']} returned "
        f"unit(s) of {line['sku']}: {format_amounts(amounts)} "
        f"(total {sum(amounts.values(), Decimal(0)):.2f})"
    )
    parts = [head]
    if line.get("feedback"):
        parts.append(f"feedback '{line['feedback']}'")
    if completion.get("agree_to_return_charge"):
        parts.append("return charge agreed")
    else:
        parts.append(f"return charge disputed ({completion.get('charge_feedback')})")
    if completion.get("kept_by_buyer"):
        parts.append("refunded without return: the buyer keeps the units, none restocked")
    elif completion.get("restocked"):
        parts.append("units restocked")
    return "; ".join(parts) + "."
