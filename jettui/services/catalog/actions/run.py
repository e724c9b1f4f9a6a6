"""Running an action: the ``products`` lock, a Jet client, and the products streamed in parts of
:data:`STREAM_PRODUCTS` (checked, sent and recorded before the next is read). The cron job
``sync`` runs here too."""

from __future__ import annotations

from typing import TYPE_CHECKING

import peewee as pw

from jettui.config import Settings
from jettui.errors import is_unreachable
from jettui.jet.client import JetClient
from jettui.services.catalog import ledger
from jettui.services.catalog import links as link_plans
from jettui.services.catalog.actions import bulk_files, link_rows
from jettui.services.catalog.actions.checking import check_in_chunks
from jettui.services.catalog.actions.dry_run import DryRun
from jettui.services.catalog.actions.memory import trim_heap
from jettui.services.catalog.actions.per_sku import PerSku
from jettui.services.catalog.actions.report import (
    ACTIONS,
    ActionReport,
    Emit,
    Progress,
    Stage,
    call,
    stop_reason,
)
from jettui.services.catalog.actions.stop import StopToken, record_end, record_start, stopped_line
from jettui.services.catalog.actions.sync import Sync
from jettui.services.catalog.actions.upload import Upload
from jettui.services.catalog.payload import (
    Checker,
    ProductCheck,
)
from jettui.services.jet_session import StoreThread, open_logged_client
from jettui.services.results import Outcome, summary
from jettui.services.runtime import held_lock, outage_reason

if TYPE_CHECKING:
    from jettui.services.jobs.context import JobContext, JobReport

LOCK_NAME = "products"
LOCK_TTL_SECONDS = 600.0  # refreshed every third of it while the action runs
STREAM_PRODUCTS = 1_500  # products per part: checked, sent and recorded before the next


class PartActions(Upload, Sync, PerSku, DryRun):
    """The five actions on one part of the products; ``getattr(part, action)()`` runs one."""


