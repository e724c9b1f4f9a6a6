"""Writing one Jet order into OpenCart exactly once (synchronous: run on the store thread).

OpenCart's order tables are MyISAM: nothing rolls back, and a run can die between any two
statements (SIGKILL, power loss, the database going away). The import is therefore a ledger
(``jet_order``, InnoDB, one row per Jet order: ``merchant_order_id`` is a unique key) plus
OpenCart rows that can always be read back to tell how far an earlier run got:

1. **intent** — the ledger row is written (with the order as Jet sent it) before any OpenCart
   write. A concurrent run inserting the same Jet order hits the unique key.
2. The ``order`` row is inserted with ``order_status_id`` 0 — what addOrder does; the admin
   does not list such an order — and ``comment`` holding :func:`import_plan.marker` (the Jet
   order id) in the same INSERT. Its id reaches the ledger with step 5's ``done`` mark: a
   run killed before that finds the order again by the marker (searched only for a ledger
   row an earlier run left behind, so only after a crash).
3. ``order_product``/``order_option``/``order_total`` rows. While the order is at status 0
   they are not trusted: a resumed run deletes and rewrites them (the order row is reused).
   (Ledgers of older jettui versions may say **written** here, with the order's id.)
4. ``add_order_history(status_imported)``: the stock move and the status change (0 → the
   imported status) are ONE atomic step (a single multi-table UPDATE on MySQL, a transaction
   on SQLite) guarded by "status is still 0". So the order's status says whether stock was
   taken: 0 → not taken (and the rows are rewritten), > 0 → taken, with every line already
   written (step 3 ended before). It can never be taken twice: a second attempt finds the
   status no longer 0 and writes nothing.
5. The ``order_history`` row (inserted by add_order_history right after; a resumed run whose
   order is past status 0 adds it if no history row carries the marker) → ledger **done**.

A Jet order that cannot be created ends **rejected** (or **held**, orders.hold_problem_orders)
with the reason; a status-0 order an earlier attempt left is deleted with its rows first
("cleaned"). On SQLite the whole sequence also runs in one transaction (so a kill leaves
nothing of the order at all).

The single remaining window is inside the step-4 statement itself: a MySQL server that dies
in the middle of that one multi-table UPDATE on MyISAM may have applied part of it (MyISAM
cannot undo a statement). A killed client cannot cause it: the server finishes a statement
it has received. Nothing jettui does can apply it twice: the statement's own guard (status
still 0) is false once any run has changed the status.

Writes that must not run twice (inserts, the guarded updates) bypass the MySQL connection's
silent reconnect-and-retry (:func:`jettui.store.fast_sql.execute_once`): a "lost connection
during query" may come after the server applied the statement, so it ends the run instead,
and the next run reads back what was written.

Overlapping runs are kept apart by the ``job:fetch-orders`` lock; each order is also claimed
on its ledger row (``attempts`` compare-and-set) so two writers can never work on one order.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import peewee as pw

from jettui.config import Settings
from jettui.jet.dates import parse_jet_date
from jettui.jet.item_price import order_items
from jettui.services.orders import account, deadlines
from jettui.services.orders.import_plan import (
    ItemProblem,
    Lookups,
    OrderPlan,
    import_comment,
    marker,
    plan_order,
)
from jettui.store.base import database_proxy, is_mysql, tuple_rows
from jettui.store.block_batch import BlockBatch
from jettui.store.combination import combination_slot
from jettui.store.errors import StoreError
from jettui.store.fast_sql import insert_row, insert_rows, update_row
from jettui.store.jet_tables import JetOrder, log_event
from jettui.store.oc_orders import ShopContext, add_order_history
from jettui.store.opencart import Order, OrderHistory, OrderOption, OrderProduct, OrderTotal
from jettui.store.text import utcnow

IMPORTED, ALREADY, REJECTED, HELD, BUSY = "imported", "already", "rejected", "held", "busy"
#: ledger states of an import that has not finished (a run resumes them)
UNFINISHED_STATES = ("intent", "written")


@dataclass
class ImportOutcome:
    """What :func:`import_order` did with one Jet order."""

    merchant_order_id: str
    kind: str  # imported | already | rejected | held | busy
    order_id: int = 0
    reason: str = ""
    warnings: list[str] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)  # rejected/held items
    acknowledged: bool = False  # Jet has our acknowledgement (accepted or rejected)
    resumed: bool = False  # finished what an earlier run had started
    lines: list[dict[str, Any]] = field(default_factory=list)  # Jet item ↔ order_product


def import_order(
    raw: dict[str, Any],
    shop: ShopContext,
    settings: Settings,
    retry: bool = False,
    lookups: Lookups | None = None,
) -> ImportOutcome:
    """Import the Jet order ``raw`` (as GET withoutShipmentDetail returned it), or finish or
    clean what an earlier run left. ``retry``: try a held order again. ``lookups``: the run's
    memo of SKU links, names and zones."""
    mid = str(raw.get("merchant_order_id") or "")
    if not mid:
        raise StoreError("a Jet order without merchant_order_id")
    with _sqlite_transaction():
        row, created = _ledger_row(raw)
        finished = _finished(row, retry)
        if finished is not None:
            return finished
        if not created and not _claim(row):
            return ImportOutcome(mid, BUSY, reason="another run is importing this order")
        order_id = _find_order(row, created)
        if order_id and _status(order_id):
            return _finish(row, raw, order_id)
        plan = plan_order(raw, shop, settings.orders.customer_email, lookups)
        if not plan.ok:
            return _refuse(row, plan, order_id, settings)
        order_id, lines = _write_rows(plan, order_id)
        add_order_history(
            order_id,
            settings.orders.status_imported,
            import_comment(plan, plan.warnings),
            shop=shop,
            expected_status_id=0,
        )
        return _done(row, order_id, lines, plan.warnings, resumed=not created)


@contextlib.contextmanager
def _sqlite_transaction() -> Iterator[None]:
    """SQLite: the whole import in one transaction. MySQL: none — the ledger (InnoDB) must be
    committed before the MyISAM writes it announces, so every statement commits on its own."""
    db = database_proxy
    if is_mysql(db):
        yield
        return
    # IMMEDIATE: take the write lock first. A deferred transaction that reads, then writes,
    # fails at once ("database is locked") when another connection wrote in between (WAL).
    with db.atomic("IMMEDIATE"):
        yield


def _ledger_row(raw: dict[str, Any]) -> tuple[JetOrder, bool]:
    """The order's ledger row, written now (state intent, claimed: attempts 1) when it has
    none. True = written now. The insert comes first: the unique key answers "is it new"
    (a refused insert rolls back only itself, on SQLite and MySQL alike)."""
    mid = str(raw["merchant_order_id"])
    order_detail = raw.get("order_detail")
    detail = order_detail if isinstance(order_detail, dict) else {}
    values = {
        "merchant_order_id": mid,
        "reference_order_id": str(raw.get("reference_order_id") or "")[:64],
        "status": str(raw.get("status") or "ready")[:32],
        "state": "intent",
        "order_placed_date": _utc(raw.get("order_placed_date")),
        "ship_by": deadlines.ship_by(raw),
        "deliver_by": _utc(detail.get("request_delivery_by")),
        "raw": raw,
        "attempts": 1,
        "lines": [],
        "warnings": [],
    }
    try:
        new_id = insert_row(JetOrder, values)
    except pw.IntegrityError:
        return JetOrder.get(JetOrder.merchant_order_id == mid), False
    return JetOrder(id=new_id, **values), True


def _utc(value: Any) -> Any:
    if not value:
        return None
    try:
        moment = parse_jet_date(str(value))
    except ValueError:
        return None
    from datetime import UTC

    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def _finished(row: JetOrder, retry: bool) -> ImportOutcome | None:
    mid = row.merchant_order_id
    acked = row.acknowledgement_status is not None
    if row.state == "done":
        return ImportOutcome(
            mid, ALREADY, int(row.order_id), acknowledged=acked, lines=list(row.lines or [])
        )
    if row.state == REJECTED:
        return ImportOutcome(
            mid, REJECTED, reason=row.error or "", problems=_problems(row), acknowledged=acked
        )
    if row.state == HELD and not retry:
        return ImportOutcome(mid, HELD, reason=row.error or "", problems=_problems(row))
    return None


def _problems(row: JetOrder) -> list[dict[str, str]]:
    return [line for line in row.lines or [] if "ack_status" in line]


def _claim(row: JetOrder) -> bool:
    """Take the order for this run: ``attempts`` compare-and-set (False: another run has it)."""
    taken = bool(
        JetOrder.update(attempts=JetOrder.attempts + 1, updated_at=utcnow())
        .where((JetOrder.id == row.id) & (JetOrder.attempts == row.attempts))
        .execute()
    )
    row.attempts = int(row.attempts or 0) + 1
    return taken


def _find_order(row: JetOrder, created: bool) -> int:
    """The OpenCart order an earlier attempt wrote for this Jet order (0: none)."""
    tag = marker(row.merchant_order_id)
    if row.order_id:
        comment = Order.select(Order.comment).where(Order.order_id == row.order_id).scalar()
        if comment is not None and tag in comment:
            return int(row.order_id)
    if created:
        return 0  # the ledger row is this run's own: nothing was written before it
    found = (
        Order.select(Order.order_id)
        .where(Order.comment.contains(tag))
        .order_by(Order.order_status_id.desc(), Order.order_id)
        .scalar()
    )
    return int(found or 0)


def _status(order_id: int) -> int:
    if not order_id:
        return 0
    status = Order.select(Order.order_status_id).where(Order.order_id == order_id).scalar()
    return int(status or 0)


def _write_rows(plan: OrderPlan, order_id: int) -> tuple[int, list[dict]]:
    """Steps 2 and 3: the order row at status 0 (reused when an earlier attempt wrote it),
    then its lines, options and totals. The ledger hears of them with ``done``: until then a
    resumed run finds the order by its marker (see :func:`_find_order`), one statement fewer
    for every order."""
    if order_id:
        _delete_children(order_id)
        Order.update(**plan.order).where(
            (Order.order_id == order_id) & (Order.order_status_id == 0)
        ).execute()
    else:
        order_id = insert_row(Order, plan.order)
    ledger_lines = []
    options: list[dict[str, Any]] = []
    for line in plan.lines:
        line_id = insert_row(OrderProduct, line.product_row(order_id))  # its id: one at a time
        options += [{"order_id": order_id, "order_product_id": line_id, **o} for o in line.options]
        ledger_lines.append(line.ledger(line_id))
    # No ids needed: one multi-row INSERT each. Half-written they are like any step-3 rows
    # of an order at status 0: a resumed run deletes and rewrites them.
    insert_rows(OrderOption, options)
    insert_rows(OrderTotal, [{"order_id": order_id, **total} for total in plan.totals])
    return order_id, ledger_lines


def _delete_children(order_id: int) -> None:
    for model in (OrderOption, OrderProduct, OrderTotal, OrderHistory):
        model.delete().where(model.order_id == order_id).execute()


def _done(
    row: JetOrder,
    order_id: int,
    lines: list[dict[str, Any]],
    warnings: list[str],
    *,
    resumed: bool,
) -> ImportOutcome:
    """Step 5 after a complete write: the ledger says ``done`` (inside :func:`batched_done`:
    when the block ends, with the other orders of the block)."""
    row.order_id = order_id
    batch = _done_marks.current()
    if batch is not None:
        batch.rows.append((row.id, order_id, lines, warnings))
        batch.lines += account.new_line_rows(row, lines)
    else:
        done = {"state": "done", "order_id": order_id, "lines": lines, "warnings": warnings}
        update_row(JetOrder, row.id, {**done, "error": None, "updated_at": utcnow()})
        account.open_lines(row, lines, new_order=True)  # its line accounts (a key per item)
    log_event(
        "order",
        f"Jet order {row.reference_order_id or row.merchant_order_id} imported as OpenCart "
        f"order {order_id}" + (" (finished an interrupted import)" if resumed else ""),
        ref=row.merchant_order_id,
        level="warning" if warnings else "info",
        detail={"order_id": order_id, "warnings": warnings} if warnings else {"order_id": order_id},
    )
    return ImportOutcome(
        row.merchant_order_id,
        IMPORTED,
        order_id,
        warnings=warnings,
        acknowledged=row.acknowledgement_status is not None,
        resumed=resumed,
        lines=lines,
    )


@dataclass
class _DoneBatch:
    rows: list[tuple[int, int, list[dict[str, Any]], list[str]]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)  # new jet_order_line rows


@contextlib.contextmanager
def batched_done() -> Iterator[None]:
    """MySQL: the ``done`` marks (and the new orders' line accounts) of the orders imported
    on this thread inside the block are written when it ends, in one UPDATE (and one
    INSERT), instead of two statements per order. Safe: an order whose mark is not written
    yet is past its stock step with every row and its history written, and ``done`` only
    saves the next run the look-up that finds that out (:func:`_finish`: status > 0, history
    there → done); a line account is also made on first use. The caller answers Jet only
    after the block. SQLite: unchanged (each import is one transaction with its mark)."""
    if not is_mysql(database_proxy):
        yield
        return
    with _done_marks.block():  # the block's own error wins (the next run finishes the marks)
        yield


def _write_done(batch: _DoneBatch) -> None:
    if batch.rows:
        ids = [row_id for row_id, *_ in batch.rows]

        def case(values: list[Any]) -> pw.Case:
            return pw.Case(JetOrder.id, list(zip(ids, values, strict=True)))

        JetOrder.update(
            state="done",
            order_id=case([order_id for _, order_id, _, _ in batch.rows]),
            lines=case([JetOrder.lines.db_value(lines) for _, _, lines, _ in batch.rows]),
            warnings=case([JetOrder.warnings.db_value(w) for *_, w in batch.rows]),
            error=None,
            updated_at=utcnow(),
        ).where(JetOrder.id.in_(ids)).execute()
    account.insert_line_rows(batch.lines)


_done_marks = BlockBatch(_DoneBatch, _write_done)


def _finish(row: JetOrder, raw: dict[str, Any], order_id: int) -> ImportOutcome:
    """An earlier run got past the stock step (the order's status is no longer 0): add the
    history row if it was killed before writing it, then ``done``."""
    warnings = list(row.warnings or [])
    tag = marker(row.merchant_order_id)
    has_history = (
        OrderHistory.select()
        .where((OrderHistory.order_id == order_id) & OrderHistory.comment.contains(tag))
        .exists()
    )
    if not has_history:
        insert_row(
            OrderHistory,
            {
                "order_id": order_id,
                "order_status_id": _status(order_id),
                "comment": import_comment(raw, warnings),
            },
        )
    lines = list(row.lines or [])
    if not lines or any("order_product_id" not in line for line in lines):
        lines = _ledger_lines_from_store(raw, order_id)
    return _done(row, order_id, lines, warnings, resumed=True)


def _ledger_lines_from_store(raw: dict[str, Any], order_id: int) -> list[dict[str, Any]]:
    """Jet item ↔ order_product pairs, re-read in item order (lines are written in it)."""
    items = order_items(raw)
    rows = list(
        OrderProduct.select()
        .where(OrderProduct.order_id == order_id)
        .order_by(OrderProduct.order_product_id)
    )
    values: dict[int, list[int]] = {}
    for line_id, value_id in tuple_rows(
        OrderOption.select(OrderOption.order_product_id, OrderOption.product_option_value_id)
        .where(OrderOption.order_id == order_id)
        .order_by(OrderOption.order_option_id)
    ):
        if value_id:
            values.setdefault(int(line_id), []).append(int(value_id))
    return [
        {
            "order_item_id": str(item.get("order_item_id") or ""),
            "merchant_sku": str(item.get("merchant_sku") or ""),
            "order_product_id": int(line.order_product_id),
            "product_id": int(line.product_id),
            # the SKU link's id: the value's own, or the combination slot of several
            "product_option_value_id": (
                combination_slot(values[int(line.order_product_id)])
                if values.get(int(line.order_product_id))
                else 0
            ),
            "option_value_ids": values.get(int(line.order_product_id), []),
            "quantity": int(line.quantity),
        }
        for item, line in zip(items, rows, strict=False)
    ]


def _refuse(row: JetOrder, plan: OrderPlan, order_id: int, settings: Settings) -> ImportOutcome:
    """The order cannot be created: clean what an earlier attempt wrote (status 0: no stock
    was taken), then rejected or held with the reason."""
    if order_id:
        _delete_children(order_id)
        Order.delete().where((Order.order_id == order_id) & (Order.order_status_id == 0)).execute()
    state = HELD if settings.orders.hold_problem_orders else REJECTED
    problems = [_problem(p) for p in plan.problems]
    JetOrder.update(
        state=state,
        order_id=0,
        error=plan.reason[:2000],
        lines=problems,
        warnings=plan.warnings,
        updated_at=utcnow(),
    ).where(JetOrder.id == row.id).execute()
    verb = "held for the merchant" if state == HELD else "rejected"
    log_event(
        "order",
        f"Jet order {plan.reference_order_id or plan.merchant_order_id} {verb}: {plan.reason}",
        ref=plan.merchant_order_id,
        level="warning",
        detail={"problems": problems},
    )
    return ImportOutcome(
        plan.merchant_order_id, state, reason=plan.reason, problems=problems, warnings=plan.warnings
    )


def _problem(problem: ItemProblem) -> dict[str, str]:
    return {
        "order_item_id": problem.order_item_id,
        "merchant_sku": problem.merchant_sku,
        "ack_status": str(problem.status),
        "reason": problem.reason,
    }


# --- the ledger's other questions -------------------------------------------------------------


def unfinished_order_ids(auto_acknowledge: bool) -> list[str]:
    """Jet orders this shop still owes work: imports not finished, rejections not yet sent to
    Jet, and (with auto_acknowledge) imported orders not yet acknowledged."""
    pending = JetOrder.state.in_(UNFINISHED_STATES) | (
        (JetOrder.state == REJECTED) & JetOrder.acknowledgement_status.is_null()
    )
    if auto_acknowledge:
        pending |= (JetOrder.state == "done") & JetOrder.acknowledgement_status.is_null()
    query = JetOrder.select(JetOrder.merchant_order_id).where(pending).order_by(JetOrder.id)
    return [mid for (mid,) in tuple_rows(query)]


def record_acknowledgement(merchant_order_id: str, ack_status: str, jet_status: str) -> None:
    """Jet took our acknowledgement (the call itself is in the event log)."""
    record_acknowledgements([(merchant_order_id, ack_status, jet_status)])


def record_acknowledgements(rows: list[tuple[str, str, str]]) -> None:
    """Many of :func:`record_acknowledgement` ``(merchant_order_id, ack_status, jet_status)``,
    one UPDATE per kind."""
    now = utcnow()
    groups: dict[tuple[str, str], list[str]] = {}
    for mid, ack_status, jet_status in rows:
        groups.setdefault((ack_status[:64], jet_status[:32]), []).append(mid)
    with database_proxy.atomic():
        for (ack_status, jet_status), ids in groups.items():
            JetOrder.update(
                acknowledgement_status=ack_status,
                acknowledged_at=now,
                status=jet_status,
                updated_at=now,
            ).where(JetOrder.merchant_order_id.in_(ids)).execute()


def mark_rejected(merchant_order_id: str) -> None:
    """A held order the merchant rejects: ledger state rejected (sent to Jet by the caller)."""
    JetOrder.update(state=REJECTED, updated_at=utcnow()).where(
        (JetOrder.merchant_order_id == merchant_order_id) & (JetOrder.state == HELD)
    ).execute()


def ledger(merchant_order_id: str) -> JetOrder | None:
    return JetOrder.get_or_none(JetOrder.merchant_order_id == merchant_order_id)
