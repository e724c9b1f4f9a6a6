"""What broke a merchant's trust at 80×24 (issue 11): each test failed before its fix."""

from __future__ import annotations

from jettui.config import Settings
from jettui.tui.screens.base import GridTable
from jettui.tui.screens.go import GoScreen
from jettui.tui.screens.leave import LeaveForm
from jettui.tui.screens.product_edit import ProductEditScreen

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
