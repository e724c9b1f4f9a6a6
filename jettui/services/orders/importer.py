"""Fetching Jet orders into OpenCart: ``jettui cron fetch-orders``, the Orders panel's fetch
key, the dashboard's timer, ``jettui orders retry``/``reject``.

One run (:func:`run_import`):

1. lists Jet's ``ready`` orders and adds every order the ledger says is owed work (an import
   a killed run left half-done, a rejection not yet sent, with ``orders.auto_acknowledge`` an
   imported order not yet acknowledged);
2. in chunks of 50, pipelined (chunk N+1 is read while chunk N is written and chunk N-1
   answered): GET each order in full (``jet.concurrency`` at a time), write the chunk on the
   store thread (on MySQL ``jet.concurrency`` store threads of its own, each order on one of
   them)
   (:func:`import_write.import_order` per order: exactly once, crash-safe — see that
   module), then, ``jet.concurrency`` at a time, acknowledge each written order on Jet when
   ``orders.auto_acknowledge`` is on (``alt_order_id`` = the OpenCart order id), or reject
   one that cannot be created (``rejected - item level error``) — unless
   ``orders.hold_problem_orders`` keeps it (state ``held``) for :func:`retry_order` /
   :func:`reject_order`;
3. refreshes Jet's status of the open imported orders (ready, acknowledged, inprogress) into
   ``JetOrder.status``/``raw`` (only those Jet's lists show changed, or asked to cancel) and
   hands the changed ones to the ship side's
   :func:`jettui.services.orders.status.mirror_statuses`, which mirrors them to OpenCart once.

Every entry point holds the lock ``job:fetch-orders`` (the job runner's own lock for this
job), so cron, the dashboard and a second cron never import at the same time: the ones that
find it taken report ``locked`` and do nothing (exit 75).

Item outcomes: succeeded (imported; acknowledged), unchanged (already imported, waiting for
an acknowledgement), failed (rejected, held, refused by Jet, acknowledged past its deadline),
not attempted (another run was on it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from jettui.config import Settings
from jettui.errors import is_unreachable, one_line
from jettui.jet.client import JetClient
from jettui.jet.enums import OrderStatus
from jettui.jet.errors import JetAuthError, JetError, JetUnreachable
from jettui.services.jet_session import run_with_jet
from jettui.services.orders import import_write
from jettui.services.orders.acknowledge import (
    AckRecorder,
    OrdersReport,
    _late_note,
    accepted_body,
    mark_acks_sending,
    rejected_body,
    send_acknowledgement,
    send_answer,
)
from jettui.services.orders.import_plan import Lookups
from jettui.services.orders.import_write import ImportOutcome, record_acknowledgement
from jettui.services.orders.status import mirror_statuses
from jettui.services.results import ItemResult, Outcome
from jettui.services.runtime import StoreThread, fan_out
from jettui.store.base import is_mysql
from jettui.store.errors import StoreError
from jettui.store.jet_tables import collected_events
from jettui.store.oc_orders import ShopContext, shop_context

if TYPE_CHECKING:
    from jettui.services.jobs import JobContext, JobReport

log = logging.getLogger("jettui.services")

IMPORT_LOCK = "job:fetch-orders"
#: Jet statuses of orders that can still change (refreshed by every fetch)
OPEN_STATUSES = (OrderStatus.READY, OrderStatus.ACKNOWLEDGED, OrderStatus.IN_PROGRESS)
CHUNK = 50  # orders read, written and answered together

Progress = Callable[[str], Any]


async def fetch_orders(
    settings: Settings, db: Any, *, progress: Progress | None = None
) -> OrdersReport:
    """Import every ready Jet order (and finish what earlier runs left), acknowledge or reject
    them on Jet, refresh open orders' Jet status. Never raises for an outage or a held lock:
    the report says (``exit_code`` 3 / 75)."""
    report = OrdersReport("fetch-orders")

    async def work(jet: JetClient, store: StoreThread) -> None:
        await run_import(settings, jet, store, report, progress)

    await run_with_jet(
        settings, db, lock=IMPORT_LOCK, purpose="fetch-orders", report=report, work=work,
        outages=(JetError,),
    )  # fmt: skip
    return report


async def fetch_orders_job(ctx: JobContext) -> JobReport:
    """Job ``fetch-orders`` (the runner holds ``job:fetch-orders`` and reports outages)."""
    report = OrdersReport("fetch-orders")
    await run_import(ctx.settings, ctx.jet, ctx.store, report, ctx.say)
    return report.fill(ctx.report)


async def run_import(
    settings: Settings,
    jet: JetClient,
    store: StoreThread,
    report: OrdersReport,
    progress: Progress | None = None,
) -> None:
    """The body shared by :func:`fetch_orders` and the job (caller holds the lock)."""
    shop: ShopContext = await store.run(shop_context, settings)
    lookups = Lookups(shop)
    ready = await jet.list_orders(str(OrderStatus.READY))
    owed = await store.run(import_write.unfinished_order_ids, settings.orders.auto_acknowledge)
    ids = list(dict.fromkeys([*ready, *owed]))
    say = progress or (lambda _message: None)
    say(f"{len(ids)} order(s) to import")
    recorder = AckRecorder(store)
    try:
        await _import_orders(settings, jet, store, lookups, report, ids, recorder, say)
    finally:
        await recorder.flush()  # what Jet took before an abort is recorded
    await _finish_shipments(settings, store, report)
    report.refreshed = await refresh_statuses(settings, jet, store, skip=set(ids), ready=ready)
    say(report.summary)


async def _finish_shipments(settings: Settings, store: StoreThread, report: OrdersReport) -> None:
    """Finish the OpenCart side of shipments whose run was cut short; an order deleted in
    OpenCart's admin meanwhile is a failed item (once: it is settled then)."""
    from jettui.services.orders.shipping import finish_pending

    problems: list[ItemResult] = []
    await store.run(finish_pending, settings, problems)
    for problem in problems:
        report.add(problem.item, problem.outcome, problem.reason)


