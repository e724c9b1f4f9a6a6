"""jettui's own tables, ``<prefix>jet_*`` (InnoDB + utf8mb4 on MySQL/MariaDB).

They hold everything OpenCart has no column for: product ↔ Jet SKU links, the category map,
order/return/refund links (with the crash-safe order-import ledger), bulk files, an event log,
job runs, cross-process locks and the schema version.

Conventions: timestamps are naive UTC to the second (:func:`jettui.store.text.utcnow`); JSON
columns take any JSON-able Python value; text is stored as given (no HTML escaping: these
tables are not shown by OpenCart).

Upgrades: :data:`MIGRATIONS` is the ordered list of schema steps. :func:`ensure_jet_tables`
creates the tables on first use (recording the newest version, since the models describe the
newest schema) and on an older database runs each pending step once, under a lock, recording
each in ``jet_schema_version``. To change a table later: change the model, then append a
``Migration(n, "what", fn)`` whose ``fn(ctx)`` brings an existing table to the same shape, e.g.
``ctx.add_column(JetProduct, "gtin")`` (idempotent helpers; playhouse.migrate underneath).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import re
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import peewee as pw
from playhouse.migrate import SchemaMigrator

from .base import JET_MODELS, AnyDatabase, StoreModel, database_proxy, jet_model
from .block_batch import BlockBatch
from .errors import LockBusy, StoreSchemaError
from .fast_sql import insert_rows
from .fields import JsonTextField, LongJsonTextField, UtcDateTimeField
from .text import utcnow

__all__ = [
    "JET_ORDER_STATES",
    "JET_REFUND_STATES",
    "JET_RETURN_STATES",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "JetCategory",
    "JetCategoryCreation",
    "JetEvent",
    "JetFile",
    "JetJobRun",
    "JetLock",
    "JetOrder",
    "JetOrderLine",
    "JetProduct",
    "JetRefund",
    "JetReturn",
    "JetSchemaVersion",
    "Migration",
    "MigrationContext",
    "acquire_lock",
    "default_holder",
    "ensure_jet_tables",
    "hold_lock",
    "lock_holder",
    "log_event",
    "redact",
    "release_lock",
    "schema_version",
]


# --- products and categories ------------------------------------------------------------------


@jet_model
class JetProduct(StoreModel):
    """One Jet SKU: an OpenCart product, or one option value of it (a variation child)."""

    id = pw.AutoField()
    product_id = pw.IntegerField(index=True)
    product_option_value_id = pw.IntegerField(default=0)  # 0 = the simple product itself
    merchant_sku = pw.CharField(100, unique=True)
    parent_sku = pw.CharField(100, null=True)  # variation parent's SKU (children only)
    status = pw.CharField(64, default="Not Uploaded")  # Jet's status text
    sub_statuses = JsonTextField(default=list)  # Jet's sub_status list
    is_archived = pw.BooleanField(default=False)
    last_error = pw.TextField(null=True)
    sent_hash = pw.CharField(64, null=True)  # hash of the payload last sent to Jet
    # migration 6: hash of the shipping + returns exception bodies Jet last accepted (sync
    # PUTs them again when the merchant's edit changed them)
    exceptions_hash = pw.CharField(64, null=True)
    overrides = JsonTextField(default=dict)  # standard_code/type, asin, brand, mpn, attributes,
    # shipping_exceptions, returns_exceptions... entered in jettui
    created_at = UtcDateTimeField(default=utcnow)
    updated_at = UtcDateTimeField(default=utcnow)
    sent_at = UtcDateTimeField(null=True)
    status_checked_at = UtcDateTimeField(null=True)

    class Meta:
        table_name = "jet_product"
        indexes = ((("product_id", "product_option_value_id"), True),)


@jet_model
class JetCategory(StoreModel):
    """OpenCart category → Jet taxonomy node (many categories may map to one node)."""

    id = pw.AutoField()
    category_id = pw.IntegerField(unique=True)
    jet_node_id = pw.BigIntegerField(index=True)
    node_name = pw.CharField(255, default="")
    node_path = pw.TextField(default="")  # "Electronics > Cameras > ..."
    attributes = JsonTextField(default=list)  # Jet attribute ids/names of the node, if cached
    created_at = UtcDateTimeField(default=utcnow)
    updated_at = UtcDateTimeField(default=utcnow)

    class Meta:
        table_name = "jet_category"


@jet_model
class JetCategoryCreation(StoreModel):
    """Ledger of ``categories create`` (OpenCart's MyISAM tables cannot roll back): the intent,
    with the category id chosen, is written before any OpenCart row, so a re-run after a
    crash completes that category instead of making a second one."""

    id = pw.AutoField()
    category_id = pw.IntegerField(unique=True)  # chosen before the category row is inserted
    parent_id = pw.IntegerField(default=0)
    jet_node_id = pw.BigIntegerField()
    name = pw.CharField(255)
    state = pw.CharField(16, default="intent", index=True)  # intent → done | abandoned
    created_at = UtcDateTimeField(default=utcnow)
    updated_at = UtcDateTimeField(default=utcnow)

    class Meta:
        table_name = "jet_category_creation"


# --- orders, returns, refunds -----------------------------------------------------------------

#: ledger states of an order import, in order. A re-run resumes from the recorded state:
#: intent (about to write; order_id may be 0) → written (OpenCart rows complete, order_id set)
#: → done (the stock was taken by the same guarded statement that made it done). 'rejected'
#: ends an import that won't finish; 'held' keeps an order that cannot be created for the
#: merchant (orders.hold_problem_orders) until it is retried or rejected. See
#: jettui/services/orders/importer.py.
JET_ORDER_STATES = ("intent", "written", "done", "rejected", "held")


@jet_model
class JetOrder(StoreModel):
    id = pw.AutoField()
    merchant_order_id = pw.CharField(64, unique=True)
    reference_order_id = pw.CharField(64, default="", index=True)
    order_id = pw.IntegerField(default=0, index=True)  # OpenCart order_id, 0 until written
    status = pw.CharField(32, default="created")  # Jet status: created/ready/acknowledged/...
    state = pw.CharField(16, default="intent", index=True)  # import ledger (JET_ORDER_STATES)
    order_placed_date = UtcDateTimeField(null=True)
    deliver_by = UtcDateTimeField(null=True)
    ship_by = UtcDateTimeField(null=True)
    acknowledged_at = UtcDateTimeField(null=True)
    acknowledgement_status = pw.CharField(64, null=True)  # accepted / rejected - ...
    raw = JsonTextField(null=True)  # the order as Jet sent it
    shipments = JsonTextField(default=list)  # what was sent to Jet's ship endpoint
    error = pw.TextField(null=True)
    attempts = pw.IntegerField(default=0)
    # migration 3: what the import decided per Jet item (order_item_id, merchant_sku,
    # order_product_id, product_id, product_option_value_id, quantity), warnings written on
    # the OpenCart order (unknown state, cut text...), and when Jet's status was last read
    lines = JsonTextField(default=list)
    warnings = JsonTextField(default=list)
    status_checked_at = UtcDateTimeField(null=True)
    created_at = UtcDateTimeField(default=utcnow)
    updated_at = UtcDateTimeField(default=utcnow)

    class Meta:
        table_name = "jet_order"


#: ledger states of a Jet return's mirror into OpenCart. waiting (its order was never imported:
#: retried later) → intent (about to write the OpenCart return rows) → mirrored (rows and
#: history written) → completing (completion recorded, about to be sent) → completed.
JET_RETURN_STATES = ("waiting", "intent", "mirrored", "completing", "completed")

#: ledger states of a merchant refund. intent (recorded with its alt_refund_id before sending)
#: → sent (Jet gave its refund_authorization_id) → final (accepted/rejected, history written);
#: unknown = the request may have reached Jet and the answer was lost (look it up, never resend
#: blindly); failed = Jet refused it (nothing applied).
JET_REFUND_STATES = ("intent", "sent", "unknown", "final", "failed")


@jet_model
class JetReturn(StoreModel):
    id = pw.AutoField()
    merchant_return_authorization_id = pw.CharField(64, unique=True)
    reference_return_authorization_id = pw.CharField(64, default="")
    merchant_order_id = pw.CharField(64, default="", index=True)
    order_id = pw.IntegerField(default=0)  # OpenCart order
    return_ids = JsonTextField(default=list)  # OpenCart return_id per returned line
    status = pw.CharField(32, default="created")
    # mirror ledger (JET_RETURN_STATES): a re-run resumes from the recorded state
    state = pw.CharField(16, default="intent", index=True)
    attempts = pw.IntegerField(default=0)
    raw = JsonTextField(null=True)
    completion = JsonTextField(null=True)  # what was sent to complete it (refund amounts...)
    error = pw.TextField(null=True)
    completed_at = UtcDateTimeField(null=True)
    created_at = UtcDateTimeField(default=utcnow)
    updated_at = UtcDateTimeField(default=utcnow)

    class Meta:
        table_name = "jet_return"


@jet_model
class JetRefund(StoreModel):
    id = pw.AutoField()
    refund_authorization_id = pw.CharField(64, null=True, unique=True)  # Jet's id once created
    refund_id = pw.CharField(64, default="")  # the merchant's own refund id
    merchant_order_id = pw.CharField(64, index=True)
    order_id = pw.IntegerField(default=0)
    status = pw.CharField(32, default="created")  # created / processing / accepted / rejected
    # send ledger (JET_REFUND_STATES); refund_id above is the alt_refund_id sent to Jet
    state = pw.CharField(16, default="intent", index=True)
    items = JsonTextField(default=list)
    amount = pw.DecimalField(15, 4, default=0)
    reason = pw.CharField(255, default="")
    feedback = pw.CharField(255, default="")
    history_written = pw.BooleanField(default=False)  # order_history row for the final state
    checked_at = UtcDateTimeField(null=True)  # last time Jet was asked for its state
    raw = JsonTextField(null=True)
    error = pw.TextField(null=True)
    created_at = UtcDateTimeField(default=utcnow)
    updated_at = UtcDateTimeField(default=utcnow)

    class Meta:
        table_name = "jet_refund"


@jet_model
class JetOrderLine(StoreModel):
    """The account of one Jet order line (an ``order_items[]`` entry, keyed by Jet's
    ``order_item_id``: two items of one SKU are two lines): what became of its units and of
    the money paid for them. Read and written only through
    :mod:`jettui.services.orders.account`, which documents each column's rule.

    ``shipped``/``cancelled`` are recomputed from Jet's shipments (by value); ``returned``,
    ``restocked``, ``kept``, ``refunded`` and the ``refunded_*`` dollars are counted once per
    event, in the same transaction as the ledger row (jet_return/jet_refund) that records it.
    ``version`` is the compare-and-set guard of every counted change."""

    id = pw.AutoField()
    merchant_order_id = pw.CharField(64, index=True)
    order_item_id = pw.CharField(64)
    order_id = pw.IntegerField(default=0)  # OpenCart order
    order_product_id = pw.IntegerField(default=0)  # the OpenCart line the import wrote
    merchant_sku = pw.CharField(100, default="")
    ordered = pw.IntegerField(default=0)  # request_order_quantity
    shipped = pw.IntegerField(default=0)
    cancelled = pw.IntegerField(default=0)  # by the merchant's messages or by Jet
    returned = pw.IntegerField(default=0)  # back from the buyer (completed returns)
    restocked = pw.IntegerField(default=0)  # returned units put back in stock
    kept = pw.IntegerField(default=0)  # refunded units the buyer kept (or lost in transit)
    refunded = pw.IntegerField(default=0)  # units refunded (refunds not rejected, returns)
    refunded_principal = pw.DecimalField(15, 2, default=0)
    refunded_tax = pw.DecimalField(15, 2, default=0)
    refunded_shipping_cost = pw.DecimalField(15, 2, default=0)
    refunded_shipping_tax = pw.DecimalField(15, 2, default=0)
    version = pw.IntegerField(default=0)
    created_at = UtcDateTimeField(default=utcnow)
    updated_at = UtcDateTimeField(default=utcnow)

    class Meta:
        table_name = "jet_order_line"
        indexes = ((("merchant_order_id", "order_item_id"), True),)


# --- files, events, jobs ----------------------------------------------------------------------


@jet_model
class JetFile(StoreModel):
    """A bulk file (MerchantSKUs, Price, Inventory, Archive...) and its processing result."""

    id = pw.AutoField()
    jet_file_id = pw.CharField(64, null=True, unique=True)  # Jet's id, once uploaded
    file_type = pw.CharField(32)
    file_name = pw.CharField(255, default="")
    status = pw.CharField(64, default="created")  # created/uploaded/Acknowledged/Processed...
    sku_count = pw.IntegerField(default=0)
    error_count = pw.IntegerField(default=0)
    error_excerpt = JsonTextField(null=True)  # per-SKU errors (or the first N of them)
    payload_path = pw.CharField(1024, null=True)  # where the payload was saved on disk, if any
    payload = LongJsonTextField(null=True)  # the payload as sent, if kept in the database
    created_at = UtcDateTimeField(default=utcnow)
    uploaded_at = UtcDateTimeField(null=True)
    processed_at = UtcDateTimeField(null=True)
    updated_at = UtcDateTimeField(default=utcnow)

    class Meta:
        table_name = "jet_file"


EVENT_LEVELS = ("debug", "info", "warning", "error")
EVENT_KINDS = (
    "product",
    "order",
    "return",
    "refund",
    "file",
    "job",
    "api",
    "store",
    "activation",
    "category",
)


@jet_model
class JetEvent(StoreModel):
    """Event log. Write through :func:`log_event`, which redacts secrets."""

    id = pw.AutoField()
    time = UtcDateTimeField(default=utcnow, index=True)
    level = pw.CharField(16, default="info")
    kind = pw.CharField(16, index=True)
    ref = pw.CharField(128, default="", index=True)  # SKU, merchant_order_id, file id, job...
    message = pw.TextField(default="")
    detail = JsonTextField(null=True)

    class Meta:
        table_name = "jet_event"


@jet_model
class JetJobRun(StoreModel):
    id = pw.AutoField()
    job = pw.CharField(32, index=True)
    started_at = UtcDateTimeField(default=utcnow)
    finished_at = UtcDateTimeField(null=True)
    result = pw.CharField(16, default="running")  # running / ok / partial / failed / locked
    items_ok = pw.IntegerField(default=0)
    items_failed = pw.IntegerField(default=0)
    message = pw.TextField(default="")

    class Meta:
        table_name = "jet_job_run"


# --- locks ------------------------------------------------------------------------------------


@jet_model
class JetLock(StoreModel):
    name = pw.CharField(64, primary_key=True)
    holder = pw.CharField(255)
    acquired_at = UtcDateTimeField(default=utcnow)
    expires_at = UtcDateTimeField()

    class Meta:
        table_name = "jet_lock"


def default_holder(purpose: str = "") -> str:
    """``host:pid[:purpose]``: unique per process, readable in the TUI's status screen."""
    base = f"{socket.gethostname()}:{os.getpid()}"
    return f"{base}:{purpose}" if purpose else base


def acquire_lock(name: str, holder: str, ttl_seconds: float) -> bool:
    """Take lock ``name`` for ``holder`` until ``ttl_seconds`` from now. True when taken.

    Race-safe on SQLite and MySQL: a free lock is taken with an INSERT (the primary key lets
    only one of racing inserts in); an expired one with a conditional UPDATE (only one racing
    update still sees it expired). The holder that has it already refreshes it (re-entrant).
    """
    db = database_proxy
    now = utcnow()
    expires = now + _dt.timedelta(seconds=max(0.0, ttl_seconds))
    taken = (
        JetLock.update(holder=holder, acquired_at=now, expires_at=expires)
        .where((JetLock.name == name) & ((JetLock.expires_at <= now) | (JetLock.holder == holder)))
        .execute()
    )
    if taken:
        return True
    try:
        with db.atomic():
            JetLock.insert(name=name, holder=holder, acquired_at=now, expires_at=expires).execute()
        return True
    except pw.IntegrityError:
        # Someone holds it - or we do and MySQL reported 0 changed rows for an identical update.
        current = lock_holder(name)
        if current == holder:
            return True
        if current and _holder_died(current):
            # A crashed run on this machine: take its lock over instead of waiting for the TTL.
            return bool(
                JetLock.update(holder=holder, acquired_at=now, expires_at=expires)
                .where((JetLock.name == name) & (JetLock.holder == current))
                .execute()
            )
        return False


def _holder_died(holder: str) -> bool:
    """True when ``holder`` (``host:pid[:purpose]``) is a process of this host that has ended."""
    host, _, rest = holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except OSError:  # e.g. EPERM: the process exists under another user
        return False
    return False


def release_lock(name: str, holder: str) -> bool:
    """Release ``name`` if ``holder`` holds it. True when a lock was released."""
    return bool(
        JetLock.delete().where((JetLock.name == name) & (JetLock.holder == holder)).execute()
    )


def lock_holder(name: str) -> str | None:
    """Who holds ``name`` now (None when free or expired)."""
    row = JetLock.get_or_none(JetLock.name == name)
    if row is None or row.expires_at <= utcnow():
        return None
    return row.holder


def take_lock(name: str, holder: str, ttl_seconds: float) -> str:
    """:func:`acquire_lock`, raising :class:`LockBusy` (naming who holds it) when it is held."""
    if not acquire_lock(name, holder, ttl_seconds):
        raise LockBusy(name, lock_holder(name))
    return holder


@contextlib.contextmanager
def hold_lock(name: str, holder: str | None = None, ttl_seconds: float = 3600) -> Iterator[str]:
    """``with hold_lock("cron:fetch-orders"):`` — raises :class:`LockBusy` if it is held."""
    holder = take_lock(name, holder or default_holder(name), ttl_seconds)
    try:
        yield holder
    finally:
        release_lock(name, holder)


# --- event log --------------------------------------------------------------------------------

# Jet's token request is {"user": ..., "pass": ...}: "pass" must match as a whole key.
_SECRET_KEY = re.compile(
    r"^(pass|pwd)$|secret|passw|token|authori[sz]ation|api[_-]?key|cookie|credential", re.I
)
_BEARER = re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.I)
REDACTED = "***"


