"""Issue 19 item 2: every number on the Orders panel and in the header comes from one moment,
after an action and on the panel's timer; other panels show what a fetch changed at once."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from jettui.services.orders import deadlines
from jettui.store.jet_tables import JetOrder
from tests.pilot_support import settle

from .conftest import make_app
from .display_support import Clock, screen_lines
from .orders_data import ORDERS, fill, raw_order


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The panels' clock (and so the header's: status.clock follows it), moved by the test."""
    moving = Clock()
    monkeypatch.setattr(deadlines, "clock", moving)
    return moving


def _header(app) -> str:
    return screen_lines(app)[0]


def _ack_cells(app) -> list[str]:
    """The Ack-left cells of the ready orders the grid shows (``! 4m``, ``13m``, ``late 2m``)."""
    cells = []
    for line in screen_lines(app)[2:]:
        found = re.search(r" ready +(late \S+|! \d+m|\d+h\d\dm|\d+m)\b", line)
        if found:
            cells.append(found.group(1))
    return cells


def _app(settings):
    app = make_app(settings)
    app.show_state = True  # the header's state line, as `jettui` runs it
    return app


async def test_ack_left_and_header_count_down_together(demo_settings, clock: Clock) -> None:
    app = _app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        fill()
        JetOrder.delete().where(JetOrder.state == "held").execute()  # on Rejected orders
        await app.run_action("goto('orders')")
        await settle(pilot)
        app.screen.reload_rows()  # what an action does
        await settle(pilot)
        assert sorted(_ack_cells(app)) == ["! 4m", "late 15m"]
        assert "2 to ack, 15m late" in _header(app)
        clock.advance(3)
        app.screen._tick()  # the panel's timer (every 30 s)
        await settle(pilot)
        assert sorted(_ack_cells(app)) == ["! 1m", "late 18m"]
        assert "2 to ack, 18m late" in _header(app)


async def test_after_fetch_the_header_counts_the_rows(
    demo_settings, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """f brings 4 ready orders: the header says 4 to ack as soon as the rows show."""

    async def fetched(settings, db, names, **kwargs):
        for n in range(4):
            jet_id = f"{n:032x}"
            ready = (clock.now - dt.timedelta(minutes=2 + n)).strftime("%Y-%m-%dT%H:%M:%S.0000000Z")
            raw = raw_order(jet_id, f"2000{n}", "ready", "Ada", [("SKU-1", "Mug", 1, 5)], ready)
            JetOrder.create(merchant_order_id=jet_id, reference_order_id=f"2000{n}",
                            status="ready", state="done", order_id=0, raw=raw)  # fmt: skip
        return []

    monkeypatch.setattr("jettui.services.jobs.run_jobs", fetched)
    app = _app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.run_action("goto('orders')")
        await settle(pilot)
        assert "0 to ack" in _header(app)
        await pilot.press("f")
        await settle(pilot)
        cells = _ack_cells(app)
        assert sorted(cells) == ["10m", "11m", "12m", "13m"]
        assert "4 to ack in 10m" in _header(app)


async def test_rejected_orders_show_a_fetch_made_on_orders(
    demo_settings, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def fetched(settings, db, names, **kwargs):
        fill()
        return []

    monkeypatch.setattr("jettui.services.jobs.run_jobs", fetched)
    app = _app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.run_action("goto('products')")
        await settle(pilot)
        assert "○ 6.   Watch orders arrive" in "\n".join(screen_lines(app))
        await app.run_action("goto('rejected_orders')")
        await settle(pilot)
        assert ORDERS[3][0][:10] not in "\n".join(screen_lines(app))
        await app.run_action("goto('orders')")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await app.run_action("goto('rejected_orders')")
        await settle(pilot)
        assert ORDERS[3][0][:10] in "\n".join(screen_lines(app))  # the held order, no ctrl+r
        await app.run_action("goto('products')")
        await settle(pilot)
        assert "✓ 6.   Watch orders arrive" in "\n".join(screen_lines(app))


def test_a_long_late_order_fits_its_cell() -> None:
    """The Ack-left column is 8 wide: days late read "late 8d", not a cut "late 20…"."""
    deadline = dt.datetime(2026, 11, 29, 12, 4, tzinfo=dt.UTC)
    for hours, cell in ((3, "late 3h"), (47, "late 47h"), (48, "late 2d"), (200, "late 8d")):
        shown = deadlines.time_left(deadline, deadline + dt.timedelta(hours=hours), 15)
        assert shown == cell and len(shown) <= 8
