"""add_order_history moves stock exactly as OpenCart's addOrderHistory (OpenCart 3.0.3.8's
demo data; processing = 5,1,2,12,3, complete = 5,3), on SQLite and on MariaDB."""

from __future__ import annotations

import pytest

from jettui.store.errors import StoreError
from jettui.store.oc_orders import add_order_history, restock_lines, shop_context
from jettui.store.opencart import Order, OrderHistory, OrderProduct
from tests.shop_support import (
    new_order,
    product_qty,
    value_qty,
)

CANON, IPHONE, CINEMA, HP = 30, 40, 42, 47  # HP LP3065: subtract = 0
CANON_SELECT, CANON_RED = 226, 15  # product_option, product_option_value (qty 2, subtract 1)
CINEMA_RADIO, CINEMA_SMALL = 218, 5  # radio option value (qty 96, subtract 1)
CINEMA_SELECT, CINEMA_NO_SUBTRACT = 217, 1  # select option value (qty 100, subtract 0)


def stock() -> dict[str, int]:
    return {
        "canon": product_qty(CANON),
        "iphone": product_qty(IPHONE),
        "cinema": product_qty(CINEMA),
        "hp": product_qty(HP),
        "canon_red": value_qty(CANON_RED),
        "cinema_small": value_qty(CINEMA_SMALL),
        "cinema_no_subtract": value_qty(CINEMA_NO_SUBTRACT),
    }


def an_order() -> int:
    return new_order(
        [
            {"product_id": CANON, "quantity": 2, "options": [(CANON_SELECT, CANON_RED)]},
            {"product_id": CANON, "quantity": 1},  # the same product on a second line
            {"product_id": IPHONE, "quantity": 3},
            {
                "product_id": CINEMA,
                "quantity": 4,
                "options": [(CINEMA_RADIO, CINEMA_SMALL), (CINEMA_SELECT, CINEMA_NO_SUBTRACT)],
            },
            {"product_id": HP, "quantity": 5},
        ]
    )


def test_shop_context_reads_the_demo_settings(oc_settings, oc_db) -> None:
    shop = shop_context(oc_settings)
    assert shop.processing_status == {5, 1, 2, 12, 3}
    assert shop.complete_status == {5, 3}
    assert shop.currency_id == 2 and shop.currency_code == "USD" and shop.currency_value == 1
    assert shop.language_id == 1 and shop.customer_group_id == 1
    assert shop.store_name == "Your Store"
    assert shop.invoice_prefix.startswith("INV-") and shop.invoice_prefix.endswith("-00")
    assert shop.total_sort_order == {"sub_total": 1, "shipping": 3, "tax": 5, "total": 9}
    assert shop.stock_checkout is False


def test_entering_processing_takes_stock_once(oc_settings, oc_db) -> None:
    shop = shop_context(oc_settings)
    before = stock()
    order_id = an_order()
    change = add_order_history(order_id, 2, "imported", shop=shop)
    assert change.stock == -1 and change.old_status_id == 0
    after = stock()
    assert after == {
        **before,
        "canon": before["canon"] - 3,  # both lines of the product
        "iphone": before["iphone"] - 3,
        "cinema": before["cinema"] - 4,
        "hp": before["hp"],  # subtract = 0
        "canon_red": before["canon_red"] - 2,  # may go negative, as in OpenCart
        "cinema_small": before["cinema_small"] - 4,
        "cinema_no_subtract": before["cinema_no_subtract"],
    }
    order = Order.get_by_id(order_id)
    assert order.order_status_id == 2
    history = list(OrderHistory.select().where(OrderHistory.order_id == order_id))
    assert [(h.order_status_id, h.comment, h.notify) for h in history] == [(2, "imported", 0)]

    # processing → shipped (3) → complete (5): both in the set, stock untouched
    add_order_history(order_id, 3, "shipped", shop=shop)
    add_order_history(order_id, 5, "complete", shop=shop)
    assert stock() == after
    assert OrderHistory.select().where(OrderHistory.order_id == order_id).count() == 3


def test_cancel_puts_back_everything_taken(oc_settings, oc_db) -> None:
    shop = shop_context(oc_settings)
    before = stock()
    order_id = an_order()
    add_order_history(order_id, 2, "imported", shop=shop)
    change = add_order_history(order_id, 7, "cancelled", shop=shop)
    assert change.stock == 1
    assert stock() == before
    # cancelled → cancelled again, or to another status outside the set: nothing moves
    add_order_history(order_id, 7, "again", shop=shop)
    add_order_history(order_id, 11, "refunded", shop=shop)
    assert stock() == before
    assert Order.get_by_id(order_id).order_status_id == 11


def test_a_status_outside_the_set_takes_nothing(oc_settings, oc_db) -> None:
    shop = shop_context(oc_settings)
    before = stock()
    order_id = an_order()
    add_order_history(order_id, 10, "failed", shop=shop)  # Failed: not processing
    assert stock() == before
    add_order_history(order_id, 1, "pending", shop=shop)  # Pending is in the set (demo)
    assert stock()["iphone"] == before["iphone"] - 3


def test_expected_status_guards_a_concurrent_change(oc_settings, oc_db) -> None:
    shop = shop_context(oc_settings)
    before = stock()
    order_id = an_order()
    with pytest.raises(StoreError, match="not 2"):
        add_order_history(order_id, 7, "cancel", shop=shop, expected_status_id=2)
    assert stock() == before
    assert OrderHistory.select().where(OrderHistory.order_id == order_id).count() == 0
    with pytest.raises(StoreError, match="does not exist"):
        add_order_history(999_999, 2, "x", shop=shop)


def test_restock_lines_then_full_cancel_restores_exactly(oc_settings, oc_db) -> None:
    shop = shop_context(oc_settings)
    before = stock()
    order_id = an_order()
    add_order_history(order_id, 2, "imported", shop=shop)
    lines = {
        line.product_id: line.order_product_id
        for line in OrderProduct.select().where(OrderProduct.order_id == order_id)
        if line.quantity in (3, 4)
    }
    done = restock_lines(order_id, {lines[IPHONE]: 1, lines[CINEMA]: 10}, shop=shop)
    assert done == {lines[IPHONE]: 1, lines[CINEMA]: 4}  # capped at the line's quantity
    partly = stock()
    assert partly["iphone"] == before["iphone"] - 2
    assert partly["cinema"] == before["cinema"] and partly["cinema_small"] == before["cinema_small"]
    iphone_line = OrderProduct.get_by_id(lines[IPHONE])
    assert iphone_line.quantity == 2 and iphone_line.total == 2
    add_order_history(order_id, 7, "cancelled", shop=shop)
    assert stock() == before
