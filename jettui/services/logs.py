"""Logs that explain, and that stay small: the log file, reading the event log, pruning.

- **The log file** (``log.file``): headless commands write a rotating file with the standard
  :class:`logging.handlers.RotatingFileHandler` (``log.max_bytes``, ``log.backup_count``):
  services' warnings, every event-log row (Jet calls with their redacted bodies, job events)
  and every cron outcome, secrets scrubbed. :data:`history` is the logger for rows meant for
  the file only (it does not propagate: the command's stderr stays quiet).
- **Reading** (:func:`query_events`): `jettui logs` and the Logs panel's filters by time, SKU,
  order, bulk file, job and level, over ``jet_event``.
- **Pruning** (:func:`prune`): the event log, job runs and bulk-file contents older than
  ``log.keep_days``; the scheduled runs (`cron due`, the dashboard's background runs) call
  :func:`prune_if_due` once the due jobs ran: at most hourly.
"""

from __future__ import annotations

import datetime as _dt
import logging
import logging.handlers
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from jettui.config import Settings, scrub_secrets

#: rows for the log file only (event-log rows, cron outcomes); never printed on stderr
history = logging.getLogger("jettui.history")
history.propagate = False
history.setLevel(logging.INFO)
history.addHandler(logging.NullHandler())  # no file: dropped (never logging's stderr fallback)

FILE_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
PRUNE_EVERY = _dt.timedelta(hours=1)  # a job prunes when the last prune is older than this
PRUNE_REF = "prune"  # the event-log row recording each prune (kind "store")
DELETE_BATCH = 5000  # rows deleted per statement (short transactions on a busy MySQL)


# --- the log file ------------------------------------------------------------------------------


class _Scrub(logging.Filter):
    """Secrets of the settings (and bearer tokens) never reach the file."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings

    def filter(self, record: logging.LogRecord) -> bool:
        from jettui.store.jet_tables import redact

        text = record.getMessage()
        record.msg = redact(scrub_secrets(text, self.settings))
        record.args = None
        return True


class _UtcFormatter(logging.Formatter):
    """Times in UTC, like the event log's."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        when = _dt.datetime.fromtimestamp(record.created, _dt.UTC)
        return when.strftime("%Y-%m-%d %H:%M:%S") + "Z"


def install_file_log(settings: Settings) -> logging.Handler | None:
    """Add the rotating log file of ``log.file`` to jettui's loggers (once per file; None when
    no file is set). Headless commands call it after loading the settings."""
    path = settings.log.file
    if not path:
        return None
    for handler in history.handlers:
        if isinstance(
            handler, logging.handlers.RotatingFileHandler
        ) and handler.baseFilename == str(Path(path).resolve()):
            return handler
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        path,
        maxBytes=settings.log.max_bytes,
        backupCount=settings.log.backup_count,
        encoding="utf-8",
        delay=True,  # no file until something is written
    )
    handler.setLevel(logging.INFO)
    handler.setFormatter(_UtcFormatter(FILE_FORMAT))
    handler.addFilter(_Scrub(settings))
    history.addHandler(handler)
    jettui_logger = logging.getLogger("jettui")
    jettui_logger.addHandler(handler)
    if jettui_logger.level == logging.NOTSET or jettui_logger.level > logging.INFO:
        jettui_logger.setLevel(logging.INFO)
    return handler


def remove_file_log(handler: logging.Handler) -> None:
    """Undo :func:`install_file_log` (tests; a command ends with the process)."""
    history.removeHandler(handler)
    logging.getLogger("jettui").removeHandler(handler)
    handler.close()


def file_line(row: dict[str, Any]) -> None:
    """One event-log row (``log_event`` keyword arguments) to the log file, with the Jet
    call's bodies when it has them (already redacted and truncated)."""
    if not any(isinstance(h, logging.FileHandler) for h in history.handlers):
        return
    level = getattr(logging, str(row.get("level", "info")).upper(), logging.INFO)
    text = f"{row.get('kind', '')} {row.get('ref', '')}: {row.get('message', '')}"
    detail = row.get("detail") or {}
    if isinstance(detail, dict):
        for key in ("request_body", "response_body"):
            if detail.get(key):
                text += f"\n    {key.split('_')[0]}: {detail[key]}"
    history.log(level, "%s", text)


# --- reading the event log ---------------------------------------------------------------------


@dataclass(frozen=True)
class EventFilter:
    """What `jettui logs` and the Logs panel narrow the event log to (all optional)."""

    since: _dt.datetime | None = None  # naive UTC
    sku: str = ""
    order: str = ""  # merchant_order_id
    file: str = ""  # Jet file id
    job: str = ""
    level: str = ""  # this level and worse
    limit: int = 200


LEVELS = ("debug", "info", "warning", "error")


def parse_since(text: str, now: _dt.datetime) -> _dt.datetime:
    """``30m``, ``2h``, ``7d`` (ago) or a date/time (``2026-03-01``, ``2026-03-01T12:00``, UTC).
    Raises ValueError with a line saying what is accepted."""
    match = re.fullmatch(r"\s*(\d+)\s*([smhdw])\s*", text)
    if match:
        amount, unit = int(match[1]), match[2]
        seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}[unit] * amount
        return now - _dt.timedelta(seconds=seconds)
    try:
        when = _dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"'{text}' is not a time: give e.g. 30m, 2h, 7d or 2026-03-01 or 2026-03-01T12:00"
        ) from None
    return when.astimezone(_dt.UTC).replace(tzinfo=None) if when.tzinfo else when


