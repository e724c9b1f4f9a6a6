"""Shared by the orders/returns panel tests (their store is tests/shop_support.py's ``shop``):
small readers of what the panels show."""

from __future__ import annotations

from typing import Any

from textual.worker import WorkerCancelled

from jettui.tui.app import JettuiApp
from jettui.tui.screens.base import GridTable


async def settle(pilot: Any) -> None:
    for _ in range(5):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            pass
        await pilot.pause()


def grid_rows(app: JettuiApp) -> list[tuple[str, ...]]:
    table = app.screen.query_one(GridTable)
    return [tuple(cells) for _, cells in table.source.fetch("", None, False, 0, 50)]


def notes(app: JettuiApp) -> str:
    return "\n".join(n.message for n in app._notifications)
