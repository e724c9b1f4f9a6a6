"""Grid behaviour a merchant relies on: aligned columns, cursor kept on reload, honest counts."""

from __future__ import annotations

from collections.abc import Hashable

from textual.widgets import Label

from jettui.tui.widgets.bulk_table import BulkTableBody, Column, ListSource

from .host import COLUMNS, TableApp, make_rows, settle


def _lines(app: TableApp) -> list[str]:
    body = app.table.query_one(BulkTableBody)
    return [body.render_line(y).text for y in range(body.size.height)]


async def test_a_cropped_path_is_padded_so_the_next_column_stays_aligned() -> None:
    columns = [
        Column("path", "Category", 24, crop="path"),
        Column("items", "Items", 5, align="right"),
    ]
    rows = [
        (1, ("Electronics > Computers > Data Storage", "7")),  # cropped: "… > Data Storage"
        (2, ("Toys", "12")),
    ]
    app = TableApp(ListSource(columns, rows))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        header, cropped, short = _lines(app)[:3]
        assert "… > Data Storage" in cropped
        end = header.index("Items") + len("Items")
        assert cropped[:end].endswith("    7")
        assert short[:end].endswith("   12")


class _Shuffling(ListSource):
    """Rows come back in another order on every first page (as when a new status re-sorts)."""

    def __init__(self) -> None:
        super().__init__(COLUMNS, make_rows(30))
        self.flips = 0

    def fetch(self, filter_text, sort_key, descending, offset, limit):  # type: ignore[override]
        if offset == 0:
            self.flips += 1
            rows = make_rows(30)
            self._set_rows(rows if self.flips % 2 else rows[::-1])
        return super().fetch(filter_text, sort_key, descending, offset, limit)


async def test_reload_keeps_the_cursor_on_the_same_row_id() -> None:
    source = _Shuffling()
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down")
        before: Hashable = app.table.cursor_id
        app.table.reload()
        await settle(pilot)
        assert app.table.cursor_id == before
        assert app.table.cursor_row != 3  # the row moved, the cursor followed it

        app.table.set_source(_Shuffling())  # a panel reload (ctrl+r) sets a fresh source
        await settle(pilot)
        assert app.table.cursor_id == before


async def test_one_row_is_not_rows_and_the_filter_box_is_labelled() -> None:
    app = TableApp(ListSource(COLUMNS, make_rows(30)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"M-0017")
        await settle(pilot)
        assert app.table.status_text.startswith("1 row ·")
        labels = [str(label.render()) for label in app.table.query(Label) if label.display]
        assert any("Filter" in text for text in labels)
