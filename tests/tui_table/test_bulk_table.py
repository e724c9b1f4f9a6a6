"""What a keyboard user of the bulk-select grid notices, on an in-memory ListSource."""

from __future__ import annotations

from textual.widgets import Static

from jettui.tui.widgets.bulk_table import (
    MARKER,
    BulkTable,
    BulkTableBody,
    Column,
    ListSource,
    layout_columns,
)

from .host import COLUMNS, TableApp, make_rows, settle


def screen_rows(table: BulkTable) -> list[str]:
    """The grid's visible lines as text (line 0 is the header)."""
    body = table.query_one(BulkTableBody)
    return [body.render_line(y).text for y in range(body.size.height)]


def status(table: BulkTable) -> str:
    return str(table.query_one(".bulk-table--status", Static).render())


async def test_first_paint_shows_rows_header_and_status(list_app: TableApp) -> None:
    async with list_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = list_app.table
        lines = screen_rows(table)
        assert "Model" in lines[0] and "Price" in lines[0]
        assert "Teapot 1" in lines[1]
        assert status(table) == "300 rows · 0 selected"


async def test_space_toggles_row_and_moves_down(list_app: TableApp) -> None:
    async with list_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = list_app.table
        await pilot.press("space", "space")
        assert table.selected == {1, 2}
        assert table.cursor_id == 3
        lines = screen_rows(table)
        assert lines[1].startswith(MARKER) and lines[2].startswith(MARKER)
        assert not lines[3].startswith(MARKER)
        await pilot.press("up", "space")  # toggling again deselects
        assert table.selected == {1}
        assert status(table) == "300 rows · 1 selected"
        assert list_app.messages[-1].count == 1


async def test_shift_down_extends_a_range(list_app: TableApp) -> None:
    async with list_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "shift+down", "shift+down", "shift+down")
        assert list_app.table.selected == {2, 3, 4, 5}
        await pilot.press("G", "shift+up")
        assert list_app.table.selected == {2, 3, 4, 5, 299, 300}


async def test_filter_as_you_type_updates_count_and_select_all_stays_inside(
    list_app: TableApp,
) -> None:
    async with list_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = list_app.table
        await pilot.press("space")  # row 1, a teapot, outside the coming filter
        await pilot.press("slash", "m")
        await settle(pilot)
        assert table.row_count == 300  # "m" matches every model code M-....
        await pilot.press("u", "g")
        await settle(pilot)
        assert table.row_count == 100
        await pilot.press("space")  # typed into the filter, not a toggle
        await settle(pilot)
        assert table.filter_text == "mug "
        await pilot.press("backspace", "7")
        await settle(pilot)
        assert table.filter_text == "mug7"
        assert table.row_count == 0
        assert "no rows match" in screen_rows(table)[1]
        await pilot.press("backspace", "enter")
        await settle(pilot)
        assert table.has_focus
        assert "filter: mug" in status(table)
        await pilot.press("a")
        await settle(pilot)
        mugs = {i for i in range(3, 301, 3)}
        assert table.selected == mugs | {1}
        assert status(table) == "100 rows · 101 selected · filter: mug"


async def test_invert_works_within_the_filter_only(list_app: TableApp) -> None:
    async with list_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = list_app.table
        await pilot.press("space")  # teapot 1 stays selected through the invert
        await pilot.press("slash", *"mug", "escape")
        await settle(pilot)
        await pilot.press("space")  # mug 3
        await pilot.press("i")
        await settle(pilot)
        assert 1 in table.selected and 3 not in table.selected
        assert len(table.selected) == 1 + 99
        await pilot.press("n")
        assert table.selected == set()
        assert status(table).startswith("100 rows · 0 selected")


async def test_selection_survives_filter_changes_and_paging(list_app: TableApp) -> None:
    async with list_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = list_app.table
        await pilot.press("space", "pagedown", "pagedown", "pagedown")
        await settle(pilot)
        await pilot.press("space")
        far = next(iter(table.selected - {1}))
        assert far > 40
        await pilot.press("slash", *"mug", "enter")
        await settle(pilot)
        await pilot.press("ctrl+u")  # nothing bound: the filter box is closed
        table.filter_text = ""
        await settle(pilot)
        assert table.selected == {1, far}
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor_id == 300
        assert screen_rows(table)[-1].lstrip(MARKER + " ").startswith("300")


async def test_sort_cycles_and_reverses(list_app: TableApp) -> None:
    async with list_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = list_app.table
        await pilot.press("s")  # ID ascending
        await settle(pilot)
        assert table.sort_key == "id" and table.cursor_id == 1
        await pilot.press("S")
        await settle(pilot)
        assert table.cursor_id == 300
        assert "ID ▼" in screen_rows(table)[0]
        await pilot.press("s", "s", "less_than_sign")  # Name ascending
        await settle(pilot)
        assert table.sort_key == "name" and not table.descending
        assert table.cursor_id == 1  # "Teapot 1" sorts before "Teapot 10"
        assert "sort: Name ▲" in status(table)
        await pilot.press("s", "greater_than_sign")  # Price descending, numerically
        await settle(pilot)
        assert table.cursor_id == 300


async def test_enter_posts_row_activated(list_app: TableApp) -> None:
    async with list_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")
        activated = [m for m in list_app.messages if isinstance(m, BulkTable.RowActivated)]
        assert [m.row_id for m in activated] == [3]
        assert activated[0].table is list_app.table


async def test_reload_keeps_selection_and_shows_new_rows() -> None:
    rows = make_rows(10)
    app = TableApp(ListSource(COLUMNS, rows))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space")
        app.table.set_source(ListSource(COLUMNS, make_rows(12)))
        await settle(pilot)
        assert app.table.row_count == 12
        assert app.table.selected == {1}
        assert status(app.table) == "12 rows · 1 selected"


async def test_failing_source_shows_error_in_status_line() -> None:
    class Broken(ListSource):
        def fetch(self, *args: object) -> list:
            raise RuntimeError("disk on fire\nsecond line")

    app = TableApp(Broken(COLUMNS, []))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert status(app.table) == "reading rows failed: RuntimeError: disk on fire"
        assert app.is_running


def test_layout_hides_optional_columns_before_starving_a_flexible_one() -> None:
    columns = [
        Column("id", "ID", 5, optional=True),
        Column("name", "Name", min_width=30),
        Column("path", "Category", 20, optional=True, crop="path"),
    ]
    wide = [column.key for _, column, _ in layout_columns(columns, 120)]
    assert wide == ["id", "name", "path"]
    narrow = layout_columns(columns, 55)  # 30 for the name needs the category's room
    assert [(i, column.key, width) for i, column, width in narrow] == [
        (0, "id", 5),
        (1, "name", 46),
    ]


async def test_paths_lose_their_root_first_and_labels_come_from_short() -> None:
    columns = [
        Column("path", "Category", 32, crop="path"),
        Column("status", "Status", 10, short=lambda text: text.split()[0]),
    ]
    rows = [(1, ("Clothing > Men > Men's Hoodies & Sweatshirts", "Available for Purchase"))]
    app = TableApp(ListSource(columns, rows))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = screen_rows(app.table)[1]
        assert "… > Men's Hoodies & Sweatshirts " in line  # whole segments, leaf kept
        assert line.rstrip().endswith("Available")
