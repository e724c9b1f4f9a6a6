"""The runtime every service shares: the store thread, the fan-out and the held lock.

- :class:`StoreThread` runs store work on one dedicated thread, off the event loop (peewee
  keeps one connection per thread: one thread, one connection).
- :func:`fan_out` (:mod:`jettui.concurrency`) runs ``work(item)`` for many items, ``concurrency`` at a time, on an
  :class:`asyncio.TaskGroup`: the first failure cancels the other workers and is raised only
  once every worker has stopped, so nothing calls Jet or writes a report after it returns.
- :func:`settle` finishes bookkeeping (report + store row) even when its worker is cancelled,
  so what was done on Jet before an outage is recorded before :func:`fan_out` returns.
- :func:`held_lock` takes a named lock in the store (``LockBusy`` when another run has it),
  refreshes it every third of its TTL while the body runs, and releases it at the end.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from jettui.concurrency import fan_out
from jettui.errors import JettuiError, one_line
from jettui.store.jet_tables import acquire_lock, default_holder, release_lock, take_lock

if TYPE_CHECKING:
    import peewee as pw

__all__ = [
    "LOCK_TTL_SECONDS",
    "StoreThread",
    "fan_out",
    "held_lock",
    "lock_holder_name",
    "outage_reason",
    "settle",
]

log = logging.getLogger("jettui.services")

T = TypeVar("T")

LOCK_TTL_SECONDS = 600.0  # refreshed every third of it while held


class StoreThread:
    """Runs store work on one dedicated thread, off the event loop."""

    def __init__(self, db: pw.Database | None) -> None:
        self.db = db
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jettui-store")

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)

    async def close(self) -> None:
        """Close this thread's connection and the thread. Never raises: a store that went away
        must not replace the report of the work that found it gone."""
        try:
            await self.run(self._close_connection)
        except Exception as exc:  # noqa: BLE001
            log.warning("could not close the store connection: %s", one_line(exc))
        finally:
            self._pool.shutdown(wait=False)

    def _close_connection(self) -> None:
        # The connection this thread opened (peewee keeps one per thread); others are untouched.
        if self.db is not None and not self.db.is_closed():
            self.db.close()


async def settle(work: Awaitable[T]) -> T:
    """Await ``work`` to its end even if the caller is cancelled meanwhile; the cancellation is
    raised once it has finished. For the few steps that record what already happened (a Jet
    call that succeeded must reach the report and the store together), never for Jet calls."""
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        await asyncio.wait({task})  # no lost write: the cancelled worker waits for it
        raise


def outage_reason(exc: BaseException) -> str:
    """One line for an outage (``is_unreachable(exc)``): Jet's error as it reads, the store's
    as ``store unreachable: <the server's words>`` (not the driver's ``(2003, "...")`` tuple)."""
    if isinstance(exc, JettuiError):
        return one_line(exc)
    args = exc.args
    text = args[1] if len(args) == 2 and isinstance(args[0], int) else " ".join(map(str, args))
    return "store unreachable: " + (" ".join(str(text).split()) or type(exc).__name__)


def lock_holder_name(purpose: str) -> str:
    """``host:pid:purpose:xxxxxx``: unique per run, readable where a held lock is named."""
    return f"{default_holder(purpose)}:{uuid.uuid4().hex[:6]}"


@contextlib.asynccontextmanager
async def held_lock(
    store: StoreThread,
    name: str,
    *,
    purpose: str = "",
    ttl_seconds: float = LOCK_TTL_SECONDS,
) -> AsyncIterator[str]:
    """``async with held_lock(store, "products", purpose="upload"):`` — raises LockBusy (naming
    the holder) when another run holds ``name``; refreshed while held; released on exit."""
    holder = lock_holder_name(purpose or name)
    await store.run(take_lock, name, holder, ttl_seconds)
    refresher = asyncio.create_task(_keep(store, name, holder, ttl_seconds))
    try:
        yield holder
    finally:
        refresher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await refresher
        try:
            await store.run(release_lock, name, holder)
        except Exception:  # noqa: BLE001 - store gone: the TTL frees the lock
            log.warning("could not release lock %s", name)


async def _keep(store: StoreThread, name: str, holder: str, ttl_seconds: float) -> None:
    while True:
        await asyncio.sleep(ttl_seconds / 3)
        try:
            if not await store.run(acquire_lock, name, holder, ttl_seconds):
                log.warning("lock %s was taken over by another run", name)
        except Exception:  # noqa: BLE001 - the run itself will report a dead store
            log.warning("could not refresh lock %s", name)
