"""``catalog.field_map``: which OpenCart field feeds which Jet field — the defaults send what
jettui always sent, a mapping moves values (JAN as UPC, brand from an attribute...), the dry
run says where a mapped value came from, and ``config check`` warns about attributes the store
does not have."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from jettui.cli import main
from jettui.services.catalog import field_map, validate_products
from jettui.services.catalog.field_map import Source, map_fields, parse_source, problems
from tests.catalog.conftest import DEMO_PRODUCTS, SECRET, map_all_categories, settings_yaml

GOLDEN = Path(__file__).parent / "data" / "field_map_default_bodies.json"
# The body keys the map feeds: compared byte for byte (key order included) with the bodies
# built by the code before the map existed (commit 5846209, demo of 40 products, seed 11);
# variation children since then: their own MPN, never the parent's code (issue 18).
MAPPED_KEYS = (
    "product_title",
    "brand",
    "manufacturer",
    "mfr_part_number",
    "standard_product_codes",
    "product_description",
    "bullets",
    "country_of_origin",
)
UPC_A = "036000291452"
UPC_B = "012345678905"


def catalog(lines: str) -> str:
    """A catalog section (passed where conftest.settings_yaml puts extra sections)."""
    return "catalog:\n  field_map:\n" + "".join(f"    {line}\n" for line in lines.splitlines())


@pytest.fixture
def mapped_settings(settings_from_yaml: Any):
    """``make(field_map_lines, database=...)`` → Settings with that map (16-product demo)."""

    def make(lines: str, database: str = "sqlite:///demo-store.db"):
        text = settings_yaml(database, pricing=catalog(lines) if lines else "")
        return settings_from_yaml(text, demo_products=DEMO_PRODUCTS, seed=5)

    return make


@pytest.fixture
def store():
    """Opens the store of a Settings with jettui's tables, every category mapped."""
    from jettui.store.db import connect, ensure_jet_tables

    opened = []

    def open_store(settings):
        db = connect(settings)
        opened.append(db)
        ensure_jet_tables(db)
        map_all_categories()
        return db

    yield open_store
    for db in opened:
        db.close()


def add_attribute(product_id: int, name: str, text: str, group: str = "Details") -> None:
    """An OpenCart attribute (and its group, made on first use) with the product's value."""
    from jettui.store.opencart import (
        Attribute,
        AttributeDescription,
        AttributeGroup,
        AttributeGroupDescription,
        ProductAttribute,
    )

    group_row = AttributeGroupDescription.get_or_none(AttributeGroupDescription.name == group)
    if group_row is None:
        group_id = AttributeGroup.create(sort_order=1).attribute_group_id
        AttributeGroupDescription.create(attribute_group_id=group_id, language_id=1, name=group)
    else:
        group_id = group_row.attribute_group_id
    described = AttributeDescription.get_or_none(AttributeDescription.name == name)
    if described is None:
        count = Attribute.select().where(Attribute.attribute_group_id == group_id).count()
        attribute_id = Attribute.create(attribute_group_id=group_id, sort_order=count).attribute_id
        AttributeDescription.create(attribute_id=attribute_id, language_id=1, name=name)
    else:
        attribute_id = described.attribute_id
    ProductAttribute.create(
        product_id=product_id, attribute_id=attribute_id, language_id=1, text=text
    )


# --- the vocabulary (no store) --------------------------------------------------------------


def test_sources_parse_and_bad_entries_are_one_line_each_naming_the_key() -> None:
    assert parse_source("jan") == parse_source("JAN") == Source("column", "jan")
    assert parse_source("attribute: Brand ") == Source("attribute", "Brand")
    assert parse_source("Text:Acme Inc.") == Source("text", "Acme Inc.")
    assert parse_source("NONE") == Source("none", "none")
    found = problems([("upc", "jann"), ("brnd", "manufacturer"), ("title", "attribute_group:X")])
    assert found == [
        "upc: unknown OpenCart source 'jann' (did you mean 'jan'?)",
        "unknown Jet field 'brnd' (did you mean 'brand'?)",
        "title: attribute_group:<name> can only feed bullets",
    ]
    assert "one of: model, sku" in problems([("ean", "barcode_column")])[0]
    assert problems([("brand", "attribute:")]) == [
        "brand: 'attribute:' needs a name after the colon, e.g. attribute:Brand"
    ]


def test_values_are_cleaned_as_sent_and_bullets_capped() -> None:
    sources = {
        "title": parse_source("meta_title"),
        "upc": parse_source("jan"),
        "bullets": parse_source("meta_keyword"),
        "brand": parse_source("text:Acme"),
        "ean": parse_source("none"),
    }
    fields = {"meta_title": "Short\ttitle\x07", "jan": "0360-0029 1452", "ean": UPC_B}
    fields["meta_keyword"] = "one, two,, three, four, five, six"
    mapped = map_fields(sources, fields)
    assert mapped["title"].value == "Short title"
    assert mapped["upc"].value == UPC_A
    assert mapped["bullets"].value == ["one", "two", "three", "four", "five"]
    assert mapped["brand"].value == "Acme"
    assert mapped["ean"].value == ""  # none: the ean column is not read
    assert field_map.used_sources(mapped) == {
        "title": "meta_title",
        "upc": "jan",
        "bullets": "meta_keyword",
        "brand": "text:Acme",
    }
    # edited Jet data wins: its field is not said to come from the map
    assert "brand" not in field_map.used_sources(mapped, {"brand": "Other"})


