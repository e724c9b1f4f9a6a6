"""An order for a combination child (a product with two select options, uploaded as one Jet
SKU per combination) becomes one OpenCart line with one ``order_option`` per option value,
and stock moves for the product and every value: taken once, put back on cancel (whole or
partial). SQLite and MariaDB with OpenCart 3.0.3.8's demo data."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jettui.services.orders.importer import fetch_orders
from jettui.store.combination import combination_slot
from jettui.store.jet_tables import JetOrder
from jettui.store.oc_orders import add_order_history, restock_lines, shop_context
from jettui.store.opencart import OrderProduct, ProductOptionValue
from jettui.store.order_lines import find_order_line, lines_for_skus
from tests.catalog.test_real_store import add_second_option
from tests.shop_support import (
    link_skus,
    list_on_jet,
    order_options,
    place_order,
    product_qty,
    value_qty,
)

CANON, CANON_SELECT, CANON_RED = 30, 226, 15  # Canon EOS 5D, its Select option, Red (qty 2)


@pytest.fixture
async def combos(oc_settings, oc_db) -> dict[str, int]:
    """Canon gets a second select option (Colour: Green qty 7, Black qty 0); the two
    combination children Red+Green and Red+Black linked and listed as an upload leaves them."""
    option_id = add_second_option(CANON, [("Green", "+0", 7, 1), ("Black", "+0", 0, 1)])
    green, black = (
        v.product_option_value_id
        for v in ProductOptionValue.select()
        .where(ProductOptionValue.option_id == option_id)
        .order_by(ProductOptionValue.product_option_value_id)
    )
    link_skus(
        {
            "CANON-RED-GREEN": (CANON, combination_slot([CANON_RED, green])),
            "CANON-RED-BLACK": (CANON, combination_slot([CANON_RED, black])),
        }
    )
    await list_on_jet(oc_settings, {"CANON-RED-GREEN": 99.0, "CANON-RED-BLACK": 97.0})
    return {"green": green, "black": black, "option_id": option_id}


def stock(green: int) -> dict[str, int]:
    return {"canon": product_qty(CANON), "red": value_qty(CANON_RED), "green": value_qty(green)}


async def test_a_combination_child_becomes_one_line_with_an_option_per_value(
    oc_settings, oc_db, combos
) -> None:
    green = combos["green"]
    before = stock(green)
    [mid] = await place_order(oc_settings, [("CANON-RED-GREEN", 2, 0)])

    report = await fetch_orders(oc_settings, oc_db)
    assert report.exit_code == 0, report.summary
    row = JetOrder.get(JetOrder.merchant_order_id == mid)
    assert row.state == "done", row.error
    [line] = OrderProduct.select().where(OrderProduct.order_id == row.order_id)
    assert (line.product_id, line.quantity, line.name) == (CANON, 2, "Canon EOS 5D")
    assert (line.price, line.total) == (Decimal("99.0000"), Decimal("198.0000"))
    colour_po = (
        ProductOptionValue.select(ProductOptionValue.product_option_id)
        .where(ProductOptionValue.product_option_value_id == green)
        .scalar()
    )
    assert order_options(row.order_id) == [
        (line.order_product_id, CANON_SELECT, CANON_RED, "Select", "Red", "select"),
        (line.order_product_id, colour_po, green, "Colour", "Green", "select"),
    ]
    [ledger_line] = row.lines
    assert ledger_line["order_product_id"] == line.order_product_id
    assert sorted(ledger_line["option_value_ids"]) == sorted([CANON_RED, green])
    taken = stock(green)

    # ship and return forms find the line from the SKU alone (no ledger id)
    assert lines_for_skus(row.order_id, ["CANON-RED-GREEN", "CANON-RED-BLACK"]) == {
        0: line.order_product_id  # CANON-RED-GREEN; CANON-RED-BLACK was not ordered
    }
    found = find_order_line(row.order_id, "CANON-RED-GREEN")
    assert found is not None and found.order_product_id == line.order_product_id
    assert sorted(found.option_value_ids) == sorted([CANON_RED, green])
    assert find_order_line(row.order_id, "CANON-RED-BLACK") is None
    assert taken == {k: v - 2 for k, v in before.items()}

    # a second run moves nothing again
    again = await fetch_orders(oc_settings, oc_db)
    assert again.exit_code == 0, again.summary
    assert stock(green) == taken

    # one unit cancelled after the import (ship side): the product and both values get it
    shop = shop_context(oc_settings)
    assert restock_lines(row.order_id, {line.order_product_id: 1}, shop=shop) == {
        line.order_product_id: 1
    }
    assert stock(green) == {k: v - 1 for k, v in before.items()}

    # the merchant cancels the order in OpenCart: the rest goes back to all three
    change = add_order_history(row.order_id, 7, "cancelled", shop=shop)
    assert change.stock == 1
    assert stock(green) == before


async def test_a_combination_cancelled_whole_in_opencart_restocks_every_value(
    oc_settings, oc_db, combos
) -> None:
    green = combos["green"]
    before = stock(green)
    [mid] = await place_order(oc_settings, [("CANON-RED-GREEN", 1, 0)])
    report = await fetch_orders(oc_settings, oc_db)
    assert report.exit_code == 0, report.summary
    row = JetOrder.get(JetOrder.merchant_order_id == mid)
    assert stock(green) == {k: v - 1 for k, v in before.items()}
    add_order_history(row.order_id, 7, "cancelled", shop=shop_context(oc_settings))
    assert stock(green) == before


async def test_a_combination_value_out_of_stock_or_deleted_is_refused(
    oc_settings, oc_db, combos
) -> None:
    green = combos["green"]
    before = stock(green)
    [empty] = await place_order(oc_settings, [("CANON-RED-BLACK", 1, 0)])
    report = await fetch_orders(oc_settings, oc_db)
    reasons = {i.item: i.reason for i in report.items}
    assert "CANON-RED-BLACK: 0 in stock, 1 ordered" in reasons[empty]
    assert JetOrder.get(JetOrder.merchant_order_id == empty).state == "rejected"

    ProductOptionValue.delete().where(ProductOptionValue.product_option_value_id == green).execute()
    [gone] = await place_order(oc_settings, [("CANON-RED-GREEN", 1, 0)])
    report = await fetch_orders(oc_settings, oc_db)
    reasons = {i.item: i.reason for i in report.items}
    assert "CANON-RED-GREEN: its option combination no longer exists" in reasons[gone]
    assert (product_qty(CANON), value_qty(CANON_RED)) == (before["canon"], before["red"])
