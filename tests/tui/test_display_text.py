"""Issue 19 item 1: every character of a text reaches the screen. The order detail's tables,
the grids (BulkTable) and the row detail show a text holding every printable ASCII character
as it is: no letter read as a date's "T", no "[...]" read as markup."""

from __future__ import annotations

import pytest

from jettui.store.jet_tables import JetOrder, JetReturn
from jettui.tui.screens.order_detail import OrderDetailScreen
from tests.pilot_support import settle

from .conftest import make_app
from .display_support import PRINTABLE, region_text, screen_text, squeezed
from .orders_data import ORDERS, RETURN_ID, fill

WIDE = (320, 60)  # wide enough for the text on one line in every cell


def _order_with(text: str, sku: str) -> None:
    order = JetOrder.get(JetOrder.merchant_order_id == ORDERS[2][0])
    raw = dict(order.raw)
    raw["order_items"][0].update(product_title=text, merchant_sku=sku)
    raw["buyer"] = {"name": text}
    order.raw = raw
    order.save()


@pytest.mark.usefixtures("frozen_clock")
@pytest.mark.parametrize("theme", ["jettui", "jettui-16"])
async def test_order_detail_tables_show_every_character(demo_settings, theme) -> None:
    app = make_app(demo_settings, theme)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        fill()
        _order_with(PRINTABLE, "VLT-S00010")
        app.push_screen(OrderDetailScreen(ORDERS[2][0]))
        await settle(pilot)
        shown = screen_text(app)
        assert PRINTABLE in shown  # the title cell of the lines table
        assert "VLT-S00010" in shown


@pytest.mark.usefixtures("frozen_clock")
async def test_grids_show_every_character(demo_settings) -> None:
    """Orders (buyer), Rejected orders (reason), Returns (reason) and the row detail."""
    app = make_app(demo_settings)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        fill()
        _order_with(PRINTABLE, "T-SHIRT-T")
        JetOrder.update(error=PRINTABLE).where(JetOrder.state == "held").execute()
        ret = JetReturn.get(JetReturn.merchant_return_authorization_id == RETURN_ID)
        raw = dict(ret.raw)
        raw["return_merchant_SKUs"][0]["reason"] = PRINTABLE
        ret.raw = raw
        ret.save()
        for panel in ("orders", "rejected_orders", "returns"):
            await app.run_action(f"goto('{panel}')")
            await settle(pilot)
            assert PRINTABLE in screen_text(app), panel
        await pilot.press("enter")  # the return's record detail
        await settle(pilot)
        assert PRINTABLE in screen_text(app)
        await app.run_action("goto('rejected_orders')")
        await settle(pilot)
        await pilot.press("enter")  # the held order in full: its reason
        await settle(pilot)
        assert PRINTABLE in screen_text(app)


async def test_row_detail_shows_every_character(demo_settings) -> None:
    from jettui.services.listing import Column
    from jettui.tui.screens.detail import RowDetailScreen

    app = make_app(demo_settings)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        columns = [Column("sku", "SKU"), Column("name", "Title")]
        await app.push_screen(RowDetailScreen("Row", columns, ["VLT-S00010", PRINTABLE]))
        await settle(pilot)
        shown = region_text(app, "#detail-body")  # 72 columns: the text wraps
        assert squeezed(PRINTABLE) in squeezed(shown)
        assert "VLT-S00010" in shown


def test_dates_are_formatted_not_edited() -> None:
    """The detail formats a date itself; a text that merely looks like one keeps its 'T'."""
    import datetime as dt

    from jettui.tui.screens.order_detail import _plain

    assert _plain(dt.datetime(2026, 11, 29, 12, 4, tzinfo=dt.UTC)) == "2026-11-29 12:04 UTC"
    assert _plain(dt.datetime(2026, 11, 29, 12, 4)) == "2026-11-29 12:04"
    assert _plain(dt.date(2026, 11, 29)) == "2026-11-29"
    for text in ("Sub-Total", "VLT-S00010", "Threadline", "T", PRINTABLE):
        assert _plain(text) == text
