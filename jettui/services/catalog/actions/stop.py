"""Stopping a bulk action between parts, and what a stopped or interrupted run leaves behind.

A :class:`StopToken` is asked to stop (the dashboard's stop key, the CLI's first ctrl+c); the run
checks it between parts only, never inside one: the part in flight is checked, sent and recorded
in full, the parts not reached are reported not attempted, and the report says how many SKUs
were left.

Every real run (not a dry run) writes a ``product`` event ``run:ACTION`` when it starts, and
another when it ends: ``complete`` or ``stopped`` (with the SKUs left). `jettui status` warns
while the newest event of an action is a stop, or a start whose run is gone (a second ctrl+c, a
kill): until the next complete run of that action (:func:`unfinished_runs`)."""

from __future__ import annotations

import datetime as _dt
import threading
from dataclasses import dataclass
from typing import Any

EVENT_KIND = "product"
REF_PREFIX = "run:"
STARTED, COMPLETE, STOPPED = "started", "complete", "stopped"
LOCK_NAME = "products"  # the lock every bulk action holds (run.LOCK_NAME)


class StopToken:
    """Asked to stop by a key, a button or a signal handler (any thread); read between parts."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def request(self) -> None:
        self._event.set()

    @property
    def requested(self) -> bool:
        return self._event.is_set()


def stopped_line(action: str, done: int, left: int) -> str:
    """``stopped: 300 of 1,194 SKUs sent; 894 left — run upload again``"""
    verb = "checked" if action == "status" else "sent"
    return f"stopped: {done:,} of {done + left:,} SKUs {verb}; {left:,} left — run {action} again"


# --- the run's events (store thread) --------------------------------------------------------


def record_start(action: str, products: int) -> None:
    from jettui.store.jet_tables import log_event

    log_event(
        EVENT_KIND,
        f"products {action} started: {products:,} product(s)",
        ref=REF_PREFIX + action,
        detail={"state": STARTED, "products": products},
    )


def record_end(action: str, stopped: str | None, done: int, left: int) -> None:
    from jettui.store.jet_tables import log_event

    log_event(
        EVENT_KIND,
        f"products {action} {stopped}" if stopped else f"products {action} complete",
        level="warning" if stopped else "info",
        ref=REF_PREFIX + action,
        detail={"state": STOPPED if stopped else COMPLETE, "done": done, "left": left},
    )


@dataclass(frozen=True)
class UnfinishedRun:
    action: str
    at: _dt.datetime
    left: int | None  # SKUs left (None: the run was killed, its count is not known)
    products: int | None = None

    @property
    def text(self) -> str:
        when = f"{self.at:%Y-%m-%d %H:%M} UTC"
        if self.left is not None:
            return (
                f"products {self.action} stopped at {when} with {self.left:,} SKU(s) "
                f"left unfinished: run {self.action} again"
            )
        products = f" of {self.products:,} product(s)" if self.products is not None else ""
        return (
            f"products {self.action}{products} interrupted at {when} (SKUs left unfinished): "
            f"run {self.action} again"
        )


def unfinished_runs(now: _dt.datetime) -> list[UnfinishedRun]:
    """Actions whose newest run was stopped, or started and gone without an end (no live lock
    holds ``products``: a run still going is not unfinished). Store thread."""
    from jettui.store.jet_tables import JetEvent, JetLock

    query = (
        JetEvent.select(JetEvent.ref, JetEvent.time, JetEvent.detail)
        .where((JetEvent.kind == EVENT_KIND) & JetEvent.ref.startswith(REF_PREFIX))
        .order_by(JetEvent.id.desc())
        .limit(200)
    )
    newest: dict[str, tuple[_dt.datetime, dict[str, Any]]] = {}
    for row in query:
        newest.setdefault(row.ref, (row.time, row.detail or {}))
    running = JetLock.select().where(JetLock.name == LOCK_NAME).exists()
    out = []
    for ref, (at, detail) in sorted(newest.items()):
        action = ref.removeprefix(REF_PREFIX)
        state = detail.get("state")
        if state == STOPPED:
            out.append(UnfinishedRun(action, at, int(detail.get("left") or 0)))
        elif state == STARTED and not running:
            out.append(UnfinishedRun(action, at, None, detail.get("products")))
    return out
