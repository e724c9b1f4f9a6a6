"""The one job runner: `jettui cron JOB` and the dashboard's timers both call :func:`run_job`.

:func:`run_job` takes the lock ``job:<name>`` with :func:`~jettui.services.runtime.held_lock`
(refreshed while the job runs; held elsewhere → outcome ``locked``, nothing done), closes the
runs a killed process left "running", records a ``JetJobRun`` row (``running`` → ok / partial
/ failed / unreachable), logs a ``JetEvent`` of kind ``job``, opens the logged Jet client and
never raises for a Jet or store failure: it becomes the outcome, classified by type
(:func:`jettui.errors.is_unreachable`). Store work runs on one store thread, off the loop.
Before each job's body, writes to Jet whose answer was lost are looked up and settled
(:func:`jettui.services.unconfirmed.settle`): cron runs and the dashboard's timers alike.

Which jobs are due and each job's schedule (:func:`schedules`, for the cron screen) are
computed here too, from the settings and the recorded runs.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import peewee as pw

from jettui.config import Settings
from jettui.errors import ExitCode, JettuiError, LockBusy, is_unreachable, one_line
from jettui.services.jobs.context import JobContext, JobReport, Progress
from jettui.services.jobs.registry import JOBS, NOT_AVAILABLE, Job
from jettui.services.results import ItemResult
from jettui.services.runtime import StoreThread, held_lock, outage_reason
from jettui.store.base import database_proxy, tuple_rows
from jettui.store.jet_tables import (
    JetJobRun,
    acquire_lock,
    default_holder,
    log_event,
    release_lock,
)

log = logging.getLogger("jettui.services")

LOCK_PREFIX = "job:"
LOCK_TTL_SECONDS = 1800.0  # refreshed every third of it while the job runs
EVENT_FAILURES = 20  # failures kept in the job's event-log row (the JSON lists all)
RUNNING = "running"  # a JetJobRun row whose run has not ended (or whose process was killed)
ABANDONED = "interrupted: the process running it ended before recording a result"


class JobResult(StrEnum):
    """A job's outcome. The first four are recorded in JetJobRun (the job ran); the others say
    why a job did not run (nothing recorded, except a body that found a lock it needs held)."""

    OK = "ok"
    PARTIAL = "partial"
    FAILED = "failed"
    UNREACHABLE = "unreachable"
    LOCKED = "locked"
    UNAVAILABLE = "unavailable"
    SKIPPED = "skipped"


RAN = frozenset({JobResult.OK, JobResult.PARTIAL, JobResult.FAILED, JobResult.UNREACHABLE})
EXIT_CODES = {
    JobResult.OK: ExitCode.OK,
    JobResult.PARTIAL: ExitCode.PARTIAL,
    JobResult.FAILED: ExitCode.PARTIAL,
    JobResult.UNREACHABLE: ExitCode.UNREACHABLE,
    JobResult.LOCKED: ExitCode.LOCKED,
    JobResult.UNAVAILABLE: ExitCode.USAGE,
    JobResult.SKIPPED: ExitCode.OK,
}


@dataclass
class JobOutcome:
    job: str
    result: JobResult
    message: str
    trigger: str = ""
    items_ok: int = 0
    failures: list[ItemResult] = field(default_factory=list)
    started_at: datetime | None = None  # naive UTC, like the store's timestamps
    finished_at: datetime | None = None
    seconds: float = 0.0
    run_id: int | None = None  # the JetJobRun row

    def __post_init__(self) -> None:
        self.result = JobResult(self.result)

    @property
    def items_failed(self) -> int:
        return len(self.failures)

    @property
    def ran(self) -> bool:
        return self.result in RAN

    @property
    def exit_code(self) -> int:
        return int(EXIT_CODES[self.result])

    @property
    def line(self) -> str:
        """``product-status: ok, 12 checked, 0 failed in 0.8 s`` (one line, for people)."""
        if self.ran:
            return f"{self.job}: {self.result}, {self.message} in {self.seconds:.1f} s"
        return f"{self.job}: {self.message}"

    def first_failure(self, more: str = "") -> str:
        """``sku: reason (+2 more<more>)``: the first failed item and how many others failed
        ("" when none did); the CLI and the dashboard both say it this way."""
        if not self.failures:
            return ""
        first = self.failures[0]
        text = f"{first.item}: {first.reason}"
        if self.items_failed > 1:
            text += f" (+{self.items_failed - 1} more{more})"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "job": self.job,
            "result": str(self.result),
            "message": self.message,
            "trigger": self.trigger,
            "items_ok": self.items_ok,
            "items_failed": self.items_failed,
            "failures": [_failure(f) for f in self.failures],
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at),
            "seconds": round(self.seconds, 3),
            "run_id": self.run_id,
        }


def _failure(item: ItemResult) -> dict[str, str]:
    return {"item": item.item, "error": item.reason}


def combined_exit_code(outcomes: Sequence[JobOutcome]) -> int:
    """One exit code for `cron due` / `cron all`, by what this process ran: 3 if Jet or the
    store was unreachable, else 1 if items failed, else 0. 75 only when it ran nothing because
    locks were held (another process was doing the work). Jobs not available yet, not due or
    off are not failures."""
    codes = {o.exit_code for o in outcomes if o.ran}
    for code in (ExitCode.UNREACHABLE, ExitCode.PARTIAL):
        if code in codes:
            return int(code)
    if not codes and any(o.result == JobResult.LOCKED for o in outcomes):
        return int(ExitCode.LOCKED)
    return int(ExitCode.OK)


def _iso(value: datetime | None) -> str | None:
    return value.replace(tzinfo=UTC).isoformat() if value else None


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _naive_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


# --- which jobs are due, and the schedules (synchronous: call off the event loop) -------------


def last_started(db: pw.Database) -> dict[str, datetime]:
    """When each job's latest recorded run started."""
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


