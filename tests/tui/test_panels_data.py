"""Panels over jettui's own tables show their rows (orders split from rejected orders, ...)."""

from __future__ import annotations

from datetime import datetime

from jettui.config import Settings
from jettui.store.jet_tables import JetFile, JetOrder, JetRefund, JetReturn, log_event
from jettui.tui.screens.base import GridTable

from .conftest import make_app, settle

WHEN = datetime(2026, 3, 1, 9, 30)


def _fill_jet_tables() -> None:
    JetOrder.create(merchant_order_id="JO-1", status="acknowledged", state="done", order_id=0,
                    order_placed_date=WHEN)  # fmt: skip
    JetOrder.create(merchant_order_id="JO-2", status="ready", state="rejected", error="no SKU")
    JetOrder.create(merchant_order_id="JO-3", status="ready", state="held", error="stock")
    JetReturn.create(merchant_return_authorization_id="RA-1", merchant_order_id="JO-1")
    JetRefund.create(refund_id="RF-1", merchant_order_id="JO-1", amount=12.5, created_at=WHEN)
    JetFile.create(file_type="MerchantSKUs", file_name="skus.json", error_count=2, sku_count=5)
    JetFile.create(file_type="Price", file_name="price.json", error_count=0, sku_count=5)
    log_event("product", "sent 5 SKUs", ref="ACM-1")


async def test_panels_list_rows_of_the_jet_tables(demo_settings: Settings) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _fill_jet_tables()
        expected = {
            "orders": {"JO-1"},
            "rejected_orders": {"JO-2", "JO-3"},
            "returns": {"RA-1"},
            "refunds": {"RF-1"},
            "rejected_files": {"skus.json"},
            "logs": {"sent 5 SKUs"},
        }
        for panel, texts in expected.items():
            await app.run_action(f"goto('{panel}')")
            await settle(pilot)
            table = app.screen.query_one(GridTable)
            assert table.row_count == len(texts), panel
            cells = {cell for _, row in table.source.fetch("", None, False, 0, 10) for cell in row}
            assert texts <= cells, (panel, cells)
        await app.run_action("goto('refunds')")
        rows = app.screen.query_one(GridTable).source.fetch("", None, False, 0, 1)
        order, _lines, amount, _reason, state, _updated, refund_id = rows[0][1]
        assert (order, amount, state, refund_id) == ("JO-1", "12.50", "sending", "RF-1")
