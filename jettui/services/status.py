"""`jettui status` and the dashboard header: is jettui healthy, and what needs a person?

Merchants leave jettui to cron for months; monitoring asks this module. It reads jettui's own
tables (never writes), optionally asks Jet for a token, and applies the health rules:

- an acknowledgement deadline missed (critical) or within :data:`NEAR_DEADLINE` (warning);
- a job whose last :data:`FAILING_RUNS` runs all failed (warning);
- a lock held past its expiry (stale: its process died or hung; warning);
- a write to Jet left unconfirmed (its answer lost, not looked up yet) for longer than
  :data:`jettui.services.unconfirmed.WARN_AFTER` (warning naming the order);
- Jet or the store unreachable for ``log.unreachable_alert_minutes`` or longer (critical; see
  :func:`_outage_problems`); Jet refusing the credentials (critical).

Every rule takes ``now`` (naive UTC) from the caller, so tests control the clock. Exit codes:
0 healthy, 1 something needs a person, 3 the store cannot be read (:class:`StoreUnreadable`);
the Nagios form maps them to OK/WARNING/CRITICAL with 0/1/2.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from jettui.config import Settings
from jettui.errors import ExitCode, Unreachable, one_line
from jettui.services.unconfirmed import WARN_AFTER

if TYPE_CHECKING:
    import peewee as pw

NEAR_DEADLINE = _dt.timedelta(minutes=5)  # an acknowledgement due this soon needs a person
FAILING_RUNS = 3  # a job failing this many runs in a row needs a person
SHOWN = 20  # orders, files and locks listed by name
WAITING_STATUSES = ("created", "ready")  # Jet order statuses still owed an acknowledgement
SHIPPING_STATUSES = ("acknowledged", "inprogress")  # accepted, not fully shipped yet
FAILED = "failed"
UNREACHABLE = "unreachable"
NOT_RUNS = ("running", "locked", "skipped")  # rows that say nothing about the job's health


class Severity(IntEnum):
    OK = 0
    WARNING = 1
    CRITICAL = 2


class StoreUnreadable(Unreachable):
    """The store (or jettui's tables in it) cannot be read at all: exit 3."""


@dataclass(frozen=True)
class Problem:
    """One thing that needs a person: which rule, how bad, in one line."""

    rule: str  # ack-missed / ack-due / job-failing / stale-lock / unreachable / jet-refused
    severity: Severity
    message: str


@dataclass(frozen=True)
class JobHealth:
    job: str
    last_ok: _dt.datetime | None  # last run that ended ok (or partial: it did its work)
    failures_since: int  # runs since then that failed or found Jet/the store unreachable
    failing_in_a_row: int  # trailing runs whose result is "failed"
    last_result: str  # NEVER_RUN when the job has no run
    last_error: str  # message of the newest run that was not ok

    @property
    def never_run(self) -> bool:
        return self.last_ok is None and self.last_result == NEVER_RUN

    @property
    def ok(self) -> bool:
        """It ran, and nothing failed since it last did its work (a never-run job is not)."""
        return not self.never_run and self.failures_since == 0


@dataclass(frozen=True)
class JetHealth:
    checked: bool
    reachable: bool = False
    message: str = ""
    token_expires_at: _dt.datetime | None = None  # naive UTC
    refused: bool = False  # Jet answered, but refused the credentials


@dataclass
class StoreFacts:
    """What jettui's tables say, read in one go on the store thread."""

    jobs: list[JobHealth] = field(default_factory=list)
    unacknowledged: list[tuple[str, _dt.datetime | None]] = field(default_factory=list)
    late_shipments: list[tuple[str, _dt.datetime]] = field(default_factory=list)
    products: dict[str, int] = field(default_factory=dict)
    error_files: list[dict[str, Any]] = field(default_factory=list)
    stale_locks: list[dict[str, Any]] = field(default_factory=list)
    unreachable_since: _dt.datetime | None = None  # start of the current outage, by job runs
    unreachable_reason: str = ""
    last_reached: _dt.datetime | None = None  # newest job run that reached Jet and the store
    next_fetch: _dt.datetime | None = None  # when fetch-orders is next due (None: off)
    unconfirmed: list[str] = field(default_factory=list)  # writes unconfirmed too long
    unfinished_runs: list[str] = field(default_factory=list)  # bulk actions stopped part-way


@dataclass
class StatusReport:
    now: _dt.datetime
    facts: StoreFacts
    jet: JetHealth
    problems: list[Problem]

    @property
    def severity(self) -> Severity:
        return max((p.severity for p in self.problems), default=Severity.OK)

    @property
    def exit_code(self) -> int:
        return int(ExitCode.PARTIAL) if self.problems else int(ExitCode.OK)

    @property
    def next_ack_deadline(self) -> _dt.datetime | None:
        deadlines = [d for _, d in self.facts.unacknowledged if d is not None]
        return min(deadlines, default=None)

    def nagios(self) -> tuple[str, int]:
        """``JETTUI OK|WARNING|CRITICAL - ... | perfdata`` and its exit code (0/1/2)."""
        severity = self.severity
        if self.problems:
            ordered = sorted(self.problems, key=lambda p: -p.severity)
            text = "; ".join(p.message for p in ordered)
        else:
            text = self.summary()
        perf = (
            f"unacknowledged={len(self.facts.unacknowledged)} "
            f"late_shipments={len(self.facts.late_shipments)} "
            f"error_files={len(self.facts.error_files)} stale_locks={len(self.facts.stale_locks)}"
        )
        return f"JETTUI {severity.name} - {text} | {perf}", int(severity)

    def summary(self) -> str:
        unacked = len(self.facts.unacknowledged)
        parts = [f"{unacked} order(s) waiting for acknowledgement"]
        if unacked and self.next_ack_deadline is not None:
            parts[0] += f" (next deadline {_hm(self.next_ack_deadline)})"
        parts.append(f"{len(self.facts.late_shipments)} past ship-by")
        ok_jobs = sum(1 for j in self.facts.jobs if j.ok)
        jobs = f"{ok_jobs}/{len(self.facts.jobs)} jobs ok"
        never = sum(1 for j in self.facts.jobs if j.never_run)
        if never:
            jobs += f", {never} never run"
        parts.append(jobs)
        if self.jet.checked:
            parts.append("Jet reachable" if self.jet.reachable else "Jet not reachable")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        f = self.facts
        return {
            "healthy": not self.problems,
            "severity": self.severity.name.lower(),
            "now": _iso(self.now),
            "problems": [
                {"rule": p.rule, "severity": p.severity.name.lower(), "message": p.message}
                for p in self.problems
            ],
            "jobs": [
                {**asdict(j), "last_ok": _iso(j.last_ok), "ok": j.ok, "never_run": j.never_run}
                for j in f.jobs
            ],
            "jobs_ok": sum(1 for j in f.jobs if j.ok),
            "jobs_never_run": sum(1 for j in f.jobs if j.never_run),
            "orders": {
                "unacknowledged": len(f.unacknowledged),
                "next_ack_deadline": _iso(self.next_ack_deadline),
                "waiting": [
                    {"merchant_order_id": m, "ack_deadline": _iso(d)}
                    for m, d in f.unacknowledged[:SHOWN]
                ],
                "past_ship_by": len(f.late_shipments),
                "late": [
                    {"merchant_order_id": m, "ship_by": _iso(d)}
                    for m, d in f.late_shipments[:SHOWN]
                ],
            },
            "products": f.products,
            "error_files": f.error_files[:SHOWN],
            "stale_locks": f.stale_locks,
            "unconfirmed_writes": f.unconfirmed[:SHOWN],
            "unreachable_since": _iso(f.unreachable_since),
            "jet": {
                "checked": self.jet.checked,
                "reachable": self.jet.reachable,
                "message": self.jet.message,
                "token_expires_at": _iso(self.jet.token_expires_at),
            },
        }


# --- reading the store (synchronous: run on a store thread) ----------------------------------


def read_facts(settings: Settings, now: _dt.datetime) -> StoreFacts:
    """Everything the rules need from jettui's tables. Raises StoreUnreadable."""
    try:
        return _read_facts(settings, now)
    except StoreUnreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure to read is "cannot be read"
        raise StoreUnreadable(f"the store cannot be read: {_store_reason(exc)}") from None


def _read_facts(settings: Settings, now: _dt.datetime) -> StoreFacts:
    from jettui.services.jobs import JOBS

    facts = StoreFacts()
    runs = {name: _recent_runs(name) for name in JOBS}
    last_ok = _last_ok()
    facts.jobs = [
        _job_health(name, runs[name], last_ok.get(name), _failures_since(name, last_ok.get(name)))
        for name in JOBS
    ]
    facts.unacknowledged = _unacknowledged(settings)
    facts.late_shipments = _late_shipments(now)
    facts.products = _products_by_status()
    facts.error_files = _error_files()
    facts.stale_locks = _stale_locks(now)
    facts.unreachable_since, facts.unreachable_reason = _outage(runs)
    reached = [r[0] for job_runs in runs.values() for r in job_runs if r[1] != UNREACHABLE]
    facts.last_reached = max(reached, default=None)
    facts.next_fetch = _next_fetch(settings)
    facts.unconfirmed = _unconfirmed(now)
    facts.unfinished_runs = _unfinished_runs(now)
    return facts


def _unfinished_runs(now: _dt.datetime) -> list[str]:
    from jettui.services.catalog.actions.stop import unfinished_runs

    return [run.text for run in unfinished_runs(now)]


def _unconfirmed(now: _dt.datetime) -> list[str]:
    from jettui.services.unconfirmed import overdue

    return [w.text for w in overdue(now)]


Run = tuple[_dt.datetime, str, str]  # started_at, result, message (oldest first)
RECENT_RUNS = 50  # per job: enough for "3 in a row" and for an outage's start
DID_ITS_WORK = ("ok", "partial")
NEVER_RUN = "never run"  # a job's last result when it has no run at all
FAILING_RESULTS = (FAILED, UNREACHABLE)


def _job_names(name: str) -> list[str]:
    """The job's name as rows may hold it (``fetch-orders`` or ``fetch_orders``)."""
    return list(dict.fromkeys([name, name.replace("-", "_")]))


def _recent_runs(name: str) -> list[Run]:
    """The job's newest runs that say something about its health, oldest first."""
    from jettui.store.base import tuple_rows
    from jettui.store.jet_tables import JetJobRun

    query = (
        JetJobRun.select(JetJobRun.started_at, JetJobRun.result, JetJobRun.message)
        .where(JetJobRun.job.in_(_job_names(name)) & JetJobRun.result.not_in(NOT_RUNS))
        .order_by(JetJobRun.started_at.desc(), JetJobRun.id.desc())
        .limit(RECENT_RUNS)
    )
    return [(started, result, message or "") for started, result, message in tuple_rows(query)][
        ::-1
    ]


def _last_ok() -> dict[str, _dt.datetime]:
    """When each job last did its work (ok or partial), however long ago."""
    import peewee as pw

    from jettui.store.base import tuple_rows
    from jettui.store.jet_tables import JetJobRun

    query = (
        JetJobRun.select(JetJobRun.job, pw.fn.MAX(JetJobRun.started_at))
        .where(JetJobRun.result.in_(DID_ITS_WORK))
        .group_by(JetJobRun.job)
    )
    out: dict[str, _dt.datetime] = {}
    for job, started in tuple_rows(query):
        if isinstance(started, str):  # SQLite aggregates return the stored text
            started = _dt.datetime.fromisoformat(started)
        name = job.replace("_", "-")
        if started is not None and (name not in out or started > out[name]):
            out[name] = started
    return out


def _failures_since(name: str, last_ok: _dt.datetime | None) -> int:
    from jettui.store.jet_tables import JetJobRun

    query = JetJobRun.select().where(
        JetJobRun.job.in_(_job_names(name)) & JetJobRun.result.in_(FAILING_RESULTS)
    )
    if last_ok is not None:
        query = query.where(JetJobRun.started_at > last_ok)
    return query.count()


def _job_health(
    job: str, runs: list[Run], last_ok: _dt.datetime | None, failures_since: int
) -> JobHealth:
    in_a_row = 0
    for _, result, _ in reversed(runs):
        if result != FAILED:
            break
        in_a_row += 1
    errors = [r for r in runs if r[1] != "ok"]
    return JobHealth(
        job=job,
        last_ok=last_ok,
        failures_since=failures_since,
        failing_in_a_row=in_a_row,
        last_result=runs[-1][1] if runs else NEVER_RUN,
        last_error=errors[-1][2] if errors else "",
    )


def _outage(runs: dict[str, list[Run]]) -> tuple[_dt.datetime | None, str]:
    """When the current outage began: the first of the newest runs (all jobs together) that
    all found Jet or the store unreachable. None when the newest run reached both."""
    timeline = sorted((r for job_runs in runs.values() for r in job_runs), key=lambda r: r[0])
    since, reason = None, ""
    for started, result, message in reversed(timeline):
        if result != UNREACHABLE:
            break
        since = started
        reason = reason or message
    return since, reason


def _unacknowledged(settings: Settings) -> list[tuple[str, _dt.datetime | None]]:
    """Orders Jet still waits to hear about, with their deadlines, soonest first."""
    from jettui.services.orders.deadlines import ack_deadline
    from jettui.store.jet_tables import JetOrder

    query = JetOrder.select(
        JetOrder.merchant_order_id, JetOrder.raw, JetOrder.order_placed_date
    ).where(_owed_an_answer() & (JetOrder.state != "rejected"))
    rows = [(r.merchant_order_id, ack_deadline(settings, r.raw, r.order_placed_date))
            for r in query]  # fmt: skip
    return sorted(rows, key=lambda r: (r[1] is None, r[1] or _dt.datetime.max))


def _held() -> int:
    """Of :func:`_unacknowledged`, the orders held for a person (``orders.hold_problem_orders``):
    they wait on the Rejected orders panel for a retry or a reject, not on Orders."""
    from jettui.store.jet_tables import JetOrder

    return JetOrder.select().where(_owed_an_answer() & (JetOrder.state == "held")).count()


def _owed_an_answer() -> Any:
    """Jet orders Jet still waits to hear about: no acknowledgement sent, still waiting."""
    from jettui.store.jet_tables import JetOrder

    return JetOrder.acknowledgement_status.is_null() & JetOrder.status.in_(WAITING_STATUSES)


def _late_shipments(now: _dt.datetime) -> list[tuple[str, _dt.datetime]]:
    from jettui.store.base import tuple_rows
    from jettui.store.jet_tables import JetOrder

    query = (
        JetOrder.select(JetOrder.merchant_order_id, JetOrder.ship_by)
        .where(
            JetOrder.status.in_(SHIPPING_STATUSES)
            & JetOrder.ship_by.is_null(False)
            & (JetOrder.ship_by < now)
        )
        .order_by(JetOrder.ship_by)
    )
    return list(tuple_rows(query))


def _products_by_status() -> dict[str, int]:
    import peewee as pw

    from jettui.store.base import tuple_rows
    from jettui.store.jet_tables import JetProduct

    query = JetProduct.select(JetProduct.status, pw.fn.COUNT(JetProduct.id)).group_by(
        JetProduct.status
    )
    return dict(sorted(tuple_rows(query)))


def _error_files() -> list[dict[str, Any]]:
    """Bulk files Jet processed with errors and no later file of the same type was sent since
    (that later file is the resubmission)."""
    from jettui.store.base import tuple_rows
    from jettui.store.jet_tables import JetFile

    rows = list(
        tuple_rows(
            JetFile.select(
                JetFile.id,
                JetFile.jet_file_id,
                JetFile.file_type,
                JetFile.file_name,
                JetFile.error_count,
                JetFile.created_at,
            ).order_by(JetFile.created_at, JetFile.id)
        )
    )
    newest: dict[str, int] = {}
    for row in rows:
        newest[row[2]] = row[0]
    return [
        {
            "jet_file_id": jet_id or "",
            "file_type": file_type,
            "file_name": name,
            "error_count": errors,
            "created_at": _iso(created),
        }
        for row_id, jet_id, file_type, name, errors, created in rows
        if errors and newest.get(file_type) == row_id
    ]


def _stale_locks(now: _dt.datetime) -> list[dict[str, Any]]:
    from jettui.store.jet_tables import JetLock

    query = JetLock.select().where(JetLock.expires_at < now).order_by(JetLock.expires_at)
    return [
        {"name": lock.name, "holder": lock.holder, "expired_at": _iso(lock.expires_at)}
        for lock in query
    ]


def _next_fetch(settings: Settings) -> _dt.datetime | None:
    """When `cron due` next runs fetch-orders (the runner's own rule: interval after the
    latest start, whatever that run's result)."""
    from jettui.services.jobs import JOBS, last_started, next_due
    from jettui.store.base import database_proxy

    last = last_started(database_proxy.obj).get("fetch-orders")
    return next_due(settings, JOBS["fetch-orders"], last)


def _store_reason(exc: BaseException) -> str:
    from jettui.services.runtime import outage_reason

    text = outage_reason(exc).removeprefix("store unreachable: ")
    if "no such table" in text or "doesn't exist" in text:
        return f"jettui's tables are missing ({text}); any jettui command creates them"
    return text


# --- Jet ----------------------------------------------------------------------------------------


async def check_jet(settings: Settings, now: _dt.datetime) -> JetHealth:
    """Ask Jet for a token and make one authorised call (no retries: monitoring wants an
    answer within ``jet.timeout_seconds``). The token's expiry comes from Jet's answer."""
    from jettui.jet.connect import open_jet_client
    from jettui.jet.errors import JetAuthError

    lifetime: list[float] = []

    def on_event(kind: str, detail: dict[str, Any]) -> None:
        if kind == "token" and detail.get("expires_in_seconds") is not None:
            lifetime.append(float(detail["expires_in_seconds"]))

    once = replace(settings, jet=replace(settings.jet, max_retries=0))
    try:
        async with open_jet_client(once, on_event=on_event) as client:
            await client.authcheck()
    except JetAuthError as exc:
        return JetHealth(True, False, one_line(exc), refused=True)
    except Exception as exc:  # noqa: BLE001 - any failure is "not reachable", in one line
        return JetHealth(True, False, one_line(exc))
    expires = now + _dt.timedelta(seconds=lifetime[-1]) if lifetime else None
    return JetHealth(True, True, "token obtained", expires)


def clock() -> _dt.datetime:
    """Now, naive UTC: the panels' clock (:func:`.orders.deadlines.clock`), so the header and
    the Orders grid read the same moment (tests replace either)."""
    from jettui.services.orders import deadlines

    return naive_utc(deadlines.clock())


def naive_utc(moment: _dt.datetime) -> _dt.datetime:
    """``moment`` as naive UTC (how jettui stores times and these rules compare them)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(_dt.UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


# --- the rules ----------------------------------------------------------------------------------


def evaluate(
    settings: Settings, facts: StoreFacts, jet: JetHealth, now: _dt.datetime
) -> list[Problem]:
    """Every problem that needs a person, most urgent rules first."""
    problems: list[Problem] = []
    missed = [(m, d) for m, d in facts.unacknowledged if d is not None and d < now]
    due = [
        (m, d) for m, d in facts.unacknowledged if d is not None and now <= d <= now + NEAR_DEADLINE
    ]
    if missed:
        mid, deadline = missed[0]
        more = f" and {len(missed) - 1} more" if len(missed) > 1 else ""
        problems.append(
            Problem(
                "ack-missed",
                Severity.CRITICAL,
                f"acknowledgement deadline missed for order {mid} ({_hm(deadline)}){more}",
            )
        )
    if due:
        mid, deadline = due[0]
        left = _minutes(deadline - now)
        more = f" and {len(due) - 1} more" if len(due) > 1 else ""
        problems.append(
            Problem(
                "ack-due",
                Severity.WARNING,
                f"order {mid} must be acknowledged within {left} ({_hm(deadline)}){more}",
            )
        )
    problems += _outage_problems(settings, facts, jet, now)
    if jet.refused:
        problems.append(Problem("jet-refused", Severity.CRITICAL, f"Jet: {jet.message}"))
    for job in facts.jobs:
        if job.failing_in_a_row >= FAILING_RUNS:
            problems.append(
                Problem(
                    "job-failing",
                    Severity.WARNING,
                    f"{job.job} failed {job.failing_in_a_row} runs in a row: {job.last_error}",
                )
            )
    if facts.unconfirmed:
        more = f" and {len(facts.unconfirmed) - 1} more" if len(facts.unconfirmed) > 1 else ""
        problems.append(
            Problem(
                "unconfirmed-write",
                Severity.WARNING,
                f"{facts.unconfirmed[0]} for over {_minutes(WARN_AFTER)}{more} "
                "(looked up by the next cron run)",
            )
        )
    for line in facts.unfinished_runs:  # stopped or interrupted: SKUs left until a complete run
        problems.append(Problem("run-stopped", Severity.WARNING, line))
    for lock in facts.stale_locks:
        problems.append(
            Problem(
                "stale-lock",
                Severity.WARNING,
                f"lock {lock['name']} held by {lock['holder']} expired at {lock['expired_at']}",
            )
        )
    return problems


def _outage_problems(
    settings: Settings, facts: StoreFacts, jet: JetHealth, now: _dt.datetime
) -> list[Problem]:
    """Jet or the store unreachable for ``log.unreachable_alert_minutes`` or longer. With the
    Jet check, Jet answering now ends any outage, and Jet not answering now has lasted since
    the runs found it down (or since a run last reached it). Without it (``--no-jet``), the
    job runs alone say so: the newest runs all found Jet or the store unreachable."""
    limit = _dt.timedelta(minutes=settings.log.unreachable_alert_minutes)
    reason = facts.unreachable_reason
    if not jet.checked:
        since = facts.unreachable_since
    elif jet.reachable or jet.refused:
        return []
    else:
        since = facts.unreachable_since or facts.last_reached
        reason = jet.message
        if since is None:
            line = f"Jet not reachable and no job run has reached it yet: {reason}"
            return [Problem("unreachable", Severity.WARNING, line)]
    if since is None or now - since < limit:
        return []
    line = f"Jet or the store unreachable since {_hm(since)} ({_minutes(now - since)}): {reason}"
    return [Problem("unreachable", Severity.CRITICAL, line)]


async def collect(
    settings: Settings,
    *,
    now: _dt.datetime | None = None,
    jet: bool = True,
    read: Callable[[Settings, _dt.datetime], StoreFacts] | None = None,
) -> StatusReport:
    """The whole report. Opens the store read-only-ish (no tables created, no WAL switch) on a
    worker thread; raises :class:`StoreUnreadable` when it cannot be read. ``jet=False`` skips
    the Jet check (the dashboard header)."""
    import asyncio

    now = now or clock()
    reader = read or read_store
    facts_task = asyncio.to_thread(reader, settings, now)
    if jet:
        facts, jet_health = await asyncio.gather(facts_task, check_jet(settings, now))
    else:
        facts, jet_health = await facts_task, JetHealth(False)
    return StatusReport(now, facts, jet_health, evaluate(settings, facts, jet_health, now))


def read_store(settings: Settings, now: _dt.datetime) -> StoreFacts:
    """:func:`read_facts` over a connection of its own (opened, read, closed on this thread)."""
    from jettui.store.db import connect

    try:
        db: pw.Database = connect(settings, must_exist=True, wal=False)
    except Exception as exc:  # noqa: BLE001
        raise StoreUnreadable(f"the store cannot be read: {_store_reason(exc)}") from None
    try:
        return read_facts(settings, now)
    finally:
        db.close()


# --- the dashboard header ----------------------------------------------------------------------


@dataclass(frozen=True)
class HeaderState:
    """The few facts the dashboard header shows on every screen."""

    unacknowledged: int = 0
    held: int = 0  # of those, held for a person (Rejected orders: retry or reject)
    next_deadline: _dt.datetime | None = None
    next_fetch: _dt.datetime | None = None  # None: fetch-orders is off
    failing: tuple[str, ...] = ()  # jobs whose newest run failed or found Jet unreachable
    error: str = ""  # the store could not be read

    def text(self, now: _dt.datetime, width: int) -> str:
        """One line of at most ``width`` characters; the least urgent parts go first."""
        if self.error:
            return _fit([f"⚠ {self.error}"], width)
        parts: list[str] = []
        if self.unacknowledged:
            ack = f"{self.unacknowledged} to ack"
            urgent = False
            if self.next_deadline is not None:
                left = self.next_deadline - now
                late = left.total_seconds() < 0
                ack += f", {_minutes(-left)} late" if late else f" in {_minutes(left)}"
                urgent = left <= NEAR_DEADLINE
            if self.held:  # not on Orders but on Rejected orders: say so, or the counts differ
                ack += f" ({self.held} held)"
            parts.append(("⚠ " if urgent else "") + ack)
        else:
            parts.append("0 to ack")
        if self.failing:
            parts.append("✗ " + ", ".join(self.failing) + " failing")
        if self.next_fetch is not None:
            due = "now" if self.next_fetch <= now else f"in {_minutes(self.next_fetch - now)}"
            parts.append(f"fetch {due}")
        return _fit(parts, width)

    def urgent(self, now: _dt.datetime) -> bool:
        """Something in the header needs a person now (shown in the warning style)."""
        soon = self.next_deadline is not None and self.next_deadline - now <= NEAR_DEADLINE
        return bool(self.error or self.failing or soon)


def header_state(settings: Settings, now: _dt.datetime) -> HeaderState:
    """:class:`HeaderState` from the bound store (synchronous: call on a worker thread)."""
    try:
        facts = read_facts(settings, now)
    except StoreUnreadable as exc:
        return HeaderState(error=str(exc)[:80])
    deadlines = [d for _, d in facts.unacknowledged if d is not None]
    failing = tuple(j.job for j in facts.jobs if j.last_result in (FAILED, UNREACHABLE))
    return HeaderState(
        unacknowledged=len(facts.unacknowledged),
        held=_held(),
        next_deadline=min(deadlines, default=None),
        next_fetch=facts.next_fetch,
        failing=failing,
    )


def _fit(parts: list[str], width: int) -> str:
    """Join ``parts`` with " · ", dropping the last ones (least urgent) until it fits."""
    while len(parts) > 1 and len(" · ".join(parts)) > width:
        parts = parts[:-1]
    text = " · ".join(parts)
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def _minutes(delta: _dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "<1m"
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours < 48 else f"{hours // 24}d"


def _hm(when: _dt.datetime) -> str:
    return f"{when:%Y-%m-%d %H:%M} UTC"


def _iso(value: _dt.datetime | None) -> str | None:
    return value.replace(tzinfo=_dt.UTC).isoformat() if value else None
