"""The OpenCart side of a Jet return on the real OpenCart 3.0.3.8 schema and demo data (SQLite
and MariaDB): rows as the admin's Sales → Returns shows them, written once however often the
mirror runs, reasons created when the shop lacks them, stock back up once on restock."""

from __future__ import annotations

import datetime as _dt

import pytest

from jettui.store.oc_orders import shop_context, take_line_down
from jettui.store.oc_returns import (
    MirroredLine,
    complete_return_rows,
    mirror_return,
    named_status_id,
    reason_id,
)
from jettui.store.opencart import Return, ReturnHistory, ReturnReason
from tests.returns.support import buyer_order, row_dicts
from tests.shop_support import CANON, CANON_BLUE, IPHONE, product_qty, value_qty

RID = "a10b4b28467c490984e0b387e1cc2d9a"
PLACED = _dt.datetime(2026, 11, 20, 9, 30, 0)
LINES = [
    MirroredLine("1" * 32, "CANON-RED", "Canon EOS 5D", "Item arrived damaged - box intact", 2,
                 "principal 20.00"),
    MirroredLine("2" * 32, "IPHONE", "iPhone", "Received the wrong item", 1, "principal 10.00"),
]  # fmt: skip


def test_one_return_row_per_line_with_history_written_once(oc_db) -> None:
    order_id, _lines = buyer_order(PLACED)
    ids = mirror_return(RID, "472718524581", order_id, LINES)
    assert len(ids) == 2
    rows = row_dicts(Return, Return.order_id == order_id)
    assert [r["return_id"] for r in rows] == ids
    canon, iphone = rows
    assert canon["product_id"] == CANON and iphone["product_id"] == IPHONE
    assert (canon["product"], canon["model"], canon["quantity"]) == ("Canon EOS 5D", "Product 3", 2)
    assert (iphone["product"], iphone["model"], iphone["quantity"]) == ("iPhone", "product 11", 1)
    for row in rows:
        assert (row["firstname"], row["lastname"]) == ("Jane", "Doe & Co")  # unescaped on read
        assert (row["email"], row["telephone"]) == ("jd@customer.jet.com", "5555550100")
        assert row["customer_id"] == 0 and row["opened"] == 0 and row["return_action_id"] == 0
        assert row["return_status_id"] == 2  # config_return_status_id: Awaiting Products
        assert row["date_ordered"] == PLACED.date()
        assert RID in row["comment"]
    assert canon["return_reason_id"] == 1  # Dead On Arrival
    assert iphone["return_reason_id"] == 2  # Received Wrong Item
    history = row_dicts(ReturnHistory, ReturnHistory.return_id.in_(ids))
    assert [h["return_id"] for h in history] == ids
    assert all(h["return_status_id"] == 2 and RID in h["comment"] for h in history)

    assert mirror_return(RID, "472718524581", order_id, LINES) == ids  # a re-run writes nothing
    assert Return.select().where(Return.order_id == order_id).count() == 2
    assert ReturnHistory.select().where(ReturnHistory.return_id.in_(ids)).count() == 2


def test_a_run_killed_half_way_is_finished_without_a_second_row(oc_db) -> None:
    order_id, _lines = buyer_order(PLACED)
    first = mirror_return(RID, "r", order_id, LINES[:1])  # as if killed after the first line
    ids = mirror_return(RID, "r", order_id, LINES)
    assert ids[0] == first[0]
    assert Return.select().where(Return.order_id == order_id).count() == 2


def test_a_sku_not_on_the_order_writes_nothing(oc_db) -> None:
    from jettui.store.errors import StoreError

    order_id, _lines = buyer_order(PLACED)
    bad = MirroredLine("3" * 32, "NOPE", "Nope", "Accidental order", 1, "0.00")
    with pytest.raises(StoreError, match="'NOPE' is not on OpenCart order"):
        mirror_return(RID, "r", order_id, [LINES[0], bad])
    assert Return.select().where(Return.order_id == order_id).count() == 0


def test_reason_missing_from_the_shop_is_created_for_every_language(oc_db) -> None:
    ReturnReason.delete().where(ReturnReason.name == "Order Error").execute()
    new_id = reason_id("Accidental order")
    assert new_id == 6  # MAX(return_reason_id) + 1 on the demo data
    assert reason_id("Wrong quantity received") == new_id  # found, not created twice
    assert ReturnReason.select().where(ReturnReason.name == "Order Error").count() == 1
    custom = reason_id("Unwanted gift", {"Unwanted gift": "Gift return"})
    assert ReturnReason.get(ReturnReason.return_reason_id == custom).name == "Gift return"


def test_completion_moves_rows_once_and_restock_puts_units_back(oc_db) -> None:
    order_id, lines = buyer_order(PLACED)
    ids = mirror_return(RID, "r", order_id, LINES)
    complete = named_status_id("Complete")
    comments = {ids[0]: "refunded 2 units", ids[1]: "refunded 1 unit"}
    for _ in range(2):
        complete_return_rows(RID, ids, comments, status_id=complete, action_id=1)
    rows = row_dicts(Return, Return.order_id == order_id)
    assert {(r["return_status_id"], r["return_action_id"]) for r in rows} == {(3, 1)}
    done = row_dicts(ReturnHistory, ReturnHistory.comment.contains("completed"))
    assert [(h["return_id"], h["return_status_id"]) for h in done] == [(ids[0], 3), (ids[1], 3)]
    assert "refunded 2 units" in done[0]["comment"]

    # a return's restock brings the line down, in one guarded statement: a second try moves
    # nothing (the line no longer holds the units it read)
    shop = shop_context()
    before = product_qty(CANON), value_qty(CANON_BLUE), product_qty(IPHONE)
    for _ in range(2):
        take_line_down(order_id, lines["CANON-RED"], 2, 0, shop=shop)
        take_line_down(order_id, lines["IPHONE"], 1, 0, shop=shop)
        assert (product_qty(CANON), value_qty(CANON_BLUE), product_qty(IPHONE)) == (
            before[0] + 2, before[1] + 2, before[2] + 1,
        )  # fmt: skip