def due_jobs(settings: Settings, db: pw.Database, now: datetime | None = None) -> list[str]:
    """Available jobs whose interval is on (> 0) and whose last run started at least that many
    minutes before ``now`` (UTC; never run = due), in the CLI's order. Blocking."""
    now = _naive_utc(now or datetime.now(UTC))
    latest = last_started(db)
    return [
        name
        for name, job in JOBS.items()
        if (due := next_due(settings, job, latest.get(name))) is not None and due <= now
    ]


@dataclass(frozen=True)
class LastRun:
    started_at: datetime  # naive UTC
    result: str  # a JobResult, or "running"
    message: str


@dataclass(frozen=True)
class Schedule:
    """One job as the cron screen shows it: interval, last run, when it is next due."""

    job: str
    available: bool
    scheduled: bool  # has a cron setting (else: by hand only)
    minutes: int  # interval (0 = off)
    last: LastRun | None
    next_due: datetime | None  # naive UTC; datetime.min = at the next `cron due`; None = off
    # (computed from the interval even for a job not available yet: its runs keep their rhythm)


def schedules(settings: Settings, db: pw.Database) -> list[Schedule]:
    """Every job's schedule, in the CLI's order. Blocking: call off the event loop."""
    runs: dict[str, LastRun] = {}
    query = JetJobRun.select(
        JetJobRun.job, JetJobRun.started_at, JetJobRun.result, JetJobRun.message
    ).order_by(JetJobRun.started_at, JetJobRun.id)
    for job, started, result, message in query.tuples().execute(db):
        runs[job.replace("_", "-")] = LastRun(started, result, message or "")
    out = []
    for name, job in JOBS.items():
        last = runs.get(name)
        minutes = job.interval(settings)
        when = None
        if minutes > 0:
            when = datetime.min if last is None else last.started_at + timedelta(minutes=minutes)
        out.append(
            Schedule(
                job=name,
                available=job.available,
                scheduled=job.setting is not None,
                minutes=minutes,
                last=last,
                next_due=when,
            )
        )
    return out


# --- running ---------------------------------------------------------------------------------


async def run_job(
    settings: Settings,
    db: pw.Database,
    name: str,
    *,
    trigger: str,
    progress: Progress | None = None,
    due_at: datetime | None = None,
    **client_options: Any,
) -> JobOutcome:
    """Run job ``name`` once and record it. Never raises for a Jet or store failure.

    ``trigger`` says who asked (``cron``, ``dashboard``, ``timer``...; kept in the event log).
    ``progress(job, message)`` is called on the event loop. ``due_at`` (`cron due`): run only
    if the job is still due at that time once its lock is taken; another process may have run
    it since the plan was made (outcome ``skipped``). ``client_options`` go to the Jet client
    (e.g. ``backoff_base``). Raises ValueError for a name that is not a job.
    """
    job = JOBS.get(name)
    if job is None:
        raise ValueError(f"unknown job '{name}' (one of {', '.join(JOBS)})")
    if not job.available:
        return JobOutcome(name, JobResult.UNAVAILABLE, NOT_AVAILABLE, trigger)
    store = StoreThread(db)
    try:
        lock = held_lock(
            store, LOCK_PREFIX + name, purpose=f"job:{name}", ttl_seconds=LOCK_TTL_SECONDS
        )
        async with lock:
            if due_at is not None:
                latest = (await store.run(last_started, db)).get(name)
                when = next_due(settings, job, latest)
                if when is None or when > due_at:
                    ran_at = f" at {latest:%Y-%m-%d %H:%M} UTC" if latest else ""
                    reason = f"not run: another process ran it{ran_at}"
                    return JobOutcome(name, JobResult.SKIPPED, reason, trigger)
            return await _run_locked(settings, db, job, store, trigger, progress, client_options)
    except LockBusy as busy:  # another process runs this job: nothing done
        try:
            await store.run(_log_locked, name, busy, trigger)
        except Exception:  # noqa: BLE001 - the outcome says it all
            log.warning("could not log that job %s was locked", name)
        return JobOutcome(name, JobResult.LOCKED, f"{busy}; nothing done", trigger)
    except Exception as exc:
        if is_unreachable(exc):  # the lock could not even be taken
            return JobOutcome(name, JobResult.UNREACHABLE, outage_reason(exc), trigger)
        raise
    finally:
        await store.close()


