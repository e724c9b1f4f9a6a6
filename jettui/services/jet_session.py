"""The one way services open a Jet client: with its calls written to the event log.

    async with open_logged_client(settings, db) as jet:
        await jet.put_sku(...)

When ``settings.log.enabled``, every HTTP call becomes one ``JetEvent`` (kind ``api``), e.g.
``PUT /merchant-skus/test_product → 201 in 12 ms``; retries, 4xx and 429 are warnings, 5xx and
unreachable errors. Its detail keeps method, path, status, timing, attempt and, so that the log
explains what happened, the request and response bodies: secret-looking keys and bearer tokens
redacted (:func:`~jettui.store.jet_tables.redact`, the settings' secrets scrubbed too), each
cut to ``log.body_bytes`` characters with its full size said. The bodies are taken by httpx
event hooks on the client's HTTP client and handed to the call's row through a context
variable (each call runs in its own task, so concurrent calls never swap bodies). A successful
read (GET → 2xx, first attempt) keeps no body and no detail: its one line says it all, the
result it fetched is stored where it belongs, and such reads are most rows for a big catalogue
(product-status reads every SKU): see :func:`says_it_all`. Writes and failures keep everything.
Headless runs also copy every row to the log file (:mod:`jettui.services.logs`).

The client's hook is synchronous and runs on the event loop, so it only queues the row; one
background task writes queued rows in batches on a single store thread (peewee connections are
per thread: one thread means one connection, closed when the session ends). A service that
logs rows of its own passes its :class:`EventWriter` so they keep their order with the calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
import peewee as pw

from jettui.config import Settings, scrub_secrets
from jettui.errors import LockBusy, is_unreachable, one_line
from jettui.jet.client import JetClient
from jettui.jet.connect import open_jet_client
from jettui.services.logs import file_line
from jettui.services.runtime import StoreThread, held_lock, outage_reason
from jettui.store.base import database_proxy
from jettui.store.jet_tables import log_events, redact

if TYPE_CHECKING:
    from jettui.services.results import RunReport

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


# --- request and response bodies ---------------------------------------------------------------

#: the current task's last call: {"request_body": ..., "response_body": ..., "*_bytes": n}
_call_bodies: ContextVar[dict[str, Any] | None] = ContextVar("jettui_call_bodies", default=None)


def shown_body(content: bytes, limit: int, settings: Settings | None = None) -> str | None:
    """A body as the log keeps it: JSON re-encoded with secret keys redacted, text with bearer
    tokens redacted, binary (a gzipped bulk file) as its size; cut to ``limit`` characters with
    the full size said. None for an empty body."""
    if not content:
        return None
    size = len(content)
    try:
        text = json.dumps(redact(json.loads(content)), ensure_ascii=False, separators=(",", ":"))
    except ValueError:  # not JSON (UnicodeDecodeError is a ValueError too)
        try:
            text = redact(content.decode("utf-8"))
        except UnicodeDecodeError:
            return f"<{size} bytes, not text>"
    if settings is not None:
        text = scrub_secrets(text, settings)
    if len(text) > limit:
        return f"{text[:limit]}… (truncated: {size} bytes)"
    return text


def capture_bodies(client: JetClient, settings: Settings) -> None:
    """Take each call's bodies with httpx event hooks on the client's HTTP client (the hooks
    run in the calling task, just before the client's own ``call`` event)."""
    limit = settings.log.body_bytes

    async def on_request(request: httpx.Request) -> None:
        content = request.content if isinstance(request.stream, httpx.ByteStream) else b""
        _call_bodies.set(
            {
                "request_body": shown_body(content, limit, settings),
                "request_bytes": len(content),
            }
        )

    async def on_response(response: httpx.Response) -> None:
        await response.aread()
        bodies = dict(_call_bodies.get() or {})
        if not _routine_read(response):
            bodies["response_body"] = shown_body(response.content, limit, settings)
        bodies["response_bytes"] = len(response.content)
        _call_bodies.set(bodies)

    http: httpx.AsyncClient = client._http  # noqa: SLF001 - the client exposes no hook of its own
    http.event_hooks = {
        "request": [*http.event_hooks["request"], on_request],
        "response": [*http.event_hooks["response"], on_response],
    }


def _routine_read(response: httpx.Response) -> bool:
    """A read Jet answered with success: its body is not kept, only its size (the result it
    fetched is stored where it belongs, e.g. the product's status). Writes and failures keep
    theirs: they are what a log has to explain. This is what keeps the log small for a big
    catalogue (product-status reads every SKU)."""
    return response.request.method == "GET" and response.is_success


def says_it_all(detail: dict[str, Any]) -> bool:
    """A successful first-attempt read without a kept body: the row's message (method, path,
    status, time) says everything its detail would (a catalogue's status reads are most rows)."""
    status = detail.get("status")
    return (
        detail.get("method") == "GET"
        and isinstance(status, int)
        and 200 <= status < 300
        and int(detail.get("attempt") or 1) == 1
        and not detail.get("error")
        and not detail.get("request_body")
        and not detail.get("response_body")
    )


def _with_bodies(detail: dict[str, Any]) -> dict[str, Any]:
    """The call's detail with the bodies the hooks took for it (then forgotten)."""
    bodies = _call_bodies.get()
    if not bodies:
        return detail
    _call_bodies.set(None)
    return {**detail, **{k: v for k, v in bodies.items() if v is not None}}


class EventWriter:
    """Queues event rows from the loop; writes them in batches on the store thread.

    A row waits at most :attr:`WAIT_SECONDS` (or until :attr:`BATCH_ROWS` are queued, or
    :meth:`flush`): a busy run (an import answers two calls per order) then writes its rows in
    a few multi-row INSERTs instead of a statement and a commit for every one or two rows,
    and the store thread it shares with the run's own work is free for that work. Every row
    also goes to the log file at once (:func:`file_line`)."""

    WAIT_SECONDS = 0.25
    BATCH_ROWS = 500

    def __init__(self, store: StoreThread) -> None:
        self.store = store
        self._queue: list[EventRow] = []
        self._task: asyncio.Task[None] | None = None
        self._hurry = asyncio.Event()  # set: write what is queued now (flush, a full batch)
        self.lost = 0  # rows the store refused (it went away): the work's own report says so
        self._warned = False

    def add(self, row: EventRow) -> None:
        file_line(row)
        self._queue.append(row)
        if len(self._queue) >= self.BATCH_ROWS:
            self._hurry.set()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._drain())

    def hook(self, kind: str, detail: dict[str, Any]) -> None:
        """The client's ``on_event``."""
        if kind == "call":
            detail = _with_bodies(detail)
        row = call_event(kind, detail)
        if row is not None:
            if kind == "call" and says_it_all(detail):
                row["detail"] = None  # a routine read: its one line is all there is to keep
            self.add(row)

    async def _drain(self) -> None:
        while self._queue:
            if not self._hurry.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._hurry.wait(), self.WAIT_SECONDS)
            self._hurry.clear()
            batch, self._queue = self._queue, []
            try:
                await self.store.run(_write_rows, batch)
            except Exception as exc:  # a broken event log must not break the work it records
                self.lost += len(batch)
                if not self._warned:  # one line per session, not a traceback per batch
                    self._warned = True
                    log.warning("event log not written to the store: %s", one_line(exc))

    async def flush(self) -> None:
        """Write every queued row now and wait until it is written."""
        while self._queue or (self._task is not None and not self._task.done()):
            self._hurry.set()
            if self._task is None or self._task.done():
                self._task = asyncio.get_running_loop().create_task(self._drain())
            await asyncio.shield(self._task)


