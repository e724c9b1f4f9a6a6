"""The money of an imported Jet order, on SQLite and MariaDB with OpenCart 3.0.3.8's demo data
(issue 15, cases 7 and 5):

- Jet's ``base_price``, ``item_shipping_cost`` and ``item_shipping_tax`` are per unit,
  ``item_tax`` the line's (jettui.jet.item_price): 2 units are booked at twice the unit price;
- in a shop whose default currency is the pound, the order is written in pounds with
  ``currency_code`` USD and ``currency_value`` the USD rate, so that the admin's ``value ×
  currency_value`` shows exactly the dollars Jet charged, to the cent."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jettui.services.orders.importer import fetch_orders
from jettui.services.orders.panels import OrderSource
from jettui.services.orders.queries import order_detail
from jettui.store.opencart import Order, OrderProduct, OrderTotal
from tests.currency_support import admin_shows, make_gbp_shop
from tests.shop_support import (
    edit_jet_order,
    jet_order,
    link_skus,
    list_on_jet,
    oc_order_id,
    place_order,
)

IPHONE_SKU, CINEMA_SKU = "product 11", "CINEMA-SMALL"  # listed at 101.00 and 110.00


def jet_money(prices: dict[str, dict[str, float]]):
    """An edit of the Jet order: each SKU's ``item_price`` as Jet sends it (per unit)."""

    def edit(doc: dict[str, Any]) -> None:
        for item in doc["order_items"]:
            item["item_price"] = dict(prices[item["merchant_sku"]])

    return edit


def totals_of(order_id: int) -> dict[str, Decimal]:
    rows = OrderTotal.select().where(OrderTotal.order_id == order_id)
    return {t.code: t.value for t in rows}


def lines_of(order_id: int) -> list[OrderProduct]:
    query = OrderProduct.select().where(OrderProduct.order_id == order_id)
    return list(query.order_by(OrderProduct.order_product_id))


async def imported(settings, db, items, prices) -> tuple[str, int]:
    """A sandbox order of ``items`` with Jet's money ``prices``, imported; (Jet id, OC id)."""
    [mid] = await place_order(settings, items)
    edit_jet_order(settings, mid, jet_money(prices))
    report = await fetch_orders(settings, db)
    assert report.exit_code == 0, report.summary
    return mid, oc_order_id(mid)


async def test_two_units_are_booked_at_twice_the_unit_price(oc_settings, oc_db) -> None:
    settings = oc_settings
    link_skus()
    await list_on_jet(settings)
    [generated] = await place_order(settings, [(IPHONE_SKU, 2, 0)])
    # the sandbox's own orders carry the unit price, as Jet's integrations read it
    line = (await jet_order(settings, generated))["order_items"][0]
    assert (line["request_order_quantity"], line["item_price"]["base_price"]) == (2, 101.0)

    per_unit = {"base_price": 101.0, "item_tax": 4.0, "item_shipping_cost": 5.0,
                "item_shipping_tax": 0.4}  # fmt: skip
    mid, order_id = await imported(settings, oc_db, [(IPHONE_SKU, 2, 0)], {IPHONE_SKU: per_unit})

    [row] = [x for x in lines_of(order_id)]
    assert (row.quantity, row.price, row.total, row.tax) == (
        2, Decimal("101.0000"), Decimal("202.0000"), Decimal("2.0000"),  # unit tax: 4.00 / 2
    )  # fmt: skip
    assert totals_of(order_id) == {
        "sub_total": Decimal("202.0000"),
        "shipping": Decimal("10.0000"),  # 5.00 per unit
        "tax": Decimal("4.8000"),  # 4.00 for the line + 0.40 per unit of shipping
        "total": Decimal("216.8000"),
    }
    assert Order.get_by_id(order_id).total == Decimal("216.8000")

    detail = order_detail(oc_db, mid, settings=settings)
    assert detail is not None
    assert detail.lines[0].unit_price == 101.0
    assert detail.jet_totals == {"items": Decimal("202.00"), "tax": Decimal("4.00"),
                                 "shipping": Decimal("10.00"), "shipping_tax": Decimal("0.80"),
                                 "total": Decimal("216.80")}  # fmt: skip
    assert [t["value"] for t in detail.oc_totals] == [202.0, 10.0, 4.8, 216.8]


# 2 iPhones and 3 Cinemas; what the buyer paid: 532.00 + 19.99 shipping + 13.38 tax = 565.37
GBP_ORDER = [(IPHONE_SKU, 2, 0), (CINEMA_SKU, 3, 0)]
GBP_PRICES = {
    IPHONE_SKU: {"base_price": 101.0, "item_tax": 4.0, "item_shipping_cost": 5.0,
                 "item_shipping_tax": 0.4},
    CINEMA_SKU: {"base_price": 110.0, "item_tax": 7.77, "item_shipping_cost": 3.33,
                 "item_shipping_tax": 0.27},
}  # fmt: skip
DOLLARS = {
    "sub_total": Decimal("532.00"),
    "shipping": Decimal("19.99"),
    "tax": Decimal("13.38"),  # 4.00 + 2 × 0.40 + 7.77 + 3 × 0.27
    "total": Decimal("565.37"),
}


@pytest.mark.parametrize("usd_value", ["1.25", "1.3195"])
async def test_pound_shop_order_shows_the_dollars_jet_charged(
    oc_settings, oc_db, usd_value: str
) -> None:
    settings = oc_settings
    make_gbp_shop(usd_value)
    link_skus()
    await list_on_jet(settings)
    mid, order_id = await imported(settings, oc_db, GBP_ORDER, GBP_PRICES)

    order = Order.get_by_id(order_id)
    rate = Decimal(usd_value)
    assert (order.currency_code, order.currency_id, order.currency_value) == ("USD", 2, rate)
    totals = totals_of(order_id)
    # stored in pounds (what the shop's reports add up), shown in dollars to the cent
    assert totals["total"] == (DOLLARS["total"] / rate).quantize(Decimal("0.0001"))
    assert {code: admin_shows(value, rate) for code, value in totals.items()} == DOLLARS
    assert admin_shows(order.total, rate) == DOLLARS["total"]
    iphone, cinema = lines_of(order_id)
    assert [admin_shows(x.price, rate) for x in (iphone, cinema)] == [Decimal("101.00"),
                                                                      Decimal("110.00")]  # fmt: skip
    assert [admin_shows(x.total, rate) for x in (iphone, cinema)] == [Decimal("202.00"),
                                                                      Decimal("330.00")]  # fmt: skip

    # jettui's own screens show the same dollars
    detail = order_detail(oc_db, mid, settings=settings)
    assert detail is not None
    assert [Decimal(str(t["value"])) for t in detail.oc_totals] == list(DOLLARS.values())
    assert detail.jet_totals["total"] == DOLLARS["total"]
    [grid_row] = [cells for _, cells in OrderSource(oc_db, settings=settings).fetch(
        "", None, False, 0, 20)]  # fmt: skip
    assert grid_row[5] == "565.37"
