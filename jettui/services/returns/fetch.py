"""Fetching Jet returns: every return Jet lists as ``created`` or ``inprogress`` (and every one
jettui has not finished mirroring) is recorded before its detail is read, then mirrored once
(:mod:`.mirror`); returns whose every unit was refunded before are completed with 0
(:func:`complete_refunded`). The job body also polls refund states."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from jettui.config import Settings
from jettui.errors import LockBusy, UsageError, is_unreachable
from jettui.jet.client import JetClient
from jettui.jet.errors import JetAuthError, JetError, JetNotFound, JetUnreachable
from jettui.services.jet_session import run_with_jet
from jettui.services.orders import account
from jettui.services.refunds import poll_refunds_with
from jettui.services.results import ItemResult, Outcome, summary
from jettui.services.return_rules import return_items
from jettui.services.returns.completion import complete_return
from jettui.services.returns.mirror import mirror_one
from jettui.services.returns.queries import UNFINISHED
from jettui.services.returns.report import LOCK_NAME, Progress, ReturnsReport
from jettui.services.runtime import StoreThread, fan_out, held_lock
from jettui.store.base import tuple_rows
from jettui.store.jet_tables import JetReturn

if TYPE_CHECKING:
    from jettui.services.jobs import JobContext, JobReport


#: Jet's list paths read by a fetch: new returns, and ones Jet moved on before jettui saw them
LIST_STATUSES = ("created", "inprogress")


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

    report = ReturnsReport()
    try:
        async with held_lock(ctx.store, LOCK_NAME, purpose="job fetch-returns"):
            await _fetch(ctx.settings, ctx.jet, ctx.store, report, ctx.say)
    except LockBusy as exc:
        ctx.report.failed(LOCK_NAME, f"{exc}; no returns fetched")
    else:
        report.items += await complete_refunded(ctx.settings, ctx.store.db)
    refunds = await poll_refunds_with(ctx.settings, ctx.jet, ctx.store)
    message = f"returns: {summary(report.items)}; refunds: {summary(refunds)}"
    return report.fill(ctx.report, also=refunds, message=message)


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
        report.items.append(await store.run(mirror_one, settings, rid, detail))
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
            if is_unreachable(exc):
                raise
            results.append(ItemResult(rid, Outcome.FAILED, f"not completed: {exc}"))
            continue
        if result.is_problem:  # Jet refused it
            results.append(replace(result, reason=f"not completed: {result.reason}"))
            continue
        result.reason = f"every returned unit was already refunded: {result.reason}"
        results.append(result)
    return results


def _fully_refunded() -> list[str]:
    """Mirrored returns whose every line is a shipped unit jettui has refunded already."""

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
