"""Jet returns: fetched and mirrored into OpenCart's returns, completed or rejected on Jet.

- :func:`fetch_returns` (and the job body :func:`fetch_returns_job`, which also polls refund
  states): every ``created`` Jet return, every ``inprogress`` one jettui never saw, and every
  one jettui has not finished mirroring is read in full and mirrored exactly once: one OpenCart
  ``return`` per returned line and a ``return_history`` row naming the Jet return
  authorization id (:mod:`jettui.store.oc_returns`).
- :func:`complete_return`: refund units and amounts per line checked against the order's line
  accounts (what is left to refund of what the buyer paid, :mod:`.orders.account`) and what the
  return requested (:mod:`.return_rules`); units already refunded (a merchant refund) are
  completed with 0 and a feedback. Counted on the accounts when recorded, sent to Jet, then the
  OpenCart returns move to Complete with ``returns.return_action_id`` and a history comment
  with the amounts; with ``returns.restock`` on, returned units (not those of a
  ``refund_without_return`` return: the buyer keeps them) go back in stock once, by bringing
  their order lines down (:func:`.orders.account.settle_lines`).
- :func:`reject_return`: Jet has no reject call; a return is rejected by completing it with
  nothing refunded and a feedback saying why (optionally disputing the return charge). The
  OpenCart returns move to the status "Rejected" (created if the shop lacks it).
- :func:`list_returns`: the read model for the Returns panel and ``jettui returns list``.

Crash safety: the ``jet_return`` ledger row is written before anything else. Every id Jet
lists is recorded (``intent``) before its detail is read, because Jet moves a return on from
``created`` once it has been read: a run killed after reading it still finds it next time. A
return of an order jettui never imported is ``waiting`` (listed with the reason, retried on the
next fetch). A completion is recorded (``completing``) before it is sent, in the same
transaction that counts its refunds on the line accounts; a re-run after a crash or an outage
asks Jet whether it arrived before sending it again (and, when it did not, takes the count
back before checking again). Once Jet has it, the accounts count the units back (flag
``accounted``, same transaction), then the lines are brought down (one guarded statement each:
a re-run finds them at their target), then OpenCart's returns move to Complete. SIGKILL trials:
tests/returns/test_account_crash.py.

All store work runs on a :class:`StoreThread`; one lock (``returns``) keeps a fetch, the
job and a completion from working on the same return at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from jettui.config import Settings
from jettui.errors import LockBusy, UsageError
from jettui.jet.client import JetClient
from jettui.jet.enums import ReturnStatus
from jettui.jet.errors import JetAuthError, JetError, JetNotFound, JetUnreachable
from jettui.jet.once import ANSWER_LOST, Looked, send_once
from jettui.services.jet_session import EventWriter, open_logged_client, run_with_jet
from jettui.services.orders import account
from jettui.services.results import ItemResult, Outcome, summary
from jettui.services.return_rules import (
    AMOUNT_KEYS,
    CheckedReturnLine,
    FormRefused,
    ReturnForm,
    ReturnLineForm,
    check_return_form,
    completion_body,
    format_amounts,
    paid_for_units,
    requested_amounts,
    return_items,
)
from jettui.services.runtime import StoreThread, fan_out, held_lock
from jettui.services.unconfirmed import settle

if TYPE_CHECKING:
    from jettui.services.jobs import JobContext, JobReport

log = logging.getLogger("jettui.services")

LOCK_NAME = "returns"
#: Jet's list paths read by a fetch: new returns, and ones Jet moved on before jettui saw them
LIST_STATUSES = ("created", "inprogress")
UNFINISHED = ("waiting", "intent")
REJECTED_STATUS = "Rejected"  # OpenCart return_status for a rejected return (created if missing)

Progress = Callable[[str], Any]


class ReturnNotFound(UsageError):
    """The return id is not one jettui has fetched."""


@dataclass
class ReturnsReport:
    """One item per Jet return; ``unreachable`` set when an outage stopped the run."""

    items: list[ItemResult] = field(default_factory=list)
    unreachable: str = ""
    locked: str = ""  # another run holds the returns lock: nothing done

    @property
    def summary(self) -> str:
        if self.locked:
            return f"{self.locked}; nothing done"
        text = summary(self.items)
        return text + (f"; stopped: {self.unreachable}" if self.unreachable else "")

    @property
    def exit_code(self) -> int:
        if self.unreachable:
            return 3
        if self.locked:
            return 75
        return 1 if any(i.is_problem for i in self.items) else 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.exit_code == 0,
            "exit_code": self.exit_code,
            "summary": self.summary,
            "items": [i.as_dict("return_id") for i in self.items],
        }


# --- fetch ------------------------------------------------------------------------------------


async def fetch_returns(
    settings: Settings, db: Any, *, progress: Progress | None = None
) -> ReturnsReport:
    """Fetch and mirror Jet returns (module docstring). Never raises for an outage or a held
    lock: ``report.unreachable`` (exit 3) or ``report.locked`` (exit 75) says so."""
    report = ReturnsReport()

    async def work(jet: JetClient, store: StoreThread) -> None:
        await _fetch(settings, jet, store, report, progress)

    await run_with_jet(
        settings, db, lock=LOCK_NAME, purpose="fetch returns", report=report, work=work
    )
    if not report.unreachable and not report.locked:
        report.items += await complete_refunded(settings, db)
    return report


async def fetch_returns_job(ctx: JobContext) -> JobReport:
    """Job ``fetch-returns``: fetch and mirror returns, then poll every refund not final yet
    (:func:`jettui.services.refunds.poll_refunds_with`). Jet unreachable ends the job."""
    from jettui.services.refunds import poll_refunds_with

    report = ReturnsReport()
    try:
        async with held_lock(ctx.store, LOCK_NAME, purpose="job fetch-returns"):
            await _fetch(ctx.settings, ctx.jet, ctx.store, report, ctx.say)
    except LockBusy as exc:
        ctx.report.failed(LOCK_NAME, f"{exc}; no returns fetched")
    else:
        report.items += await complete_refunded(ctx.settings, ctx.store.db)
    refunds = await poll_refunds_with(ctx.settings, ctx.jet, ctx.store)
    for item in [*report.items, *refunds]:
        if item.is_problem:
            ctx.report.failed(item.item, item.reason)
        elif item.outcome == Outcome.SUCCEEDED:
            ctx.report.succeeded()
    ctx.report.message = f"returns: {summary(report.items)}; refunds: {summary(refunds)}"
    return ctx.report


async def _fetch(
    settings: Settings,
    jet: JetClient,
    store: StoreThread,
    report: ReturnsReport,
    progress: Progress | None,
) -> None:
    listed: dict[str, str] = {}
    for status in LIST_STATUSES:
        for rid in await jet.list_returns(status):
            listed.setdefault(rid, status)
    todo = await store.run(_record_listed, listed)
    if progress:
        progress(f"{len(todo)} return(s) to mirror")

    async def one(rid: str) -> None:
        try:
            detail = await jet.get_return(rid)
        except (JetUnreachable, JetAuthError):
            raise
        except JetNotFound as exc:
            report.items.append(ItemResult(rid, Outcome.FAILED, f"not on Jet: {exc}"))
            return
        except JetError as exc:
            report.items.append(ItemResult(rid, Outcome.FAILED, str(exc)))
            return
        report.items.append(await store.run(_mirror_one, settings, rid, detail))
        if progress:
            progress(f"{len(report.items)}/{len(todo)} mirrored")

    await fan_out(todo, one, concurrency=settings.jet.concurrency)


async def complete_refunded(settings: Settings, db: Any) -> list[ItemResult]:
    """Complete every mirrored return whose units were all refunded before (a merchant refund
    of units the buyer then sent back): with 0 refunded and the feedback ``other``, so it is
    never left open (the default form of :func:`complete_return`; the units are restocked when
    ``returns.restock`` is on, since they did come back). One result each; never raises for a
    refusal or a held lock (the next fetch tries again)."""
    store = StoreThread(db)
    try:
        ids = await store.run(_fully_refunded)
    finally:
        await store.close()
    results = []
    for rid in ids:
        try:
            result = await complete_return(settings, db, rid)
        except (LockBusy, UsageError, JetError) as exc:
            if isinstance(exc, JetUnreachable | JetAuthError):
                raise
            results.append(ItemResult(rid, Outcome.FAILED, f"not completed: {exc}"))
            continue
        result.reason = f"every returned unit was already refunded: {result.reason}"
        results.append(result)
    return results


def _fully_refunded() -> list[str]:
    """Mirrored returns whose every line is a shipped unit jettui has refunded already."""
    from jettui.store.jet_tables import JetReturn

    out = []
    # read whole first: accounts() may write, which must not happen under an open SQLite cursor
    for row in list(JetReturn.select().where(JetReturn.state == "mirrored")):
        lines = account.accounts(row.merchant_order_id)
        items = return_items(row.raw or {})
        known = [lines.get(str(i.get("order_item_id"))) for i in items]
        if items and all(
            a is not None
            and 0 < int(i.get("return_quantity") or 0) <= a.shipped
            and a.refundable == 0
            for i, a in zip(items, known, strict=True)
        ):
            out.append(row.merchant_return_authorization_id)
    return out


def _record_listed(listed: Mapping[str, str]) -> list[str]:
    """Record an ``intent`` row for every id Jet listed that jettui has not seen (before any
    detail is read) and Jet's listed state on known ones; return the ids to read: new ones and
    every unfinished mirror."""
    from jettui.store.base import tuple_rows
    from jettui.store.jet_tables import JetReturn

    states: dict[str, str] = dict(
        tuple_rows(JetReturn.select(JetReturn.merchant_return_authorization_id, JetReturn.state))
    )
    new = [rid for rid in listed if rid not in states]
    for status in set(listed.values()):  # Jet's state as listed, for the panel
        moved = [rid for rid, st in listed.items() if st == status and rid in states]
        if moved:
            JetReturn.update(status=status).where(
                JetReturn.merchant_return_authorization_id.in_(moved)
                & (JetReturn.status != status)
                & JetReturn.state.not_in(("completing", "completed"))
            ).execute()
    if new:
        JetReturn.insert_many(
            [
                {"merchant_return_authorization_id": rid, "state": "intent", "status": listed[rid]}
                for rid in new
            ]  # fmt: skip
        ).execute()
    return new + [rid for rid, state in states.items() if state in UNFINISHED]


def _mirror_one(settings: Settings, rid: str, detail: dict[str, Any]) -> ItemResult:
    """Mirror one return read from Jet (store thread)."""
    from jettui.store.errors import StoreError
    from jettui.store.jet_tables import JetOrder, JetReturn, log_event
    from jettui.store.oc_returns import MirroredLine, mirror_return, write_transaction
    from jettui.store.text import utcnow

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
    lines = [
        MirroredLine(
            order_item_id=str(item.get("order_item_id") or ""),
            sku=str(item.get("merchant_sku") or ""),
            title=str(item.get("merchant_sku_title") or ""),
            reason=str(item.get("reason") or ""),
            quantity=int(item.get("return_quantity") or 0),
            requested=format_amounts(requested_amounts(item)),
            order_product_id=_line_ids(order).get(str(item.get("order_item_id") or "")),
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


def _line_ids(order: Any) -> dict[str, int]:
    """Jet order_item_id → the OpenCart order_product_id the import wrote for it."""
    lines = getattr(order, "lines", None) or []
    return {
        str(line.get("order_item_id")): int(line["order_product_id"])
        for line in lines
        if isinstance(line, dict) and line.get("order_product_id")
    }


def _returns_text(row: Any) -> str:
    ids = row.return_ids or []
    return f"OpenCart return(s) {', '.join(map(str, ids))}" if ids else "no OpenCart return"


# --- complete and reject ----------------------------------------------------------------------


async def complete_return(
    settings: Settings, db: Any, return_id: str, form: ReturnForm | None = None
) -> ItemResult:
    """Complete Jet return ``return_id`` (its merchant_return_authorization_id) with ``form``
    (default: every returned unit refunded at what the buyer paid, capped at what the return
    requested). A return Jet already shows completed (e.g. on Jet's portal) is not sent again:
    Jet's completion is mirrored to OpenCart. Raises :class:`FormRefused` (every broken rule,
    each naming its field) or :class:`ReturnNotFound` before anything is sent,
    :class:`LockBusy` when the ``returns`` lock is held, and Jet's errors when Jet refuses or
    cannot be reached (the completion then stays recorded: run it again to finish)."""
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
    store = StoreThread(db)
    try:
        async with held_lock(store, LOCK_NAME, purpose="complete return"):
            row = await store.run(_load_for_completion, return_id)
            if row["state"] == "completed":
                return ItemResult(return_id, Outcome.UNCHANGED, "already completed")
            async with open_logged_client(settings, db, events=EventWriter(store)) as jet:
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
                await store.run(
                    _record_intent, return_id, body, lines, form, rejected, row["accounts"]
                )
                return await _send_completion(settings, jet, store, return_id, body)
    finally:
        await store.close()


async def _send_completion(
    settings: Settings, jet: JetClient, store: StoreThread, return_id: str, body: dict[str, Any]
) -> ItemResult:
    """PUT the recorded completion through :func:`send_once` (looked up by the return's state
    after a lost answer, resent only when Jet shows it not completed); record what became of
    it. Jet refusing it (or unreachable before it left) is raised; an answer lost that Jet
    cannot be asked about leaves it ``completing`` for the next run."""
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
        if not isinstance(once.error, JetUnreachable | JetAuthError):
            await store.run(_record_refusal, return_id, once.note)
        raise once.error  # unreachable: stays "completing", the next try asks Jet first
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
    from jettui.store.jet_tables import log_event

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


def _load_for_completion(return_id: str) -> dict[str, Any]:
    from jettui.store.jet_tables import JetOrder, JetReturn

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
    from jettui.store.jet_tables import JetReturn
    from jettui.store.oc_returns import write_transaction
    from jettui.store.text import utcnow

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
                for c in _refund_changes(lines_json)
            ],
        )


def _release_unsent(return_id: str) -> None:
    """Take an unsent completion's refunds back from the accounts (once: the ``reserved`` flag
    changes in the same transaction)."""
    from jettui.store.jet_tables import JetReturn
    from jettui.store.oc_returns import write_transaction

    with write_transaction():
        row = JetReturn.get(JetReturn.merchant_return_authorization_id == return_id)
        completion = dict(row.completion or {})
        if completion.get("reserved") and not completion.get("accounted"):
            JetReturn.update(completion={**completion, "reserved": False}).where(
                JetReturn.id == row.id
            ).execute()
            account.release(row.merchant_order_id, _refund_changes(completion.get("lines") or []))


def _refund_changes(lines: Sequence[Mapping[str, Any]]) -> list[account.Change]:
    """What a completion's lines refund, as account changes."""
    return [
        account.Change(
            str(line["order_item_id"]),
            refunded=int(line.get("refund_quantity") or 0),
            amounts={k: Decimal(str(v)) for k, v in (line.get("amounts") or {}).items()},
        )
        for line in lines
    ]


