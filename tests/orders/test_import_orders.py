"""Fetch → import → acknowledge, on SQLite and MariaDB with OpenCart 3.0.3.8's demo data:
the OpenCart rows column by column, totals adding up, history, status, stock before/after."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jettui.services.orders.acknowledge import acknowledge_orders
from jettui.services.orders.importer import fetch_orders
from jettui.store.jet_tables import JetOrder
from jettui.store.opencart import Order, OrderHistory, OrderOption, OrderProduct, OrderTotal
from tests.shop_support import (
    jet_order,
    link_skus,
    list_on_jet,
    order_options,
    place_order,
    product_qty,
    value_qty,
    write_settings,
)

CANON, IPHONE, CINEMA, SAMSUNG = 30, 40, 42, 33


@pytest.fixture
async def shop(oc_settings, oc_db):
    link_skus()
    await list_on_jet(oc_settings)
    return oc_settings


def stock() -> dict[str, int]:
    return {
        "canon": product_qty(CANON),
        "canon_red": value_qty(15),
        "iphone": product_qty(IPHONE),
        "cinema": product_qty(CINEMA),
        "cinema_small": value_qty(5),
    }


def lines_of(order_id: int) -> list[OrderProduct]:
    return list(
        OrderProduct.select()
        .where(OrderProduct.order_id == order_id)
        .order_by(OrderProduct.order_product_id)
    )


def totals_of(order_id: int) -> list[tuple[str, str, Decimal, int]]:
    return [
        (t.code, t.title, t.value, t.sort_order)
        for t in OrderTotal.select()
        .where(OrderTotal.order_id == order_id)
        .order_by(OrderTotal.sort_order)
    ]


async def test_orders_become_opencart_orders_column_by_column(shop, oc_db) -> None:
    settings = shop
    before = stock()
    [several] = await place_order(
        settings, [("product 11", 1, 0), ("CINEMA-SMALL", 3, 0), ("Product 6", 1, 0)]
    )
    [single] = await place_order(settings, [("product 11", 2, 0)])
    [child] = await place_order(settings, [("CANON-RED", 1, 0)])
    [directed] = await place_order(settings, [("product 11", 1, 1)])
    jet = await jet_order(settings, several)

    report = await fetch_orders(settings, oc_db)
    assert report.exit_code == 0, report.summary
    assert sorted(i.item for i in report.items) == sorted([several, single, child, directed])
    rows = {r.merchant_order_id: r for r in JetOrder.select()}
    assert {r.state for r in rows.values()} == {"done"}
    assert Order.select().where(Order.comment.contains("Jet order id")).count() == 4

    order = Order.get_by_id(rows[several].order_id)
    buyer_first, _, buyer_last = jet["buyer"]["name"].partition(" ")
    address = jet["shipping_to"]["address"]
    expected = {
        "invoice_no": 0,
        "store_id": 0,
        "store_name": "Your Store",
        "customer_id": 0,
        "customer_group_id": 1,
        "firstname": buyer_first,
        "lastname": buyer_last,
        "email": "jet-buyers@example.com",
        "telephone": jet["buyer"]["phone_number"],
        "custom_field": "[]",
        "payment_firstname": buyer_first,
        "payment_lastname": buyer_last,
        "payment_address_1": address["address1"],
        "payment_address_2": address.get("address2") or "",
        "payment_city": address["city"],
        "payment_postcode": address["zip_code"],
        "payment_country": "United States",
        "payment_country_id": 223,
        "payment_method": "Jet.com",
        "payment_code": "jet",
        "shipping_address_1": address["address1"],
        "shipping_city": address["city"],
        "shipping_postcode": address["zip_code"],
        "shipping_country": "United States",
        "shipping_country_id": 223,
        "shipping_method": "UPS Ground (Standard)",
        "shipping_code": "jet.jet",
        "order_status_id": 2,
        "affiliate_id": 0,
        "language_id": 1,
        "currency_id": 2,
        "currency_code": "USD",
        "currency_value": Decimal("1.00000000"),
    }
    assert {k: getattr(order, k) for k in expected} == expected
    assert order.invoice_prefix.startswith("INV-")
    assert order.payment_zone_id == order.shipping_zone_id > 0
    assert order.shipping_zone and order.payment_address_format == order.shipping_address_format
    assert jet["reference_order_id"] in order.comment and several in order.comment
    assert order.date_added is not None and order.date_modified is not None

    lines = lines_of(order.order_id)
    assert [(x.product_id, x.quantity, x.price, x.total) for x in lines] == [
        (IPHONE, 1, Decimal("101.0000"), Decimal("101.0000")),
        (CINEMA, 3, Decimal("110.0000"), Decimal("330.0000")),
        (SAMSUNG, 1, Decimal("80.0000"), Decimal("80.0000")),
    ]
    assert [x.name for x in lines] == ["iPhone", 'Apple Cinema 30"', "Samsung SyncMaster 941BW"]
    assert [x.model for x in lines] == ["product 11", "Product 15", "Product 6"]
    assert order_options(order.order_id) == [
        (lines[1].order_product_id, 218, 5, "Radio", "Small", "radio")
    ]
    assert totals_of(order.order_id) == [
        ("sub_total", "Sub-Total", Decimal("511.0000"), 1),
        ("shipping", "UPS Ground (Standard)", Decimal("0.0000"), 3),
        ("total", "Total", Decimal("511.0000"), 9),
    ]
    assert order.total == Decimal("511.0000")
    history = list(OrderHistory.select().where(OrderHistory.order_id == order.order_id))
    assert [(h.order_status_id, h.notify) for h in history] == [(2, 0)]
    assert jet["reference_order_id"] in history[0].comment and several in history[0].comment

    # the option child: its option value's stock moves with the product's
    child_order = rows[child].order_id
    [child_line] = lines_of(child_order)
    [child_option] = OrderOption.select().where(OrderOption.order_id == child_order)
    assert (child_line.product_id, child_option.product_option_value_id) == (CANON, 15)
    assert (child_option.name, child_option.value) == ("Select", "Red")
    # the directed cancel: all requested units are on the order (the ship side cancels one)
    [directed_line] = lines_of(rows[directed].order_id)
    assert directed_line.quantity == 2

    after = stock()
    assert after == {
        "canon": before["canon"] - 1,
        "canon_red": before["canon_red"] - 1,
        "iphone": before["iphone"] - 1 - 2 - 2,
        "cinema": before["cinema"] - 3,
        "cinema_small": before["cinema_small"] - 3,
    }

    # a second run: nothing new, nothing moved twice
    again = await fetch_orders(settings, oc_db)
    assert again.exit_code == 0, again.summary
    assert {i.outcome for i in again.items} <= {"unchanged"}
    assert stock() == after
    assert Order.select().where(Order.comment.contains("Jet order id")).count() == 4

    # acknowledge by hand: alt ids are OpenCart's
    acked = await acknowledge_orders(settings, oc_db, [several])
    assert acked.exit_code == 0, acked.summary
    jet_after = await jet_order(settings, several)
    assert jet_after["status"] == "acknowledged"
    assert jet_after["alt_order_id"] == str(order.order_id)
    assert [i["alt_order_item_id"] for i in jet_after["order_items"]] == [
        str(x.order_product_id) for x in lines
    ]
    row = JetOrder.get(JetOrder.merchant_order_id == several)
    assert row.acknowledgement_status == "accepted" and row.status == "acknowledged"
    # --all: the other three
    rest = await acknowledge_orders(settings, oc_db)
    assert sorted(i.item for i in rest.items) == sorted([single, child, directed])
    assert rest.exit_code == 0


async def test_auto_acknowledge_right_after_writing(oc_database, tmp_path, oc_db) -> None:
    settings = write_settings(tmp_path, oc_database, "  auto_acknowledge: true\n")
    link_skus()
    await list_on_jet(settings)
    ids = await place_order(settings, [("product 11", 1, 0)], count=3)
    report = await fetch_orders(settings, oc_db)
    assert report.exit_code == 0, report.summary
    for mid in ids:
        row = JetOrder.get(JetOrder.merchant_order_id == mid)
        jet = await jet_order(settings, mid)
        assert jet["status"] == "acknowledged" and jet["alt_order_id"] == str(row.order_id)
        assert row.status == "acknowledged" and row.acknowledgement_status == "accepted"
