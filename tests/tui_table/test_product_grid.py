"""BulkTable over ProductSource on a SQLite demo store: what the products panel shows."""

from __future__ import annotations

from jettui.services.listing import ProductSource
from jettui.store.opencart import Product, ProductDescription, ProductToCategory

from .host import TableApp, settle
from .test_bulk_table import screen_rows


async def test_products_page_filter_sort_and_select_all(demo_db) -> None:
    app = TableApp(ProductSource(demo_db, language_id=1, store_id=0))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.table
        assert table.row_count == 300
        assert table.cursor_id == 1
        await pilot.press("down", "enter")
        assert app.messages[-1].row_id == 2
        first = table._row(1)[1]
        assert first[5] == "Available for Purchase"  # Jet status column

        model = Product.get_by_id(7).model
        await pilot.press("slash", *model.lower(), "enter")  # case-insensitive on model
        await settle(pilot)
        assert table.row_count >= 1 and table.cursor_id == 7

        word = ProductDescription.get(ProductDescription.product_id == 5).name.split()[-1]
        table.filter_text = word
        await settle(pilot)
        expected = {
            p.product_id
            for p in ProductDescription.select().where(ProductDescription.name.contains(word))
        }
        await pilot.press("a")
        await settle(pilot)
        assert table.selected == expected
        assert table.status_text.startswith(f"{len(expected):,} rows · {len(expected)} selected")

        table.filter_text = ""
        await pilot.press("s", "s", "s", "s", "S")  # id, model, name, price; descending
        await settle(pilot)
        assert table.sort_key == "price" and table.descending
        top = Product.select().order_by(Product.price.desc(), Product.product_id).first()
        assert table.cursor_id == top.product_id
        assert table.selected == expected  # sorting and clearing the filter kept it


async def test_mapped_only_lists_products_of_mapped_categories(demo_db) -> None:
    source = ProductSource(demo_db, language_id=1, store_id=0, mapped_only=True)
    category_id = ProductToCategory.select(ProductToCategory.category_id).scalar()
    in_category = {
        row.product_id
        for row in ProductToCategory.select().where(ProductToCategory.category_id == category_id)
    }
    assert 0 < source.count("") < 300
    assert set(source.ids("")) == in_category
    rows = source.fetch("", "product_id", False, 0, 500)
    assert [row_id for row_id, _ in rows] == sorted(source.ids(""))


async def test_grid_gives_the_name_room_and_shows_short_jet_statuses(demo_db) -> None:
    app = TableApp(ProductSource(demo_db, language_id=1, store_id=0))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        header, first, second = screen_rows(app.table)[:3]
        assert "Category" not in header  # hidden at 80 columns to make room for the name
        assert "ID" in header and "Jet status" in header
        name = ProductDescription.get(ProductDescription.product_id == 1).name
        assert name[:26] in first
        assert first.rstrip().endswith("Not sent")  # never sent to Jet
        assert second.rstrip().endswith("Available")  # Jet's "Available for Purchase"
        assert app.table._row(1)[1][5] == "Available for Purchase"  # full text kept in the row

        await pilot.resize_terminal(120, 24)
        await settle(pilot)
        assert "Category" in screen_rows(app.table)[0]
