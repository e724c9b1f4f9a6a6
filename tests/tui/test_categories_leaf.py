"""The Categories screen at 80x24: mapping to a node with children (Books) is refused with one
warning line and nothing mapped; Jet lists products on leaf nodes only."""

from __future__ import annotations

from jettui.config import Settings
from jettui.store.jet_tables import JetCategory
from jettui.tui.screens.categories import CategoriesScreen
from jettui.tui.screens.taxonomy import TaxonomyPicker

from .conftest import make_app, settle


async def test_map_to_a_non_leaf_node_is_refused(demo_settings: Settings) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.run_action("goto('categories')")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CategoriesScreen)
        await pilot.press("T")
        await settle(pilot)

        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, TaxonomyPicker)
        await pilot.press(*"books")
        await settle(pilot)
        await pilot.press("home", "enter")  # the first row: Books itself (13000000)
        await settle(pilot)

        assert app.screen is screen
        last = app._notifications  # the newest note says why, in one line
        message = list(last)[-1].message
        assert message.startswith("Nothing changed: Jet node 13000000 (Books) is not a leaf")
        assert "\n" not in message
        assert JetCategory.select().count() == 0