def _ref_is(field: Any, value: str) -> Any:
    """The row is about ``value``: its ref is it, or a Jet path naming it as a segment."""
    return (field == value) | field.endswith(f"/{value}") | field.contains(f"/{value}/")


def event_conditions(where: EventFilter) -> list[Any]:
    """The peewee conditions on ``jet_event`` for ``where`` (bind the models first)."""
    from jettui.store.jet_tables import JetEvent

    conditions: list[Any] = []
    if where.since is not None:
        conditions.append(JetEvent.time >= where.since)
    for value in (where.sku, where.order, where.file):
        if value:
            conditions.append(_ref_is(JetEvent.ref, value))
    if where.job:
        conditions.append((JetEvent.kind == "job") & (JetEvent.ref == where.job))
    if where.level:
        conditions.append(JetEvent.level.in_(LEVELS[LEVELS.index(where.level) :]))
    return conditions


def event_query(where: EventFilter) -> Any:
    """The peewee query for ``where``, newest first (bind the models first)."""
    from jettui.store.jet_tables import JetEvent

    query = JetEvent.select()
    for condition in event_conditions(where):
        query = query.where(condition)
    return query.order_by(JetEvent.time.desc(), JetEvent.id.desc())


FILTER_KEYS = ("sku", "order", "file", "job", "level", "since")


def parse_filter(text: str, now: _dt.datetime) -> EventFilter:
    """The Logs panel's filter line: ``sku:A1 order:123 file:F job:sync level:warning
    since:2h`` (any of them, any order). Raises ValueError naming what is wrong."""
    values: dict[str, Any] = {}
    for word in text.split():
        key, sep, value = word.partition(":")
        if not sep or key not in FILTER_KEYS or not value:
            raise ValueError(f"'{word}': use {' '.join(k + ':...' for k in FILTER_KEYS)}")
        if key == "level" and value not in LEVELS:
            raise ValueError(f"level:{value}: one of {', '.join(LEVELS)}")
        values[key] = parse_since(value, now) if key == "since" else value
    return EventFilter(**values)


def resolved(where: EventFilter) -> EventFilter:
    """``where`` with its ``order`` as the order's full Jet id when it names one jettui knows
    (its reference id or an unambiguous prefix: :func:`jettui.services.ids.order_filter_id`;
    an ambiguous prefix raises :class:`~jettui.services.ids.AmbiguousId`). Store thread."""
    from jettui.services.ids import order_filter_id

    return replace(where, order=order_filter_id(where.order)) if where.order else where


def describe_filter(where: EventFilter) -> str:
    """``sku:A1 level:warning`` — the filter as the panel's line shows it."""
    words = [f"{k}:{getattr(where, k)}" for k in FILTER_KEYS[:-1] if getattr(where, k)]
    if where.since is not None:
        words.append(f"since:{where.since:%Y-%m-%dT%H:%M}")
    return " ".join(words)


def query_events(where: EventFilter) -> list[dict[str, Any]]:
    """The matching rows, newest first, as plain dicts (synchronous: store thread)."""
    rows = event_query(where).limit(where.limit)
    return [
        {
            "time": row.time.replace(tzinfo=_dt.UTC).isoformat() if row.time else None,
            "level": row.level,
            "kind": row.kind,
            "ref": row.ref,
            "message": row.message,
            "detail": row.detail,
        }
        for row in rows
    ]


# --- pruning -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PruneReport:
    cutoff: _dt.datetime
    events: int = 0
    runs: int = 0
    file_contents: int = 0

    @property
    def line(self) -> str:
        return (
            f"pruned {self.events} event(s), {self.runs} job run(s) and {self.file_contents} "
            f"bulk-file content(s) older than {self.cutoff:%Y-%m-%d %H:%M} UTC"
        )


def prune(settings: Settings, now: _dt.datetime) -> PruneReport:
    """Delete event-log rows and finished job runs older than ``log.keep_days`` and drop the
    kept payloads of older bulk files (their rows stay: status and error counts are small).
    Synchronous: store thread. Deletes in batches so a busy MySQL never waits long."""
    from jettui.store.jet_tables import JetEvent, JetFile, JetJobRun

    cutoff = now - _dt.timedelta(days=settings.log.keep_days)
    events = _delete_older(JetEvent, JetEvent.time < cutoff)
    runs = _delete_older(
        JetJobRun, (JetJobRun.started_at < cutoff) & (JetJobRun.result != "running")
    )
    contents = (
        JetFile.update(payload=None)
        .where((JetFile.created_at < cutoff) & JetFile.payload.is_null(False))
        .execute()
    )
    return PruneReport(cutoff, events, runs, contents)


def _delete_older(model: Any, condition: Any) -> int:
    total = 0
    while True:
        ids = [
            row[0] for row in model.select(model.id).where(condition).limit(DELETE_BATCH).tuples()
        ]
        if not ids:
            return total
        total += model.delete().where(model.id.in_(ids)).execute()


def prune_if_due(settings: Settings, now: _dt.datetime) -> PruneReport | None:
    """:func:`prune` unless the last prune (an event-log row) is under :data:`PRUNE_EVERY` old;
    records the prune in the event log. Synchronous: store thread."""
    from jettui.store.jet_tables import JetEvent

    last = (
        JetEvent.select(JetEvent.time)
        .where((JetEvent.kind == "store") & (JetEvent.ref == PRUNE_REF))
        .order_by(JetEvent.time.desc())
        .first()
    )
    if last is not None and last.time > now - PRUNE_EVERY:
        return None
    report = prune(settings, now)
    JetEvent.create(kind="store", level="info", ref=PRUNE_REF, message=report.line, time=now)
    history.info("%s", report.line)
    return report
