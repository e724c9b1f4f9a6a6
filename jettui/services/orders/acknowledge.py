"""Acknowledging Jet orders: accepted once written to OpenCart, rejected when they cannot be.

- :func:`acknowledge_orders` (``jettui orders acknowledge ID... | --all``, the panel's key):
  accept imported orders not acknowledged yet; ``alt_order_id`` = the OpenCart order id and
  each item's ``alt_order_item_id`` = its ``order_product_id``.
- :func:`acknowledge_job` (``jettui cron acknowledge``): every imported, unacknowledged order.
- :func:`send_acknowledgement` is the one place that PUTs an acknowledgement (accepted or
  rejected) and records it; the importer uses it for auto_acknowledge and for rejections.
- Deadline: Jet wants an acknowledgement within ``orders.acknowledge_within_minutes`` of the
  order becoming ready (:func:`.deadlines.ack_deadline`, which the panels and ``jettui
  status`` use too). A run that finds an order past it still acknowledges it, and reports it
  as a failed item (exit 1).

A lost answer is not a double acknowledgement: an acknowledgement is recorded as sending before
the PUT and sent through :func:`jettui.jet.once.send_once`; after a lost answer the order is
read back and an order Jet shows with our acknowledgement counts as acknowledged ("applied
(answer lost, confirmed by lookup)"); it is resent only when Jet shows it was not applied.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from jettui.config import Settings
from jettui.errors import one_line
from jettui.jet.client import JetClient
from jettui.jet.enums import AckStatus, ItemAckStatus, OrderStatus
from jettui.jet.errors import JetAuthError, JetError, JetUnreachable
from jettui.jet.item_price import order_items
from jettui.jet.once import ANSWER_LOST, Looked, Once, send_once
from jettui.services.jet_session import run_with_jet
from jettui.services.orders.deadlines import ack_deadline
from jettui.services.results import Outcome, RunReport
from jettui.services.runtime import StoreThread, fan_out
from jettui.store.text import utcnow

if TYPE_CHECKING:
    from jettui.services.jobs import JobContext, JobReport

ACK_LOCK = "job:acknowledge"  # the job runner's lock for `cron acknowledge`: one writer
Progress = Callable[[str], Any]


@dataclass
class OrdersReport(RunReport):
    """Per-order results of an orders run (import, acknowledge, retry, reject)."""

    action: str
    refreshed: int = 0  # open orders whose Jet status was read again

    item_key: ClassVar[str] = "merchant_order_id"

    @property
    def title(self) -> str:
        return f"{self.action}: "

    def notes(self) -> list[str]:
        return [f"{self.refreshed} status(es) refreshed"] if self.refreshed else []

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.exit_code == 0, "action": self.action, **super().as_dict()}


# --- deadlines --------------------------------------------------------------------------------


def _late_note(settings: Settings, raw: dict[str, Any], placed: _dt.datetime | None) -> str:
    deadline = ack_deadline(settings, raw, placed)
    if deadline is None or utcnow() <= deadline:
        return ""
    return f"past its acknowledgement deadline ({deadline:%Y-%m-%d %H:%M} UTC)"


# --- the acknowledgement itself ---------------------------------------------------------------


def accepted_body(order_id: int, raw: dict[str, Any], lines: list[dict[str, Any]]) -> dict:
    """accepted; alt ids = OpenCart's order id and each item's order_product_id."""
    alt = {str(line.get("order_item_id")): line.get("order_product_id") for line in lines}
    items = []
    for item in order_items(raw):
        item_id = str(item.get("order_item_id") or "")
        entry = {
            "order_item_acknowledgement_status": str(ItemAckStatus.FULFILLABLE),
            "order_item_id": item_id,
        }
        if alt.get(item_id):
            entry["alt_order_item_id"] = str(alt[item_id])
        items.append(entry)
    return {
        "acknowledgement_status": str(AckStatus.ACCEPTED),
        "alt_order_id": str(order_id),
        "order_items": items,
    }


def rejected_body(raw: dict[str, Any], problems: list[dict[str, str]]) -> dict:
    """rejected - item level error; each item nonfulfillable with its reason's status, the
    others fulfillable."""
    status = {p.get("order_item_id"): p.get("ack_status") for p in problems}
    return {
        "acknowledgement_status": str(AckStatus.REJECTED_ITEM_ERROR),
        "order_items": [
            {
                "order_item_acknowledgement_status": status.get(
                    str(item.get("order_item_id") or "")
                )
                or str(ItemAckStatus.FULFILLABLE),
                "order_item_id": str(item.get("order_item_id") or ""),
            }
            for item in order_items(raw)
        ],
    }


class AckRecorder:
    """Acknowledgements Jet took, written to the ledger ``every`` at a time (one UPDATE per
    batch). Safe to delay: a run killed before :meth:`flush` leaves orders that Jet shows
    acknowledged, and the next run records them from Jet's answer instead of sending again."""

    def __init__(self, store: StoreThread, every: int = 100) -> None:
        self.store = store
        self.every = every
        self.rows: list[tuple[str, str, str]] = []

    async def add(self, merchant_order_id: str, ack_status: str, jet_status: str) -> None:
        self.rows.append((merchant_order_id, ack_status, jet_status))
        if len(self.rows) >= self.every:
            await self.flush()

    async def flush(self) -> None:
        from jettui.services.orders.import_write import record_acknowledgements

        rows, self.rows = self.rows, []
        if rows:
            await self.store.run(record_acknowledgements, rows)