# --- the store ------------------------------------------------------------------------------


def _projected(checks) -> dict[str, str]:
    out = {}
    for check in checks:
        for listing in check.listings:
            body = listing.product
            out[listing.sku] = json.dumps({k: v for k, v in body.items() if k in MAPPED_KEYS})
    return out


def test_the_default_map_sends_the_same_bodies_as_before(settings_from_yaml, store) -> None:
    from jettui.store.opencart import Product

    settings = settings_from_yaml(
        settings_yaml("sqlite:///demo-store.db"), demo_products=40, seed=11
    )
    store(settings)
    ids = [p.product_id for p in Product.select(Product.product_id)]
    checks = validate_products(settings, ids)
    assert all(c.ok for c in checks), [c.errors for c in checks if not c.ok]
    assert all(c.sources == {} for c in checks)
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert _projected(checks) == golden
    assert len(golden) > 40  # children included


def test_upc_from_jan_sends_the_jan_column_not_the_upc_column(mapped_settings, store) -> None:
    from jettui.store.opencart import Product

    settings = mapped_settings("upc: jan\nean: none\nisbn: none")
    store(settings)
    Product.update(jan=UPC_A, upc=UPC_B, ean="", isbn="").where(Product.product_id == 1).execute()
    (check,) = validate_products(settings, [1])
    assert check.ok, check.errors
    assert check.listings[0].product["standard_product_codes"] == [
        {"standard_product_code": UPC_A, "standard_product_code_type": "UPC"}
    ]
    assert check.sources == {"upc": "jan"}
    assert field_map.store_values(settings, 1)["upc"] == UPC_A


def test_brand_title_bullets_from_attributes_and_description_columns(
    mapped_settings, store
) -> None:
    from jettui.store.opencart import Product, ProductDescription

    settings = mapped_settings(
        'brand: "attribute:Brand"\n'
        "title: meta_title\n"
        'bullets: "attribute_group:Features"\n'
        "mfr_part_number: model\n"
        'manufacturer: "text:Acme Holdings"'
    )
    store(settings)
    add_attribute(1, "Brand", "Acme Tools")
    add_attribute(1, "Material", "Cast iron", group="Features")
    add_attribute(1, "Care", "Hand wash", group="Features")
    add_attribute(3, "Material", "Glass", group="Features")  # product 3: no Brand attribute
    ProductDescription.update(meta_title="Skillet by Acme").where(
        ProductDescription.product_id == 1
    ).execute()
    model = Product.get_by_id(1).model
    checks = {c.product_id: c for c in validate_products(settings, [1, 3])}
    body = checks[1].listings[0].product
    assert body["brand"] == "Acme Tools"
    assert body["product_title"] == "Skillet by Acme"
    assert body["bullets"] == ["Material: Cast iron", "Care: Hand wash"]
    assert body["mfr_part_number"] == model
    assert body["manufacturer"] == "Acme Holdings"
    assert checks[1].sources == {
        "title": "meta_title",
        "brand": "attribute:Brand",
        "manufacturer": "text:Acme Holdings",
        "mfr_part_number": "model",
        "bullets": "attribute_group:Features",
    }
    assert "no brand: attribute:Brand is empty (catalog.field_map); set it or a Jet brand" in (
        checks[3].errors
    )
    values = field_map.store_values(settings, 1)
    assert values["brand"] == "Acme Tools"
    assert values["bullets"] == "Material: Cast iron | Care: Hand wash"


def test_dry_run_text_and_json_show_where_a_mapped_value_came_from(
    mapped_settings, store, capsys
) -> None:
    from jettui.store.opencart import Product

    settings = mapped_settings('brand: "attribute:Brand"\nupc: jan')
    store(settings)
    add_attribute(1, "Brand", "Acme Tools")
    Product.update(jan=UPC_A, upc="").where(Product.product_id == 1).execute()
    sku = Product.get_by_id(1).sku
    args = ["--config", str(settings.path), "products", "upload", sku, "--dry-run"]
    assert main(args) == 0
    out = capsys.readouterr()
    text = out.out + out.err
    assert "brand: Acme Tools (from attribute:Brand)" in text
    assert "mapped: upc from jan" in text
    assert main([*args, "--json"]) == 0
    out = capsys.readouterr()
    assert SECRET not in out.out + out.err
    (item,) = json.loads(out.out)["items"]
    assert item["preview"]["sources"] == {"brand": "attribute:Brand", "upc": "jan"}
    assert item["preview"]["brand"] == "Acme Tools"
    assert f"UPC {UPC_A}" in item["preview"]["codes"]


