"""The one job runner: `jettui cron JOB` and the dashboard's timers both call :func:`run_job`.

A job is a name (as in the CLI), the cron setting giving its interval in minutes (0 = off) and
an async body that fills a :class:`JobReport` (per-item successes and failures in Jet's words,
one summary line). Jobs whose service arrives with later work are registered without a body:
they answer "not available yet".

:func:`run_job` takes the lock ``job:<name>`` (held elsewhere → outcome ``locked``, nothing
done), records a ``JetJobRun`` row (``running`` → ok / partial / failed / unreachable), logs a
``JetEvent`` of kind ``job``, opens the Jet client with :func:`open_logged_client` and never
raises for a Jet or store failure: it becomes the outcome. The lock makes it safe to run the
same job from cron and the dashboard at once. Store work runs on one store thread, off the loop.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, TypeVar

from jettui.config import Settings
from jettui.jet.client import JetClient
from jettui.jet.errors import JetAuthError, JetError, JetUnreachable
from jettui.services import file_status, product_status, returns
from jettui.services.catalog.actions import sync_job
from jettui.services.jet_session import EventWriter, StoreThread, open_logged_client
from jettui.services.orders.acknowledge import acknowledge_job
from jettui.services.orders.importer import fetch_orders_job

log = logging.getLogger("jettui.services")

T = TypeVar("T")
Progress = Callable[[str, str], Any]  # (job, message), called on the event loop

LOCK_PREFIX = "job:"
LOCK_TTL_SECONDS = 1800.0  # refreshed every third of it while the job runs
WRITE_BATCH = 100  # store rows written per transaction by a job body
EVENT_FAILURES = 20  # failures kept in the job's event-log row (the JSON lists all)
NOT_AVAILABLE = "not available yet"

# Results. A run recorded in JetJobRun ends ok / partial / failed / unreachable; the others
# describe a job that did not run (nothing recorded in JetJobRun).
RAN = ("ok", "partial", "failed", "unreachable")
EXIT_CODES = {
    "ok": 0,
    "partial": 1,
    "failed": 1,
    "unreachable": 3,
    "locked": 75,
    "unavailable": 2,
    "skipped": 0,
}


@dataclass(frozen=True)
class ItemFailure:
    item: str  # SKU, file id...
    reason: str  # Jet's words

    def as_dict(self) -> dict[str, str]:
        return {"item": self.item, "error": self.reason}


@dataclass
class JobReport:
    """What a job body did: filled as it goes (so an aborted run still reports its counts)."""

    ok: int = 0
    failures: list[ItemFailure] = field(default_factory=list)
    message: str = ""  # one line, e.g. "12 checked, 1 failed"

    def succeeded(self, count: int = 1) -> None:
        self.ok += count

    def failed(self, item: str, reason: str) -> None:
        self.failures.append(ItemFailure(item, " ".join(str(reason).split())))


@dataclass
class JobContext:
    """What a job body gets: settings, the logged Jet client, the store thread, its report."""

    job: str
    settings: Settings
    jet: JetClient
    store: StoreThread
    report: JobReport
    progress: Progress | None = None

    def say(self, message: str) -> None:
        if self.progress is not None:
            self.progress(self.job, message)

    async def each(self, items: Iterable[T], work: Callable[[T], Awaitable[None]]) -> None:
        """``work(item)`` for every item, ``settings.jet.concurrency`` at a time. The first
        exception stops the others and is raised."""
        pending = iter(items)  # shared: each worker takes the next item

        async def worker() -> None:
            for item in pending:
                await work(item)

        workers = [
            asyncio.create_task(worker()) for _ in range(max(1, self.settings.jet.concurrency))
        ]
        try:
            await asyncio.gather(*workers)
        finally:
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)

    def batch(self, write: Callable[[list[T]], None]) -> Batch[T]:
        """Rows for ``write(rows)`` (run on the store thread), written WRITE_BATCH at a time."""
        return Batch(self.store, write)


class Batch(Generic[T]):
    """Rows collected by a job body and written on the store thread in transactions."""

    def __init__(self, store: StoreThread, write: Callable[[list[T]], None]) -> None:
        self.store = store
        self.write = write
        self.rows: list[T] = []

    async def add(self, row: T) -> None:
        self.rows.append(row)
        if len(self.rows) >= WRITE_BATCH:
            await self.flush()

    async def flush(self) -> None:
        rows, self.rows = self.rows, []
        if rows:
            await self.store.run(self.write, rows)


Body = Callable[[JobContext], Awaitable[JobReport]]


@dataclass(frozen=True)
class Job:
    name: str  # as in the CLI
    setting: str | None  # CronSettings field giving its interval; None = by hand only
    body: Body | None = None  # None: not available yet

    @property
    def available(self) -> bool:
        return self.body is not None

    def interval(self, settings: Settings) -> int:
        """Minutes between runs (0 = off)."""
        return int(getattr(settings.cron, self.setting, 0) or 0) if self.setting else 0


#: every job, in the CLI's order
JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job("fetch-orders", "fetch_orders", fetch_orders_job),
        Job("acknowledge", "acknowledge", acknowledge_job),
        Job("fetch-errors", "fetch_errors", file_status.run),
        Job("fetch-returns", "fetch_returns", returns.fetch_returns_job),
        Job("product-status", "product_status", product_status.run),
        Job("sync", "sync", sync_job),
    )
}


@dataclass
class JobOutcome:
    job: str
    result: str  # ok | partial | failed | unreachable | locked | unavailable | skipped
    message: str
    trigger: str = ""
    items_ok: int = 0
    failures: list[ItemFailure] = field(default_factory=list)
    started_at: datetime | None = None  # naive UTC, like the store's timestamps
    finished_at: datetime | None = None
    seconds: float = 0.0
    run_id: int | None = None  # the JetJobRun row

    @property
    def items_failed(self) -> int:
        return len(self.failures)

    @property
    def ran(self) -> bool:
        return self.result in RAN

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.result]

    @property
    def line(self) -> str:
        """``product-status: ok, 12 checked, 0 failed in 0.8 s`` (one line, for people)."""
        if self.ran:
            return f"{self.job}: {self.result}, {self.message} in {self.seconds:.1f} s"
        return f"{self.job}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "job": self.job,
            "result": self.result,
            "message": self.message,
            "trigger": self.trigger,
            "items_ok": self.items_ok,
            "items_failed": self.items_failed,
            "failures": [f.as_dict() for f in self.failures],
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at),
            "seconds": round(self.seconds, 3),
            "run_id": self.run_id,
        }


def combined_exit_code(outcomes: Sequence[JobOutcome]) -> int:
    """One exit code for `cron due` / `cron all`: 3 if Jet or the store was unreachable, else
    1 if items failed, else 75 if a lock was held, else 0 (jobs not available yet, not due or
    off are not failures)."""
    codes = {o.exit_code for o in outcomes if o.result != "unavailable"}
    for code in (3, 1, 75):
        if code in codes:
            return code
    return 0


def _iso(value: datetime | None) -> str | None:
    return value.replace(tzinfo=UTC).isoformat() if value else None


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


# --- which jobs are due (synchronous: call off the event loop) -------------------------------


def last_started(db: Any) -> dict[str, datetime]:
    """When each job's latest recorded run started."""
    import peewee as pw

    from jettui.store.jet_tables import JetJobRun

    query = JetJobRun.select(JetJobRun.job, pw.fn.MAX(JetJobRun.started_at)).group_by(JetJobRun.job)
    latest: dict[str, datetime] = {}
    for job, started in query.tuples().execute(db):
        if isinstance(started, str):  # SQLite aggregates return the stored text
            started = datetime.fromisoformat(started)
        name = job.replace("_", "-")
        if started is not None and (name not in latest or started > latest[name]):
            latest[name] = started
    return latest