async def send_acknowledgement(
    jet: JetClient,
    store: StoreThread,
    merchant_order_id: str,
    body: dict[str, Any],
    recorder: AckRecorder | None = None,
    earlier: bool | None = None,
) -> str:
    """PUT the acknowledgement and record it in the ledger (now, or through ``recorder``).
    ``earlier``: the caller has recorded it as sending already (:func:`mark_acks_sending`,
    many orders in one statement) and this says whether an earlier run had.
    Returns "" when sent now, or a note when Jet had it already (its answer lost, or an
    earlier run's). Raises JetError (Jet's words) when Jet refuses it or does not have it,
    :class:`AckUnconfirmed` when Jet cannot tell whether it arrived.

    Not safe to repeat: it is recorded as sending first (``acknowledged_at`` set while
    ``acknowledgement_status`` is empty) and sent through :func:`send_once`; a recorded one
    (an earlier run's answer was lost) is looked up on Jet before it is sent again."""
    wanted = str(body["acknowledgement_status"])
    record = recorder or AckRecorder(store, every=1)
    if earlier is None:
        earlier = await store.run(_mark_ack_sending, merchant_order_id)
    once = await send_once(
        lambda: jet.acknowledge(merchant_order_id, body),
        lambda: ack_on_jet(jet, merchant_order_id, wanted),
        resends=jet.max_retries,
        look_first=earlier,
    )
    if once.state == "uncertain":
        raise AckUnconfirmed(merchant_order_id, once)
    if not once.applied:
        await store.run(_clear_ack_sending, merchant_order_id)
        assert once.error is not None
        raise once.error
    if once.by_lookup:
        await record.add(merchant_order_id, wanted, str(once.value or ""))
        return once.note
    status = OrderStatus.ACKNOWLEDGED if wanted == AckStatus.ACCEPTED else OrderStatus.COMPLETE
    await record.add(merchant_order_id, wanted, str(status))
    return ""


async def send_answer(
    jet: JetClient,
    store: StoreThread,
    merchant_order_id: str,
    body: dict[str, Any],
    recorder: AckRecorder | None = None,
    earlier: bool | None = None,
) -> tuple[str, str | None]:
    """:func:`send_acknowledgement` by the one rule for "Jet refused this item": ``(note,
    None)`` once Jet has the answer, ``("", Jet's words in one line)`` when Jet refused it
    (a failed item, not an outage); Jet unreachable or the credentials refused is raised."""
    try:
        note = await send_acknowledgement(jet, store, merchant_order_id, body, recorder, earlier)
        return note, None
    except (JetUnreachable, JetAuthError):
        raise
    except JetError as exc:
        return "", one_line(exc)


