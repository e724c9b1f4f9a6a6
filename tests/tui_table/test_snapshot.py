"""One SVG snapshot of the grid at 80x24: header, selection markers, cursor and status line."""

from __future__ import annotations

from textual.pilot import Pilot

from jettui.tui.widgets.bulk_table import ListSource

from .host import COLUMNS, TableApp, make_rows, settle


def test_grid_with_selection_and_filter(snap_compare) -> None:
    async def select_some(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("slash", *"mug", "enter", "s")
        await settle(pilot)
        await pilot.press("space", "down", "shift+down")

    app = TableApp(ListSource(COLUMNS, make_rows(120)))
    assert snap_compare(app, terminal_size=(80, 24), run_before=select_some)