def test_a_bad_source_is_one_line_naming_the_key_exit_2(tmp_path, capsys) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(settings_yaml("sqlite:///demo-store.db", catalog("upc: jann")))
    path.chmod(0o600)
    assert main(["--config", str(path), "products", "upload", "--all", "--dry-run"]) == 2
    assert main(["--config", str(path), "config", "check"]) == 2
    err = capsys.readouterr().err
    line = "settings.yaml: catalog.field_map: upc: unknown OpenCart source 'jann' (did you mean 'jan'?)"
    assert err.count(line) == 2
    assert "Traceback" not in err


def test_config_check_warns_about_an_attribute_the_store_lacks(mapped_settings, store, capsys):
    settings = mapped_settings('brand: "attribute:Brnd"\nbullets: "attribute_group:Features"')
    store(settings)
    add_attribute(1, "Brand", "Acme Tools", group="Features")
    assert main(["--config", str(settings.path), "config", "check", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    field_map = [w for w in doc["store"]["warnings"] if w.startswith("catalog.field_map")]
    assert field_map == [
        "catalog.field_map: brand: no attribute named 'Brnd' in the store (language 1) "
        "(did you mean 'Brand'?): brand stays empty"
    ]


# --- MariaDB with OpenCart's own demo data --------------------------------------------------


@pytest.mark.mariadb
def test_attribute_sources_on_the_opencart_demo(mapped_settings, store, mariadb_url) -> None:
    from jettui.store.opencart import Product

    settings = mapped_settings(
        'bullets: "attribute_group:Memory"\n'
        'country_of_origin: "attribute:No. of Cores"\n'
        "upc: jan\n"
        "mfr_part_number: model",
        database=mariadb_url,
    )
    store(settings)
    # OpenCart's demo: 43 MacBook (No. of Cores 1, "test 1" 8gb), 47 HP LP3065 (4, 16GB)
    Product.update(jan=UPC_A).where(Product.product_id == 43).execute()
    Product.update(jan=UPC_B).where(Product.product_id == 47).execute()
    checks = {c.product_id: c for c in validate_products(settings, [43, 47])}
    assert all(c.ok for c in checks.values()), [c.errors for c in checks.values()]
    mac, hp = (checks[i].listings[0].product for i in (43, 47))
    assert mac["bullets"] == ["test 1: 8gb"] and hp["bullets"] == ["test 1: 16GB"]
    assert (mac["country_of_origin"], hp["country_of_origin"]) == ("1", "4")
    assert mac["standard_product_codes"][0]["standard_product_code"] == UPC_A
    assert mac["mfr_part_number"] == "Product 16"  # the MacBook's model
    assert checks[47].sources["bullets"] == "attribute_group:Memory"
    assert field_map.unknown_attribute_warnings(settings) == []
    typo = mapped_settings('brand: "attribute:Clokspeed"', database=mariadb_url)
    assert field_map.unknown_attribute_warnings(typo) == [
        "catalog.field_map: brand: no attribute named 'Clokspeed' in the store (language 1) "
        "(did you mean 'Clockspeed'?): brand stays empty"
    ]


def test_attributes_are_read_once_per_chunk_and_only_when_named(
    mapped_settings, store, monkeypatch
) -> None:
    calls: list[list[int]] = []
    real = field_map.read_attributes

    def counted(ids, language_id):
        calls.append(list(ids))
        return real(ids, language_id)

    monkeypatch.setattr(field_map, "read_attributes", counted)
    settings = mapped_settings('brand: "attribute:Brand"')
    store(settings)
    for product_id in range(1, DEMO_PRODUCTS + 1):
        add_attribute(product_id, "Brand", f"Brand {product_id}")
    checks = validate_products(settings, range(1, DEMO_PRODUCTS + 1))
    assert [c.listings[0].product["brand"] for c in checks if c.ok][:2] == ["Brand 1", "Brand 2"]
    assert calls == [list(range(1, DEMO_PRODUCTS + 1))]
    calls.clear()
    validate_products(mapped_settings("upc: jan"), [1, 2])
    assert calls == []


async def test_product_edit_screen_and_cli_say_where_mapped_values_came_from(
    mapped_settings, store, capsys
) -> None:
    from textual.widgets import Static

    from jettui.store.opencart import Product
    from jettui.tui.app import JettuiApp
    from jettui.tui.screens.product_edit import ProductEditScreen
    from tests.pilot_support import settle

    settings = mapped_settings('brand: "text:Mapped Brand"')
    store(settings)
    sku = Product.get_by_id(1).sku
    assert main(["--config", str(settings.path), "products", "edit", sku]) == 0
    assert "  mapped: brand from text:Mapped Brand" in capsys.readouterr().err
    app = JettuiApp(settings, environ={"COLORTERM": "truecolor"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.run_action("goto('products')")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ProductEditScreen)
        sends = str(app.screen.query_one("#edit-sends", Static).render())
        assert "brand Mapped Brand" in sends
        assert "mapped: brand from text:Mapped Brand" in sends
