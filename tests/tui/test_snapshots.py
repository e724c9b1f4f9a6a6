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