class AckUnconfirmed(JetError):
    """The acknowledgement's answer was lost and Jet could not be asked: it stays recorded
    as sending and is looked up by the next run."""

    def __init__(self, merchant_order_id: str, once: Once) -> None:
        super().__init__(f"acknowledgement of {merchant_order_id}: {once.note}")


async def ack_on_jet(jet: JetClient, merchant_order_id: str, wanted: str) -> Looked:
    """Whether Jet shows the order acknowledged with ``wanted``; the value is Jet's status."""
    order = await jet.get_order(merchant_order_id)
    applied = order.get("acknowledgement_status") == wanted
    return Looked(applied, str(order.get("status") or ""))


async def settle_acknowledgement(jet: JetClient, store: StoreThread, merchant_order_id: str) -> str:
    """An acknowledgement recorded as sending by an earlier run: looked up on Jet
    (:func:`send_once`, never resent here) and recorded as applied (Jet's acknowledgement and
    status) or not (sent by the next acknowledge run). "" when Jet cannot tell (left for the
    next run)."""

    async def any_ack() -> Looked:
        order = await jet.get_order(merchant_order_id)
        status = order.get("acknowledgement_status")
        return Looked(bool(status), (str(status), str(order.get("status") or "")))

    once = await send_once(None, any_ack, look_first=True)
    if once.state == "uncertain":
        return ""
    if once.applied:
        from jettui.services.orders.import_write import record_acknowledgement

        ack_status, jet_status = once.value
        await store.run(record_acknowledgement, merchant_order_id, ack_status, jet_status)
        return f"acknowledgement ({ack_status}): {ANSWER_LOST}"
    await store.run(_clear_ack_sending, merchant_order_id)
    return "acknowledgement not applied on Jet (its answer was lost): acknowledge again"


def mark_acks_sending(merchant_order_ids: Sequence[str]) -> set[str]:
    """:func:`_mark_ack_sending` of many orders in two statements: the ones an earlier run
    had recorded as sending (outcome unknown: look them up before sending) are returned;
    every other one is recorded as sending now."""
    from jettui.store.base import tuple_rows
    from jettui.store.jet_tables import JetOrder

    if not merchant_order_ids:
        return set()
    ids = list(merchant_order_ids)
    sent_before = JetOrder.select(JetOrder.merchant_order_id).where(
        JetOrder.merchant_order_id.in_(ids)
        & JetOrder.acknowledged_at.is_null(False)
        & JetOrder.acknowledgement_status.is_null()
    )
    earlier = {str(mid) for (mid,) in tuple_rows(sent_before)}
    mark = [mid for mid in ids if mid not in earlier]
    if mark:
        JetOrder.update(acknowledged_at=utcnow()).where(
            JetOrder.merchant_order_id.in_(mark)
        ).execute()
    return earlier


def _mark_ack_sending(merchant_order_id: str) -> bool:
    """Record the acknowledgement as being sent; True when an earlier run had recorded it (its
    outcome unknown: look it up before sending)."""
    from jettui.store.jet_tables import JetOrder

    mine = JetOrder.merchant_order_id == merchant_order_id
    # The usual case in one statement: never marked before, marked now.
    if (
        JetOrder.update(acknowledged_at=utcnow())
        .where(mine & JetOrder.acknowledged_at.is_null())
        .execute()
    ):
        return False
    row = (  # not the order's raw JSON: only what says whether it was sent before
        JetOrder.select(JetOrder.id, JetOrder.acknowledged_at, JetOrder.acknowledgement_status)
        .where(mine)
        .first()
    )
    if row is None:
        return False
    if row.acknowledged_at is not None and row.acknowledgement_status is None:
        return True
    JetOrder.update(acknowledged_at=utcnow()).where(JetOrder.id == row.id).execute()
    return False