def _write_rows(rows: list[EventRow]) -> None:
    with database_proxy.atomic():
        log_events(
            {k: row[k] for k in ("kind", "message", "level", "ref", "detail")} for row in rows
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
            if hook is not None and settings.log.body_bytes > 0:
                capture_bodies(client, settings)
            yield client
    finally:
        try:
            await writer.flush()
        finally:
            if events is None:
                await writer.store.close()


@dataclass
class Session:
    """What one command or run works with: the settings, a logged Jet client and the store
    thread that the client's event rows share (one store connection per run)."""

    settings: Settings
    jet: JetClient
    store: StoreThread


@asynccontextmanager
async def jet_session(
    settings: Settings,
    db: pw.Database,
    *,
    lock: str | None,
    purpose: str = "",
    jet: JetClient | None = None,
) -> AsyncIterator[Session]:
    """The one session of every order, return and refund command: a store thread, ``lock``
    held for the whole block (``LockBusy`` when another run holds it; None: no lock, for
    reads), a logged Jet client (``jet``: an open client to reuse instead), all closed in
    order at the end (the client's event rows written, the lock released, the store closed).
    Opening the client does no I/O: checks made first in the block still send nothing."""
    store = StoreThread(db)
    try:
        async with AsyncExitStack() as stack:
            if lock is not None:
                await stack.enter_async_context(held_lock(store, lock, purpose=purpose))
            if jet is None:
                events = EventWriter(store)
                jet = await stack.enter_async_context(
                    open_logged_client(settings, db, events=events)
                )
            yield Session(settings, jet, store)
    finally:
        await store.close()


async def run_with_jet(
    settings: Settings,
    db: pw.Database,
    *,
    lock: str,
    purpose: str,
    report: RunReport,
    work: Callable[[JetClient, StoreThread], Awaitable[None]],
    outages: tuple[type[BaseException], ...] = (),
) -> None:
    """Run ``work(jet, store)`` in a :func:`jet_session` under ``lock``, never raising for a
    held lock or an outage: those become ``report.locked`` / ``report.unreachable`` (exit
    75 / 3) so a cron run still prints its report. An outage is what
    :func:`~jettui.errors.is_unreachable` says, plus ``outages`` (e.g. every JetError for a
    run that treats Jet refusing as Jet missing); anything else is a bug and is raised."""
    try:
        async with jet_session(settings, db, lock=lock, purpose=purpose) as session:
            await work(session.jet, session.store)
    except LockBusy as exc:
        report.locked = one_line(exc)
    except Exception as exc:
        if not (is_unreachable(exc) or isinstance(exc, outages)):
            raise
        report.unreachable = outage_reason(exc)
