"""The one fan-out: many awaitables, a few at a time, on an :class:`asyncio.TaskGroup`.

Below every layer (the Jet client's bulk upload and the services both use it), so it imports
nothing of jettui's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


async def fan_out(
    items: Iterable[T], work: Callable[[T], Awaitable[None]], *, concurrency: int
) -> None:
    """``await work(item)`` for every item, at most ``concurrency`` at once, in order taken.

    The first exception cancels every other worker; it is raised (itself, not wrapped in an
    ExceptionGroup) after all workers have stopped. Items never taken were not attempted.
    """
    pending = iter(items)  # shared: each worker takes the next item

    async def worker() -> None:
        for item in pending:
            await work(item)

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(max(1, concurrency)):
                group.create_task(worker())
    except BaseExceptionGroup as failures:
        raise _first_failure(failures) from None


def _first_failure(group: BaseExceptionGroup) -> BaseException:
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            return _first_failure(exc)
        return exc
    return group  # pragma: no cover - a group is never empty
