"""SVG snapshots at 80x24, both themes, of the orders, rejected orders, returns and refunds
panels over fixed rows (tests/tui/orders_data.py), and of their forms and the order detail.

The panels' clock is fixed (``frozen_clock``), so "Ack left" reads the same on every run.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from jettui.config import Settings

from .conftest import make_app, settle
from .orders_data import fill

THEMES = ("jettui", "jettui-16")


def _opened(panel: str, *keys: str):
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        fill()
        await pilot.app.run_action(f"goto('{panel}')")
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)

    return run_before


CASES = {
    "orders": _opened("orders"),
    "rejected_orders": _opened("rejected_orders"),
    "returns": _opened("returns"),
    "refunds": _opened("refunds"),
    "order_detail": _opened("orders", "enter"),
    "ship_form": _opened("orders", "p"),
    "return_form": _opened("returns", "c"),
    "refund_form": _opened("refunds", "c"),
}


@pytest.mark.usefixtures("frozen_clock")
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("case", list(CASES))
def test_orders_screens(snap_compare, demo_settings: Settings, case: str, theme: str) -> None:
    assert snap_compare(make_app(demo_settings, theme), run_before=CASES[case])
