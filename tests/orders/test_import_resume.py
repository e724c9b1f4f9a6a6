"""An import cut off right after the OpenCart order row (before the ledger knows its id) is
finished by the next fetch on that same row, with stock taken once; several orders written
together all end ``done`` with their lines and line accounts. On SQLite and MariaDB."""

from __future__ import annotations

from typing import Any

import pytest

from jettui.services.orders import import_write
from jettui.services.orders.importer import fetch_orders
from jettui.store.base import is_mysql
from jettui.store.jet_tables import JetOrder, JetOrderLine
from jettui.store.opencart import Order, OrderHistory, OrderProduct
from tests.shop_support import link_skus, list_on_jet, place_order, product_qty

IPHONE = 40


@pytest.fixture
async def shop(oc_settings, oc_db):
    link_skus()
    await list_on_jet(oc_settings)
    return oc_settings


async def test_order_row_without_ledger_id_is_finished_once(
    shop, oc_db, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = product_qty(IPHONE)
    [mid] = await place_order(shop, [("product 11", 2, 0)])
    real_insert_rows = import_write.insert_rows

    def cut_off(*_args: Any) -> None:
        raise RuntimeError("cut off after the order row")

    monkeypatch.setattr(import_write, "insert_rows", cut_off)
    first = await fetch_orders(shop, oc_db)
    assert first.exit_code != 0
    orders = list(Order.select().where(Order.comment.contains(mid)))
    if is_mysql(oc_db):  # MyISAM: the order row stays, the ledger does not have its id
        row = JetOrder.get(JetOrder.merchant_order_id == mid)
        assert (row.state, row.order_id) == ("intent", 0)
        assert [o.order_status_id for o in orders] == [0]  # written, stock not taken
    else:  # one transaction: nothing of the order is left
        assert orders == []
        assert JetOrder.get_or_none(JetOrder.merchant_order_id == mid) is None

    monkeypatch.setattr(import_write, "insert_rows", real_insert_rows)
    again = await fetch_orders(shop, oc_db)
    assert again.exit_code == 0, again.summary
    row = JetOrder.get(JetOrder.merchant_order_id == mid)
    assert row.state == "done"
    if orders:
        assert row.order_id == orders[0].order_id  # the same order row, found by its marker
    assert Order.select().where(Order.comment.contains(mid)).count() == 1
    assert product_qty(IPHONE) == before - 2
    assert OrderHistory.select().where(OrderHistory.order_id == row.order_id).count() == 1


async def test_orders_written_together_all_end_done_with_their_lines(shop, oc_db) -> None:
    mids = await place_order(shop, [("product 11", 1, 0)], count=9)
    report = await fetch_orders(shop, oc_db)
    assert report.exit_code == 0, report.summary
    assert sorted(i.item for i in report.items) == sorted(mids)
    for mid in mids:
        row = JetOrder.get(JetOrder.merchant_order_id == mid)
        assert row.state == "done"
        products = [
            p.order_product_id
            for p in OrderProduct.select()
            .where(OrderProduct.order_id == row.order_id)
            .order_by(OrderProduct.order_product_id)
        ]
        assert [line["order_product_id"] for line in row.lines] == products
        accounts = JetOrderLine.select().where(JetOrderLine.merchant_order_id == mid)
        assert sorted(a.order_product_id for a in accounts) == products
