"""A tiny host App for BulkTable and a helper that lets its thread workers settle."""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import App, ComposeResult
from textual.message import Message
from textual.pilot import Pilot

from jettui.tui.widgets.bulk_table import BulkTable, Column, PageSource

COLUMNS = [
    Column("id", "ID", 5, align="right"),
    Column("model", "Model", 10),
    Column("name", "Name"),
    Column("price", "Price", 9, align="right"),
]


def make_rows(count: int) -> list[tuple[Hashable, tuple[str, ...]]]:
    """Every third product is a mug; prices rise with the id."""
    return [
        (
            i,
            (
                str(i),
                f"M-{i:04d}",
                f"Travel mug {i}" if i % 3 == 0 else f"Teapot {i}",
                f"{i * 1.25:.2f}",
            ),
        )
        for i in range(1, count + 1)
    ]


class TableApp(App[None]):
    def __init__(self, source: PageSource) -> None:
        super().__init__()
        self.source = source
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield BulkTable(self.source, id="grid")

    def on_mount(self) -> None:
        self.query_one(BulkTable).focus()

    def on_bulk_table_selection_changed(self, message: BulkTable.SelectionChanged) -> None:
        self.messages.append(message)

    def on_bulk_table_row_activated(self, message: BulkTable.RowActivated) -> None:
        self.messages.append(message)

    @property
    def table(self) -> BulkTable:
        return self.query_one(BulkTable)


async def settle(pilot: Pilot) -> None:
    """Wait for the table's thread workers and for the messages they post back."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