async def _import_orders(
    settings: Settings,
    jet: JetClient,
    store: StoreThread,
    lookups: Lookups,
    report: OrdersReport,
    ids: list[str],
    recorder: AckRecorder | None,
    say: Progress,
    *,
    retry: bool = False,
) -> None:
    """Orders go through in chunks: read from Jet (``jet.concurrency`` at a time), written in
    one visit to the store threads, then acknowledged or rejected on Jet. The three stages
    are a pipeline (reading chunk N+1, writing chunk N and answering chunk N-1 at once), so
    Jet always has calls to answer while the store writes, and no stage waits for another
    chunk's slowest order."""
    chunks = [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]
    Batch = tuple[list[str], dict[str, dict[str, Any]]]
    Written = tuple[list[str], list[tuple[dict[str, Any], ImportOutcome | str]]]
    to_write: asyncio.Queue[Batch | None] = asyncio.Queue(1)
    to_answer: asyncio.Queue[Written | None] = asyncio.Queue(1)
    # MySQL: one connection per writer, so the round trips of different orders overlap (each
    # order is still written by one thread, and every write that moves stock is one
    # statement), and the answers' ledger marks have the run's own store thread to
    # themselves. SQLite: one writer; a second one would only wait for the file's lock.
    mysql = is_mysql(store.db) and len(ids) > 1
    writers = (
        [StoreThread(store.db) for _ in range(max(1, settings.jet.concurrency))]
        if mysql
        else [store]
    )

    async def reader() -> None:
        for chunk in chunks:
            await to_write.put((chunk, await _read_orders(settings, jet, report, chunk, retry)))
        await to_write.put(None)

    async def writer() -> None:
        while (item := await to_write.get()) is not None:
            chunk, raws = item
            ordered = [raws[mid] for mid in chunk if mid in raws]
            await to_answer.put(
                (chunk, await _write_chunk(writers, ordered, settings, lookups, retry))
            )
        await to_answer.put(None)

    async def answerer() -> None:
        done = 0
        marked: dict[str, bool] = {}  # acceptances recorded as sending: was it done before

        async def answer(result: tuple[dict[str, Any], ImportOutcome | str]) -> None:
            raw, outcome = result
            mid = str(raw.get("merchant_order_id"))
            if isinstance(outcome, str):
                report.add(mid, Outcome.FAILED, outcome)
                return
            await _answer_jet(
                settings, jet, store, report, raw, outcome, recorder, marked.pop(mid, None)
            )

        while (item := await to_answer.get()) is not None:
            chunk, written = item
            # the chunk's acceptances recorded as sending in one visit to the store
            sends = [
                str(r.get("merchant_order_id"))
                for r, o in written
                if _sends_acceptance(settings, r, o)
            ]
            earlier = await store.run(mark_acks_sending, sends)
            marked.update({mid: mid in earlier for mid in sends})
            await fan_out(written, answer, concurrency=settings.jet.concurrency)
            done += len(chunk)
            say(f"{done}/{len(ids)} orders")

    try:
        # the three stages at once (chunk N+1 is read while chunk N is written, and written
        # while chunk N-1 is answered); the first failure stops the others
        await fan_out([reader, writer, answerer], lambda stage: stage(), concurrency=3)
    finally:
        for own_writer in writers:
            if own_writer is not store:
                await own_writer.close()