def next_due(settings: Settings, job: Job, last: datetime | None) -> datetime | None:
    """When ``job`` is next due (naive UTC; ``datetime.min`` = now, never run; None = off)."""
    minutes = job.interval(settings)
    if not job.available or minutes <= 0:
        return None
    return datetime.min if last is None else last + timedelta(minutes=minutes)


def due_jobs(settings: Settings, db: Any, now: datetime | None = None) -> list[str]:
    """Available jobs whose interval is on (> 0) and whose last run started at least that many
    minutes before ``now`` (UTC; never run = due), in the CLI's order. Blocking."""
    now = _naive_utc(now or datetime.now(UTC))
    latest = last_started(db)
    return [
        name
        for name, job in JOBS.items()
        if (due := next_due(settings, job, latest.get(name))) is not None and due <= now
    ]


def _naive_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


# --- running ---------------------------------------------------------------------------------


async def run_job(
    settings: Settings,
    db: Any,
    name: str,
    *,
    trigger: str,
    progress: Progress | None = None,
    **client_options: Any,
) -> JobOutcome:
    """Run job ``name`` once and record it. Never raises for a Jet or store failure.

    ``trigger`` says who asked (``cron``, ``dashboard``, ``timer``...; kept in the event log).
    ``progress(job, message)`` is called on the event loop. ``client_options`` go to the Jet
    client (e.g. ``backoff_base``). Raises ValueError for a name that is not a job.
    """
    job = JOBS.get(name)
    if job is None:
        raise ValueError(f"unknown job '{name}' (one of {', '.join(JOBS)})")
    if job.body is None:
        return JobOutcome(name, "unavailable", NOT_AVAILABLE, trigger)
    store = StoreThread(db)
    lock = LOCK_PREFIX + name
    # Unique per run: the dashboard's timer and its `r` key share host and pid.
    holder = _holder(name)
    try:
        try:
            busy = await store.run(_acquire, lock, holder, trigger)
        except Exception as exc:  # noqa: BLE001 - the store is unreachable: the outcome says so
            return JobOutcome(name, "unreachable", _store_reason(exc), trigger)
        if busy is not None:
            return JobOutcome(name, "locked", f"{busy}; nothing done", trigger)
        heartbeat = asyncio.create_task(_keep_lock(store, lock, holder))
        try:
            return await _run_locked(settings, db, job, store, trigger, progress, client_options)
        finally:
            heartbeat.cancel()
            try:
                await store.run(_release, lock, holder)
            except Exception:  # noqa: BLE001 - a dead store: the lock expires (or is taken over)
                log.warning("could not release lock %s", lock)
    finally:
        await store.close()