def redact(value: Any) -> Any:
    """Copy of ``value`` with secret-looking keys' values and bearer tokens replaced."""
    if isinstance(value, dict):
        return {
            k: (REDACTED if isinstance(k, str) and _SECRET_KEY.search(k) else redact(v))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return _BEARER.sub(r"\1" + REDACTED, value)
    return value


def _event_fields(
    kind: str, message: str, *, level: str = "info", ref: str = "", detail: Any = None
) -> dict[str, Any]:
    """One event row's fields, redacted: secrets never reach the table."""
    return {
        "kind": kind,
        "level": level,
        "ref": str(ref)[:128],
        "message": redact(message),
        "detail": redact(detail) if detail is not None else None,
    }


def log_event(
    kind: str, message: str, *, level: str = "info", ref: str = "", detail: Any = None
) -> JetEvent:
    """Append to the event log (detail is redacted: secrets never reach the table). Inside
    :func:`collected_events` on this thread the row is kept and written with the others."""
    fields = _event_fields(kind, message, level=level, ref=ref, detail=detail)
    collected: list[dict[str, Any]] | None = _collected.current()
    if collected is None:
        return JetEvent.create(**fields)
    collected.append({"time": utcnow(), **fields})
    return JetEvent(**collected[-1])


def _insert_events(rows: list[dict[str, Any]]) -> None:
    insert_rows(JetEvent, rows, per=EVENTS_PER_INSERT)


_collected = BlockBatch(list, _insert_events)


def collected_events() -> contextlib.AbstractContextManager[None]:
    """Events logged on this thread inside the block are written at its end, with multi-row
    INSERTs (the import logs one per order: one round trip each on MariaDB otherwise). The
    event log is the merchant's record of what happened, not a step of any write: a run
    killed inside the block loses those rows only, never what they describe."""
    return _collected.block()


EVENTS_PER_INSERT = 200  # rows per multi-row INSERT (a Jet call's detail can be kilobytes)


def log_events(rows: Iterable[dict[str, Any]]) -> None:
    """Append many events (each a dict of :func:`log_event`'s arguments) with multi-row
    INSERTs, in the caller's transaction: the import logs every Jet call, and one round
    trip per row was the larger part of its store time on MariaDB."""
    now = utcnow()
    insert_rows(
        JetEvent, [{"time": now, **_event_fields(**row)} for row in rows], per=EVENTS_PER_INSERT
    )


# --- schema version and migrations ------------------------------------------------------------


@jet_model
class JetSchemaVersion(StoreModel):
    version = pw.IntegerField(primary_key=True)
    description = pw.CharField(255, default="")
    applied_at = UtcDateTimeField(default=utcnow)

    class Meta:
        table_name = "jet_schema_version"


class MigrationContext:
    """What a migration step gets: the database, a playhouse.migrate migrator, and
    idempotent helpers that use the bound (prefixed) table names."""

    def __init__(self, db: AnyDatabase) -> None:
        self.db = db
        self.migrator = SchemaMigrator.from_database(db)

    def table(self, model: type[pw.Model]) -> str:
        return model._meta.table_name

    def has_column(self, model: type[pw.Model], column: str) -> bool:
        return any(c.name == column for c in self.db.get_columns(self.table(model)))

    def add_column(self, model: type[pw.Model], column: str, field: pw.Field | None = None) -> None:
        """Add ``column`` (the model's field of that name unless ``field``) if missing."""
        if self.has_column(model, column):
            return
        field = field or model._meta.fields[column]
        from playhouse.migrate import migrate

        migrate(self.migrator.add_column(self.table(model), column, field))

    def create_table(self, model: type[pw.Model]) -> None:
        model.create_table(safe=True)


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[MigrationContext], None]


