"""Issue 19 item 3: on the Returns panel (80x24) a rejected return no longer looks refunded:
the Outcome column says how each completed return ended and what it actually refunded, and
enter shows both in the return's detail."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from jettui.store.jet_tables import JetReturn
from tests.pilot_support import settle

from .conftest import make_app
from .display_support import screen_text
from .orders_data import ORDERS, RETURN_ID, fill

#: return id → (refund units, principal refunded, rejected)
COMPLETED = {
    "1b" * 16: (1, "19.99", False),
    "2c" * 16: (0, "0", True),
    "3d" * 16: (1, "5.00", False),
}


def completed_returns() -> None:
    """Three copies of the fixtures' return, completed: refunded in full, rejected, partly."""
    base = JetReturn.get(JetReturn.merchant_return_authorization_id == RETURN_ID)
    for n, (return_id, (units, principal, rejected)) in enumerate(COMPLETED.items()):
        line = {"sku": "BRW-T00004", "order_item_id": f"{1:032x}", "quantity_returned": 1,
                "refund_quantity": units, "feedback": None,
                "amounts": {"principal": principal, "tax": "0", "shipping_cost": "0",
                            "shipping_tax": "0"}}  # fmt: skip
        JetReturn.create(
            merchant_return_authorization_id=return_id, merchant_order_id=ORDERS[2][0],
            return_ids=[10 + n], status="completed by merchant", state="completed",
            raw={**base.raw, "merchant_return_authorization_id": return_id},
            completion={"rejected": rejected, "lines": [line]},
            created_at=dt.datetime(2026, 11, 29, 10, n),
        )  # fmt: skip


@pytest.mark.usefixtures("frozen_clock")
async def test_returns_panel_shows_outcome_and_amount_refunded(demo_settings) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        fill()
        completed_returns()
        await app.run_action("goto('returns')")
        await settle(pilot)
        lines = screen_text(app).splitlines()
        assert "Outcome" in lines[1]
        shown = {rid: next(line for line in lines if line.strip().startswith(rid[:6]))
                 for rid in [*COMPLETED, RETURN_ID]}  # fmt: skip
        assert "refunded 19.99" in shown["1b" * 16]
        assert "rejected 0.00" in shown["2c" * 16]
        assert "partly 5.00" in shown["3d" * 16]
        assert not any(word in shown[RETURN_ID] for word in ("refunded", "rejected", "partly"))

        for _ in range(4):  # down to the rejected one (newest first: the fixtures' is first)
            if app.screen.query_one("GridTable").cursor_cells[0] == "2c" * 16:
                break
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        detail = screen_text(app)
        assert re.search(r"Requested total +19\.99 ", detail)
        assert re.search(r"Outcome +rejected ", detail)
        assert re.search(r"Refunded total +0\.00 ", detail)