async def _run_locked(
    settings: Settings,
    db: Any,
    job: Job,
    store: StoreThread,
    trigger: str,
    progress: Progress | None,
    client_options: dict[str, Any],
) -> JobOutcome:
    assert job.body is not None
    started_at = _utcnow()
    clock = time.monotonic()
    report = JobReport()
    try:
        run_id = await store.run(_start_run, job.name, started_at)
    except Exception as exc:  # noqa: BLE001
        return JobOutcome(job.name, "unreachable", _store_reason(exc), trigger)
    result, message = "ok", ""
    try:
        events = EventWriter(store)
        async with open_logged_client(settings, db, events=events, **client_options) as jet:
            ctx = JobContext(job.name, settings, jet, store, report, progress)
            report = await job.body(ctx)
            message = report.message
    except (JetUnreachable, JetAuthError) as exc:
        result, message = "unreachable", str(exc)
    except JetError as exc:
        result, message = "failed", str(exc)
    except asyncio.CancelledError:
        await _finish(store, job.name, run_id, trigger, "failed", "interrupted", report, clock)
        raise
    except Exception as exc:  # noqa: BLE001 - a job must not take cron or the dashboard down
        if _is_store_failure(exc):
            result, message = "unreachable", _store_reason(exc)
        else:
            log.exception("job %s failed", job.name)
            result, message = "failed", f"unexpected error: {type(exc).__name__}: {exc}"
    if result == "ok" and report.failures:
        result = "partial" if report.ok else "failed"
    outcome = await _finish(store, job.name, run_id, trigger, result, message, report, clock)
    outcome.started_at = started_at
    return outcome


async def _finish(
    store: StoreThread,
    name: str,
    run_id: int,
    trigger: str,
    result: str,
    message: str,
    report: JobReport,
    clock: float,
) -> JobOutcome:
    outcome = JobOutcome(
        name,
        result,
        message or f"{report.ok + len(report.failures)} done, {len(report.failures)} failed",
        trigger,
        items_ok=report.ok,
        failures=list(report.failures),
        finished_at=_utcnow(),
        seconds=time.monotonic() - clock,
        run_id=run_id,
    )
    try:
        await store.run(_record_end, outcome)
    except Exception:  # noqa: BLE001 - the store went away: the outcome still says what happened
        log.warning("could not record the end of job %s", name)
    return outcome


async def run_jobs(
    settings: Settings,
    db: Any,
    names: Sequence[str],
    *,
    trigger: str = "cron",
    progress: Progress | None = None,
    **client_options: Any,
) -> list[JobOutcome]:
    """Run ``names`` one after another; one outcome each (jobs not available yet included).
    Once one finds Jet or the store unreachable, the rest are skipped (not recorded, so they
    stay due)."""
    outcomes: list[JobOutcome] = []
    unreachable: JobOutcome | None = None
    for name in names:
        if unreachable is not None and JOBS[name].available:
            reason = f"not run: {unreachable.job} found Jet or the store unreachable"
            outcomes.append(JobOutcome(name, "skipped", reason, trigger))
            continue
        outcome = await run_job(
            settings, db, name, trigger=trigger, progress=progress, **client_options
        )
        if outcome.result == "unreachable":
            unreachable = outcome
        outcomes.append(outcome)
    return outcomes