async def run_action(
    settings: Settings,
    db: pw.Database,
    action: str,
    product_ids: list[int],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    stage: Stage | None = None,
    emit: Emit | None = None,
    only_skus: dict[int, list[str]] | None = None,
    stop: StopToken | None = None,
) -> ActionReport:
    """Run ``action`` on the products (ids). Raises LockBusy when another run holds the lock;
    Jet (or the store) unreachable ends the run with ``report.unreachable`` set (items left:
    not attempted). Every worker has stopped when this returns.

    ``emit(items)``: called with each part's items as soon as the part is done (the CLI prints
    them then). A dry run's previews (the exact bodies) go out that way only: the report keeps
    them when there is no ``emit``, so a 100,000-product dry run streams instead of holding
    every body.

    ``only_skus``: product id → the only SKUs of that product to act on (variation children
    selected in the grid without their parent); the products not named act on every SKU.

    ``stop``: asked between parts, never inside one: when it is requested, the part in flight
    has been checked, sent and recorded in full; the parts not reached are reported not
    attempted and ``report.stopped`` says how many SKUs were left (see actions/stop.py)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action '{action}' (one of {', '.join(ACTIONS)})")
    store = StoreThread(db)
    report = ActionReport(action, dry_run)
    parts = split_into_parts(product_ids)
    run = StreamedRun(settings, store, report, progress, stage, len(parts))
    run.emit = emit
    run.only_skus = dict(only_skus or {})
    try:
        lock = held_lock(
            store, LOCK_NAME, purpose=f"products {action}", ttl_seconds=LOCK_TTL_SECONDS
        )
        async with lock:
            if dry_run:
                for number, ids in enumerate(parts, start=1):
                    await run.part(number, ids, None)
                return report
            try:
                async with open_logged_client(settings, db) as jet:
                    if await store.run(ledger.has_open_work):
                        await ledger.reconcile(
                            jet,
                            store,
                            settings.jet.concurrency,
                            poll_interval=bulk_files.POLL_INTERVAL,
                        )
                    await store.run(record_start, action, sum(map(len, parts)))
                    for number, ids in enumerate(parts, start=1):
                        if stop is not None and stop.requested and number > 1:
                            await run.stopped(parts)
                            break
                        await run.part(number, ids, jet)
            except Exception as exc:
                if not is_unreachable(exc):
                    raise
                report.unreachable = outage_reason(exc)
                await run.cut_short(exc, parts)
                await run._emit()
            await run.record_end()
    finally:
        await store.close()
    return report


def split_into_parts(product_ids: list[int]) -> list[list[int]]:
    ids = list(dict.fromkeys(product_ids))
    return [ids[i : i + STREAM_PRODUCTS] for i in range(0, len(ids), STREAM_PRODUCTS)]


class StreamedRun:
    """One action streamed over parts of :data:`STREAM_PRODUCTS` products: each part is
    checked, sent and recorded before the next is read, so memory stays flat however large
    the catalog. What a part leaves in the report is its items and its problem lines."""

    def __init__(
        self,
        settings: Settings,
        store: StoreThread,
        report: ActionReport,
        progress: Progress | None,
        stage: Stage | None,
        parts: int,
    ) -> None:
        self.settings = settings
        self.store = store
        self.report = report
        self.progress = progress
        self.stage = stage
        self.parts = parts
        self.number = 0  # the part being worked on (1-based)
        self.work: PartActions | None = None
        self.checker: Checker | None = None
        self.emit: Emit | None = None
        self.emitted = 0  # report items already given to emit
        self.only_skus: dict[int, list[str]] = {}  # product → its only SKUs acted on
        self.left = 0  # SKUs a stop or an outage left not attempted

    async def _stage(self, text: str) -> None:
        suffix = f" (part {self.number} of {self.parts})" if self.parts > 1 else ""
        await call(self.stage, text + suffix)

    async def part(self, number: int, ids: list[int], jet: JetClient | None) -> None:
        self.number = number
        report = self.report
        if self.checker is None:  # made once: it reads every product's SKU
            self.checker = await self.store.run(Checker, self.settings)
        checks = await check_in_chunks(self.checker, self.store, ids, self.progress, self._stage)
        plan = None
        if report.action == "upload":
            listings = [x for c in checks if c.ok for x in c.listings]
            mode = self.settings.catalog.renamed_sku
            plan = await self.store.run(link_plans.plan_links, listings, mode, not report.dry_run)
        linked = await self.store.run(link_rows.uploaded_links, ids)
        left_alone = {
            sku
            for c in checks
            if c.product_id in self.only_skus
            for sku in c.skus
            if sku not in self.only_skus[c.product_id]
        }
        self.work = PartActions(
            self.settings, self.store, report, checks, linked, self.progress, plan, self._stage
        )
        self.work.leave_alone(left_alone)
        if jet is None:
            self.work.dry_run()
        else:
            self.work.jet = jet
            await getattr(self.work, report.action)()
        # Only the problem lines stay: the bodies of a sent part are not kept.
        report.checks += [problems_only(c) for c in checks if c.errors or c.warnings]
        self.work = None
        await self._emit()
        trim_heap()

    async def _emit(self) -> None:
        """The items added since the last call go to ``emit``; their previews are not kept."""
        if self.emit is None:
            return
        items = self.report.items[self.emitted :]
        self.emitted = len(self.report.items)
        await call(self.emit, items)
        for item in items:
            item.detail.pop("preview", None)

    async def stopped(self, parts: list[list[int]]) -> None:
        """Asked to stop after part ``self.number``: every SKU of the parts not reached is not
        attempted, and the report says how many were done and how many left."""
        done = len(self.report.items)
        reason = f"stopped before this part: run {self.report.action} again"
        self.left = await self._not_attempted(parts, reason, None, [])
        self.report.stopped = stopped_line(self.report.action, done, self.left)
        await self._emit()

    async def record_end(self) -> None:
        """The run's end event (``jettui status`` warns while the newest is a stop)."""
        report, left = self.report, self.left
        why = report.stopped or (f"stopped: {report.unreachable}" if report.unreachable else None)
        try:
            await self.store.run(record_end, report.action, why, len(report.items) - left, left)
        except Exception:  # noqa: BLE001 - the store went: the start event stays unanswered
            pass

    async def cut_short(self, exc: BaseException, parts: list[list[int]]) -> None:
        """After an outage: every SKU of this part and of the parts not reached yet that has no
        outcome is not attempted, with the reason."""
        skus = self.work.all_skus() if self.work is not None else []
        if self.work is not None:
            self.report.checks += [
                problems_only(c) for c in self.work.checks if c.errors or c.warnings
            ]
        self.left = await self._not_attempted(parts, stop_reason(exc), exc, skus)

    async def _not_attempted(
        self, parts: list[list[int]], reason: str, exc: BaseException | None, skus: list[str]
    ) -> int:
        """``skus`` and every SKU of the parts after ``self.number`` without an outcome yet:
        not attempted, with ``reason``. Returns how many. (The children of a product not
        selected with it are left out, as the action would have left them alone.)"""
        done = {i.item for i in self.report.items}
        skus = list(skus)
        for ids in parts[self.number :]:
            try:
                if self.checker is None:
                    self.checker = await self.store.run(Checker, self.settings)
                checks = await self.store.run(self.checker.check_many, ids)
                linked = await self.store.run(link_rows.uploaded_links, ids)
            except Exception:  # noqa: BLE001 - the store went too: the products are not named
                break
            only = self.only_skus
            skus += [s for c in checks for s in c.skus if s in only.get(c.product_id, [s])]
            skus += [s for s, link in linked.items() if s in only.get(link["slot"][0], [s])]
        added = 0
        for sku in dict.fromkeys(skus):
            if sku not in done:
                self.report.add(sku, Outcome.NOT_ATTEMPTED, reason, exc)
                added += 1
        return added


def problems_only(check: ProductCheck) -> ProductCheck:
    """The check without its listings (their bodies): what the report keeps of a sent part."""
    return ProductCheck(
        check.product_id,
        check.sku,
        check.name,
        errors=list(check.errors),
        warnings=list(check.warnings),
    )


async def sync_job(ctx: JobContext) -> JobReport:
    """Job ``sync``: price and inventory of every uploaded, unarchived SKU whose values changed
    since last sent, under the ``products`` lock (held elsewhere: LockBusy, the job is
    "locked" and nothing is sent). Every SKU's result goes straight into the job's report."""
    lock = held_lock(ctx.store, LOCK_NAME, purpose="job sync", ttl_seconds=LOCK_TTL_SECONDS)
    async with lock:
        if await ctx.store.run(ledger.has_open_work):
            settled = await ledger.reconcile(
                ctx.jet,
                ctx.store,
                ctx.settings.jet.concurrency,
                poll_interval=bulk_files.POLL_INTERVAL,
            )
            ctx.say(f"settled {settled} SKU(s) a crashed upload left unconfirmed")
        ids = await ctx.store.run(link_rows.uploaded_product_ids)
        report = ActionReport("sync", items=ctx.report.items)  # one list: no copying
        parts = split_into_parts(ids)
        run = StreamedRun(ctx.settings, ctx.store, report, None, None, len(parts))
        ctx.say(f"syncing the SKUs of {len(ids)} uploaded product(s)")
        for number, part in enumerate(parts, start=1):
            await run.part(number, part, ctx.jet)
    ctx.report.message = summary(ctx.report.items)
    return ctx.report