async def _run_locked(
    settings: Settings,
    db: pw.Database,
    job: Job,
    store: StoreThread,
    trigger: str,
    progress: Progress | None,
    client_options: dict[str, Any],
) -> JobOutcome:
    # Imported here, not at the top: `cron due` with nothing due never loads the Jet client.
    from jettui.services.jet_session import EventWriter, open_logged_client
    from jettui.services.unconfirmed import settle as settle_unconfirmed

    started_at = _utcnow()
    clock = time.monotonic()
    report = JobReport()
    try:
        run_id = await store.run(_start_run, job.name, started_at)
    except Exception as exc:  # noqa: BLE001
        if not is_unreachable(exc):
            log.exception("could not record the start of job %s", job.name)
        return JobOutcome(job.name, JobResult.UNREACHABLE, outage_reason(exc), trigger)
    result, message = JobResult.OK, ""
    try:
        body = job.body()
        events = EventWriter(store)
        async with open_logged_client(settings, db, events=events, **client_options) as jet:
            # writes whose answer was lost are settled before anything counts units
            await settle_unconfirmed(settings, jet, store)
            ctx = JobContext(job.name, settings, jet, store, report, progress)
            report = await body(ctx)
            message = report.message
    except asyncio.CancelledError:
        await _finish(
            store, job.name, run_id, trigger, JobResult.FAILED, "interrupted", report, clock
        )
        raise
    except Exception as exc:  # noqa: BLE001 - a job must not take cron or the dashboard down
        result, message = _classify(job.name, exc)
    if result == JobResult.OK and report.failures:
        result = JobResult.PARTIAL if report.ok else JobResult.FAILED
    outcome = await _finish(store, job.name, run_id, trigger, result, message, report, clock)
    outcome.started_at = started_at
    return outcome


def _classify(name: str, exc: Exception) -> tuple[JobResult, str]:
    """A job body's exception as the job's result and one line, by the exception's type."""
    if isinstance(exc, LockBusy):  # a lock the body needs (e.g. sync: products) is held
        return JobResult.LOCKED, f"{exc}; nothing done"
    if is_unreachable(exc):
        return JobResult.UNREACHABLE, outage_reason(exc)
    if not isinstance(exc, JettuiError):
        log.exception("job %s failed", name)
    return JobResult.FAILED, one_line(exc)


async def _finish(
    store: StoreThread,
    name: str,
    run_id: int,
    trigger: str,
    result: JobResult,
    message: str,
    report: JobReport,
    clock: float,
) -> JobOutcome:
    failures = report.failures
    outcome = JobOutcome(
        name,
        result,
        message or f"{report.ok + len(failures)} done, {len(failures)} failed",
        trigger,
        items_ok=report.ok,
        failures=failures,
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
    db: pw.Database,
    names: Sequence[str],
    *,
    trigger: str = "cron",
    progress: Progress | None = None,
    due_at: datetime | None = None,
    **client_options: Any,
) -> list[JobOutcome]:
    """Run ``names`` one after another; one outcome each (jobs not available yet included).
    Once one finds Jet or the store unreachable, the rest are skipped (not recorded, so they
    stay due). ``due_at``: see :func:`run_job`."""
    outcomes: list[JobOutcome] = []
    unreachable: JobOutcome | None = None
    for name in names:
        if unreachable is not None and JOBS[name].available:
            reason = f"not run: {unreachable.job} found Jet or the store unreachable"
            outcomes.append(JobOutcome(name, JobResult.SKIPPED, reason, trigger))
            continue
        outcome = await run_job(
            settings, db, name, trigger=trigger, progress=progress, due_at=due_at, **client_options
        )
        if outcome.result == JobResult.UNREACHABLE:
            unreachable = outcome
        outcomes.append(outcome)
    return outcomes


