"""What broke a merchant's trust at 80×24 (issue 11): each test failed before its fix."""

from __future__ import annotations

from jettui.config import Settings
from jettui.tui.screens.base import GridTable
from jettui.tui.screens.go import GoScreen
from jettui.tui.screens.leave import LeaveForm
from jettui.tui.screens.product_edit import ProductEditScreen
from jettui.tui.screens.taxonomy import TaxonomyPicker

from .conftest import make_app, settle


async def test_digits_in_the_go_menu_jump_to_their_panel(demo_settings: Settings) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+g")
        assert isinstance(app.screen, GoScreen)
        await pilot.press("8")
        await settle(pilot)
        assert app.current_mode == "cron"
        assert not isinstance(app.screen, GoScreen)


async def test_edit_screen_types_into_its_first_field_and_asks_before_leaving(
    demo_settings: Settings,
) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProductEditScreen)
        assert screen.focused is not None and screen.focused.id == "edit-code"
        await pilot.press(*"12345")
        await settle(pilot)
        assert app.screen is screen and app.current_mode == "products"
        assert screen.query_one("#edit-code").value == "12345"

        await pilot.press("tab", "tab", "2")  # on the code-type select: still no panel switch
        assert app.current_mode == "products" and app.screen is screen

        await pilot.press("escape")  # unsaved changes: asks
        await settle(pilot)
        assert isinstance(app.screen, LeaveForm)
        await pilot.press("escape")  # stay
        assert app.screen is screen
        await pilot.press("ctrl+q")  # quitting asks too
        await settle(pilot)
        assert isinstance(app.screen, LeaveForm) and app.is_running
        await pilot.press("n")
        await pilot.press("escape", "d")  # leave without saving
        await settle(pilot)
        assert isinstance(app.screen.query_one(GridTable), GridTable)


async def test_edit_screen_leaves_at_once_when_nothing_changed(demo_settings: Settings) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, (ProductEditScreen, LeaveForm))


async def test_reload_keeps_the_cursor_on_the_same_product(demo_settings: Settings) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down")
        table = app.screen.query_one(GridTable)
        before = table.cursor_id
        assert before is not None and table.cursor_row == 3
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.screen.query_one(GridTable).cursor_id == before


def _guide_text(app) -> str:
    from rich.console import Console

    console = Console(width=80, color_system=None)
    with console.capture() as capture:
        console.print(app.screen.query_one("#getting-started").content)
    return capture.get()


async def test_first_run_shows_the_getting_started_path_and_ticks_steps(
    demo_settings: Settings,
) -> None:
    from jettui.store.jet_tables import JetCategory, JetTaxonomyNode

    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        guide = app.screen.query_one("#getting-started")
        assert guide.display
        text = _guide_text(app)
        # (steps 1 and 2, configuration and API activation, come first since issue 19)
        assert "○ 3." in text and "Refresh the Jet taxonomy" in text and "then T" in text
        assert "Map categories" in text and "Upload products" in text and "Orders" in text

        app.database()
        JetTaxonomyNode.create(jet_node_id=4000001, name="Mugs", is_leaf=True)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "✓ 3." in _guide_text(app) and "○ 4." in _guide_text(app)
        JetCategory.create(category_id=1, jet_node_id=4000001, node_path="Kitchen > Mugs")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "✓ 4." in _guide_text(app)


async def test_mapped_only_switch_shows_and_is_remembered(demo_settings: Settings) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert "mapped categories only" in app.screen.query_one(GridTable).status_text
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert app.screen.mapped_only
        assert "mapped categories only" in app.screen.query_one(GridTable).status_text


def test_help_legend_lists_every_label_the_grid_shows() -> None:
    from jettui.jet.enums import ProductStatus
    from jettui.services.catalog.actions import NOT_ON_JET, UPLOADED
    from jettui.services.listing import NOT_SENT, short_status
    from jettui.tui.screens.products import ProductsScreen

    legend = {label for label, _ in ProductsScreen.HELP_NOTES[1]}
    labels = {short_status(str(s)) for s in ProductStatus} | {UPLOADED, NOT_ON_JET, NOT_SENT}
    assert labels <= legend


async def test_palette_finds_actions_of_other_screens(demo_settings: Settings) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.current_mode == "products"
        await pilot.press("ctrl+p", *"taxonomy")
        await pilot.pause(0.3)
        await pilot.press("enter")  # the top hit: the categories screen's "Browse Jet taxonomy"
        await settle(pilot)
        assert app.current_mode == "categories"
        assert isinstance(app.screen, TaxonomyPicker)


async def test_create_and_map_names_the_parent_category(demo_settings: Settings) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        path = app.screen.query_one(GridTable).cursor_cells[1]
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, TaxonomyPicker)
        title = str(app.screen.query_one("#taxonomy-box Static").render())
        assert f"under {path} " in title and "category 4" not in title
