"""Configurable products Jet can sell (issue 18), on the jettui demo store built on SQLite and on
MariaDB: a pair of demo leggings with a Size option gets a Colour option; it uploads as one
parent (no stock of its own) + one child per size × colour, each child with its own code (or
an MPN) and its refinement values for both attributes; the sandbox receives a Variation group
naming both; an order for a child imports with its options, an order for the parent is held
with the reason. A child edit changes that child only."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from stdnum import ean

from jettui.cli import main
from jettui.config import Settings, load_settings
from jettui.jet.connect import open_jet_client
from jettui.jet.sandbox.engine import taxonomy
from jettui.services.catalog import run_action, validate_products
from jettui.services.catalog.attributes import NodeAttribute, matching_variant
from jettui.services.orders.importer import fetch_orders
from jettui.store.jet_tables import JetOrder
from tests.catalog.test_real_store import add_second_option
from tests.conftest import store_helpers
from tests.shop_support import SECRET, order_options, place_order, settings_yaml

LEGGINGS_NODE = 2000131  # the sandbox's Women's Leggings: variant attributes Size (119), Color (1)
SIZE, COLOR = 119, 1


# --- the attribute matching -----------------------------------------------------------------


def _attributes() -> list[NodeAttribute]:
    items = [
        {"attribute_id": 120, "attribute_description": "Shoe Size", "variant": True},
        {"attribute_id": 119, "attribute_description": "Size", "variant": True},
        {"attribute_id": 1, "attribute_description": "Color", "variant": True},
        {"attribute_id": 8, "attribute_description": "Storage Capacity", "variant": True},
        {"attribute_id": 2, "attribute_description": "Material", "variant": False},
    ]
    return [a for a in (NodeAttribute.from_jet(i) for i in items) if a is not None]


@pytest.mark.parametrize(
    ("option", "attribute_id"),
    [
        ("Size", 119),
        ("sizes", 119),
        ("SIZE", 119),
        ("Colour", 1),
        ("Colors", 1),
        ("colours", 1),
        ("Shoe Size", 120),
        ("Material", None),  # an attribute of the node, but no variant attribute
        ("Bed Size", None),  # never "Size" nor "Shoe Size" by a guess
        ("Capacity", None),  # never "Storage Capacity"
        ("Flavor", None),
    ],
)
def test_an_option_maps_to_the_variant_attribute_named_like_it_or_to_none(
    option: str, attribute_id: int | None
) -> None:
    found = matching_variant(option, _attributes())
    assert (found.attribute_id if found else None) == attribute_id


def test_the_demo_nodes_refine_by_the_options_the_demo_sells() -> None:
    """The sandbox's headphones are refined by Color (never Storage Capacity), its T-shirts by
    Size and Color (never Shoe Size)."""
    for node, option, name in (
        ("1000055", "Color", "Color"),
        ("2000153", "Size", "Size"),
        ("2000153", "Colour", "Color"),
    ):
        items = taxonomy()["attributes"][node]
        attributes = [a for a in (NodeAttribute.from_jet(i) for i in items) if a is not None]
        found = matching_variant(option, attributes)
        assert found is not None and found.name == name


# --- the store: SQLite and MariaDB with the jettui demo -------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)])
def demo_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A jettui demo store (240 products) on SQLite or on a new MariaDB database."""
    from jettui.store.demo import build_demo_store

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'demo-store.db'}"
        build_demo_store(url, seed=7)
        yield url
        return
    try:
        admin = store_helpers._mysql_admin()
    except Exception as exc:  # pymysql's OperationalError and friends
        pytest.skip(f"MariaDB not reachable ({type(exc).__name__}: {exc})")
    name = f"jettui_variants_{secrets.token_hex(4)}"
    with admin.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{name}` DEFAULT CHARACTER SET utf8mb4")
    try:
        url = store_helpers._mysql_url(name)
        build_demo_store(url, seed=7)
        yield url
    finally:
        with admin.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        admin.close()


@pytest.fixture
def shop(demo_url: str, tmp_path: Path) -> Iterator[tuple[Settings, Any, dict[str, Any]]]:
    """Settings (problem orders held), the store, and the leggings: their product id, SKU and
    the Colour option added (Red, Blue), the leggings' category mapped to the sandbox node."""
    from jettui.store.db import connect, ensure_jet_tables
    from jettui.store.jet_tables import JetCategory, JetTaxonomyNode
    from jettui.store.opencart import Category, CategoryDescription, Product, ProductToCategory

    path = tmp_path / "settings.yaml"
    path.write_text(settings_yaml(demo_url, "  hold_problem_orders: true\n"), encoding="utf-8")
    path.chmod(0o600)
    settings = load_settings(path)
    db = connect(settings)
    ensure_jet_tables(db)
    category = (
        Category.select(Category.category_id)
        .join(CategoryDescription, on=CategoryDescription.category_id == Category.category_id)
        .where(CategoryDescription.name == "Women's Leggings")
        .scalar()
    )
    product_id = (
        ProductToCategory.select(ProductToCategory.product_id)
        .where(ProductToCategory.category_id == category)
        .order_by(ProductToCategory.product_id)
        .scalar()
    )
    JetTaxonomyNode.create(
        jet_node_id=LEGGINGS_NODE,
        name="Women's Leggings",
        is_leaf=True,
        attributes=taxonomy()["attributes"][str(LEGGINGS_NODE)],
    )
    JetCategory.create(category_id=category, jet_node_id=LEGGINGS_NODE, attributes=[])
    add_second_option(product_id, [("Red", "+0", 7, 1), ("Blue", "+1", 9, 1)])
    sku = Product.get_by_id(product_id).sku
    try:
        yield settings, db, {"product_id": product_id, "sku": sku}
    finally:
        db.close()


def _ean(n: int) -> str:
    body = f"400638133{n:03d}"
    return body + ean.calc_check_digit(body)


def _edit(settings: Settings, capsys: Any, sku: str, *args: str) -> tuple[int, str]:
    code = main(["--config", str(settings.path), "products", "edit", sku, *args])
    out = capsys.readouterr()
    assert SECRET not in out.out + out.err
    return code, out.out + out.err


async def test_size_by_colour_uploads_as_a_parent_and_a_child_per_combination(shop, capsys):
    from jettui.store.jet_tables import JetProduct

    settings, db, leggings = shop
    product_id, parent = leggings["product_id"], leggings["sku"]
    (check,) = validate_products(settings, [product_id])
    assert check.ok, check.errors
    head, *children = check.listings
    sizes = sorted({c.product["attributes_node_specific"][0]["attribute_value"] for c in children})
    assert len(children) == len(sizes) * 2 >= 6  # one child per size × colour
    # the parent: its own code, no stock of its own (never the children's sum)
    assert head.sku == parent and head.inventory["fulfillment_nodes"][0]["quantity"] == 0
    parent_codes = head.product.get("standard_product_codes")
    for child in children:
        body = child.product
        assert body.get("standard_product_codes") != parent_codes  # never the parent's code
        assert body["mfr_part_number"].startswith(head.product.get("mfr_part_number", parent))
        values = {a["attribute_id"]: a["attribute_value"] for a in body["attributes_node_specific"]}
        assert set(values) == {SIZE, COLOR} and values[COLOR] in ("Red", "Blue")
        assert child.sku.endswith(f"-{values[SIZE].lower()}-{values[COLOR].lower()}")
    assert any("will never go live" in w for w in check.warnings)

    # a child edit gives that child its code, and changes nothing else
    red = [c.sku for c in children if c.sku.endswith("-red")]
    first = red[0]
    code, out = _edit(settings, capsys, first, "--ean", _ean(1), "--json")
    assert code == 0, out
    rows = {r.merchant_sku: r for r in JetProduct.select()}
    assert rows[first].overrides == {"standard_code": _ean(1), "standard_code_type": "EAN"}
    assert rows[first].product_option_value_id == children[0].option_value_id
    assert parent not in rows or not rows[parent].overrides  # the parent untouched
    assert [s for s, r in rows.items() if r.overrides] == [first]
    code, out = _edit(settings, capsys, first, "--brand", "Other")
    assert code == 2 and f"brand: set it on the parent SKU {parent}" in out
    for n, sku in enumerate(red[1:], start=2):  # every red child its own code
        assert _edit(settings, capsys, sku, "--ean", _ean(n))[0] == 0
    (check,) = validate_products(settings, [product_id])
    by_sku = {c.sku: c for c in check.listings}
    assert by_sku[first].product["standard_product_codes"] == [
        {"standard_product_code": _ean(1), "standard_product_code_type": "EAN"}
    ]
    assert by_sku[parent].product.get("standard_product_codes") == parent_codes
    blue = [c.sku for c in children if c.sku.endswith("-blue")]
    assert all("standard_product_codes" not in by_sku[s].product for s in blue)
    # the parent's edit shows its children's codes
    code, out = _edit(settings, capsys, parent)
    assert f"child {first}: EAN {_ean(1)}; " in out
    assert f"child {blue[0]}: no code (MPN " in out

    report = await run_action(settings, db, "upload", [product_id])
    assert report.exit_code == 0, report.summary
    async with open_jet_client(settings) as jet:
        group = await jet.get_variation(parent)
        assert group["variation_refinements"] == [SIZE, COLOR]
        assert sorted(group["children_skus"]) == sorted(red + blue)
        on_jet = await jet.get_sku(first)
        assert on_jet["status"] == "Available for Purchase"
        assert on_jet["standard_product_codes"][0]["standard_product_code"] == _ean(1)
        assert (await jet.get_sku(blue[0]))["sub_status"] == ["Additional SKU ID needed"]
        assert (await jet.get_sku(parent))["status"] != "Available for Purchase"  # no stock
        # an older listing of the parent with stock: Jet can still sell it
        await jet.put_inventory(
            parent, {"fulfillment_nodes": [{"fulfillment_node_id": "node-1", "quantity": 5}]}
        )

    # children selected without their parent: the action touches those only
    report = await run_action(
        settings, db, "archive", [product_id], only_skus={product_id: [blue[0]]}
    )
    assert [i.item for i in report.items] == [blue[0]], report.summary
    async with open_jet_client(settings) as jet:
        assert (await jet.get_sku(blue[0]))["is_archived"] is True
        assert (await jet.get_sku(first))["is_archived"] is False
        assert (await jet.get_sku(parent))["is_archived"] is False

    # the CLI naming a child acts on that child only
    args = ["--config", str(settings.path), "products", "unarchive", blue[0], "--json"]
    code = await asyncio.to_thread(main, args)  # the CLI runs its own event loop
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and [i["sku"] for i in doc["items"]] == [blue[0]], doc
    async with open_jet_client(settings) as jet:
        assert (await jet.get_sku(blue[0]))["is_archived"] is False

    # an order for a child imports with its options; one for the parent is held with the reason
    [child_order] = await place_order(settings, [(first, 1, 0)])
    [parent_order] = await place_order(settings, [(parent, 2, 0)])
    await fetch_orders(settings, db)
    imported = JetOrder.get(JetOrder.merchant_order_id == child_order)
    assert imported.state == "done", imported.error
    size = by_sku[first].product["attributes_node_specific"][0]["attribute_value"]
    options = [
        (name, value) for _line, _po, _pov, name, value, _t in order_options(imported.order_id)
    ]
    assert options == [("Size", size), ("Colour", "Red")]
    held = JetOrder.get(JetOrder.merchant_order_id == parent_order)
    assert held.state == "held" and not held.order_id
    assert (
        f"{parent}: the variation parent of product {product_id} stands for no Size × Colour"
        in (held.error)
    )
