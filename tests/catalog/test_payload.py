"""Payloads and validation: what jettui would send for OpenCart products, and what it refuses."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jettui.config import Settings
from jettui.services.catalog import validate_products
from jettui.services.catalog.payload import NEVER_LIVE
from tests.catalog.conftest import JET_NODE, NODE, VARIANT_ATTRIBUTE, map_all_categories

PERCENT = "pricing:\n  increment_type: percent\n  increment_amount: 10\n"
FIXED = "pricing:\n  increment_type: fixed\n  increment_amount: -2.5\n"


def _set(product_id: int, **values: Any) -> None:
    from jettui.store.opencart import Product

    Product.update(**values).where(Product.product_id == product_id).execute()


def _check(settings: Settings, product_id: int) -> Any:
    (check,) = validate_products(settings, [product_id])
    return check


def test_simple_product_payload_percent_increment_and_pounds(make_settings, tmp_path) -> None:
    settings = make_settings(pricing=PERCENT)
    from jettui.store.db import connect, ensure_jet_tables

    db = connect(settings)
    ensure_jet_tables(db)
    map_all_categories()
    # 2 kg (class 1) is 4.41 lb; 20.00 + 10 % = 22.00
    _set(1, price=Decimal("20"), weight=Decimal("2"), weight_class_id=1, quantity=-3)
    check = _check(settings, 1)
    assert check.ok, check.errors
    (listing,) = check.listings
    assert listing.sku == "BRW-SWL00001"
    body = listing.product
    assert body["jet_browse_node_id"] == JET_NODE
    assert body["brand"] == "Brightwater"
    assert body["standard_product_codes"] == [
        {"standard_product_code": "720844000010", "standard_product_code_type": "UPC"}
    ]
    assert body["mfr_part_number"] == "BRW98066K"
    assert body["shipping_weight_pounds"] == 4.41
    assert body["main_image_url"].startswith("http://localhost/image/catalog/")
    assert "<" not in body["product_description"]
    assert listing.price["price"] == 22.0
    assert listing.price["fulfillment_nodes"] == [
        {"fulfillment_node_id": NODE, "fulfillment_node_price": 22.0}
    ]
    assert listing.inventory == {
        "fulfillment_nodes": [{"fulfillment_node_id": NODE, "quantity": 0}]
    }
    db.close()


def test_optioned_product_children_fixed_increment(make_settings) -> None:
    settings = make_settings(pricing=FIXED)
    from jettui.store.db import connect, ensure_jet_tables

    db = connect(settings)
    ensure_jet_tables(db)
    map_all_categories()
    check = _check(settings, 5)  # a duvet cover with a Size option: twin -10, full +0, queen +15
    assert check.ok, check.errors
    assert NEVER_LIVE in check.warnings  # no code, only an MPN
    parent, *children = check.listings
    assert parent.sku == "NWH-DCS00005" and parent.parent_sku is None
    assert [c.sku for c in children] == [
        "NWH-DCS00005-twin",
        "NWH-DCS00005-full",
        "NWH-DCS00005-queen",
    ]
    # base 130.99; fixed increment -2.50
    assert [c.price["price"] for c in children] == [118.49, 128.49, 143.49]
    assert [c.inventory["fulfillment_nodes"][0]["quantity"] for c in children] == [58, 23, 18]
    assert parent.inventory["fulfillment_nodes"][0]["quantity"] == 0  # never the children's sum
    # each child its refinement value, its own MPN, never the parent's code
    assert [c.product["attributes_node_specific"] for c in children][0] == [
        {"attribute_id": VARIANT_ATTRIBUTE, "attribute_value": "Twin"}
    ]
    assert children[0].product["mfr_part_number"] == parent.product["mfr_part_number"] + "-twin"
    assert all(c.parent_sku == "NWH-DCS00005" for c in children)
    assert children[0].product["product_title"].endswith(" - Twin")
    assert check.variation == {
        "relationship": "Variation",
        "variation_refinements": [VARIANT_ATTRIBUTE],
        "children_skus": [c.sku for c in children],
        "group_title": check.name,
    }
    db.close()


def test_code_types_guessed(settings, db) -> None:
    map_all_categories()
    _set(1, upc="", ean="4006381333931")
    _set(2, upc="", ean="", isbn="978-0-306-40615-7")
    _set(3, upc="", ean="", isbn="0306406152")
    types = [
        _check(settings, pid).listings[0].product["standard_product_codes"][0] for pid in (1, 2, 3)
    ]
    assert [t["standard_product_code_type"] for t in types] == ["EAN", "ISBN-13", "ISBN-10"]
    assert types[1]["standard_product_code"] == "9780306406157"


def test_validation_errors_one_line_each(settings, db) -> None:
    from jettui.store.jet_tables import JetCategory
    from jettui.store.opencart import ProductToCategory

    map_all_categories()
    unmapped = [
        c.category_id for c in ProductToCategory.select().where(ProductToCategory.product_id == 2)
    ]
    JetCategory.delete().where(JetCategory.category_id.in_(unmapped)).execute()
    _set(1, upc="720844000011")  # wrong check digit (0 expected)
    _set(3, manufacturer_id=0)
    _set(4, upc="", ean="", isbn="", mpn="")
    checks = {c.product_id: c for c in validate_products(settings, [1, 2, 3, 4])}
    assert checks[1].errors == [
        "standard code: UPC '720844000011' has a wrong check digit (expected 0)"
    ]
    assert any("no mapped Jet category" in e for e in checks[2].errors)
    assert any("no brand" in e for e in checks[3].errors)
    assert any("no standard code" in e for e in checks[4].errors)
    line = checks[1].lines()[0]
    assert line.startswith("BRW-SWL00001: error: ") and "\n" not in line
    assert not any(c.listings for c in checks.values())


def test_duplicate_sku_is_an_error(settings, db) -> None:
    map_all_categories()
    _set(2, sku="BRW-SWL00001")
    assert any("also used by product" in e for e in _check(settings, 1).errors)


def test_no_variant_attribute_children_without_group(settings, db) -> None:
    map_all_categories(variant=False)
    check = _check(settings, 5)
    assert check.ok, check.errors
    assert len(check.listings) == 4 and check.variation is None
    assert "option 'Bed Size' matches no variant attribute of the Jet node" in " ".join(
        check.warnings
    )