def _baseline(ctx: MigrationContext) -> None:
    for model in JET_MODELS:
        ctx.create_table(model)


@jet_model
class JetTaxonomyNode(StoreModel):
    """Local copy of one Jet taxonomy node (jet-api.md §2.3): browsing never calls Jet."""

    jet_node_id = pw.BigIntegerField(primary_key=True)
    name = pw.CharField(255, default="", index=True)
    path = pw.TextField(default="")  # "Home & Garden > Kitchen & Dining > Cookware"
    parent_id = pw.BigIntegerField(null=True, index=True)
    level = pw.IntegerField(default=0)
    is_leaf = pw.BooleanField(default=False)
    active = pw.BooleanField(default=True)
    attributes = JsonTextField(default=list)  # Jet's attribute objects (leaf nodes only)
    fetched_at = UtcDateTimeField(default=utcnow)

    class Meta:
        table_name = "jet_taxonomy_node"


def _taxonomy_cache(ctx: MigrationContext) -> None:
    ctx.create_table(JetTaxonomyNode)


def _orders_ledger(ctx: MigrationContext) -> None:
    for column in ("lines", "warnings", "status_checked_at"):
        ctx.add_column(JetOrder, column)


def _returns_ledger(ctx: MigrationContext) -> None:
    for column in ("state", "attempts"):
        ctx.add_column(JetReturn, column)
    for column in ("state", "feedback", "history_written", "checked_at"):
        ctx.add_column(JetRefund, column)


