"""The product grid opens a configurable product to its variation children (v): one row per
size × colour with its own SKU, option values and code (or MPN), price, stock and Jet status;
a child row edits that child's own code only; v again closes it. 80x24 snapshot."""

from __future__ import annotations

from jettui.config import Settings
from jettui.services.listing import ExpandableSource, ListSource
from jettui.tui.screens.base import GridTable
from jettui.tui.screens.bulk_action import BulkActionModal
from jettui.tui.screens.product_edit import ProductEditScreen

from .conftest import make_app, settle

LEGGINGS, MODEL = 23, "PCW-WL00023"  # demo (40 products, seed 7): a Size option, 3 sizes
NODE = 2000131  # the sandbox's Women's Leggings: variant attributes Size and Color


def _leggings_in_two_colours() -> None:
    """The leggings get a Colour option (Red, Blue); their categories → the leggings node."""
    from jettui.jet.sandbox.engine import taxonomy
    from jettui.store.jet_tables import JetCategory, JetTaxonomyNode
    from jettui.store.opencart import Category
    from tests.catalog.test_real_store import add_second_option

    JetTaxonomyNode.create(
        jet_node_id=NODE,
        name="Women's Leggings",
        is_leaf=True,
        attributes=taxonomy()["attributes"][str(NODE)],
    )
    for category in Category.select():
        JetCategory.create(category_id=category.category_id, jet_node_id=NODE)
    add_second_option(LEGGINGS, [("Red", "+0", 7, 1), ("Blue", "+1", 9, 1)])


async def _open_leggings(pilot) -> GridTable:
    await settle(pilot)
    pilot.app.database()
    _leggings_in_two_colours()
    await pilot.press("slash", *MODEL, "enter")
    await settle(pilot)
    await pilot.press("v")
    await settle(pilot)
    return pilot.app.screen.query_one(GridTable)


def _rows(table: GridTable) -> list[tuple]:
    return [table._row(i) for i in range(table.row_count or 0)]


async def test_v_opens_a_parent_to_a_row_per_child_and_closes_it(demo_settings: Settings):
    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await _open_leggings(pilot)
        rows = _rows(table)
        assert rows[0][0] == LEGGINGS
        children = rows[1:]
        assert len(children) == 6  # 3 sizes × 2 colours
        for (product_id, sku), cells in children:
            assert product_id == LEGGINGS and sku.startswith(f"{MODEL}-")
            assert sku.endswith(cells[1].lstrip("…")) and cells[5] == "Not sent"
            assert "└ " in cells[2] and cells[2].endswith(" · no code")  # no code of its own yet
            assert cells[3] and cells[4].isdigit()  # its own price and stock
        red = [c for c in children if c[0][1].endswith("-red")]
        assert {c[1][4] for c in red} <= {"7", *[str(n) for n in range(7)]}  # min(size, Red)

        # a child row edits that child's code only
        await pilot.press("down", "e")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProductEditScreen) and screen.child_sku == children[0][0][1]
        assert not screen.query_one("#edit-brand").parent.display  # the parent's brand
        screen.query_one("#edit-code").value = "4006381333931"
        await pilot.press("ctrl+s")
        await settle(pilot)
        from jettui.store.jet_tables import JetProduct

        edited = {r.merchant_sku: r.overrides for r in JetProduct.select() if r.overrides}
        assert edited == {
            children[0][0][1]: {"standard_code": "4006381333931", "standard_code_type": "EAN"}
        }
        await pilot.press("escape")
        await settle(pilot)
        first = _rows(table)[1]
        assert first[0] == children[0][0] and "EAN 4006381333931" in first[1][2]

        # a child selected without its parent: the action names and touches that child only
        source = table.source
        assert isinstance(source, ExpandableSource)
        assert children[0][0] in source.ids(MODEL)
        await pilot.press("down", "space", "x")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, BulkActionModal)
        sku = children[1][0][1]
        assert modal.targets.only_skus == {LEGGINGS: [sku]} and modal.product_ids == [LEGGINGS]
        assert modal.targets.named([LEGGINGS]) == sku
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("n", "up")  # nothing selected, back on the first child
        await pilot.press("up", "v")  # on the parent: closes it
        await settle(pilot)
        assert table.row_count == 1


def test_expandable_source_pages_across_opened_rows() -> None:
    """Rows opened under a row of a paged source: counts, pages starting among the opened
    rows, positions, and a new filter closing them."""
    from jettui.services.listing import Column

    base = ListSource([Column("n", "N")], [(i, (str(i),)) for i in range(10)])
    source = ExpandableSource(base)
    assert source.fetch("", None, False, 0, 3) == [(0, ("0",)), (1, ("1",)), (2, ("2",))]
    source.open(2, 2, [((2, "a"), ("2a",)), ((2, "b"), ("2b",))])
    source.open(5, 5, [((5, "a"), ("5a",))])
    assert source.count("") == 13
    ids = [row_id for row_id, _ in source.fetch("", None, False, 0, 13)]
    assert ids == [0, 1, 2, (2, "a"), (2, "b"), 3, 4, 5, (5, "a"), 6, 7, 8, 9]
    assert [r for r, _ in source.fetch("", None, False, 4, 3)] == [(2, "b"), 3, 4]
    assert source.place(4) == (2, 1) and source.place(5) == (3, None)
    assert source.place(9) == (6, None)
    source.close(2)
    assert source.count("") == 11
    source.fetch("7", None, False, 0, 5)  # another filter: the positions no longer hold
    assert source.count("7") == 1 and not source.is_open(5)


def test_expanded_parent_snapshot(snap_compare, demo_settings: Settings) -> None:
    """80x24: the leggings opened to their six size × colour children, each with its own
    SKU, options, MPN, price, stock and status."""

    async def open_leggings(pilot) -> None:
        await _open_leggings(pilot)

    assert snap_compare(make_app(demo_settings, "jettui-16"), run_before=open_leggings)


async def test_the_parent_edit_maps_an_option_value_to_a_jet_value(demo_settings: Settings):
    """The options section lists each option value: a Jet value typed there is what the
    children with that value send."""
    from jettui.services.catalog import validate_products
    from jettui.store.jet_tables import JetProduct
    from jettui.store.opencart import OptionValueDescription

    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_leggings(pilot)
        await pilot.press("e")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProductEditScreen) and screen.child_sku is None
        blue = OptionValueDescription.get(OptionValueDescription.name == "Blue").option_value_id
        screen.query_one(f"#optval-{blue}").value = "Gray"
        await pilot.press("ctrl+s")
        await settle(pilot)
        parent = JetProduct.get(JetProduct.product_option_value_id == 0)
        assert parent.overrides == {"option_values": {str(blue): "Gray"}}
        (check,) = validate_products(demo_settings, [LEGGINGS])
        assert check.ok, check.errors
        sent = {
            a["attribute_value"]
            for c in check.listings[1:]
            for a in c.product["attributes_node_specific"]
            if a["attribute_id"] == 1
        }
        assert sent == {"Red", "Gray"}
