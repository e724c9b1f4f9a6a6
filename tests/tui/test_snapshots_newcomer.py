"""SVG snapshots at 80x24, both themes: the getting-started checklist of a newcomer who saved
the configuration and ran the API activation (steps 1 and 2 ticked, the rest waiting)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from jettui.config import Settings
from jettui.services.activation import STEPS, StepResult, _event_row

from .conftest import make_app, settle

THEMES = ("jettui", "jettui-16")


@pytest.mark.parametrize("theme", THEMES)
def test_getting_started_after_activation(
    snap_compare, demo_settings: Settings, theme: str
) -> None:
    from jettui.store.db import open_store
    from jettui.store.jet_tables import JetEvent

    db = open_store(demo_settings)
    for step in STEPS:
        JetEvent.create(**_event_row(StepResult(step, "ok", "done")))
    db.close()

    async def open_products(pilot: Pilot) -> None:
        await settle(pilot)

    assert snap_compare(make_app(demo_settings, theme), run_before=open_products)