async def _write_chunk(
    writers: list[StoreThread],
    raws: list[dict[str, Any]],
    settings: Settings,
    lookups: Lookups,
    retry: bool,
) -> list[tuple[dict[str, Any], ImportOutcome | str]]:
    """The chunk's orders dealt out to the writers (store threads), results in chunk order."""
    parts = [raws[i :: len(writers)] for i in range(len(writers))]
    results = await asyncio.gather(
        *(
            w.run(_write_orders, part, settings, lookups, retry)
            for w, part in zip(writers, parts, strict=True)
        )
    )
    out: list[tuple[dict[str, Any], ImportOutcome | str]] = []
    for i in range(len(raws)):
        out.append(results[i % len(writers)][i // len(writers)])
    return out


async def _read_orders(
    settings: Settings, jet: JetClient, report: OrdersReport, chunk: list[str], retry: bool
) -> dict[str, dict[str, Any]]:
    raws: dict[str, dict[str, Any]] = {}

    async def read(mid: str) -> None:
        try:
            raw = await jet.get_order(mid)
        except (JetUnreachable, JetAuthError):
            raise
        except JetError as exc:
            report.add(mid, Outcome.FAILED, f"could not read the order from Jet: {one_line(exc)}")
            return
        status = raw.get("status")
        if status == OrderStatus.CREATED:
            report.add(mid, Outcome.SKIPPED, "not ready on Jet yet (created)")
            return
        if retry and status not in (OrderStatus.READY, OrderStatus.ACKNOWLEDGED):
            report.add(mid, Outcome.FAILED, f"Jet has it as '{status}': nothing to import")
            return
        raws[mid] = raw

    await fan_out(chunk, read, concurrency=settings.jet.concurrency)
    return raws


def _write_orders(
    raws: list[dict[str, Any]], settings: Settings, lookups: Lookups, retry: bool
) -> list[tuple[dict[str, Any], ImportOutcome | str]]:
    """Store thread: :func:`import_write.import_order` for each order; a failure (its one
    line) stays with its order, except the store going away, which ends the run."""
    results: list[tuple[dict[str, Any], ImportOutcome | str]] = []
    # one multi-row INSERT for the orders' events, one UPDATE for their ledger 'done' marks
    with collected_events(), import_write.batched_done():
        for raw in raws:
            results.append((raw, _write_order(raw, settings, lookups, retry)))
    return results


def _write_order(
    raw: dict[str, Any], settings: Settings, lookups: Lookups, retry: bool
) -> ImportOutcome | str:
    """:func:`import_order`, or its failure's one line (the store going away is raised)."""
    try:
        return import_write.import_order(raw, lookups.shop, settings, retry, lookups)
    except StoreError as exc:
        return one_line(exc)
    except Exception as exc:
        if is_unreachable(exc):
            raise
        # A bug or data jettui did not foresee: this order only. SQLite rolled it back;
        # on MySQL the next run finishes or cleans what was written (see import_write).
        log.exception("importing Jet order %s failed", raw.get("merchant_order_id"))
        return one_line(exc)


async def _answer_jet(
    settings: Settings,
    jet: JetClient,
    store: StoreThread,
    report: OrdersReport,
    raw: dict[str, Any],
    outcome: ImportOutcome,
    recorder: AckRecorder | None = None,
    marked: bool | None = None,
) -> None:
    """Acknowledge (auto_acknowledge) or reject on Jet what the import decided; report it.
    ``marked``: the acceptance is recorded as sending already (True: by an earlier run)."""
    mid = outcome.merchant_order_id
    if not outcome.acknowledged and raw.get("acknowledgement_status"):
        # Jet took an acknowledgement whose answer a killed run never recorded
        await store.run(
            record_acknowledgement,
            mid,
            str(raw["acknowledgement_status"]),
            str(raw.get("status") or ""),
        )
        outcome.acknowledged = True
    if outcome.kind in (import_write.IMPORTED, import_write.ALREADY):
        await _acknowledge_imported(settings, jet, store, report, raw, outcome, recorder, marked)
    elif outcome.kind == import_write.HELD:
        report.add(
            mid,
            Outcome.FAILED,
            f"held: {outcome.reason} (fix it, then `jettui orders retry {mid}`, or reject it)",
        )
    elif outcome.kind == import_write.BUSY:
        report.add(mid, Outcome.NOT_ATTEMPTED, outcome.reason)
    else:
        reason = await _rejection(jet, store, raw, outcome, recorder)
        report.add(mid, Outcome.FAILED, reason)


async def _acknowledge_imported(
    settings: Settings,
    jet: JetClient,
    store: StoreThread,
    report: OrdersReport,
    raw: dict[str, Any],
    outcome: ImportOutcome,
    recorder: AckRecorder | None,
    marked: bool | None = None,
) -> None:
    """An order in OpenCart (now or before): acknowledged on Jet with auto_acknowledge when
    Jet still waits for it (late past the deadline: failed), else reported as it is."""
    mid, order_id = outcome.merchant_order_id, outcome.order_id
    warned = f" ({len(outcome.warnings)} warning(s) on the order)" if outcome.warnings else ""
    done = (
        f"imported as OpenCart order {order_id}{warned}"
        if outcome.kind == import_write.IMPORTED
        else f"already imported as OpenCart order {order_id}"
    )
    if outcome.acknowledged or not _wants_acceptance(settings, raw):
        outcome_kind = (
            Outcome.SUCCEEDED if outcome.kind == import_write.IMPORTED else Outcome.UNCHANGED
        )
        report.add(mid, outcome_kind, done, order_id=order_id, warnings=outcome.warnings)
        return
    late = _late_note(settings, raw, _placed(raw))
    body = accepted_body(order_id, raw, outcome.lines)
    note, refused = await send_answer(jet, store, mid, body, recorder, marked)
    if refused is not None:
        text = f"{done}; Jet refused the acknowledgement: {refused}"
        report.add(mid, Outcome.FAILED, text, order_id=order_id)
        return
    text = "; ".join(p for p in (done, "acknowledged", note, late) if p)
    result = Outcome.FAILED if late else Outcome.SUCCEEDED
    report.add(mid, result, text, order_id=order_id, warnings=outcome.warnings)


def _wants_acceptance(settings: Settings, raw: dict[str, Any]) -> bool:
    """auto_acknowledge, and Jet still waits for an answer."""
    return settings.orders.auto_acknowledge and raw.get("status") == OrderStatus.READY


def _sends_acceptance(
    settings: Settings, raw: dict[str, Any], outcome: ImportOutcome | str
) -> bool:
    """Will :func:`_answer_jet` PUT an acceptance for this order (the rule of
    :func:`_acknowledge_imported`, after an acknowledgement Jet shows is recorded)?"""
    return (
        not isinstance(outcome, str)
        and outcome.kind in (import_write.IMPORTED, import_write.ALREADY)
        and not outcome.acknowledged
        and not raw.get("acknowledgement_status")
        and _wants_acceptance(settings, raw)
    )


async def _rejection(
    jet: JetClient,
    store: StoreThread,
    raw: dict[str, Any],
    outcome: ImportOutcome,
    recorder: AckRecorder | None,
) -> str:
    """An order that cannot be created: rejected on Jet (once), when Jet still lets us; what
    the report says of it (a failed item in every case)."""
    if outcome.acknowledged:
        return f"rejected: {outcome.reason}"
    if raw.get("status") != OrderStatus.READY:
        return (
            f"cannot be created: {outcome.reason}; Jet has it as '{raw.get('status')}', "
            "so it cannot be rejected there"
        )
    mid, body = outcome.merchant_order_id, rejected_body(raw, outcome.problems)
    _note, refused = await send_answer(jet, store, mid, body, recorder)
    if refused is not None:
        return f"cannot be created: {outcome.reason}; Jet refused the rejection: {refused}"
    return f"rejected on Jet: {outcome.reason}"


def _placed(raw: dict[str, Any]) -> Any:
    return import_write._utc(raw.get("order_placed_date"))


# --- held orders ------------------------------------------------------------------------------


async def retry_order(settings: Settings, db: Any, merchant_order_id: str) -> OrdersReport:
    """Try a held order again (after the merchant fixed the SKU link, stock...): imported (and
    acknowledged with auto_acknowledge), or still held with the reason."""
    report = OrdersReport("retry")

    async def work(jet: JetClient, store: StoreThread) -> None:
        lookups = Lookups(await store.run(shop_context, settings))
        await _import_orders(
            settings, jet, store, lookups, report, [merchant_order_id], None,
            lambda _message: None, retry=True,
        )  # fmt: skip

    await run_with_jet(
        settings, db, lock=IMPORT_LOCK, purpose="orders retry", report=report, work=work,
        outages=(JetError,),
    )  # fmt: skip
    return report


async def reject_order(settings: Settings, db: Any, merchant_order_id: str) -> OrdersReport:
    """Reject a held order on Jet (``rejected - item level error``, its items' statuses as the
    import found them). The ledger says rejected before the PUT, so a run killed in between
    sends it on the next fetch."""
    report = OrdersReport("reject")

    async def work(jet: JetClient, store: StoreThread) -> None:
        row = await store.run(import_write.ledger, merchant_order_id)
        if row is None or row.state not in (import_write.HELD, import_write.REJECTED):
            state = "not fetched" if row is None else f"import state {row.state}"
            report.add(merchant_order_id, Outcome.FAILED, f"not a held order ({state})")
            return
        if row.acknowledgement_status is not None:
            report.add(merchant_order_id, Outcome.UNCHANGED, "already rejected on Jet")
            return
        await store.run(import_write.mark_rejected, merchant_order_id)
        problems = [line for line in row.lines or [] if "ack_status" in line]
        try:
            raw = await jet.get_order(merchant_order_id)
            await send_acknowledgement(jet, store, merchant_order_id, rejected_body(raw, problems))
        except JetError as exc:
            if is_unreachable(exc):
                raise
            report.add(merchant_order_id, Outcome.FAILED, one_line(exc))  # Jet refused it
            return
        report.add(merchant_order_id, Outcome.SUCCEEDED, f"rejected on Jet: {row.error}")

    await run_with_jet(
        settings, db, lock=IMPORT_LOCK, purpose="orders reject", report=report, work=work
    )
    return report


# --- Jet status of open orders ------------------------------------------------------------------


async def refresh_statuses(
    settings: Settings,
    jet: JetClient,
    store: StoreThread,
    *,
    skip: set[str] | None = None,
    ready: list[str] | None = None,
) -> int:
    """Bring Jet's status of the open imported orders (not in ``skip``) up to date: Jet's
    lists of ready, acknowledged and inprogress orders (``ready``: the list the caller has
    already read) and of directed cancels say which orders may have changed — those listed
    under another status, those in no list (changed, or beyond a list's cap of 1000) and
    those Jet asks to cancel; only they are read in full (status and raw stored on
    JetOrder), then the ship side mirrors the changes to OpenCart. Returns how many orders
    were read."""
    known = {mid: st for mid, st in await store.run(_open_orders) if mid not in (skip or set())}
    if not known:
        return 0
    listed: dict[str, str] = {}
    for status in OPEN_STATUSES:
        ids = ready if status == OrderStatus.READY and ready is not None else None
        if ids is None:
            ids = await jet.list_orders(str(status))
        listed.update(dict.fromkeys(ids, str(status)))
    directed = set(await _directed_cancels(jet))
    to_read = [mid for mid, status in known.items() if listed.get(mid) != status or mid in directed]
    changed: list[str] = []

    async def one(mid: str) -> None:
        try:
            raw = await jet.get_order(mid)
        except (JetUnreachable, JetAuthError):
            raise
        except JetError:
            return  # kept as it was; the next run asks again
        if await store.run(_store_status, mid, raw):
            changed.append(mid)

    await fan_out(to_read, one, concurrency=settings.jet.concurrency)
    if changed or directed:
        await store.run(mirror_hook, settings, sorted(set(changed) | (directed & set(known))))
    return len(to_read)


async def _directed_cancels(jet: JetClient) -> list[str]:
    """Orders Jet asked to cancel (a deprecated list: an error there is not worth a run)."""
    try:
        return await jet.list_directed_cancels()
    except (JetUnreachable, JetAuthError):
        raise
    except JetError:
        return []


def _open_orders() -> list[tuple[str, str]]:
    from jettui.store.base import tuple_rows
    from jettui.store.jet_tables import JetOrder

    query = JetOrder.select(JetOrder.merchant_order_id, JetOrder.status).where(
        (JetOrder.state == "done") & JetOrder.status.in_([str(s) for s in OPEN_STATUSES])
    )
    return list(tuple_rows(query))


def _store_status(mid: str, raw: dict[str, Any]) -> bool:
    """Store Jet's status and the order as Jet has it now. True when the status changed."""
    from jettui.store.jet_tables import JetOrder, log_event
    from jettui.store.text import utcnow

    row = JetOrder.get_or_none(JetOrder.merchant_order_id == mid)
    if row is None:
        return False
    status = str(raw.get("status") or row.status)[:32]
    now = utcnow()
    JetOrder.update(status=status, raw=raw, status_checked_at=now, updated_at=now).where(
        JetOrder.id == row.id
    ).execute()
    if status != row.status:
        log_event("order", f"Jet status {row.status} → {status}", ref=mid)
        return True
    return False


def mirror_hook(settings: Settings, merchant_order_ids: list[str]) -> list[Any]:
    """Mirror Jet status changes to the OpenCart orders (:func:`.status.mirror_statuses`,
    store thread)."""
    return list(mirror_statuses(settings, merchant_order_ids))
