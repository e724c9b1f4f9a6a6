"""The Categories screen on a demo store with the in-process sandbox: fetch Jet's taxonomy
(T), browse it (b), map two categories through the picker (m), unmap one (x), create and
map (c)."""

from __future__ import annotations

from jettui.config import Settings
from jettui.services.categories import taxonomy_count
from jettui.store.jet_tables import JetCategory
from jettui.tui.screens.base import GridTable
from jettui.tui.screens.categories import CategoriesScreen
from jettui.tui.screens.detail import RowDetailScreen
from jettui.tui.screens.taxonomy import EMPTY_TEXT, TaxonomyPicker
from jettui.tui.widgets.bulk_table import BulkTableBody

from .conftest import make_app, settle

COOKWARE = 4000188  # Home & Garden > Kitchen & Dining > Cookware (sandbox taxonomy)


def _paths(screen: CategoriesScreen) -> dict[int, str]:
    """Every row of the grid's current source: category id -> its breadcrumb."""
    source = screen.query_one(GridTable).source
    at = [c.key for c in source.columns].index("path")
    return {int(row_id): cells[at] for row_id, cells in source.fetch("", None, False, 0, 10_000)}


def _shown_lines(screen: CategoriesScreen, count: int) -> list[str]:
    body = screen.query_one(GridTable).query_one(BulkTableBody)
    return [body.render_line(y).text for y in range(1, count + 1)]


async def test_taxonomy_map_unmap_create(demo_settings: Settings) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.run_action("goto('categories')")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CategoriesScreen)
        table = screen.query_one(GridTable)

        # before T the picker opens and says how to fill the cache
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, TaxonomyPicker)
        assert EMPTY_TEXT in str(app.screen.query_one("#taxonomy-message").render())
        await pilot.press("escape")
        assert app.screen is screen

        await pilot.press("T")
        await settle(pilot)
        assert taxonomy_count(None) > 0
        assert "nodes cached" in "\n".join(str(n.message) for n in app._notifications)

        # b browses the cache: enter on a node shows it with its Jet attributes
        await pilot.press("b")
        await settle(pilot)
        await pilot.press(*"cookware", "enter")
        await settle(pilot)
        assert isinstance(app.screen, RowDetailScreen)
        assert ("Jet node", str(COOKWARE)) in app.screen.rows
        assert dict(app.screen.rows)["Attributes"].splitlines() == [  # values and units too
            "1 Color (variant): Black, White, Red, Blue, Green, Gray, Silver, Pink",
            "2 Material: Cotton, Polyester, Leather, Stainless Steel, Plastic, Wood or free text",
            "14 Capacity (variant): a number in qt / cups / l",
        ]
        await pilot.press("escape")
        assert app.screen is screen

        await pilot.press("space", "space")  # the first two categories
        first_two = set(table.selected)
        assert len(first_two) == 2
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, TaxonomyPicker)
        await pilot.press(*"cookware")
        await settle(pilot)
        assert app.screen.query_one("#taxonomy-table").row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        mapped = {row.category_id: row.jet_node_id for row in JetCategory.select()}
        assert mapped == dict.fromkeys(first_two, COOKWARE)
        assert not table.selected
        lines = _shown_lines(screen, 2)
        assert all("Cookware" in line for line in lines), lines

        # x with nothing selected unmaps the category under the cursor (the first row)
        await pilot.press("home", "x")
        await settle(pilot)
        first_id = table.cursor_id
        mapped = {row.category_id: row.jet_node_id for row in JetCategory.select()}
        assert mapped == {cid: COOKWARE for cid in first_two if cid != first_id}
        lines = _shown_lines(screen, 2)
        assert "Cookware" not in lines[0] and "Cookware" in lines[1], lines

        # c creates a category under the one under the cursor, mapped to the picked node
        parent_path = _paths(screen)[first_id]
        before = set(_paths(screen))
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, TaxonomyPicker)
        await pilot.press(*"cookware", "enter")
        await settle(pilot)
        assert app.screen is screen
        paths = _paths(screen)
        (new_id,) = set(paths) - before
        assert paths[new_id] == f"{parent_path} > Cookware"
        assert JetCategory.get(JetCategory.category_id == new_id).jet_node_id == COOKWARE
        await pilot.press("slash", *"> cookware", "enter")
        await settle(pilot)
        (line,) = [line for line in _shown_lines(screen, 3) if str(new_id) in line]
        assert f"{parent_path} > Cookware" in line and str(COOKWARE) in line  # mapped, shown
