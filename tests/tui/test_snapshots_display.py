"""SVG snapshots of the screens issue 19's display items changed, in both themes: the order
detail scrolled to its lines (stacked) at 80x24 and 60x20, the Orders panel with the header's
state line (the same moment as the Ack-left cells), the Returns panel with completed returns
(outcome and amount refunded) and the Cron status panel at 60x20 ("never run", a readable
Result). The panels' clock is fixed (``frozen_clock``); the crontab line too.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from jettui.config import Settings
from tests.pilot_support import settle

from .conftest import make_app
from .orders_data import ORDERS, fill
from .test_display_returns import completed_returns

THEMES = ("jettui", "jettui-16")
CRONTAB = "*/5 * * * * /usr/local/bin/jettui --config /srv/jettui/settings.yaml cron due"


@pytest.fixture(autouse=True)
def _fixed_crontab_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("jettui.tui.screens.cron.crontab_line", lambda _path: CRONTAB)


def _order_lines(pages: int):
    async def run_before(pilot: Pilot) -> None:
        from jettui.tui.screens.order_detail import OrderDetailScreen

        await settle(pilot)
        fill()
        await pilot.app.push_screen(OrderDetailScreen(ORDERS[2][0]))
        await settle(pilot)
        for _ in range(pages):
            await pilot.press("pagedown")
        await settle(pilot)

    return run_before


async def _orders_with_header(pilot: Pilot) -> None:
    await settle(pilot)
    fill()
    await pilot.app.run_action("goto('orders')")
    await settle(pilot)
    pilot.app.screen.reload_rows()  # as after an action: rows and header from one moment
    await settle(pilot)


async def _completed_returns(pilot: Pilot) -> None:
    await settle(pilot)
    fill()
    completed_returns()
    await pilot.app.run_action("goto('returns')")
    await settle(pilot)


async def _cron(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.app.run_action("goto('cron')")
    await settle(pilot)


CASES = {
    "order_lines_80": ((80, 24), _order_lines(1)),
    "order_lines_60": ((60, 20), _order_lines(2)),
    "orders_header": ((80, 24), _orders_with_header),
    "returns_outcome": ((80, 24), _completed_returns),
    "cron_60": ((60, 20), _cron),
    "cron_80": ((80, 24), _cron),
}


@pytest.mark.usefixtures("frozen_clock")
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("case", list(CASES))
def test_display(snap_compare, demo_settings: Settings, case: str, theme: str) -> None:
    size, run_before = CASES[case]
    app = make_app(demo_settings, theme)
    app.show_state = case == "orders_header"
    assert snap_compare(app, run_before=run_before, terminal_size=size)
