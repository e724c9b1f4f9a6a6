"""Bulk product actions on Jet: upload, archive, unarchive, sync (price + inventory), status.

Every action runs under the lock ``products`` (:func:`~jettui.services.runtime.held_lock`,
refreshed while the action runs) and reports every item (a Jet SKU) once, as an
:class:`~jettui.services.results.ItemResult`: succeeded, failed (with Jet's words) or not
attempted (with the reason). Per-SKU calls fan out with :func:`~jettui.services.runtime.fan_out`:
a Jet outage stops every worker before the report is finished. ``dry_run`` validates and lists
what would be sent; it opens no Jet client.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import functools
import inspect
import json
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import peewee as pw

from jettui.config import Settings
from jettui.errors import ExitCode, Unreachable, is_unreachable
from jettui.jet import bulk
from jettui.jet.client import JetClient
from jettui.jet.errors import JetError, JetNotFound, JetServerError, JetUnreachable
from jettui.services.catalog import exceptions as exception_bodies
from jettui.services.catalog import ledger
from jettui.services.catalog import links as link_plans
from jettui.services.catalog.payload import (
    Checker,
    Listing,
    ProductCheck,
    mapped_product_ids,
    product_ids_for_skus,
    validate_products,
)
from jettui.services.catalog.preview import previews
from jettui.services.jet_session import StoreThread, open_logged_client
from jettui.services.results import PROBLEMS, ItemResult, Outcome, count, summary
from jettui.services.runtime import fan_out, held_lock, outage_reason, settle
from jettui.store.base import database_proxy, insert_rows, tuple_rows, update_many
from jettui.store.jet_tables import JetFile, JetProduct
from jettui.store.text import utcnow

ACTIONS = ("upload", "archive", "unarchive", "sync", "status")
LOCK_NAME = "products"
LOCK_TTL_SECONDS = 600.0  # refreshed every third of it while the action runs
UPLOADED = "Uploaded"  # jettui's status until Jet's own is fetched
UNCONFIRMED = ledger.UNCONFIRMED  # in a MerchantSKUs file whose outcome is not known yet
NOT_ON_JET = "Not on Jet"
NOT_ON_JET_YET = "not on Jet yet"  # never uploaded: a status or sync skips it
POLL_INTERVAL = bulk.POLL_INTERVAL_SECONDS
# Bodies the Checker built and validated with Jet's rules (payload.py): not checked twice.
CHECKED_FILES = frozenset({"MerchantSKUs", "Price", "Inventory", "Variation"})
# Sent after the MerchantSKUs file, for the SKUs whose Jet data has them: (file type, Listing attr)
EXCEPTION_FILES = (
    ("ShippingException", "shipping_exception"),
    ("ReturnsException", "returns_exception"),
)

if TYPE_CHECKING:
    from jettui.services.jobs.context import JobContext, JobReport

Progress = Callable[[int, int], Awaitable[None] | None]
Stage = Callable[[str], Awaitable[None] | None]  # what the run is doing now, for a progress bar
Emit = Callable[[list[ItemResult]], Awaitable[None] | None]  # a part's items, once it is done
STREAM_PRODUCTS = 1_500  # products per part: checked, sent and recorded before the next
CHECK_CHUNK = 500  # products checked per store-thread call: progress moves while checking
# The stages a run reports (the TUI's progress bar shows them above the bar).
CHECKING = "checking"
MERCHANT_SKUS = "MerchantSKUs file sent, Jet processing"
PRICE_AND_INVENTORY = "Price and Inventory"
VARIATIONS = "Variation file (option children)"
EXCEPTIONS = "shipping and returns exceptions"
ACTION_STAGES = {
    "archive": "archiving",
    "unarchive": "unarchiving",
    "status": "fetching Jet status",
    "sync": PRICE_AND_INVENTORY,
}


@dataclass
class ActionReport:
    action: str
    dry_run: bool = False
    items: list[ItemResult] = field(default_factory=list)
    checks: list[ProductCheck] = field(default_factory=list)
    unreachable: str | None = None  # Jet (or the store) could not be reached: the run stopped
    left_out: int = 0  # disabled products left out of --all (see --include-disabled)

    def add(
        self, sku: str, outcome: Outcome, reason: str = "", error: BaseException | None = None
    ) -> None:
        self.items.append(ItemResult(sku, outcome, reason, error))

    def count(self, outcome: Outcome) -> int:
        return count(self.items, outcome)

    @property
    def problems(self) -> list[ItemResult]:
        return [i for i in self.items if i.outcome in PROBLEMS]

    @property
    def exit_code(self) -> int:
        if self.unreachable:
            return int(ExitCode.UNREACHABLE)
        return int(ExitCode.PARTIAL if self.problems else ExitCode.OK)

    @property
    def summary(self) -> str:
        head = f"{self.action}{' (dry run)' if self.dry_run else ''}: {summary(self.items)}"
        if self.left_out:
            head += f"; {self.left_out} disabled product(s) left out (--include-disabled)"
        return head + (f"; stopped: {self.unreachable}" if self.unreachable else "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.exit_code == 0,
            "action": self.action,
            "dry_run": self.dry_run,
            "exit_code": self.exit_code,
            "summary": self.summary,
            "disabled_left_out": self.left_out,
            "items": [i.as_dict(key="sku") for i in self.items],
            "warnings": [line for c in self.checks for line in c.lines() if ": warning: " in line],
        }


def children_named(
    settings: Settings, skus: Iterable[str], product_ids: list[int]
) -> dict[int, list[str]]:
    """Product id → the variation child SKUs named among ``skus``, for the products whose own
    SKU is not named too (a named parent means its whole family): ``run_action(only_skus=)``.
    Store thread."""
    from jettui.services.catalog.payload import merchant_sku
    from jettui.store.opencart import Product

    wanted = set(skus)
    own = {
        row.product_id: merchant_sku(row)
        for row in Product.select(Product.product_id, Product.sku, Product.model).where(
            Product.product_id.in_(product_ids)
        )
    }
    only: dict[int, list[str]] = {}
    for product_id in product_ids:
        if own.get(product_id) in wanted:
            continue
        named = [x.sku for x in validate_products(settings, [product_id])[0].listings[1:]]
        chosen = [sku for sku in named if sku in wanted]
        if chosen:
            only[product_id] = chosen
    return only


def resolve_products(
    settings: Settings,
    *,
    skus: Iterable[str] = (),
    all_mapped: bool = False,
    include_disabled: bool = False,
) -> list[int]:
    """Product ids for ``--all`` (disabled products only with ``include_disabled``) or SKUs
    (store thread). Raises payload.UnknownSku."""
    if all_mapped:
        return mapped_product_ids(settings, include_disabled=include_disabled)
    return product_ids_for_skus(skus)


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
) -> ActionReport:
    """Run ``action`` on the products (ids). Raises LockBusy when another run holds the lock;
    Jet (or the store) unreachable ends the run with ``report.unreachable`` set (items left:
    not attempted). Every worker has stopped when this returns.

    ``emit(items)``: called with each part's items as soon as the part is done (the CLI prints
    them then). A dry run's previews (the exact bodies) go out that way only: the report keeps
    them when there is no ``emit``, so a 100,000-product dry run streams instead of holding
    every body.

    ``only_skus``: product id → the only SKUs of that product to act on (variation children
    selected in the grid without their parent); the products not named act on every SKU."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action '{action}' (one of {', '.join(ACTIONS)})")
    store = StoreThread(db)
    report = ActionReport(action, dry_run)
    parts = _parts(product_ids)
    run = _Run(settings, store, report, progress, stage, len(parts))
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
                            jet, store, settings.jet.concurrency, poll_interval=POLL_INTERVAL
                        )
                    for number, ids in enumerate(parts, start=1):
                        await run.part(number, ids, jet)
            except Exception as exc:
                if not is_unreachable(exc):
                    raise
                report.unreachable = outage_reason(exc)
                await run.cut_short(exc, parts)
                await run._emit()
    finally:
        await store.close()
    return report


