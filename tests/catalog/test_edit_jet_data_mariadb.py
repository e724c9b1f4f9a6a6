"""The edited Jet data on MariaDB with OpenCart 3.0.3.8's own demo data: the Canon EOS 5D
(a Select option) gets a shipping exception, a full returns exception, node attributes and
its option mapped to a chosen variant attribute through `products edit`; the upload sends them
for the parent and every child, and a later edit reaches Jet with the next sync."""

from __future__ import annotations

import json

import pytest

from jettui.cli import main
from jettui.jet.connect import open_jet_client
from jettui.services.catalog import get_jet_data, run_action
from jettui.store.db import connect, ensure_jet_tables
from tests.catalog.conftest import NODE, jet_products
from tests.catalog.test_edit_jet_data import with_sandbox_attributes

CANON = 30  # SKU "Product 3" in the demo data (its model)


@pytest.mark.mariadb
async def test_edit_upload_and_sync_on_mariadb(make_settings, mariadb_url, capsys) -> None:
    from jettui.store.opencart import Product

    settings = make_settings(database=mariadb_url)
    db = connect(settings)
    try:
        ensure_jet_tables(db)
        with_sandbox_attributes()
        Product.update(upc="036000291452").where(Product.product_id == CANON).execute()
        data = get_jet_data(settings, CANON)
        assert data["store_values"]["brand"] == "Canon"
        [option] = data["options"]
        code = main([
            "--config", str(settings.path), "products", "edit", data["sku"], "--json",
            "--shipping-method", "UPS Ground", "--shipping-override", "Additional charge",
            "--shipping-amount", "3.25", "--shipping-type", "restricted",
            "--returns-days", "30", "--returns-locations", "loc-1",
            "--attribute", "Color=Black", "--attribute", "Capacity=1 l",
            "--option-attribute", f"{option['name']}=Capacity",
            # Capacity is a number with a unit: each colour's value for it
            "--option-value", "Red=1 l", "--option-value", "Blue=2 l",
        ])  # fmt: skip
        out = capsys.readouterr()
        assert code == 0, out.err
        assert json.loads(out.out)["refinements"] == [14]

        report = await run_action(settings, db, "upload", [CANON])
        assert report.exit_code == 0, report.summary
        skus = sorted(i.item for i in report.items)
        assert len(skus) > 1 and data["sku"] in skus
        async with open_jet_client(settings) as jet:
            for sku in skus:
                product = await jet.get_sku(sku)
                assert product["attributes_node_specific"][0] == {
                    "attribute_id": 1,
                    "attribute_value": "Black",
                }
                shipping = await jet.get_shipping_exception(sku)
                assert shipping["fulfillment_nodes"][0]["fulfillment_node_id"] == NODE
                assert (await jet.get_returns_exception(sku))["time_to_return"] == 30
            assert (await jet.get_variation(data["sku"]))["variation_refinements"] == [14]

        code = main(["--config", str(settings.path), "products", "edit", data["sku"],
                     "--returns-days", "12"])  # fmt: skip
        assert code == 0, capsys.readouterr().err
        report = await run_action(settings, db, "sync", [CANON])
        assert {i.reason for i in report.items} == {"shipping/returns exceptions sent"}
        async with open_jet_client(settings) as jet:
            for sku in skus:
                assert (await jet.get_returns_exception(sku))["time_to_return"] == 12
        assert all(row.exceptions_hash for row in jet_products().values())
    finally:
        db.close()