def _category_ledger(ctx: MigrationContext) -> None:
    ctx.create_table(JetCategoryCreation)


def _exceptions_hash(ctx: MigrationContext) -> None:
    ctx.add_column(JetProduct, "exceptions_hash")


def _order_lines(ctx: MigrationContext) -> None:
    ctx.create_table(JetOrderLine)  # rows of older orders are made on first use (account.py)


#: every schema step, oldest first; versions strictly increasing. Append, never edit.
MIGRATIONS: list[Migration] = [
    Migration(1, "jettui tables", _baseline),
    Migration(2, "Jet taxonomy cache", _taxonomy_cache),
    Migration(3, "orders import ledger: lines, warnings, status check", _orders_ledger),
    Migration(4, "returns and refunds ledgers", _returns_ledger),
    Migration(5, "categories create ledger", _category_ledger),
    Migration(6, "products: hash of the exceptions sent", _exceptions_hash),
    Migration(7, "one account per Jet order line", _order_lines),
]


def latest_version() -> int:
    return MIGRATIONS[-1].version


#: the schema version these models describe (evaluated at import; see latest_version())
SCHEMA_VERSION = latest_version()


def schema_version(db: AnyDatabase | None = None) -> int:
    """The applied jettui schema version (0 = jettui's tables were never created here)."""
    db = db or database_proxy
    if not db.table_exists(JetSchemaVersion._meta.table_name):
        return 0
    return int(JetSchemaVersion.select(pw.fn.MAX(JetSchemaVersion.version)).scalar() or 0)