def _parts(product_ids: list[int]) -> list[list[int]]:
    ids = list(dict.fromkeys(product_ids))
    return [ids[i : i + STREAM_PRODUCTS] for i in range(0, len(ids), STREAM_PRODUCTS)]


class _Run:
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
        self.work: _Work | None = None
        self.checker: Checker | None = None
        self.emit: Emit | None = None
        self.emitted = 0  # report items already given to emit
        self.only_skus: dict[int, list[str]] = {}  # product → its only SKUs acted on

    async def _stage(self, text: str) -> None:
        suffix = f" (part {self.number} of {self.parts})" if self.parts > 1 else ""
        await _call(self.stage, text + suffix)

    async def part(self, number: int, ids: list[int], jet: JetClient | None) -> None:
        self.number = number
        report = self.report
        if self.checker is None:  # made once: it reads every product's SKU
            self.checker = await self.store.run(Checker, self.settings)
        checks = await _check_in_chunks(self.checker, self.store, ids, self.progress, self._stage)
        plan = None
        if report.action == "upload":
            listings = [x for c in checks if c.ok for x in c.listings]
            mode = self.settings.catalog.renamed_sku
            plan = await self.store.run(link_plans.plan_links, listings, mode, not report.dry_run)
        linked = await self.store.run(_links, ids)
        left_alone = {
            sku
            for c in checks
            if c.product_id in self.only_skus
            for sku in c.skus
            if sku not in self.only_skus[c.product_id]
        }
        self.work = _Work(
            self.settings, self.store, report, checks, linked, self.progress, plan, self._stage
        )
        self.work.leave_alone(left_alone)
        if jet is None:
            self.work.dry_run()
        else:
            self.work.jet = jet
            await getattr(self.work, report.action)()
        # Only the problem lines stay: the bodies of a sent part are not kept.
        report.checks += [_light(c) for c in checks if c.errors or c.warnings]
        self.work = None
        await self._emit()
        trim_heap()

    async def _emit(self) -> None:
        """The items added since the last call go to ``emit``; their previews are not kept."""
        if self.emit is None:
            return
        items = self.report.items[self.emitted :]
        self.emitted = len(self.report.items)
        await _call(self.emit, items)
        for item in items:
            item.detail.pop("preview", None)

    async def cut_short(self, exc: BaseException, parts: list[list[int]]) -> None:
        """After an outage: every SKU of this part and of the parts not reached yet that has no
        outcome is not attempted, with the reason."""
        reason = _outage_reason(exc)
        done = {i.item for i in self.report.items}
        skus = self.work.all_skus() if self.work is not None else []
        if self.work is not None:
            self.report.checks += [_light(c) for c in self.work.checks if c.errors or c.warnings]
        for ids in parts[self.number :]:
            try:
                if self.checker is None:
                    self.checker = await self.store.run(Checker, self.settings)
                checks = await self.store.run(self.checker.check_many, ids)
                linked = await self.store.run(_links, ids)
            except Exception:  # noqa: BLE001 - the store went too: the products are not named
                break
            skus += [s for c in checks for s in c.skus] + list(linked)
        for sku in dict.fromkeys(skus):
            if sku not in done:
                self.report.add(sku, Outcome.NOT_ATTEMPTED, reason, exc)


