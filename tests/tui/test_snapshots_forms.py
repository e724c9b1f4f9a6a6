"""SVG snapshots at 80x24, both themes, of the forms of issue 19: the ship form with its
carrier picker focused (Jet's directed cancel said on its line), the configuration panel with a
refused character said by its field, and the product edit with two problems shown on top.

Update after a deliberate change with
`pytest tests/tui/test_snapshots_forms.py --snapshot-update` and look at the report.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select

from jettui.config import Settings
from jettui.tui.screens.configuration import field_id

from .conftest import make_app, settle
from .test_forms import READING_ORDER, open_product_edit, open_ship_form

THEMES = ("jettui", "jettui-16")


@pytest.mark.usefixtures("frozen_clock")
@pytest.mark.parametrize("theme", THEMES)
def test_ship_form_with_a_focused_picker(snap_compare, demo_settings: Settings, theme) -> None:
    async def tab_to_the_carrier(pilot: Pilot) -> None:
        await open_ship_form(pilot)
        await pilot.press(*["tab"] * READING_ORDER.index("ship-carrier"))
        await settle(pilot)

    assert snap_compare(make_app(demo_settings, theme), run_before=tab_to_the_carrier)


@pytest.mark.parametrize("theme", THEMES)
def test_configuration_refusing_a_letter(snap_compare, settings: Settings, theme) -> None:
    async def type_a_letter(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("0")
        await settle(pilot)
        pilot.app.screen.query_one(f"#{field_id('jet.timeout_seconds')}", Input).focus()
        await pilot.press("end", "x")
        await settle(pilot)

    assert snap_compare(make_app(settings, theme), run_before=type_a_letter)


@pytest.mark.parametrize("theme", THEMES)
def test_product_edit_with_two_problems(snap_compare, demo_settings: Settings, theme) -> None:
    async def save_two_problems(pilot: Pilot) -> None:
        screen = await open_product_edit(pilot)
        screen.query_one("#edit-code", Input).value = "12345"
        screen.query_one("#edit-ship-level", Select).value = "Standard"
        screen.query_one("#edit-ship-type", Select).value = "exclusive"
        screen.query_one("#edit-ship-override", Select).value = "Override charge"
        screen.query_one("#edit-ship-amount", Input).value = "four"
        screen.query_one("#edit-code", Input).focus()
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(make_app(demo_settings, theme), run_before=save_two_problems)
