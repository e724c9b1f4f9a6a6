"""Forms that can't mislead (issue 19), at 80x24 driven by keys: the ship form reads and tabs
top to bottom, says Jet's directed cancel, shows which picker has the focus and refuses a bad
tracking number or quantity by its field; ``c`` on a completed return refuses at once."""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.widgets import Input, Label, Select, Static
from textual.widgets._select import SelectCurrent

from jettui.config import Settings
from jettui.store.jet_tables import JetOrder, JetReturn
from jettui.tui.screens.return_form import ReturnFormScreen
from jettui.tui.screens.ship_form import ShipFormScreen

from .conftest import make_app, settle
from .orders_data import ORDERS, RETURN_ID, fill

LONG_TITLE = "Acme insulated stainless steel water bottle, 750 ml, midnight blue"
READING_ORDER = [
    "line-ship-0", "line-cancel-0", "line-ship-1", "line-cancel-1", "ship-tracking",
    "ship-carrier", "ship-method", "ship-zip", "ship-date", "ship-pickup", "ship-delivery",
    "ship-return-on",
]  # fmt: skip


def fill_with_a_directed_cancel() -> int:
    """The fixed rows; on the acknowledged order (teapot 1, bottles 3) Jet asks to cancel 1
    bottle, whose title is long. Returns the order's row id."""
    fill()
    row = JetOrder.get(JetOrder.merchant_order_id == ORDERS[2][0])
    raw = dict(row.raw)
    raw["order_items"][1] |= {"request_order_cancel_qty": 1, "product_title": LONG_TITLE}
    JetOrder.update(raw=raw).where(JetOrder.id == row.id).execute()
    return int(row.id)


async def open_ship_form(pilot, theme: str | None = None) -> ShipFormScreen:
    await settle(pilot)
    row_id = fill_with_a_directed_cancel()
    await pilot.app.run_action("goto('orders')")
    await settle(pilot)
    pilot.app.push_screen(ShipFormScreen(row_id))
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, ShipFormScreen)
    return form


def visible_text(label: Label) -> str:
    """What a one-row label shows: its text cut at its width."""
    return str(label.content)[: label.content_region.width]


async def test_the_directed_cancel_is_said_at_80_columns(demo_settings: Settings) -> None:
    async with make_app(demo_settings).run_test(size=(80, 24)) as pilot:
        form = await open_ship_form(pilot)
        bottle = form.query(".line-row Label").results(Label)
        shown = [visible_text(label) for label in bottle]
        assert any("ACM-WB00002 — 3 open, Jet asks to cancel 1" in text for text in shown), shown
        line = form.lines[1]
        assert form.query_one(f"#{line.cancel_id}", Input).value == "1"  # pre-filled
        assert form.query_one(f"#{line.ship_id}", Input).value == "2"


async def test_tab_follows_the_screen_from_the_top(demo_settings: Settings) -> None:
    async with make_app(demo_settings).run_test(size=(80, 24)) as pilot:
        form = await open_ship_form(pilot)
        order = [form.focused.id if form.focused else None]
        for _ in READING_ORDER:
            await pilot.press("tab")
            order.append(form.focused.id if form.focused else None)
        assert order == [*READING_ORDER, READING_ORDER[0]]  # and round to the top again


@pytest.mark.parametrize("theme", ["jettui", "jettui-16"])
async def test_a_focused_picker_shows_its_focus(demo_settings: Settings, theme: str) -> None:
    async with make_app(demo_settings, theme).run_test(size=(80, 24)) as pilot:
        form = await open_ship_form(pilot)
        cursor = Color.parse(pilot.app.get_css_variables()["block-cursor-background"])
        carrier = form.query_one("#ship-carrier", Select).query_one(SelectCurrent)
        method = form.query_one("#ship-method", Select).query_one(SelectCurrent)
        for _ in range(READING_ORDER.index("ship-carrier")):
            await pilot.press("tab")
        await pilot.pause()
        assert form.focused is carrier.parent
        assert carrier.styles.background == cursor
        assert method.styles.background != cursor


async def test_a_tracking_number_with_a_space_is_refused_by_its_field(
    demo_settings: Settings,
) -> None:
    async with make_app(demo_settings).run_test(size=(80, 24)) as pilot:
        form = await open_ship_form(pilot)
        form.query_one("#ship-tracking", Input).focus()
        await pilot.press(*"1Z999AA1 0123456784", "ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is form  # nothing sent
        error = str(form.query_one("#err-tracking_number", Static).render())
        assert "tracking_number: must have no spaces" in error
        assert form.focused is form.query_one("#ship-tracking")


async def test_a_letter_in_a_quantity_is_refused_visibly(demo_settings: Settings) -> None:
    async with make_app(demo_settings).run_test(size=(80, 24)) as pilot:
        form = await open_ship_form(pilot)
        await pilot.press("end", "x")  # the first line's ship quantity has the focus
        line = form.lines[0]
        assert form.query_one(f"#{line.ship_id}", Input).value == "1"  # not taken...
        error = form.query_one(f"#{line.error_id}", Static)
        assert error.display and "-empty" not in error.classes  # ...and said, by its field
        assert str(error.render()) == "lines[BRW-T00004].ship: 'x' refused: a whole number only"


@pytest.mark.parametrize(("key", "verb"), [("c", "complete"), ("x", "reject")])
async def test_c_or_x_on_a_completed_return_refuses_without_a_form(
    demo_settings: Settings, key: str, verb: str
) -> None:
    from jettui.tui.screens.returns import RejectReturnModal

    opens = ReturnFormScreen if key == "c" else RejectReturnModal
    async with make_app(demo_settings).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        fill()
        JetReturn.update(state="completed").execute()
        await pilot.app.run_action("goto('returns')")
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert not isinstance(pilot.app.screen, opens)
        [note] = [n.message for n in pilot.app._notifications]
        assert note == f"Return {RETURN_ID}: already completed; nothing to {verb}."

        JetReturn.update(state="mirrored").execute()  # one that takes an answer: its form
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(pilot.app.screen, opens)


# --- configuration: the same keys as everywhere, refusals said, one escape -----------------


async def _config_field(pilot, dotted: str) -> Input:
    from jettui.tui.screens.configuration import ConfigurationScreen, field_id

    await settle(pilot)
    await pilot.press("0")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ConfigurationScreen)
    field = screen.query_one(f"#{field_id(dotted)}", Input)
    field.focus()
    await pilot.press("end")  # after the value, as a merchant clicking into it would be
    return field