@functools.cache
def _libc() -> Any:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def trim_heap() -> None:
    """Hand the memory a finished part freed back to the system (glibc ``malloc_trim``).
    glibc keeps freed blocks mapped, and a part's big buffers (bulk files, their JSON) are
    freed amid small objects that outlive them: without this a 100,000-product run's resident
    memory creeps up part after part although the objects it holds do not. No-op elsewhere."""
    trim = getattr(_libc(), "malloc_trim", None)
    if trim is not None:
        trim(0)


def _light(check: ProductCheck) -> ProductCheck:
    """The check without its listings (their bodies): what the report keeps of a sent part."""
    return ProductCheck(
        check.product_id,
        check.sku,
        check.name,
        errors=list(check.errors),
        warnings=list(check.warnings),
    )


async def _call(callback: Callable[..., Awaitable[None] | None] | None, *args: Any) -> None:
    if callback is not None:
        outcome = callback(*args)
        if inspect.isawaitable(outcome):
            await outcome


async def _check_in_chunks(
    checker: Checker,
    store: StoreThread,
    product_ids: list[int],
    progress: Progress | None,
    stage: Stage | None,
) -> list[ProductCheck]:
    """Every product checked, :data:`CHECK_CHUNK` per store-thread call, the progress moving
    with the products (a long check is not a silent wait)."""
    await _call(stage, CHECKING)
    ids = list(dict.fromkeys(product_ids))
    checks: list[ProductCheck] = []
    for start in range(0, len(ids), CHECK_CHUNK):
        checks += await store.run(checker.check_many, ids[start : start + CHECK_CHUNK])
        await _call(progress, len(checks), len(ids))
    return checks


def _outage_reason(exc: BaseException) -> str:
    """``Jet unreachable: ...`` or ``store unreachable: ...``: why the rest was not done."""
    if isinstance(exc, JetError):
        return f"Jet unreachable: {exc}"
    return outage_reason(exc)


async def sync_job(ctx: JobContext) -> JobReport:
    """Job ``sync``: price and inventory of every uploaded, unarchived SKU whose values changed
    since last sent, under the ``products`` lock (held elsewhere: LockBusy, the job is
    "locked" and nothing is sent). Every SKU's result goes straight into the job's report."""
    lock = held_lock(ctx.store, LOCK_NAME, purpose="job sync", ttl_seconds=LOCK_TTL_SECONDS)
    async with lock:
        if await ctx.store.run(ledger.has_open_work):
            settled = await ledger.reconcile(
                ctx.jet, ctx.store, ctx.settings.jet.concurrency, poll_interval=POLL_INTERVAL
            )
            ctx.say(f"settled {settled} SKU(s) a crashed upload left unconfirmed")
        ids = await ctx.store.run(_linked_product_ids)
        report = ActionReport("sync", items=ctx.report.items)  # one list: no copying
        parts = _parts(ids)
        run = _Run(ctx.settings, ctx.store, report, None, None, len(parts))
        ctx.say(f"syncing the SKUs of {len(ids)} uploaded product(s)")
        for number, part in enumerate(parts, start=1):
            await run.part(number, part, ctx.jet)
    ctx.report.message = summary(ctx.report.items)
    return ctx.report


