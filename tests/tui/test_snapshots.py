"""SVG snapshots of every screen at 80x24, in the default theme and in jettui-16.

Data is deterministic (demo store with a fixed seed, file name only in the header, no clocks),
cursor blink is off (conftest). Update after a deliberate change with
`pytest tests/tui/test_snapshots.py --snapshot-update` and look at the report.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from jettui.config import Settings
from jettui.tui.panels import PANELS

from .conftest import make_app, settle

THEMES = ("jettui", "jettui-16")
CRONTAB = "*/5 * * * * /usr/local/bin/jettui --config /srv/jettui/settings.yaml cron due"


@pytest.fixture(autouse=True)
def _fixed_crontab_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cron screen shows absolute paths: fixed here so the snapshot is the same anywhere."""
    monkeypatch.setattr("jettui.tui.screens.cron.crontab_line", lambda _path: CRONTAB)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("panel", [p.id for p in PANELS])
def test_screen(snap_compare, demo_settings: Settings, panel: str, theme: str) -> None:
    async def open_panel(pilot: Pilot) -> None:
        await pilot.app.run_action(f"goto('{panel}')")
        await settle(pilot)

    assert snap_compare(make_app(demo_settings, theme), run_before=open_panel)


@pytest.mark.parametrize("theme", THEMES)
def test_help(snap_compare, demo_settings: Settings, theme: str) -> None:
    async def open_overlays(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("space", "down", "space", "question_mark")
        await settle(pilot)

    assert snap_compare(make_app(demo_settings, theme), run_before=open_overlays)


def test_go_menu(snap_compare, demo_settings: Settings) -> None:
    async def open_menu(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("5", "ctrl+g")
        await settle(pilot)

    assert snap_compare(make_app(demo_settings, "jettui-16"), run_before=open_menu)


@pytest.mark.parametrize("theme", THEMES)
def test_result_dialog_scrolled_to_its_end(snap_compare, demo_settings: Settings, theme) -> None:
    """A bulk result longer than the screen: every SKU reachable (here: its last lines)."""

    async def run_status(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("a", "t")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)

    assert snap_compare(make_app(demo_settings, theme), run_before=run_status)


@pytest.mark.parametrize("theme", THEMES)
def test_getting_started(snap_compare, demo_settings: Settings, theme: str) -> None:
    """First run, taxonomy fetched: step 1 ticked, the others waiting with their keys."""
    from jettui.store.db import open_store
    from jettui.store.jet_tables import JetTaxonomyNode

    db = open_store(demo_settings)
    JetTaxonomyNode.create(jet_node_id=4000001, name="Mugs", is_leaf=True)
    db.close()

    async def open_products(pilot: Pilot) -> None:
        await settle(pilot)

    assert snap_compare(make_app(demo_settings, theme), run_before=open_products)


def _map_demo_to_a_sandbox_node() -> None:
    """Every demo category → sandbox node 4000188 (Color, Material, Capacity), cached."""
    from jettui.jet.sandbox.engine import taxonomy
    from jettui.store.jet_tables import JetCategory, JetTaxonomyNode
    from jettui.store.opencart import Category

    node = 4000188
    JetTaxonomyNode.create(
        jet_node_id=node,
        name="Test node",
        path="Home & Kitchen > Test node",
        is_leaf=True,
        attributes=taxonomy()["attributes"][str(node)],
    )
    for category in Category.select():
        JetCategory.create(category_id=category.category_id, jet_node_id=node)


@pytest.mark.parametrize("scrolled", [False, True])
def test_product_edit(snap_compare, demo_settings: Settings, scrolled: bool) -> None:
    """The edit screen at 80x24: codes with the store's values as hints, then (scrolled) the
    shipping exception and the node's attributes."""

    async def open_edit(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.database()
        _map_demo_to_a_sandbox_node()
        await pilot.press("e")
        await settle(pilot)
        if scrolled:
            pilot.app.screen.query_one("#attr-unit-14").focus()
            pilot.app.screen.query_one("#edit-body").scroll_end(animate=False)
            await settle(pilot)

    assert snap_compare(make_app(demo_settings, "jettui-16"), run_before=open_edit)