async def run_due(
    settings: Settings,
    db: Any,
    *,
    trigger: str = "cron",
    progress: Progress | None = None,
    now: datetime | None = None,
    **client_options: Any,
) -> list[JobOutcome]:
    """`cron due`: run the due jobs; every other job gets an outcome saying why it did not run
    (``skipped``: off / not due until ...; ``unavailable``: not available yet)."""
    latest: dict[str, datetime] = await asyncio.to_thread(_last_started_safely, db)
    now = _naive_utc(now or datetime.now(UTC))
    due = []
    plan: dict[str, JobOutcome | None] = {}
    for name, job in JOBS.items():
        when = next_due(settings, job, latest.get(name))
        if not job.available:
            plan[name] = JobOutcome(name, "unavailable", NOT_AVAILABLE, trigger)
        elif when is None:
            plan[name] = JobOutcome(name, "skipped", "off (interval 0)", trigger)
        elif when > now:
            until = f"not due until {when:%Y-%m-%d %H:%M} UTC"
            plan[name] = JobOutcome(name, "skipped", until, trigger)
        else:
            plan[name] = None
            due.append(name)
    ran = iter(
        await run_jobs(settings, db, due, trigger=trigger, progress=progress, **client_options)
    )
    return [plan[name] or next(ran) for name in JOBS]


def _last_started_safely(db: Any) -> dict[str, datetime]:
    """:func:`last_started`, or nothing when the store cannot answer (each job's own run then
    reports the store unreachable). Closes this worker thread's connection."""
    try:
        return last_started(db)
    except Exception:  # noqa: BLE001
        return {}
    finally:
        try:
            if not db.is_closed():
                db.close()
        except Exception:  # noqa: BLE001
            pass


# --- the store side (synchronous; run on the store thread) -----------------------------------


def _holder(name: str) -> str:
    from jettui.store.jet_tables import default_holder

    return f"{default_holder('job')}:{name}:{uuid.uuid4().hex[:6]}"


def _acquire(lock: str, holder: str, trigger: str) -> str | None:
    """Take ``lock``; when someone else holds it, log that and return why (None = taken)."""
    from jettui.store.errors import LockBusy
    from jettui.store.jet_tables import acquire_lock, lock_holder, log_event

    if acquire_lock(lock, holder, LOCK_TTL_SECONDS):
        return None
    reason = str(LockBusy(lock, lock_holder(lock)))
    name = lock.removeprefix(LOCK_PREFIX)
    log_event(
        "job",
        f"{name}: not run, {reason}",
        level="warning",
        ref=name,
        detail={"result": "locked", "trigger": trigger},
    )
    return reason


async def _keep_lock(store: StoreThread, lock: str, holder: str) -> None:
    from jettui.store.jet_tables import acquire_lock

    while True:
        await asyncio.sleep(LOCK_TTL_SECONDS / 3)
        try:
            await store.run(acquire_lock, lock, holder, LOCK_TTL_SECONDS)
        except Exception:  # noqa: BLE001 - the run itself will report a dead store
            log.warning("could not refresh lock %s", lock)


def _release(lock: str, holder: str) -> None:
    from jettui.store.jet_tables import release_lock

    release_lock(lock, holder)


def _start_run(name: str, started_at: datetime) -> int:
    from jettui.store.jet_tables import JetJobRun

    return JetJobRun.create(job=name, started_at=started_at, result="running").id


def _record_end(outcome: JobOutcome) -> None:
    from jettui.store.base import database_proxy
    from jettui.store.jet_tables import JetJobRun, log_event

    level = {"ok": "info", "partial": "warning"}.get(outcome.result, "error")
    with database_proxy.atomic():
        JetJobRun.update(
            finished_at=outcome.finished_at,
            result=outcome.result,
            items_ok=outcome.items_ok,
            items_failed=outcome.items_failed,
            message=outcome.message,
        ).where(JetJobRun.id == outcome.run_id).execute()
        log_event(
            "job",
            outcome.line,
            level=level,
            ref=outcome.job,
            detail={
                "result": outcome.result,
                "trigger": outcome.trigger,
                "run_id": outcome.run_id,
                "items_ok": outcome.items_ok,
                "items_failed": outcome.items_failed,
                "failures": [f.as_dict() for f in outcome.failures[:EVENT_FAILURES]],
            },
        )


def _is_store_failure(exc: BaseException) -> bool:
    names = {cls.__name__ for cls in type(exc).__mro__}
    return bool(names & {"StoreError", "PeeweeException", "OperationalError", "InterfaceError"})


def _store_reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"store unreachable: {text}"
