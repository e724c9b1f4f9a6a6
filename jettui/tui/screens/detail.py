"""Row detail (enter on a grid row): every column of the row in full, untruncated."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from jettui.services.listing import Column


class RowDetailScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "dismiss", "Close", id="detail-close"),
    ]

    def __init__(self, title: str, columns: Sequence[Column], cells: Sequence[str]) -> None:
        super().__init__(id="detail")
        self._title = title
        self.rows = [
            (column.label, str(cell)) for column, cell in zip(columns, cells, strict=False)
        ]

    def compose(self) -> ComposeResult:
        table = Table(show_header=False, box=None, expand=True)
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1, overflow="fold")
        for label, value in self.rows:
            table.add_row(label, Text(value or "—"))
        with Vertical(id="detail-box"):
            yield Static(self._title, id="detail-title", markup=False)
            with VerticalScroll(id="detail-body"):
                yield Static(table)
            yield Static(Text("escape closes", style="dim"), id="detail-hint")