class _Work:
    def __init__(
        self,
        settings: Settings,
        store: StoreThread,
        report: ActionReport,
        checks: list[ProductCheck],
        links: dict[str, dict[str, Any]],
        progress: Progress | None,
        plan: link_plans.LinkPlan | None = None,
        stage: Stage | None = None,
    ) -> None:
        self.settings = settings
        self.stage = stage
        self.store = store
        self.report = report
        self.checks = checks
        self.links = links  # merchant_sku → JetProduct values of the products
        self.progress = progress
        self.jet: JetClient | None = None
        self.plan = plan or link_plans.LinkPlan()
        refused = self.plan.refused
        # A product one of whose SKUs is refused (linked to another product) is not sent.
        blocked = {c.product_id for c in checks for x in c.listings if x.sku in refused}
        self.listings = {
            x.sku: x for c in checks if c.ok and c.product_id not in blocked for x in c.listings
        }
        self.blocked = blocked
        self.results: dict[str, bulk.BulkResult] = {}  # file type → the last bulk result
        self.intended: set[str] = set()  # SKUs of MerchantSKUs files Jet was told about
        self.left_alone: set[str] = set()  # see leave_alone

    def leave_alone(self, skus: set[str]) -> None:
        """SKUs of the products acted on that this run does not touch (the children not
        selected when only some are)."""
        self.left_alone = set(skus)
        self.listings = {s: x for s, x in self.listings.items() if s not in skus}

    def all_skus(self) -> list[str]:
        skus = [s for c in self.checks for s in c.skus]
        renamed = [r.old for r in self.plan.moved] + self.plan.to_archive
        every = dict.fromkeys(skus + list(self.links) + renamed)
        return [s for s in every if s not in self.left_alone]

    async def _progress(self, done: int, total: int) -> None:
        await _call(self.progress, done, total)

    async def _stage(self, text: str) -> None:
        await _call(self.stage, text)

    def _invalid(self) -> None:
        for check in self.checks:
            skus = [s for s in check.skus if s not in self.left_alone]
            if not check.ok:
                for sku in skus:
                    self.report.add(sku, Outcome.NOT_ATTEMPTED, "; ".join(check.errors))
            elif check.product_id in self.blocked:
                reasons = [self.plan.refused[s] for s in check.skus if s in self.plan.refused]
                for sku in skus:
                    self.report.add(sku, Outcome.NOT_ATTEMPTED, "; ".join(reasons))

    def _renames(self) -> None:
        """One line per link moved to a renamed SKU (the old SKU left on Jet as it is)."""
        for r in self.plan.moved:
            self.report.add(
                r.old,
                Outcome.SUCCEEDED,
                f"renamed to '{r.new}' in OpenCart: jettui's link moved to '{r.new}'; "
                f"'{r.old}' left on Jet as it is (catalog.renamed_sku: move)",
            )

    def _renamed_to(self, old: str) -> str:
        new = next((r.new for r in self.plan.retired if r.old == old), "")
        return f"renamed to '{new}' in OpenCart" if new else "renamed in OpenCart"

    def dry_run(self) -> None:
        action = self.report.action
        if action in ("upload", "sync"):
            self._invalid()
        for r in self.plan.moved:
            self.report.add(r.old, Outcome.WOULD_SEND, f"move the link to '{r.new}' (renamed)")
        for old in self.plan.to_archive:
            self.report.add(old, Outcome.WOULD_SEND, f"archive: {self._renamed_to(old)}")
        shown = previews(self.checks) if action == "upload" else {}
        for sku in self._targets():
            unchanged = action == "sync" and self._unchanged(sku)
            if unchanged and self._exceptions_due(sku):
                self.report.add(sku, Outcome.WOULD_SEND, self._extra_files(sku)[2:])
            elif unchanged:
                self.report.add(sku, Outcome.UNCHANGED, "price and inventory as last sent")
            else:
                self.report.add(
                    sku, Outcome.WOULD_SEND, self._what(action) + self._extra_files(sku)
                )
            if sku in shown:  # what would be sent, with the exact bodies (--json)
                self.report.items[-1].detail["preview"] = shown[sku]

    def _what(self, action: str) -> str:
        return {
            "upload": "MerchantSKUs, Price, Inventory",
            "archive": "archive",
            "unarchive": "unarchive + Inventory",
            "sync": "Price, Inventory",
            "status": "GET merchant-skus",
        }[action]

    def _extra_files(self, sku: str) -> str:
        """The exception files an upload also sends for ``sku`` (a sync: the exceptions changed
        since Jet last accepted them, sent with PUT)."""
        listing = self.listings.get(sku)
        if listing is None or self.report.action not in ("upload", "sync"):
            return ""
        if self.report.action == "sync" and not self._exceptions_due(sku):
            return ""
        files = [
            file_type for file_type, attr in EXCEPTION_FILES if getattr(listing, attr) is not None
        ]
        return "".join(f", {f}" for f in files)

    def _targets(self) -> list[str]:
        """SKUs the action applies to (others were reported as not attempted)."""
        if self.report.action == "upload":
            return list(self.listings)
        linked = [s for s in self.all_skus() if s in self.links]
        for sku in self.all_skus():
            if sku not in self.links and (self.report.action != "sync" or sku in self.listings):
                self.report.add(sku, *self._never_uploaded(sku))
        if self.report.action == "sync":
            return [s for s in linked if s in self.listings and not self.links[s]["is_archived"]]
        return linked

    def _never_uploaded(self, sku: str) -> tuple[Outcome, str]:
        """Why ``sku`` is not acted on: renamed since its upload (not attempted: the merchant
        has to upload it), or never uploaded. A status or sync of a SKU not on Jet yet has
        nothing to do (skipped, not a failure: a cron run stays green); archiving one that
        was asked for is not attempted."""
        listing = self.listings.get(sku)
        if listing is not None:
            slot = (listing.product_id, listing.option_value_id)
            old = next((s for s, v in self.links.items() if v.get("slot") == slot), None)
            if old is not None:
                why = f"renamed from '{old}' in OpenCart: upload it (products upload)"
                return Outcome.NOT_ATTEMPTED, why
        if self.report.action in ("status", "sync"):
            return Outcome.SKIPPED, NOT_ON_JET_YET
        return Outcome.NOT_ATTEMPTED, "never uploaded to Jet"

    def _unchanged(self, sku: str) -> bool:
        return self.links.get(sku, {}).get("sent_hash") == self.listings[sku].offer_hash

    # --- upload ---------------------------------------------------------------------------

    async def upload(self) -> None:
        self._invalid()
        self._renames()
        listings = list(self.listings.values())
        owners = {x.sku: (x.product_id, x.option_value_id, x.parent_sku) for x in listings}

        async def before_register(intent: ledger.FileIntent) -> None:
            # Written before Jet hears of the file: a crash from here on leaves a trail.
            await settle(self.store.run(ledger.record_intent, intent, owners))
            if intent.file_type == "MerchantSKUs":
                self.intended.update(intent.payload)

        assert self.jet is not None
        self.jet = ledger.RecordingClient(self.jet, before_register)  # type: ignore[assignment]
        await self._upload(listings)
        await self._archive_retired()

    async def _upload(self, listings: list[Listing]) -> None:
        variations = {c.sku: c.variation for c in self.checks if c.ok and c.variation}
        phases = 3 + (1 if variations else 0)
        extra = sum(getattr(x, attr) is not None for x in listings for _, attr in EXCEPTION_FILES)
        total = len(listings) * 3 + len(variations) + extra
        base = 0

        async def step(done: int, _total: int) -> None:
            await self._progress(base + done, total)

        errors: dict[str, str] = {}
        refused: dict[str, str] = {}
        needs = {x.sku: ["MerchantSKUs", "Price", "Inventory"] for x in listings}
        for parent in variations:
            needs[parent].append("Variation")
        for x in listings:
            needs[x.sku] += [f for f, attr in EXCEPTION_FILES if getattr(x, attr) is not None]
        finished: set[str] = set()  # file types whose outcome is known
        on_jet: set[str] = set()  # SKUs whose MerchantSKUs Jet accepted
        offered: set[str] = set()  # ... and their Price and Inventory too
        try:
            await self._stage(MERCHANT_SKUS)
            sent = await self._bulk(
                "MerchantSKUs", {x.sku: x.product for x in listings}, step, errors
            )
            finished.add("MerchantSKUs")
            on_jet = set(sent)
            # Recorded at once: an outage or a crash later must not lose that they are on Jet.
            await self.store.run(_record_upload, listings, on_jet, offered, errors)
            base += len(listings)
            await self._stage(PRICE_AND_INVENTORY)
            sent &= await self._price_and_inventory(listings, sent, base, total, errors)
            finished.update(("Price", "Inventory"))
            base += 2 * len(listings)
            offered = set(sent)
            if phases == 4:
                await self._stage(VARIATIONS)
                ready = {
                    parent: body
                    for parent, body in variations.items()
                    if parent in sent and all(c in sent for c in body["children_skus"])
                }
                ok = await self._bulk("Variation", ready, step, errors)
                finished.add("Variation")
                for parent in ready:
                    if parent not in ok:
                        sent.discard(parent)
                base += len(ready)
            # The SKUs are on Jet now: a refused exception fails the SKU but keeps it uploaded.
            if extra:
                await self._stage(EXCEPTIONS)
            for file_type, attr in EXCEPTION_FILES:
                bodies = {x.sku: getattr(x, attr) for x in listings if x.sku in sent}
                bodies = {sku: body for sku, body in bodies.items() if body is not None}
                await self._bulk(file_type, bodies, step, refused)
                finished.add(file_type)
                base += len(bodies)
        except Unreachable as exc:
            # Jet went away part-way: say per SKU what got through, then stop the run.
            outage = _outage_reason(exc)
            for listing in listings:
                sku = listing.sku
                if sku in refused or sku in errors:
                    self.report.add(sku, Outcome.FAILED, refused.get(sku) or errors[sku])
                elif sku not in on_jet:
                    self.report.add(sku, Outcome.NOT_ATTEMPTED, outage)
                elif all(f in finished for f in needs[sku]):
                    self.report.add(sku, Outcome.SUCCEEDED)
                else:
                    self.report.add(sku, Outcome.FAILED, outage)
            done = {sku for sku in on_jet if all(f in finished for f in needs[sku])}
            reasons = {s: outage for s in on_jet - done} | errors | refused
            await self.store.run(
                _record_upload, listings, on_jet, offered, reasons, self._jet_refused()
            )
            raise
        for listing in listings:
            if listing.sku in refused:
                self.report.add(listing.sku, Outcome.FAILED, refused[listing.sku])
            elif listing.sku in sent:
                self.report.add(listing.sku, Outcome.SUCCEEDED)
            else:
                outcome = Outcome.NOT_ATTEMPTED if listing.sku not in errors else Outcome.FAILED
                self.report.add(listing.sku, outcome, errors.get(listing.sku, "not sent"))
        await self.store.run(
            _record_upload, listings, on_jet, offered, errors | refused, self._jet_refused()
        )
        accepted = {
            x.sku: exception_bodies.sent_hash(x.shipping_exception, x.returns_exception)
            for x in listings
            if x.sku in sent and x.sku not in refused
        }
        await self.store.run(exception_bodies.record_sent, accepted)

    async def _price_and_inventory(
        self, listings: list[Listing], sent: set[str], base: int, total: int, errors: dict[str, str]
    ) -> set[str]:
        """The Price and Inventory files of the SKUs Jet took, sent together; the SKUs both
        accepted. Both files run to their end; then an outage in either is raised."""
        done = {"Price": 0, "Inventory": 0}

        def step_of(file_type: str) -> Progress:
            async def step(count: int, _total: int) -> None:
                done[file_type] = count
                await self._progress(base + sum(done.values()), total)

            return step

        files = [
            self._bulk(
                file_type,
                {x.sku: getattr(x, attr) for x in listings if x.sku in sent},
                step_of(file_type),
                errors,
            )
            for file_type, attr in (("Price", "price"), ("Inventory", "inventory"))
        ]
        price, inventory = await asyncio.gather(*files, return_exceptions=True)
        for outcome in (price, inventory):
            if isinstance(outcome, BaseException):
                raise outcome
        assert isinstance(price, set) and isinstance(inventory, set)
        return price & inventory

    def _jet_refused(self) -> set[str]:
        """SKUs Jet refused in (or that never made it into) a MerchantSKUs file: not on Jet."""
        result = self.results.get("MerchantSKUs")
        if result is None:
            return set()
        return set(result.failed) | (set(result.not_sent) - self.intended)

    async def _archive_retired(self) -> None:
        """Archive on Jet the SKUs renamed in OpenCart (catalog.renamed_sku: archive), each
        reported: succeeded, or failed in Jet's words (retried by the next upload)."""

        async def one(sku: str) -> None:
            assert self.jet is not None
            why = self._renamed_to(sku)
            try:
                await self.jet.archive(sku, True)
            except JetNotFound:
                await self._settled(sku, Outcome.SUCCEEDED, None, f"{why}; not on Jet")
                return
            except Unreachable:
                raise
            except JetError as exc:
                await self._settled(sku, Outcome.FAILED, f"archive refused: {exc}", why, exc)
                return
            await self._settled(sku, Outcome.SUCCEEDED, None, f"archived on Jet: {why}")

        await fan_out(self.plan.to_archive, one, concurrency=self.settings.jet.concurrency)

    async def _settled(
        self,
        sku: str,
        outcome: Outcome,
        error: str | None,
        reason: str,
        exc: BaseException | None = None,
    ) -> None:
        async def record() -> None:
            self.report.add(sku, outcome, f"{reason}: {error}" if error else reason, exc)
            await self.store.run(link_plans.record_archived, sku, error)

        await settle(record())

    async def _bulk(
        self,
        file_type: str,
        bodies: dict[str, dict[str, Any]],
        progress: Progress,
        errors: dict[str, str],
    ) -> set[str]:
        """Upload one file type; record the files; return the SKUs Jet accepted. Jet's words
        for the others go into ``errors`` (first problem wins)."""
        if not bodies:
            return set()
        assert self.jet is not None
        result = await bulk.upload_bulk(
            self.jet,
            file_type,
            bodies,
            progress=progress,
            poll_interval=POLL_INTERVAL,
            checked=file_type in CHECKED_FILES,
        )
        self.results[file_type] = result
        await self.store.run(_record_files, result)
        for f in result.files:  # recorded (JetFile.payload): the part need not hold it too
            f.content = b""
        outages = [f.error for f in result.files if not f.registered and _is_outage(f.error)]
        if outages and not result.succeeded:
            # No file reached Jet: stop; the caller reports the SKUs as cut off by the outage.
            for sku, words in result.invalid.items():
                errors.setdefault(sku, f"{file_type} not sent: " + "; ".join(words))
            first = outages[0]
            if isinstance(first, Unreachable):
                raise first
            raise JetUnreachable(str(first)) from first  # 5xx after every retry: Jet is down
        for sku, words in result.failed.items():
            errors.setdefault(sku, f"{file_type}: " + "; ".join(words))
        for sku, words in result.not_sent.items():
            errors.setdefault(sku, f"{file_type} not sent: " + "; ".join(words))
        for sku in result.unconfirmed:
            errors.setdefault(sku, f"{file_type}: sent, Jet has not confirmed it (fetch status)")
        return set(result.succeeded)

    # --- archive / unarchive / sync / status ----------------------------------------------

    async def archive(self) -> None:
        await self._each(self._targets(), self._archive_one(True))

    async def unarchive(self) -> None:
        await self._each(self._targets(), self._archive_one(False))

    def _archive_one(self, archived: bool) -> Callable[[str], Awaitable[None]]:
        async def one(sku: str) -> None:
            assert self.jet is not None
            try:
                await self.jet.archive(sku, archived)
            except Unreachable:
                raise
            except JetError as exc:
                await self._record(sku, Outcome.FAILED, {"last_error": str(exc)}, str(exc), exc)
                return
            values: dict[str, Any] = {"is_archived": archived, "last_error": None}
            if not archived:
                listing = self.listings.get(sku)
                if listing is None:
                    reason = "unarchived, inventory not resent: the product does not validate"
                    await self._record(sku, Outcome.FAILED, values | {"last_error": reason}, reason)
                    return
                try:
                    await self.jet.put_inventory(sku, listing.inventory)
                except JetError as exc:
                    reason = f"unarchived, inventory refused: {exc}"
                    await self._record(
                        sku, Outcome.FAILED, values | {"last_error": reason}, reason, exc
                    )
                    if isinstance(exc, Unreachable):
                        raise  # recorded as unarchived first: Jet did that much
                    return
            await self._record(sku, Outcome.SUCCEEDED, values)

        return one

    async def _record(
        self,
        sku: str,
        outcome: Outcome,
        values: dict[str, Any],
        reason: str = "",
        error: BaseException | None = None,
    ) -> None:
        """Report ``sku`` and write its row as one step: an outage cancelling the worker
        meanwhile cannot leave the report and the store telling different stories."""

        async def record() -> None:
            self.report.add(sku, outcome, reason, error)
            await self.store.run(_update, sku, values)

        await settle(record())

    async def sync(self) -> None:
        self._invalid()
        targets = self._targets()
        due = [self.listings[s] for s in targets if self._exceptions_due(s)]
        # Sent first: a SKU's outcome is known before it is reported (an outage here leaves
        # every SKU not attempted, which is true: nothing was sent).
        refused = await self._send_exceptions(due) if due else {}
        exceptions_only = {x.sku for x in due}
        changed = []
        for sku in targets:
            if not self._unchanged(sku):
                changed.append(self.listings[sku])
                exceptions_only.discard(sku)
            elif sku not in exceptions_only:
                self.report.add(sku, Outcome.UNCHANGED, "price and inventory as last sent")
        for sku in sorted(exceptions_only):
            if sku in refused:
                self.report.add(sku, Outcome.FAILED, refused[sku])
            else:
                self.report.add(sku, Outcome.SUCCEEDED, "shipping/returns exceptions sent")
        errors: dict[str, str] = dict(refused)
        total = len(changed) * 2
        base = 0
        await self._stage(PRICE_AND_INVENTORY)

        async def step(done: int, _total: int) -> None:
            await self._progress(base + done, total)

        ok = await self._bulk("Price", {x.sku: x.price for x in changed}, step, errors)
        base = len(changed)
        ok &= await self._bulk("Inventory", {x.sku: x.inventory for x in changed}, step, errors)
        for listing in changed:
            if listing.sku in ok and listing.sku not in refused:
                self.report.add(listing.sku, Outcome.SUCCEEDED)
            else:
                self.report.add(
                    listing.sku, Outcome.FAILED, errors.get(listing.sku, "not confirmed")
                )
        await self.store.run(_record_sync, changed, ok, errors)

    def _exceptions_due(self, sku: str) -> bool:
        """The SKU has shipping/returns exceptions other than those Jet last accepted."""
        listing = self.listings[sku]
        wanted = exception_bodies.sent_hash(listing.shipping_exception, listing.returns_exception)
        return wanted is not None and wanted != self.links[sku].get("exceptions_hash")

    async def _send_exceptions(self, listings: list[Listing]) -> dict[str, str]:
        """PUT each SKU's changed exceptions (``/merchant-skus/{sku}/shippingexception`` and
        ``/returnsexception``); Jet's words per refused SKU. An outage is raised."""
        await self._stage(EXCEPTIONS)
        refused: dict[str, str] = {}
        accepted: dict[str, str | None] = {}

        async def one(listing: Listing) -> None:
            assert self.jet is not None
            try:
                if listing.shipping_exception:
                    await self.jet.put_shipping_exception(listing.sku, listing.shipping_exception)
                if listing.returns_exception:
                    await self.jet.put_returns_exception(listing.sku, listing.returns_exception)
            except Unreachable:
                raise
            except JetError as exc:
                refused[listing.sku] = f"exceptions: {exc}"
                return
            accepted[listing.sku] = exception_bodies.sent_hash(
                listing.shipping_exception, listing.returns_exception
            )

        try:
            await fan_out(listings, one, concurrency=self.settings.jet.concurrency)
        finally:
            await settle(self.store.run(exception_bodies.record_sent, accepted))
        return refused

    async def status(self) -> None:
        async def one(sku: str) -> None:
            assert self.jet is not None
            try:
                product = await self.jet.get_sku(sku)
            except JetNotFound as exc:
                values: dict[str, Any] = {
                    "status": NOT_ON_JET,
                    "sub_statuses": [],
                    "last_error": str(exc),
                }
                await self._record(sku, Outcome.FAILED, values, f"not on Jet: {exc}", exc)
                return
            except Unreachable:
                raise
            except JetError as exc:
                self.report.add(sku, Outcome.FAILED, str(exc), exc)
                return
            values = {
                "status": str(product.get("status") or "unknown")[:64],
                "sub_statuses": [str(s) for s in product.get("sub_status") or []],
                "is_archived": bool(product.get("is_archived")),
                "status_checked_at": _now(),
            }
            await self._record(sku, Outcome.SUCCEEDED, values, str(product.get("status") or ""))

        await self._each(self._targets(), one)

    async def _each(self, skus: list[str], work: Callable[[str], Awaitable[None]]) -> None:
        """``work(sku)`` ``jet.concurrency`` at a time; an outage stops every worker."""
        total, done = len(skus), 0
        await self._stage(ACTION_STAGES[self.report.action])
        await self._progress(0, total)

        async def one(sku: str) -> None:
            nonlocal done
            await work(sku)
            done += 1
            await self._progress(done, total)

        await fan_out(skus, one, concurrency=self.settings.jet.concurrency)


