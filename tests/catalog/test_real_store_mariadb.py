"""Issue 10's "must show" on MariaDB with OpenCart 3.0.3.8's own demo data: the iPhone's images
under store.url, the Canon EOS 5D priced from its special (80.00 + increment) with one child per
combination of two select options, and a special ending tomorrow re-priced by the sync once the
clock passes it."""

from __future__ import annotations

import datetime as dt

import pytest

from jettui.jet.connect import open_jet_client
from jettui.services.catalog import run_action, specials, validate_products
from jettui.store.db import connect, ensure_jet_tables
from tests.catalog.conftest import map_all_categories
from tests.catalog.test_real_store import FIXED_10, SHOP, _special, add_second_option

CANON, IPHONE = 30, 40


@pytest.mark.mariadb
async def test_real_demo_data_images_special_combinations_and_repricing(
    make_settings, mariadb_url, monkeypatch
) -> None:
    from jettui.store.jet_tables import JetTaxonomyNode
    from jettui.store.opencart import Product

    settings = make_settings(database=mariadb_url, pricing=FIXED_10, store=SHOP)
    db = connect(settings)
    today = dt.date(2026, 6, 15)
    clock = {"today": today}
    monkeypatch.setattr(specials, "shop_today", lambda: clock["today"])
    try:
        ensure_jet_tables(db)
        map_all_categories()
        node = JetTaxonomyNode.get()
        node.attributes = [*node.attributes, {"attribute_id": 120, "variant": True}]
        node.save()
        # SKUs and valid UPCs, as a merchant would fill them in
        Product.update(upc="036000291452").where(Product.product_id == CANON).execute()
        Product.update(upc="012345678905").where(Product.product_id == IPHONE).execute()
        add_second_option(CANON, [("Small", "+5", 3, 1), ("Large", "-3", 10, 1)])
        _special(IPHONE, "50", end=today + dt.timedelta(days=1))

        checks = {c.product_id: c for c in validate_products(settings, [CANON, IPHONE])}
        assert checks[CANON].ok and checks[IPHONE].ok, (checks[CANON].errors, checks[IPHONE].errors)
        iphone = checks[IPHONE].listings[0]
        base = "https://shop.example.com/image/"
        assert iphone.product["main_image_url"] == base + "catalog/demo/iphone_1.jpg"
        alternates = [a["image_url"] for a in iphone.product["alternate_images"]]
        assert len(alternates) == 5 and all(
            u.startswith(base + "catalog/demo/") for u in alternates
        )
        assert iphone.price["price"] == 60.0 and iphone.pricing["source"] == "special"

        canon, *children = checks[CANON].listings
        assert canon.price["price"] == 90.0  # special 80.00 (priority 1) + 10
        assert canon.pricing == {"source": "special", "store_price": "80.00", "increment": "+10"}
        by_sku = {c.sku: c for c in children}
        assert len(children) == 2 * 2  # Select (Red, Blue) x Colour (Small, Large)
        assert by_sku["Product 3-red-small"].price["price"] == 95.0  # 80 + 0 + 5 + 10
        assert by_sku["Product 3-red-small"].inventory["fulfillment_nodes"][0]["quantity"] == 2
        assert by_sku["Product 3-blue-large"].price["price"] == 87.0  # 80 + 0 - 3 + 10
        assert by_sku["Product 3-blue-large"].inventory["fulfillment_nodes"][0]["quantity"] == 5

        report = await run_action(settings, db, "upload", [CANON, IPHONE])
        assert report.exit_code == 0, report.summary
        async with open_jet_client(settings) as jet:
            assert (await jet.get_sku("Product 3"))["price"] == 90.0
            group = await jet.get_variation("Product 3")
            assert sorted(group["children_skus"]) == sorted(by_sku)
            assert (await jet.get_sku("product 11"))["price"] == 60.0

        clock["today"] = today + dt.timedelta(days=1)  # the iPhone's special has ended
        report = await run_action(settings, db, "sync", [CANON, IPHONE])
        outcomes = {i.item: str(i.outcome) for i in report.items}
        assert outcomes["product 11"] == "succeeded"
        assert outcomes["Product 3"] == "unchanged"
        async with open_jet_client(settings) as jet:
            assert (await jet.get_sku("product 11"))["price"] == 111.0  # 101.00 + 10
    finally:
        db.close()
