"""Catalog prices in US dollars whatever the shop's default currency (issue 15, case 5), on
SQLite and MariaDB with OpenCart 3.0.3.8's demo data turned into a pound shop (GBP 1.0, USD
1.3195): the Canon's special 80.00 and the iPhone's 101.00 go to Jet as the dollars a USD
shopper sees in the storefront, the dry run names the conversion; a shop with no USD currency
is warned about by ``config check`` and has nothing priced nor imported."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jettui.jet.connect import open_jet_client
from jettui.services.catalog import run_action
from jettui.services.catalog.preview import price_text
from jettui.services.health import check_store
from jettui.services.orders.importer import fetch_orders
from jettui.store.errors import StoreError
from jettui.store.opencart import Currency, Order
from tests.catalog.conftest import map_all_categories
from tests.currency_support import make_gbp_shop
from tests.shop_support import (
    CANON,
    IPHONE,
    IPHONE_SKU,
    list_on_jet,
    oc_database,  # noqa: F401
    oc_db,  # noqa: F401
    oc_settings,  # noqa: F401
    place_order,
    upload_products,
)

RATE = Decimal("1.3195")
CANON_SKU = "Product 3"  # its model: the demo has no SKUs


def dollars(pounds: str) -> float:
    """What OpenCart's storefront shows a USD shopper: pounds × rate, half up to the cent."""
    return float((Decimal(pounds) * RATE).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"))


async def test_pound_prices_go_to_jet_in_dollars(
    oc_settings,  # noqa: F811
    oc_db,  # noqa: F811
) -> None:
    settings = oc_settings
    make_gbp_shop(str(RATE))
    skus = await upload_products(settings, oc_db)  # categories mapped, UPCs filled in
    async with open_jet_client(settings) as jet:
        assert (await jet.get_sku(IPHONE_SKU))["price"] == dollars("101.00") == 133.27
        assert (await jet.get_sku(CANON_SKU))["price"] == dollars("80.00") == 105.56
        assert (await jet.get_sku(skus["canon_blue"]))["price"] == 105.56  # child: delta 0

    dry = await run_action(settings, oc_db, "upload", [CANON, IPHONE], dry_run=True)
    previews = {i.item: i.detail["preview"] for i in dry.items if "preview" in i.detail}
    iphone = previews[IPHONE_SKU]
    assert iphone["price"] == 133.27
    assert price_text(iphone) == "133.27 (price 101.00, GBP × 1.3195 = USD 133.27)"
    assert price_text(previews[CANON_SKU]) == "105.56 (special 80.00, GBP × 1.3195 = USD 105.56)"


async def test_a_shop_without_usd_is_warned_and_nothing_is_priced(
    oc_settings,  # noqa: F811
    oc_db,  # noqa: F811
) -> None:
    settings = oc_settings
    make_gbp_shop()
    Currency.delete().where(Currency.code == "USD").execute()

    store = check_store(settings)
    assert store["ok"] and "warning: no USD currency" in store["message"]
    assert any("cannot convert prices" in w for w in store["warnings"])

    map_all_categories()
    report = await run_action(settings, oc_db, "upload", [IPHONE], dry_run=True)
    [item] = report.items
    assert item.outcome == "not attempted" and "price: no USD currency" in item.reason

    await list_on_jet(settings, {IPHONE_SKU: 101.0})
    await place_order(settings, [(IPHONE_SKU, 1, 0)])
    orders_before = Order.select().count()
    with pytest.raises(StoreError, match="no USD currency"):  # one line, exit 1 headless
        await fetch_orders(settings, oc_db)
    assert Order.select().count() == orders_before  # no order written in the wrong currency
