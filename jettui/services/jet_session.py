"""The one way services open a Jet client: with its calls written to the event log.

    async with open_logged_client(settings, db) as jet:
        await jet.put_sku(...)

When ``settings.log.enabled``, every HTTP call becomes one ``JetEvent`` (kind ``api``), e.g.
``PUT /merchant-skus/test_product → 201 in 12 ms``; retries, 4xx and 429 are warnings, 5xx and
unreachable errors. Only method, path, status, timing and attempt are kept: never a body, never
the token (the client's hook carries neither; :func:`log_event` redacts once more).

The client's hook is synchronous and runs on the event loop, so it only queues the row; one
background task writes queued rows in batches on a single store thread (peewee connections are
per thread: one thread means one connection, closed when the session ends). A service that
logs rows of its own passes its :class:`EventWriter` so they keep their order with the calls.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import peewee as pw

from jettui.config import Settings
from jettui.errors import one_line
from jettui.jet.client import JetClient
from jettui.jet.connect import open_jet_client
from jettui.services.runtime import StoreThread
from jettui.store.base import database_proxy
from jettui.store.jet_tables import log_event

log = logging.getLogger("jettui.services")

T = TypeVar("T")
EventRow = dict[str, Any]  # keyword arguments of log_event


def call_event(kind: str, detail: dict[str, Any]) -> EventRow | None:
    """The event-log row for one client event (None for kinds not logged)."""
    if kind == "call":
        method, path = detail.get("method", "?"), _shown(detail.get("path", ""))
        status, ms = detail.get("status"), detail.get("duration_ms", 0)
        attempt = int(detail.get("attempt") or 1)
        outcome = str(status) if status is not None else str(detail.get("error") or "no answer")
        message = f"{method} {path} → {outcome} in {ms:.0f} ms"
        if attempt > 1:
            message += f" (attempt {attempt})"
        if status is None or status >= 500:
            level = "error"
        elif status >= 400 or attempt > 1:
            level = "warning"
        else:
            level = "info"
        return {"kind": "api", "message": message, "level": level, "ref": path, "detail": detail}
    if kind == "retry":
        path = _shown(detail.get("path", ""))
        message = (
            f"{detail.get('method', '?')} {path}: {detail.get('reason', 'failed')}, "
            f"retrying in {float(detail.get('wait_seconds') or 0):.1f} s"
        )
        return {
            "kind": "api",
            "message": message,
            "level": "warning",
            "ref": path,
            "detail": detail,
        }
    if kind == "token":
        lifetime = detail.get("expires_in_seconds")
        message = "Jet token obtained" + (f", valid {lifetime:.0f} s" if lifetime else "")
        return {
            "kind": "api",
            "message": message,
            "level": "info",
            "ref": "token",
            "detail": detail,
        }
    return None


def _shown(path: str) -> str:
    return path if "://" in path or path.startswith("/") else f"/{path}"


class EventWriter:
    """Queues event rows from the loop; writes them in batches on the store thread."""

    def __init__(self, store: StoreThread) -> None:
        self.store = store
        self._queue: list[EventRow] = []
        self._task: asyncio.Task[None] | None = None
        self.lost = 0  # rows the store refused (it went away): the work's own report says so
        self._warned = False

    def add(self, row: EventRow) -> None:
        self._queue.append(row)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._drain())

    def hook(self, kind: str, detail: dict[str, Any]) -> None:
        """The client's ``on_event``."""
        row = call_event(kind, detail)
        if row is not None:
            self.add(row)

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue, []
            try:
                await self.store.run(_write_rows, batch)
            except Exception as exc:  # a broken event log must not break the work it records
                self.lost += len(batch)
                if not self._warned:  # one line per session, not a traceback per batch
                    self._warned = True
                    log.warning("event log not written to the store: %s", one_line(exc))

    async def flush(self) -> None:
        """Wait until every queued row is written."""
        while self._queue or (self._task is not None and not self._task.done()):
            if self._task is None or self._task.done():
                self._task = asyncio.get_running_loop().create_task(self._drain())
            await asyncio.shield(self._task)


def _write_rows(rows: list[EventRow]) -> None:
    with database_proxy.atomic():
        for row in rows:
            log_event(
                row["kind"],
                row["message"],
                level=row["level"],
                ref=row["ref"],
                detail=row["detail"],
            )


@asynccontextmanager
async def open_logged_client(
    settings: Settings, db: pw.Database, *, events: EventWriter | None = None, **options: Any
) -> AsyncIterator[JetClient]:
    """A :class:`JetClient` (see :func:`open_jet_client`; ``options`` go to the client) whose
    calls reach the event log of ``db`` when ``settings.log.enabled``. Every row is written
    when the block ends. Pass ``events`` to share one writer (and one ordered queue) with the
    caller's own rows; the caller then closes its store thread."""
    writer = events or EventWriter(StoreThread(db))
    hook = writer.hook if settings.log.enabled else None
    try:
        async with open_jet_client(settings, on_event=hook, **options) as client:
            yield client
    finally:
        try:
            await writer.flush()
        finally:
            if events is None:
                await writer.store.close()
