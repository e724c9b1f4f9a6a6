"""A real shop's catalog (issue 10): images under store.url, the special price the shop
charges, one child per combination of several options (SQLite demo store; the MariaDB run
with OpenCart's own demo data is in test_real_store_mariadb.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from jettui.config import SettingsError
from jettui.services.catalog import run_action, specials, validate_products
from jettui.services.catalog.payload import COMBINATIONS_MAX
from tests.catalog.conftest import VARIANT_ATTRIBUTE, map_all_categories

SHOP = "  url: https://shop.example.com/\n"
FIXED_10 = "pricing:\n  increment_type: fixed\n  increment_amount: 10\n"


def _check(settings: Any, product_id: int) -> Any:
    (check,) = validate_products(settings, [product_id])
    return check


def _no_config_url() -> None:
    """A stock OpenCart: its URL lives in config.php, not in the setting table."""
    from jettui.store.opencart import Setting

    Setting.delete().where(Setting.key == "config_url").execute()


def test_images_under_store_url_encoded_with_alternates(make_settings, tmp_path) -> None:
    from jettui.store.opencart import Product, ProductImage

    images = tmp_path / "image"
    settings = make_settings(store=SHOP + f"  image_dir: {images}\n")
    from jettui.store.db import connect, ensure_jet_tables

    db = connect(settings)
    ensure_jet_tables(db)
    map_all_categories()
    _no_config_url()
    Product.update(image="catalog/my photo é.jpg").where(Product.product_id == 1).execute()
    ProductImage.delete().where(ProductImage.product_id == 1).execute()
    for n in range(10):  # inserted in reverse sort order: sort_order decides
        ProductImage.create(product_id=1, image=f"catalog/alt {9 - n}.png", sort_order=9 - n)
    (images / "catalog").mkdir(parents=True)
    (images / "catalog" / "alt 0.png").write_bytes(b"png")

    check = _check(settings, 1)
    body = check.listings[0].product
    assert (
        body["main_image_url"] == "https://shop.example.com/image/catalog/my%20photo%20%C3%A9.jpg"
    )
    assert body["alternate_images"][0] == {
        "image_slot_id": 1,
        "image_url": "https://shop.example.com/image/catalog/alt%200.png",
    }
    assert [a["image_slot_id"] for a in body["alternate_images"]] == list(range(1, 9))
    assert any("10 additional images: only the first 8" in w for w in check.warnings)
    # absent files are still sent, with a warning each; the file that exists is not named
    assert any("'catalog/my photo é.jpg' is not in" in w for w in check.warnings)
    assert not any("'catalog/alt 0.png'" in w for w in check.warnings)
    db.close()


def test_no_store_url_warns_and_sends_no_image(settings, db) -> None:
    map_all_categories()
    _no_config_url()
    check = _check(settings, 1)
    assert check.ok
    assert "main_image_url" not in check.listings[0].product
    assert any("set store.url" in w for w in check.warnings)


def test_store_url_must_be_http(settings_from_yaml) -> None:
    from tests.catalog.conftest import settings_yaml

    with pytest.raises(SettingsError) as caught:
        settings_from_yaml(settings_yaml("sqlite:///demo-store.db", store="  url: ftp://x/\n"))
    assert any("store.url" in p and "http" in p for p in caught.value.problems)


def _special(product_id: int, price: str, start: Any = None, end: Any = None, **kw: Any) -> None:
    from jettui.store.opencart import ProductSpecial

    ProductSpecial.create(
        product_id=product_id,
        customer_group_id=kw.pop("group", 1),
        priority=kw.pop("priority", 1),
        price=Decimal(price),
        date_start=start,
        date_end=end,
    )


def test_active_special_priority_then_price_and_bad_window(make_settings, monkeypatch) -> None:
    from jettui.store.db import connect, ensure_jet_tables
    from jettui.store.opencart import ProductSpecial

    settings = make_settings(pricing=FIXED_10)
    db = connect(settings)
    ensure_jet_tables(db)
    map_all_categories()
    today = dt.date(2026, 6, 15)
    monkeypatch.setattr(specials, "shop_today", lambda: today)
    ProductSpecial.delete().execute()
    _special(1, "50", priority=2)  # open window, but a worse priority
    _special(1, "70", priority=1)
    _special(1, "60", priority=1, start=today + dt.timedelta(days=1))  # not started
    _special(1, "40", group=2)  # another customer group
    _special(1, "30", start=dt.date(2026, 6, 20), end=dt.date(2026, 6, 1))  # ends before start
    check = _check(settings, 1)
    listing = check.listings[0]
    assert listing.price["price"] == 80.0  # the special 70 + 10
    assert listing.pricing == {"source": "special", "store_price": "70.00", "increment": "+10"}
    assert any("ends (2026-06-01) before it starts" in w for w in check.warnings)
    ProductSpecial.delete().execute()
    _check_price = _check(settings, 1).listings[0]
    assert _check_price.pricing["source"] == "price"
    db.close()


def test_children_of_a_special_priced_product_keep_option_deltas(
    make_settings, monkeypatch
) -> None:
    from jettui.store.db import connect, ensure_jet_tables

    settings = make_settings(pricing=FIXED_10)
    db = connect(settings)
    ensure_jet_tables(db)
    map_all_categories()
    _special(5, "100")
    parent, *children = _check(settings, 5).listings  # Size: twin -10, full +0, queen +15
    assert parent.price["price"] == 110.0
    assert [c.price["price"] for c in children] == [100.0, 110.0, 125.0]
    assert children[0].pricing["options"] == "-10.00"
    db.close()


async def test_special_ending_tomorrow_is_repriced_by_sync(make_settings, monkeypatch) -> None:
    from jettui.jet.connect import open_jet_client
    from jettui.store.db import connect, ensure_jet_tables
    from jettui.store.opencart import Product

    settings = make_settings(pricing=FIXED_10)
    db = connect(settings)
    ensure_jet_tables(db)
    map_all_categories()
    today = dt.date(2026, 6, 15)
    clock = {"today": today}
    monkeypatch.setattr(specials, "shop_today", lambda: clock["today"])
    _special(1, "12.5", end=today + dt.timedelta(days=1))
    sku = _check(settings, 1).sku
    regular = float(Product.get_by_id(1).price) + 10
    try:
        report = await run_action(settings, db, "upload", [1])
        assert report.exit_code == 0, report.summary
        async with open_jet_client(settings) as jet:
            assert (await jet.get_sku(sku))["price"] == 22.5
        report = await run_action(settings, db, "sync", [1])
        assert report.items[0].outcome == "unchanged"
        clock["today"] = today + dt.timedelta(days=1)  # the special's last day has passed
        report = await run_action(settings, db, "sync", [1])
        assert [(i.item, str(i.outcome)) for i in report.items] == [(sku, "succeeded")]
        async with open_jet_client(settings) as jet:
            assert (await jet.get_sku(sku))["price"] == pytest.approx(regular)
    finally:
        db.close()


def add_second_option(product_id: int, values: list[tuple[str, str, int, int]]) -> int:
    """A second select option (Colour) on ``product_id``: (name, price delta, qty, subtract)."""
    from jettui.store.opencart import (
        Option,
        OptionDescription,
        OptionValue,
        OptionValueDescription,
        ProductOption,
        ProductOptionValue,
    )

    option = Option.create(type="select", sort_order=9)
    OptionDescription.create(option_id=option.option_id, language_id=1, name="Colour")
    po = ProductOption.create(
        product_id=product_id, option_id=option.option_id, value="", required=1
    )
    for name, delta, quantity, subtract in values:
        value = OptionValue.create(option_id=option.option_id, image="", sort_order=0)
        OptionValueDescription.create(
            option_value_id=value.option_value_id,
            language_id=1,
            option_id=option.option_id,
            name=name,
        )
        ProductOptionValue.create(
            product_option_id=po.product_option_id,
            product_id=product_id,
            option_id=option.option_id,
            option_value_id=value.option_value_id,
            quantity=quantity,
            subtract=subtract,
            price=abs(Decimal(delta)),
            price_prefix="-" if delta.startswith("-") else "+",
            points=0,
            points_prefix="+",
            weight=0,
            weight_prefix="+",
        )
    return option.option_id


def test_two_select_options_one_child_per_combination(make_settings) -> None:
    from jettui.store.db import connect, ensure_jet_tables
    from jettui.store.jet_tables import JetTaxonomyNode

    settings = make_settings(pricing=FIXED_10)
    db = connect(settings)
    ensure_jet_tables(db)
    map_all_categories()
    node = JetTaxonomyNode.get()
    # the store's "Colour" option maps to the node's "Color" by name (spelling folded)
    color = {"attribute_id": 1, "attribute_description": "Color", "variant": True}
    node.attributes = [*node.attributes, color]
    node.save()
    # Size: twin -10 (58), full +0 (23), queen +15 (18); base 130.99
    add_second_option(5, [("Red", "+2", 5, 1), ("Blue", "-1", 40, 1), ("Sand", "+0", 0, 0)])
    check = _check(settings, 5)
    assert check.ok, check.errors
    children = check.listings[1:]
    assert len(children) == 9
    by_sku = {c.sku: c for c in children}
    red_twin = by_sku["NWH-DCS00005-twin-red"]
    assert red_twin.price["price"] == 132.99  # 130.99 - 10 + 2 + 10
    assert red_twin.inventory["fulfillment_nodes"][0]["quantity"] == 5  # min(58, 5)
    assert by_sku["NWH-DCS00005-queen-blue"].price["price"] == 154.99
    assert by_sku["NWH-DCS00005-queen-blue"].inventory["fulfillment_nodes"][0]["quantity"] == 18
    # Sand does not subtract stock: the size's stock alone
    assert by_sku["NWH-DCS00005-full-sand"].inventory["fulfillment_nodes"][0]["quantity"] == 23
    assert red_twin.product["product_title"].endswith(" - Twin / Red")
    assert check.variation["variation_refinements"] == [VARIANT_ATTRIBUTE, 1]
    assert red_twin.product["attributes_node_specific"] == [
        {"attribute_id": VARIANT_ATTRIBUTE, "attribute_value": "Twin"},
        {"attribute_id": 1, "attribute_value": "Red"},
    ]
    assert sorted(check.variation["children_skus"]) == sorted(by_sku)
    slots = {c.option_value_id for c in children}
    assert len(slots) == 9  # one JetProduct slot each, the same on every run
    assert slots == {c.option_value_id for c in _check(settings, 5).listings[1:]}
    db.close()


def test_too_many_combinations_and_other_option_types(settings, db) -> None:
    from jettui.store.opencart import Option

    map_all_categories()
    many = [(f"C{n}", "+0", 1, 1) for n in range(COMBINATIONS_MAX // 3 + 1)]
    add_second_option(5, many)  # 3 sizes x 34 colours = 102
    errors = _check(settings, 5).errors
    assert any(f"102 option combinations: at most {COMBINATIONS_MAX}" in e for e in errors)
    Option.update(type="checkbox").where(Option.sort_order == 9).execute()
    check = _check(settings, 5)
    assert check.ok and len(check.listings) == 4  # the sizes only
    assert any("option 'Colour' (checkbox) ignored" in w for w in check.warnings)


def test_combination_sku_too_long_is_refused(settings, db) -> None:
    map_all_categories()
    add_second_option(5, [("x" * 90, "+0", 1, 1)])
    errors = _check(settings, 5).errors
    assert errors and all("at most 100 characters" in e for e in errors), errors


def test_config_check_warns_when_no_image_url_can_be_formed(make_settings) -> None:
    from jettui.services.health import check_store
    from jettui.store.db import connect

    settings = make_settings()
    db = connect(settings)
    assert "store.url" not in check_store(settings)["message"]  # the demo has a config_url
    _no_config_url()
    db.close()
    result = check_store(settings)
    assert result["ok"]
    assert "warning: no image URL can be formed: set store.url" in result["message"]


def test_dry_run_shows_what_it_would_send_and_json_carries_the_bodies(
    make_settings, capsys
) -> None:
    import json

    from jettui.cli import main
    from jettui.store.db import connect, ensure_jet_tables

    settings = make_settings(pricing=FIXED_10, store=SHOP)
    db = connect(settings)
    ensure_jet_tables(db)
    map_all_categories()
    _no_config_url()
    _special(5, "100")
    (check,) = validate_products(settings, [5])
    db.close()
    args = ["--config", str(settings.path), "products", "upload", "NWH-DCS00005", "--dry-run"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "NWH-DCS00005: would send - MerchantSKUs, Price, Inventory, " not in err
    lines = err.splitlines()
    head = lines.index("NWH-DCS00005: would send - MerchantSKUs, Price, Inventory")
    shown = "\n".join(lines[head : head + 7])
    assert f"  title: {check.name}" in shown
    assert "  price: 110.00 (special 100.00, increment +10) | inventory: " in shown
    assert "  images: https://shop.example.com/image/catalog/" in shown
    assert "  children (3): NWH-DCS00005-twin, NWH-DCS00005-full, NWH-DCS00005-queen" in shown
    assert "  price: 100.00 (special 100.00, options -10.00, increment +10)" in err

    assert main([*args, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    items = {i["sku"]: i for i in doc["items"]}
    parent = items["NWH-DCS00005"]["preview"]
    sent = {x.sku: x for x in check.listings}
    assert parent["bodies"]["MerchantSKUs"] == sent["NWH-DCS00005"].product
    assert parent["bodies"]["Price"] == sent["NWH-DCS00005"].price
    assert parent["bodies"]["Inventory"] == sent["NWH-DCS00005"].inventory
    assert parent["bodies"]["Variation"] == check.variation
    twin = items["NWH-DCS00005-twin"]["preview"]
    assert twin["parent_sku"] == "NWH-DCS00005" and twin["price"] == 100.0
    assert twin["pricing"] == {
        "source": "special",
        "store_price": "100.00",
        "options": "-10.00",
        "increment": "+10",
    }


async def test_product_detail_and_edit_cli_show_the_special_price(settings, db, capsys) -> None:
    from jettui.cli import main
    from jettui.tui.app import JettuiApp
    from jettui.tui.screens.product_edit import ProductEditScreen
    from tests.pilot_support import settle

    map_all_categories()
    _special(1, "9.5")  # product 1 is the grid's first row
    sku = _check(settings, 1).sku
    assert main(["--config", str(settings.path), "products", "edit", sku]) == 0
    assert "  sends price: 9.50 (special 9.50)" in capsys.readouterr().err
    app = JettuiApp(settings, environ={"COLORTERM": "truecolor"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.run_action("goto('products')")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ProductEditScreen)
        assert "price: 9.50 (special 9.50)" in str(app.screen.query_one("#edit-sends").render())