def _clear_ack_sending(merchant_order_id: str) -> None:
    from jettui.store.jet_tables import JetOrder

    JetOrder.update(acknowledged_at=None).where(
        (JetOrder.merchant_order_id == merchant_order_id)
        & JetOrder.acknowledgement_status.is_null()
    ).execute()


# --- acknowledge_orders ------------------------------------------------------------------------


async def acknowledge_orders(
    settings: Settings,
    db: Any,
    ids: Sequence[str] | None = None,
    *,
    progress: Progress | None = None,
) -> OrdersReport:
    """Accept imported orders on Jet: ``ids`` (merchant_order_ids) or, with None, every
    imported order not acknowledged yet. Takes the ``job:acknowledge`` lock (``locked`` in the
    report when another run has it). Never raises for Jet or store outages: the report says."""
    report = OrdersReport("acknowledge")

    async def work(jet: JetClient, store: StoreThread) -> None:
        await run_acknowledge(settings, jet, store, report, ids, progress)

    await run_with_jet(
        settings, db, lock=ACK_LOCK, purpose="acknowledge", report=report, work=work,
        outages=(JetError,),
    )  # fmt: skip
    return report


async def acknowledge_job(ctx: JobContext) -> JobReport:
    """Job ``acknowledge``: every imported, unacknowledged order (the runner holds the lock)."""
    report = OrdersReport("acknowledge")
    await run_acknowledge(ctx.settings, ctx.jet, ctx.store, report, None, ctx.say)
    return report.fill(ctx.report)


async def run_acknowledge(
    settings: Settings,
    jet: JetClient,
    store: StoreThread,
    report: OrdersReport,
    ids: Sequence[str] | None,
    progress: Progress | None,
) -> None:
    rows = await store.run(_candidates, list(ids) if ids is not None else None)
    if progress:
        progress(f"acknowledging {len(rows)} order(s)")

    async def one(row: dict[str, Any]) -> None:
        mid = row["merchant_order_id"]
        if row["problem"]:
            outcome = Outcome.UNCHANGED if row["acknowledged"] else Outcome.FAILED
            report.add(mid, outcome, row["problem"])
            return
        late = _late_note(settings, row["raw"], row["placed"])
        body = accepted_body(row["order_id"], row["raw"], row["lines"])
        note, refused = await send_answer(jet, store, mid, body)
        if refused is not None:
            report.add(mid, Outcome.FAILED, _join(refused, late), order_id=row["order_id"])
            return
        text = _join(f"acknowledged (OpenCart order {row['order_id']})", note, late)
        report.add(
            mid, Outcome.FAILED if late else Outcome.SUCCEEDED, text, order_id=row["order_id"]
        )

    await fan_out(rows, one, concurrency=settings.jet.concurrency)


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _candidates(ids: list[str] | None) -> list[dict[str, Any]]:
    from jettui.store.jet_tables import JetOrder

    if ids is None:
        query = JetOrder.select().where(
            (JetOrder.state == "done") & JetOrder.acknowledgement_status.is_null()
        )
        rows = {r.merchant_order_id: r for r in query.order_by(JetOrder.id)}
        ids = list(rows)
    else:
        found = JetOrder.select().where(JetOrder.merchant_order_id.in_(ids))
        rows = {r.merchant_order_id: r for r in found}
    out = []
    for mid in dict.fromkeys(ids):
        row = rows.get(mid)
        problem = ""
        if row is None:
            problem = "not a Jet order jettui has fetched"
        elif row.state != "done":
            problem = f"not imported into OpenCart (import state {row.state})"
        elif row.acknowledgement_status is not None:
            problem = f"already acknowledged ({row.acknowledgement_status})"
        out.append(
            {
                "merchant_order_id": mid,
                "problem": problem,
                "acknowledged": row is not None and row.acknowledgement_status is not None,
                "order_id": int(row.order_id) if row is not None else 0,
                "raw": (row.raw or {}) if row is not None else {},
                "lines": (row.lines or []) if row is not None else [],
                "placed": row.order_placed_date if row is not None else None,
            }
        )
    return out