async def test_a_digit_in_a_config_number_field_is_typed_not_a_panel_key(
    settings: Settings,
) -> None:
    async with make_app(settings).run_test(size=(80, 24)) as pilot:
        field = await _config_field(pilot, "sandbox.order_every_seconds")
        before = field.value
        await pilot.press("3")
        await pilot.pause()
        assert pilot.app.current_mode == "configuration"
        assert field.value == before + "3"
        await pilot.press("backspace", "ctrl+g", "3")  # a panel from a field: ctrl+g, digit
        await settle(pilot)
        assert pilot.app.current_mode == "orders"


@pytest.mark.parametrize(
    ("dotted", "typed", "takes"),
    [
        ("sandbox.order_every_seconds", "x", "a number"),
        ("cron.fetch_orders", "-", "a whole number"),
        ("cron.fetch_orders", "a", "a whole number"),
    ],
)
async def test_a_bad_character_in_a_config_number_field_is_refused_visibly(
    settings: Settings, dotted: str, typed: str, takes: str
) -> None:
    async with make_app(settings).run_test(size=(80, 24)) as pilot:
        field = await _config_field(pilot, dotted)
        before = field.value
        await pilot.press(typed)
        await pilot.pause()
        assert field.value == before
        problems = pilot.app.screen.query_one("#problems", Static)
        assert problems.display and problems.region.height > 0  # on screen at 80x24
        assert str(problems.render()) == f"✗ {dotted}: '{typed}' refused: {takes} only"


async def test_one_escape_leaves_the_configuration_from_a_field(settings: Settings) -> None:
    async with make_app(settings).run_test(size=(80, 24)) as pilot:
        await _config_field(pilot, "jet.timeout_seconds")
        await pilot.press("escape")  # nothing changed: straight off
        await settle(pilot)
        assert pilot.app.current_mode == "products"

        await _config_field(pilot, "jet.timeout_seconds")
        await pilot.press("5", "escape")  # a change: asked first, at once
        await pilot.pause()
        assert pilot.app.screen.id == "leave-form"
        await pilot.press("d")
        await settle(pilot)
        assert pilot.app.current_mode == "products"


# --- product edit: every problem at once, on top --------------------------------------------


async def open_product_edit(pilot, product_id: int = 2):
    from jettui.tui.screens.product_edit import ProductEditScreen

    await settle(pilot)
    screen = ProductEditScreen(product_id)
    await pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


async def test_product_edit_shows_every_problem_on_top(demo_settings: Settings) -> None:
    async with make_app(demo_settings).run_test(size=(80, 24)) as pilot:
        screen = await open_product_edit(pilot)
        screen.query_one("#edit-code", Input).value = "12345"  # no standard code
        screen.query_one("#edit-ship-level", Select).value = "Standard"
        screen.query_one("#edit-ship-type", Select).value = "exclusive"
        screen.query_one("#edit-ship-override", Select).value = "Override charge"
        amount = screen.query_one("#edit-ship-amount", Input)
        amount.value = "four"
        amount.focus()  # the form scrolled down to it, as when typing there
        await pilot.press("ctrl+s")
        await settle(pilot)
        box = screen.query_one("#edit-problems", Static)
        lines = str(box.render()).splitlines()
        assert len(lines) == 3 and lines[-1] == "Nothing saved.", lines
        assert lines[0].startswith("shipping amount: 'four' is not an amount")
        assert lines[1].startswith("standard_code: "), lines  # the second problem too
        assert box.region.y > 0 and box.region.bottom <= 24  # on screen, not below the fold


async def test_product_edit_return_days_refuses_a_letter_visibly(demo_settings: Settings) -> None:
    async with make_app(demo_settings).run_test(size=(80, 24)) as pilot:
        screen = await open_product_edit(pilot)
        days = screen.query_one("#edit-return-days", Input)
        days.focus()
        await pilot.press("2", "x")
        await pilot.pause()
        assert days.value == "2"
        box = screen.query_one("#edit-problems", Static)
        assert str(box.render()) == "return days: 'x' refused: a whole number only"
        assert 0 < box.region.y < 24
