"""Shared by the dashboard tests that drive a screen with Textual's pilot (tests/tui,
tests/catalog, tests/jobs): waiting until its workers are done and painted, and small readers
of what the screen shows."""

from __future__ import annotations

from typing import Any

from textual.worker import WorkerCancelled

from jettui.tui.app import JettuiApp
from jettui.tui.screens.base import GridTable


async def settle(pilot: Any) -> None:
    """Let workers (store queries, Jet calls) finish and their results paint; a reload may
    cancel the worker before it, which is fine."""
    for _ in range(5):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            pass
        await pilot.pause()


def grid_rows(app: JettuiApp) -> list[tuple[str, ...]]:
    """The first 50 rows of the screen's grid, as the table shows them."""
    table = app.screen.query_one(GridTable)
    return [tuple(cells) for _, cells in table.source.fetch("", None, False, 0, 50)]


def notes(app: JettuiApp) -> str:
    """Every notification shown so far, one a line."""
    return "\n".join(n.message for n in app._notifications)
