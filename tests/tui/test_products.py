"""The products grid on a demo store: real rows, Jet status, bulk selection by keys."""

from __future__ import annotations

import sqlite3

from jettui.config import Settings
from jettui.store.jet_tables import JetProduct
from jettui.tui.screens.base import GridTable
from jettui.tui.screens.detail import RowDetailScreen
from jettui.tui.widgets.bulk_table import MARK_WIDTH, BulkTableBody, int_id

from .conftest import DEMO_PRODUCTS, make_app, settle


def _ids_matching(settings: Settings, needle: str) -> set[int]:
    path = settings.store.database.split(":///", 1)[1]
    with sqlite3.connect(path) as con:
        rows = con.execute(
            "SELECT p.product_id FROM oc_product p JOIN oc_product_description d"
            " ON d.product_id = p.product_id AND d.language_id = 1"
            " WHERE lower(d.name) LIKE ? OR lower(p.model) LIKE ?",
            (f"%{needle.lower()}%", f"%{needle.lower()}%"),
        )
        return {row[0] for row in rows}


async def test_grid_lists_demo_products_with_jet_status(demo_settings: Settings) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(GridTable)
        assert table.row_count == DEMO_PRODUCTS
        assert "Jet status" in [c.label for c in table.source.columns]
        assert table.has_focus

        # the grid shows a short label; enter shows the row with Jet's own words
        JetProduct.create(product_id=1, merchant_sku="SKU-1", status="Missing Listing Data")
        await pilot.press("ctrl+r")
        await settle(pilot)
        table = app.screen.query_one(GridTable)
        line = table.query_one(BulkTableBody).render_line(1).text
        assert line.rstrip().endswith("Missing data")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RowDetailScreen)
        assert ("Jet status", "Missing Listing Data") in app.screen.rows
        await pilot.press("escape")
        assert app.screen.query_one(GridTable) is table


async def test_bulk_selection_range_all_filter_invert(demo_settings: Settings) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one(GridTable)
        first_rows = [row_id for row_id, _ in table.source.fetch("", None, False, 0, 4)]

        await pilot.press("space", "shift+down", "shift+down")  # row 1, then a range to row 4
        await settle(pilot)
        assert screen.selected_ids == set(first_rows)
        assert "4 selected" in table.status_text

        await pilot.press("n", "slash", *"kestrel", "enter")
        await settle(pilot)
        kestrel = _ids_matching(demo_settings, "kestrel")
        assert 0 < len(kestrel) < DEMO_PRODUCTS
        assert table.row_count == len(kestrel)

        await pilot.press("a")  # all rows matching the filter, not the whole store
        await settle(pilot)
        assert screen.selected_ids == kestrel

        await pilot.press("slash", "ctrl+a", "ctrl+k", "enter")  # clear the filter
        await settle(pilot)
        assert table.row_count == DEMO_PRODUCTS
        await pilot.press("i")
        await settle(pilot)
        everything = _ids_matching(demo_settings, "")
        assert screen.selected_ids == everything - kestrel
        assert f"{DEMO_PRODUCTS - len(kestrel)} selected" in table.status_text


async def test_row_detail_lists_variation_children_with_their_own_status(
    demo_settings: Settings,
) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(GridTable)
        assert table.cursor_id is not None
        first = int_id(table.cursor_id)
        JetProduct.create(product_id=first, merchant_sku="TEE", status="Available for Purchase")
        JetProduct.create(
            product_id=first,
            product_option_value_id=12,
            merchant_sku="TEE-RED",
            parent_sku="TEE",
            status="Under Jet Review",
        )
        JetProduct.create(
            product_id=first,
            product_option_value_id=11,
            merchant_sku="TEE-BLUE",
            parent_sku="TEE",
            status="Available for Purchase",
            is_archived=True,
        )
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RowDetailScreen)
        rows = app.screen.rows
        assert ("Variations", "2 children") in rows
        # in option order, each with its own status; an archived child says so
        children = rows[rows.index(("Variations", "2 children")) + 1 :]
        assert children == [("  TEE-BLUE", "Archived"), ("  TEE-RED", "Under Jet Review")]
        await pilot.press("escape")
        await pilot.press("down", "enter")  # a product without children: no variation rows
        await settle(pilot)
        assert isinstance(app.screen, RowDetailScreen)
        assert not [row for row in app.screen.rows if row[0] == "Variations"]


async def _name_width(settings: Settings, columns: int) -> tuple[int, int, int]:
    """(name column's width, sum of the shown columns' cells, the grid's width) at `columns`."""
    app = make_app(settings)
    async with app.run_test(size=(columns, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(GridTable)
        width = table.query_one(BulkTableBody).scrollable_content_region.width
        layout = table._layout(width)
        name = next(w for _, column, w in layout if column.key == "name")
        used = MARK_WIDTH + sum(w + 1 for _, _, w in layout)  # one space before each column
        return name, used, width


async def test_name_column_takes_the_spare_width_on_a_wide_terminal(
    demo_settings: Settings,
) -> None:
    narrow, _, _ = await _name_width(demo_settings, 80)
    wide, used, width = await _name_width(demo_settings, 120)
    assert wide > narrow  # the sidebar appears at 120 columns, and the name still grows
    assert used == width  # no blank band at the right: the name took what was left
