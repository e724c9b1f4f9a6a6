"""Issue 19 item 16 in the dashboard: every grid's cells pass jettui.text_safety.safe_text
(QuerySource), so a buyer name holding terminal escapes reaches the screen as inert text."""

from __future__ import annotations

from jettui.config import Settings
from jettui.store.jet_tables import JetOrder
from jettui.text_safety import safe_text
from tests.pilot_support import grid_rows

from .conftest import make_app, settle

HOSTILE = "\x1b]0;PWNED\x07\x1b[2J\x1b[31mEve\tEvil\u202eX"


async def test_a_hostile_buyer_name_is_inert_on_the_orders_panel(demo_settings: Settings) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        JetOrder.create(merchant_order_id="JO-1", status="acknowledged", state="done",
                        raw={"buyer": {"name": HOSTILE}})  # fmt: skip
        await app.run_action("goto('orders')")
        await settle(pilot)
        [row] = grid_rows(app)
        assert row[2] == safe_text(HOSTILE) == "\\x1b]0;PWNED\\x07\\x1b[2J\\x1b[31mEve Evil\\u202eX"
        for cell in row:
            assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c == "\u202e" for c in cell)


def test_the_saved_result_csv_holds_jets_words_inert() -> None:
    import csv
    import io

    from jettui.tui.screens.bulk_action import as_csv

    reason = "Invalid SKU\x1b[2J\r\nsee\u202eJet"
    text = as_csv([{"sku": "A-1", "outcome": "failed", "jet_status": "", "reason": reason}])
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["reason"] == "Invalid SKU\\x1b[2J see\\u202eJet"
    assert "\x1b" not in text and "\u202e" not in text