# --- store side (store thread) ----------------------------------------------------------------


def _now() -> datetime:
    return utcnow()


def _linked_product_ids() -> list[int]:
    rows = (
        JetProduct.select(JetProduct.product_id)
        .where(JetProduct.sent_at.is_null(False))
        .distinct()
        .order_by(JetProduct.product_id)
    )
    return [pid for (pid,) in tuple_rows(rows)]


def _links(product_ids: list[int]) -> dict[str, dict[str, Any]]:
    if not product_ids:
        return {}
    # A row that was never sent (an edit saved before the first upload, a failed upload) is
    # not on Jet: archive, status and sync must not treat it as uploaded.
    rows = JetProduct.select().where(
        JetProduct.product_id.in_(product_ids)
        & JetProduct.sent_at.is_null(False)
        & (JetProduct.product_option_value_id >= 0)  # retired (renamed) SKUs: upload's business
    )
    return {
        r.merchant_sku: {
            "sent_hash": r.sent_hash,
            "exceptions_hash": r.exceptions_hash,
            "is_archived": r.is_archived,
            "status": r.status,
            "slot": (r.product_id, r.product_option_value_id),
        }
        for r in rows.order_by(JetProduct.id)
    }


def _update(sku: str, values: dict[str, Any]) -> None:
    JetProduct.update(**values, updated_at=_now()).where(JetProduct.merchant_sku == sku).execute()


