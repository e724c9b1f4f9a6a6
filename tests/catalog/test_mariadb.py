"""Upload with the store on MariaDB (OpenCart 3.0.3.8's own install data + jettui's tables)."""

from __future__ import annotations

import pytest

from jettui.jet.connect import open_jet_client
from jettui.services.catalog import resolve_products, run_action, validate_products
from jettui.store.db import connect, ensure_jet_tables
from tests.catalog.conftest import jet_products, map_all_categories


@pytest.mark.mariadb
async def test_upload_optioned_and_simple_products_on_mariadb(make_settings, mariadb_url) -> None:
    from jettui.store.opencart import Product

    settings = make_settings(database=mariadb_url)
    db = connect(settings)
    try:
        ensure_jet_tables(db)
        map_all_categories()
        # OpenCart's demo: 30 "Canon EOS 5D" (a Select option), 40 "iPhone"; no codes shipped
        Product.update(upc="036000291452").where(Product.product_id == 30).execute()
        Product.update(upc="012345678905").where(Product.product_id == 40).execute()
        checks = {c.product_id: c for c in validate_products(settings, [30, 40, 41])}
        assert checks[30].ok and checks[40].ok, (checks[30].errors, checks[40].errors)
        assert any("no standard code" in e for e in checks[41].errors)  # iMac: no code, no MPN
        assert checks[40].listings[0].product["brand"] == "Apple"

        ids = resolve_products(settings, skus=["Product 3", "product 11"])
        assert ids == [30, 40]
        report = await run_action(settings, db, "upload", ids)
        assert report.exit_code == 0, report.summary
        children = [x.sku for x in checks[30].listings[1:]]
        assert children and all(c.startswith("Product 3-") for c in children)
        rows = jet_products()
        assert {"Product 3", "product 11", *children} <= set(rows)
        assert all(rows[c].parent_sku == "Product 3" for c in children)
        async with open_jet_client(settings) as jet:
            group = await jet.get_variation("Product 3")
            assert len(group["children_skus"]) == len(children)
            assert (await jet.get_sku("product 11"))["price"] > 0
    finally:
        db.close()