def _record_jet_completion(return_id: str, detail: Mapping[str, Any]) -> None:
    """Record the completion Jet shows (made outside jettui) as if jettui had sent it."""
    from jettui.store.jet_tables import JetReturn

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
    from jettui.store.jet_tables import JetReturn, log_event
    from jettui.store.oc_returns import write_transaction
    from jettui.store.text import utcnow

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
            account.release(row.merchant_order_id, _refund_changes(completion.get("lines") or []))
    log_event("return", f"completion of return {return_id} refused: {reason}", level="warning",
              ref=return_id)  # fmt: skip


def _record_completion(settings: Settings, return_id: str) -> ItemResult:
    """Jet has the completion: the line accounts count it once (units back, restocked, or
    kept by the buyer of a ``refund_without_return`` return), the order lines are brought down
    to what is still out (the restock: one guarded statement per line, nothing moved twice
    after a crash), then OpenCart's returns move to Complete (or Rejected) with the amounts in
    their history."""
    from jettui.store.jet_tables import JetReturn, log_event
    from jettui.store.oc_orders import shop_context
    from jettui.store.oc_returns import (
        COMPLETE_STATUS,
        complete_return_rows,
        named_status_id,
        write_transaction,
    )
    from jettui.store.text import utcnow

    with write_transaction():
        row = JetReturn.get(JetReturn.merchant_return_authorization_id == return_id)
        completion = dict(row.completion or {})
        lines = completion.get("lines") or []
        rejected = bool(completion.get("rejected"))
        if not completion.get("accounted"):
            # once: the flag is written in the same transaction as the counts
            kept_back = bool((row.raw or {}).get("refund_without_return"))
            changes = [] if completion.get("reserved") else _refund_changes(lines)
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


# --- read model -------------------------------------------------------------------------------


def completion_form_view(db: Any, return_id: str) -> dict[str, Any]:
    """What the completion form shows (store thread; JSON-able): per returned line (SKU and
    order_item_id) the title, units returned, Jet's reason, what the return requested, what
    the buyer paid for those units, the units still refundable and already refunded on the
    line, and the default refund (units not refunded yet, at the smaller of what is left of
    what was paid and what was requested); plus the feedback and charge-feedback choices.
    Raises :class:`ReturnNotFound`."""
    from jettui.jet.enums import CHARGE_FEEDBACK, REFUND_FEEDBACK
    from jettui.store.jet_tables import JetReturn

    loaded = _load_for_completion(return_id)
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
    the completion sent, and ``deadline`` (None: Jet gives returns no deadline)."""
    from jettui.store.base import tuple_rows
    from jettui.store.jet_tables import JetOrder, JetReturn
    from jettui.store.opencart import Order

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