def _record_files(result: bulk.BulkResult) -> None:
    """The files' JetFile rows: the row written before registering (ledger) is completed; a
    file whose registration failed keeps that row open for :func:`ledger.reconcile` (Jet may
    have it even so: an answer lost)."""
    now = _now()
    names = [f.file_name for f in result.files]
    recorded = {r.file_name: r for r in JetFile.select().where(JetFile.file_name.in_(names))}
    with database_proxy.atomic():
        for f in result.files:
            row = recorded.get(f.file_name)
            if row is not None and not f.registered:
                continue  # files/uploaded was tried: its fate is reconcile's to learn
            values = {
                "jet_file_id": f.jet_file_id if f.registered else None,
                "file_type": result.file_type,
                "status": (f.status or ("uploaded" if f.registered else "failed"))[:64],
                "sku_count": len(f.skus),
                "error_count": f.error_count,
                "error_excerpt": f.sku_errors or None,
                "uploaded_at": now if f.registered else None,
                "processed_at": now if f.processed else None,
            }
            if row is None:
                payload = json.loads(f.content) if f.content else None
                JetFile.create(file_name=f.file_name, payload=payload, **values)
            else:
                JetFile.update(**values, updated_at=now).where(JetFile.id == row.id).execute()


def _is_outage(error: BaseException | None) -> bool:
    """A file's error says Jet is down: unreachable, credentials refused, 5xx after retries."""
    return error is not None and (is_unreachable(error) or isinstance(error, JetServerError))