def _record(version: int, description: str) -> None:
    try:
        with database_proxy.atomic():
            JetSchemaVersion.insert(version=version, description=description[:255]).execute()
    except pw.IntegrityError:
        pass  # a concurrent run recorded it


MIGRATION_LOCK = "jettui:schema"


def ensure_jet_tables(db: AnyDatabase | None = None, wait_seconds: float = 60) -> int:
    """Create jettui's tables on first use and run pending migrations; return the version.

    Safe to call from several processes at once (the work is done under a lock). Raises
    :class:`StoreSchemaError` when the database was upgraded by a newer jettui than this one.
    """
    db = db or database_proxy
    latest = latest_version()
    current = schema_version(db)
    if current > latest:
        raise _too_new(current, latest)
    if current == latest and not _missing(db):
        return current
    JetLock.create_table(safe=True)  # the lock guarding the rest (primary key only: race-free)
    holder = default_holder("schema")
    deadline = time.monotonic() + wait_seconds
    while not acquire_lock(MIGRATION_LOCK, holder, ttl_seconds=600):
        if time.monotonic() > deadline:
            raise StoreSchemaError(
                f"another jettui ({lock_holder(MIGRATION_LOCK)}) is upgrading the database; "
                "try again later"
            )
        time.sleep(0.1)
    try:
        current = schema_version(db)
        if current > latest:
            raise _too_new(current, latest)
        if current == 0:
            # Fresh: the models describe the newest schema; create them, record the newest.
            _create_missing(db)
            _record(latest, f"created at version {latest}")
        else:
            ctx = MigrationContext(db)
            for step in MIGRATIONS:
                if step.version > current:
                    step.apply(ctx)
                    _record(step.version, step.description)
            _create_missing(db)
    finally:
        release_lock(MIGRATION_LOCK, holder)
    return schema_version(db)


def _too_new(current: int, latest: int) -> StoreSchemaError:
    return StoreSchemaError(
        f"jettui's tables are at schema version {current}, newer than this jettui "
        f"understands ({latest}): upgrade jettui"
    )


def _missing(db: AnyDatabase) -> list[type[StoreModel]]:
    existing = set(db.get_tables())
    return [m for m in JET_MODELS if m._meta.table_name not in existing]


def _create_missing(db: AnyDatabase) -> None:
    missing = _missing(db)
    if missing:
        db.create_tables(missing, safe=True)
