"""What a job body imports: the context it runs in, the report it fills, batched store writes.

A job body is ``async def body(ctx: JobContext) -> JobReport``. It reports every item it
handled as an :class:`~jettui.services.results.ItemResult` (``ctx.report.succeeded(sku)``,
``ctx.report.failed(sku, reason, error)``...), fans its Jet calls out with :meth:`JobContext.each`
and writes store rows in batches with :meth:`JobContext.batch`. A Jet or store outage is raised,
not reported per item: the runner turns it into the job's outcome.

This module is light on purpose (no Jet client, no catalog code): the runner imports it on
every `jettui cron` run, and job bodies are imported only when their job runs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from jettui.config import Settings
from jettui.services.results import ItemResult, Outcome, summary
from jettui.services.runtime import StoreThread, fan_out, settle

if TYPE_CHECKING:
    from jettui.jet.client import JetClient

T = TypeVar("T")
Progress = Callable[[str, str], Any]  # (job, message), called on the event loop

WRITE_BATCH = 100  # store rows written per transaction by a job body
#: outcomes counted as the job's "items ok" (a skipped or dry-run item did nothing)
OK_OUTCOMES = frozenset({Outcome.SUCCEEDED, Outcome.UNCHANGED})


@dataclass
class JobReport:
    """What a job body did, item by item: filled as it goes (an aborted run keeps its items)."""

    items: list[ItemResult] = field(default_factory=list)
    message: str = ""  # one line, e.g. "12 checked, 1 failed"

    def add(
        self, item: str, outcome: Outcome, reason: str = "", error: BaseException | None = None
    ) -> ItemResult:
        result = ItemResult(item, outcome, reason, error)
        self.items.append(result)
        return result

    def succeeded(self, item: str = "", reason: str = "") -> None:
        self.add(item, Outcome.SUCCEEDED, reason)

    def failed(self, item: str, reason: str, error: BaseException | None = None) -> None:
        self.add(item, Outcome.FAILED, reason, error)

    def skipped(self, item: str, reason: str) -> None:
        self.add(item, Outcome.SKIPPED, reason)

    @property
    def ok(self) -> int:
        """Items done (succeeded, or nothing needed doing)."""
        return sum(1 for i in self.items if i.outcome in OK_OUTCOMES)

    @property
    def failures(self) -> list[ItemResult]:
        """Items that failed or could not be attempted, with the reason."""
        return [i for i in self.items if i.is_problem]

    @property
    def summary(self) -> str:
        return summary(self.items)


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
        exception stops the others (none runs on after it) and is raised."""
        await fan_out(items, work, concurrency=self.settings.jet.concurrency)

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
        """Write the rows collected so far; a cancellation (an outage stopping the job's other
        workers) waits for the write instead of dropping rows already taken off the list."""
        rows, self.rows = self.rows, []
        if rows:
            await settle(self.store.run(self.write, rows))


Body = Callable[[JobContext], Awaitable[JobReport]]