async def run_due(
    settings: Settings,
    db: pw.Database,
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
            plan[name] = JobOutcome(name, JobResult.UNAVAILABLE, NOT_AVAILABLE, trigger)
        elif when is None:
            plan[name] = JobOutcome(name, JobResult.SKIPPED, "off (interval 0)", trigger)
        elif when > now:
            until = f"not due until {when:%Y-%m-%d %H:%M} UTC"
            plan[name] = JobOutcome(name, JobResult.SKIPPED, until, trigger)
        else:
            plan[name] = None
            due.append(name)
    outcomes = await run_jobs(
        settings, db, due, trigger=trigger, progress=progress, due_at=now, **client_options
    )
    if any(o.ran and o.result != JobResult.UNREACHABLE for o in outcomes):
        await _prune(settings, db)
    ran = iter(outcomes)
    return [plan[name] or next(ran) for name in JOBS]


async def _prune(settings: Settings, db: pw.Database) -> None:
    """Bounded growth: the scheduled runs prune old log rows (at most hourly, see
    :func:`jettui.services.logs.prune_if_due`); a failed prune never fails the run."""
    from jettui.services.logs import prune_if_due

    store = StoreThread(db)
    try:
        await store.run(prune_if_due, settings, _utcnow())
    except Exception as exc:  # noqa: BLE001
        log.warning("old log rows not pruned: %s", one_line(exc))
    finally:
        await store.close()


def _last_started_safely(db: pw.Database) -> dict[str, datetime]:
    """:func:`last_started` (after closing runs killed processes left "running"), or nothing
    when the store cannot answer (each job's own run then reports the store unreachable).
    Closes this worker thread's connection."""
    try:
        close_abandoned_runs()
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


def close_abandoned_runs() -> list[int]:
    """Close as failed the runs left "running" by processes that ended (killed, crashed).

    A job's runs are closed only while its lock can be taken, so a run in progress elsewhere
    is never touched. Returns the closed rows' ids."""
    jobs = [
        job
        for (job,) in tuple_rows(
            JetJobRun.select(JetJobRun.job).where(JetJobRun.result == RUNNING).distinct()
        )
    ]
    closed: list[int] = []
    for job in jobs:
        lock, holder = LOCK_PREFIX + job, f"{default_holder('job-cleanup')}:{job}"
        if not acquire_lock(lock, holder, 60):
            continue  # it runs right now
        try:
            closed += _close_abandoned(job)
        finally:
            release_lock(lock, holder)
    return closed


def _close_abandoned(job: str) -> list[int]:
    """Close ``job``'s "running" rows (call with the job's lock held: none is alive)."""
    rows = list(JetJobRun.select().where((JetJobRun.job == job) & (JetJobRun.result == RUNNING)))
    now = _utcnow()
    with database_proxy.atomic():
        for row in rows:
            JetJobRun.update(
                result=JobResult.FAILED.value, finished_at=now, message=ABANDONED
            ).where(JetJobRun.id == row.id).execute()
            log_event(
                "job",
                f"{job}: run of {row.started_at:%Y-%m-%d %H:%M} UTC closed as failed: {ABANDONED}",
                level="error",
                ref=job,
                detail={"result": JobResult.FAILED.value, "run_id": row.id, "abandoned": True},
            )
    return [row.id for row in rows]


def _log_locked(name: str, busy: LockBusy, trigger: str) -> None:
    log_event(
        "job",
        f"{name}: not run, {busy}",
        level="warning",
        ref=name,
        detail={"result": JobResult.LOCKED.value, "trigger": trigger},
    )


def _start_run(name: str, started_at: datetime) -> int:
    """Close the runs of ``name`` a killed process left "running" (the job's lock is held), then
    record this one."""
    _close_abandoned(name)
    return int(JetJobRun.create(job=name, started_at=started_at, result=RUNNING).id)


def _record_end(outcome: JobOutcome) -> None:
    level = {JobResult.OK: "info", JobResult.PARTIAL: "warning"}.get(outcome.result, "error")
    with database_proxy.atomic():
        JetJobRun.update(
            finished_at=outcome.finished_at,
            result=outcome.result.value,
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
                "result": outcome.result.value,
                "trigger": outcome.trigger,
                "run_id": outcome.run_id,
                "items_ok": outcome.items_ok,
                "items_failed": outcome.items_failed,
                "failures": [_failure(f) for f in outcome.failures[:EVENT_FAILURES]],
            },
        )
