"""Issue 19 item 18: the order detail stays readable at 80x24 and usable at 60x20. The lines
list (10 fields) is stacked, one field a row, instead of a table of 4-character columns with
SKUs broken over lines; the short Account table stays a table at 80; everything scrolls."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from jettui.tui.screens.order_detail import OrderDetailScreen, RecordsView, _account_row
from tests.pilot_support import settle

from .conftest import make_app
from .display_support import screen_text
from .orders_data import ORDERS, fill


async def _scrolled_text(pilot, pages: int = 8) -> str:
    """The detail's whole body, read a page at a time."""
    seen = [screen_text(pilot.app)]
    for _ in range(pages):
        await pilot.press("pagedown")
        await settle(pilot)
        seen.append(screen_text(pilot.app))
    return "\n".join(seen)


@pytest.mark.usefixtures("frozen_clock")
@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_order_lines_readable(demo_settings, size: tuple[int, int]) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        fill()
        app.push_screen(OrderDetailScreen(ORDERS[2][0]))
        await settle(pilot)
        text = await _scrolled_text(pilot)
    for sku, title in (("BRW-T00004", "Brew teapot"), ("ACM-WB00002", "Acme water bottle")):
        assert re.search(rf"Merchant sku +{sku} ", text), text
        assert re.search(rf"Title +{title} ", text)
    if size[0] >= 80:
        assert re.search(r"Order item id +0{31}1 ", text)  # Jet's id whole, on one line
    else:  # at 60 the 32-character id folds onto a second row, the label beside it
        assert re.search(r"Order item id +0{20,}", text)
    assert re.search(r"Unit price +19\.99 ", text)
    assert "Titl" not in text.replace("Title", "")  # no header broken into pieces


@pytest.mark.parametrize(("width", "stacked"), [(76, False), (56, True)])
def test_account_stays_a_table_at_80(width: int, stacked: bool) -> None:
    """The Account list (short columns made for 80) is a table in the 76 columns the detail
    gives it at 80, stacked at 60."""
    account = {"order_item_id": "0" * 31 + "2", "merchant_sku": "ACM-WB00002", "ordered": 3,
               "shipped": 3, "cancelled": 0, "returned": 0, "refunded": 3, "refundable": 0,
               "refunded_dollars": "37.50"}  # fmt: skip
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(RecordsView("Account", [_account_row(account)]))
    text = console.export_text()
    assert (re.search(r"ACM-WB00002 …0002 +│ 3 ", text) is None) is stacked, text
    assert (re.search(r"Line +ACM-WB00002 …0002", text) is not None) is stacked, text