def _record_upload(
    listings: list[Listing],
    on_jet: set[str],
    offered: set[str],
    errors: dict[str, str],
    refused: set[str] | None = None,
) -> None:
    """JetProduct rows: ``on_jet`` SKUs (MerchantSKUs accepted) are uploaded; ``sent_hash`` is
    set only for SKUs whose price and inventory Jet accepted, so sync resends the others.
    A SKU recorded as sent-unconfirmed that Jet ``refused`` is back to never uploaded; one
    whose fate is still unknown stays unconfirmed (reconciled by the next run)."""
    now = _now()
    skus = [x.sku for x in listings]
    # Read before the transaction: on SQLite (WAL) a transaction that reads and then writes
    # fails at once with "database is locked" when another connection wrote meanwhile.
    before: dict[str, str] = dict(
        tuple_rows(
            JetProduct.select(JetProduct.merchant_sku, JetProduct.status).where(
                JetProduct.merchant_sku.in_(skus)
            )
        )
    )
    updates: list[tuple[str, dict[str, Any]]] = []
    inserts: list[dict[str, Any]] = []
    for x in listings:
        values: dict[str, Any] = {
            "product_id": x.product_id,
            "product_option_value_id": x.option_value_id,
            "parent_sku": x.parent_sku,
            "updated_at": now,
        }
        if x.sku in on_jet:
            values.update(sent_at=now, last_error=errors.get(x.sku))
            if x.sku in offered:
                values["sent_hash"] = x.offer_hash
            if before.get(x.sku) in (None, "", "Not Uploaded", NOT_ON_JET, UNCONFIRMED):
                values["status"] = UPLOADED
        else:
            values["last_error"] = errors.get(x.sku, "not sent")
            if before.get(x.sku) == UNCONFIRMED and x.sku in (refused or ()):
                values.update(status="Not Uploaded", sent_at=None)
        if x.sku in before:
            updates.append((x.sku, values))
        else:
            inserts.append({"merchant_sku": x.sku, **values})
    with database_proxy.atomic():
        update_many(JetProduct, "merchant_sku", updates)
        insert_rows(JetProduct, inserts)


def _record_sync(listings: list[Listing], ok: set[str], errors: dict[str, str]) -> None:

    now = _now()
    rows = [
        (x.sku, {"sent_hash": x.offer_hash, "sent_at": now, "last_error": None, "updated_at": now})
        if x.sku in ok
        else (x.sku, {"last_error": errors.get(x.sku, "not confirmed"), "updated_at": now})
        for x in listings
    ]
    with database_proxy.atomic():
        update_many(JetProduct, "merchant_sku", rows)
