"""The order detail screen (80x24) lists each Jet order line's account: units shipped,
refunded, still refundable, and the dollars refunded."""

from __future__ import annotations

from rich.console import Console

from jettui.config import Settings
from jettui.tui.app import JettuiApp
from jettui.tui.screens.order_detail import RecordDetailScreen, render_detail
from tests.pilot_support import grid_rows, settle


async def test_the_order_detail_lists_each_lines_account(shop: Settings) -> None:
    from jettui.services.refunds import create_refund
    from jettui.store.db import connect, ensure_jet_tables
    from tests.returns.support import shipped_order

    db = connect(shop)
    ensure_jet_tables(db)
    try:
        jet_id = await shipped_order(shop, db, {"HRT-SWL00001": 2, "HRT-TM00002": 1})
        result = await create_refund(shop, db, jet_id, {"HRT-SWL00001": 1}, "Unwanted gift",
                                     "Item damaged")  # fmt: skip
        assert result.outcome == "succeeded", result.reason
    finally:
        db.close()
    app = JettuiApp(shop, environ={"COLORTERM": "truecolor"})
    async with app.run_test(size=(80, 24)) as pilot:
        await app.run_action("goto('orders')")
        await settle(pilot)
        assert grid_rows(app)[0][0] == jet_id
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RecordDetailScreen) and screen.detail is not None
        rows = [(a["line"].split()[0], a["ship"], a["refd"], a["left"], a["$ refunded"])
                for a in screen.detail["account"]]  # fmt: skip
        assert rows == [("HRT-SWL00001", 2, 1, 1, "65.99"), ("HRT-TM00002", 1, 0, 1, "0.00")]
        console = Console(width=78, record=True)  # the screen's body inside its border
        console.print(render_detail(screen.detail))
        table = console.export_text().split("Account", 1)[1]
        assert "$ refunded" in table and "65.99" in table
        assert "HRT-SWL00001" in table  # the SKU is not folded: the columns fit
