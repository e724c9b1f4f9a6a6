"""The demo store as a merchant sees it: a believable catalog, safe with other databases."""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from stdnum import ean, isbn

from jettui.config import Settings, StoreSettings, load_settings
from jettui.store import db as store_db
from jettui.store import opencart as oc
from jettui.store.demo import (
    DEMO_CODE,
    DEMO_KEY,
    DemoRefused,
    build_demo_store,
    ensure_demo_store,
)

PRODUCTS = 300


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "store.db"
    calls: list[tuple[int, int]] = []
    stats = build_demo_store(
        path, PRODUCTS, progress=lambda done, total: calls.append((done, total))
    )
    return path, stats, calls


@pytest.fixture
def store(built):
    path, _, _ = built
    db = store_db.connect_url(f"sqlite:///{path}", "oc_")
    yield db
    db.close()


def _rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the catalog ------------------------------------------------------------------------------


def test_products_spread_over_named_categories_with_breadcrumbs(built, store):
    _, stats, calls = built
    assert stats.products == PRODUCTS and oc.Product.select().count() == PRODUCTS
    assert calls[0] == (0, PRODUCTS) and calls[-1] == (PRODUCTS, PRODUCTS)
    tops = oc.Category.select().where(oc.Category.parent_id == 0)
    assert tops.count() >= 10
    assert all(c.top == 1 and c.status == 1 for c in tops)

    crumbs = oc.category_breadcrumbs()
    assert len(crumbs) == oc.Category.select().count() == stats.categories
    assert "Clothing > Men > Men's T-Shirts" in crumbs.values()
    assert "Electronics > Audio > Headphones" in crumbs.values()
    used = {r.category_id for r in oc.ProductToCategory.select(oc.ProductToCategory.category_id)}
    leaves_used = [
        c for c in used if not any(v.startswith(crumbs[c] + " > ") for v in crumbs.values())
    ]
    assert len(leaves_used) >= 10


def test_category_paths_follow_the_parent_chain(store):
    parents = {c.category_id: c.parent_id for c in oc.Category.select()}
    paths: dict[int, list[tuple[int, int]]] = {}
    for row in oc.CategoryPath.select():
        paths.setdefault(row.category_id, []).append((row.level, row.path_id))
    for category_id in parents:
        chain = [category_id]
        while parents[chain[0]]:
            chain.insert(0, parents[chain[0]])
        assert sorted(paths[category_id]) == list(enumerate(chain)), category_id
    visible = {r.category_id for r in oc.CategoryToStore.select() if r.store_id == 0}
    assert visible == set(parents)
    names = {d.category_id: d.name for d in oc.CategoryDescription.select()}
    assert set(names) == set(parents) and all(names.values())


def test_every_product_is_complete_and_visible_in_the_default_store(store):
    products = {p.product_id: p for p in oc.Product.select()}
    descriptions = {d.product_id: d for d in oc.ProductDescription.select()}
    in_store = {r.product_id for r in oc.ProductToStore.select() if r.store_id == 0}
    categorised = {r.product_id for r in oc.ProductToCategory.select()}
    brands = {m.manufacturer_id for m in oc.Manufacturer.select()}
    assert set(descriptions) == in_store == categorised == set(products)
    assert len(brands) >= 25
    models = [p.model for p in products.values()]
    assert len(set(models)) == len(models)
    for product in products.values():
        d = descriptions[product.product_id]
        assert d.name and d.meta_title == d.name and d.description.startswith("<p>")
        assert product.manufacturer_id in brands
        assert product.price > 0 and product.status == 1
        assert product.image.startswith("catalog/") and product.image.endswith(".jpg")
        assert product.weight_class_id in (1, 2, 5, 6) and product.length_class_id in (1, 2, 3)
        assert product.date_added is not None and product.date_modified >= product.date_added
    # Names read like shop titles, brand first.
    acme = [d.name for d in descriptions.values() if d.name.startswith("Acme ")]
    assert acme and all(len(n.split()) >= 3 for n in acme)


def test_text_is_stored_escaped_like_opencart_does(built, store):
    path, _, _ = built
    raw_brands = {r[0] for r in _rows(path, "SELECT name FROM oc_manufacturer")}
    assert "Evergreen &amp; Co." in raw_brands
    assert "Evergreen & Co." in {m.name for m in oc.Manufacturer.select()}
    raw = _rows(path, "SELECT description FROM oc_product_description LIMIT 1")[0][0]
    assert raw.startswith("&lt;p&gt;") and "<" not in raw


def _code(product: oc.Product) -> tuple[str, str]:
    for column in ("upc", "ean", "isbn"):
        value = getattr(product, column)
        if value:
            return column, value
    return "", ""


def test_most_codes_valid_some_invalid_some_missing_with_mpn(built, store):
    _, stats, _ = built
    verdicts: Counter[str] = Counter()
    book_ids = {
        r.product_id
        for r in oc.ProductToCategory.select()
        .join(
            oc.CategoryDescription,
            on=(oc.CategoryDescription.category_id == oc.ProductToCategory.category_id),
        )
        .where(oc.CategoryDescription.name == "Books")
    }
    for product in oc.Product.select():
        column, value = _code(product)
        if not column:
            verdicts["missing"] += 1
            assert product.mpn, product.model
            continue
        assert (column == "isbn") == (product.product_id in book_ids), product.model
        assert len(value) in {"upc": (12,), "ean": (13, 14), "isbn": (10, 13)}[column]
        valid = isbn.is_valid(value) if column == "isbn" else ean.is_valid(value)
        verdicts["valid" if valid else "invalid"] += 1
    assert verdicts["valid"] >= 0.8 * PRODUCTS
    assert verdicts["invalid"] >= 3 and verdicts["missing"] >= 3
    assert (verdicts["invalid"], verdicts["missing"]) == (stats.invalid_codes, stats.missing_codes)
    upcs = [p.upc for p in oc.Product.select() if p.upc]
    assert len(set(upcs)) == len(upcs)


def test_options_carry_their_own_stock(built, store):
    _, stats, _ = built
    options = {o.option_id: o for o in oc.Option.select()}
    names = {d.option_id: d.name for d in oc.OptionDescription.select()}
    value_names = {v.option_value_id: v.name for v in oc.OptionValueDescription.select()}
    assert {"Size", "Color"} <= set(names.values())
    product_options = list(oc.ProductOption.select())
    assert len(product_options) == stats.option_products >= 0.1 * PRODUCTS
    values_by_product: dict[int, list[oc.ProductOptionValue]] = {}
    for value in oc.ProductOptionValue.select():
        values_by_product.setdefault(value.product_id, []).append(value)
    assert sum(map(len, values_by_product.values())) == stats.option_values
    for po in product_options:
        assert options[po.option_id].type in ("select", "radio") and po.required == 1
        values = values_by_product[po.product_id]
        assert len(values) >= 2
        assert all(v.product_option_id == po.product_option_id and v.subtract == 1 for v in values)
        assert all(v.price_prefix in "+-" and v.option_value_id in value_names for v in values)
        product = oc.Product.get_by_id(po.product_id)
        assert product.quantity == sum(v.quantity for v in values)
    sizes = [
        value_names[v.option_value_id]
        for vs in values_by_product.values()
        for v in vs
        if names[v.option_id] == "Size"
    ]
    assert "M" in sizes
    assert len({v.quantity for vs in values_by_product.values() for v in vs}) > 5


def test_some_products_are_on_special_below_their_price(built, store):
    _, stats, _ = built
    specials = list(oc.ProductSpecial.select())
    assert len(specials) == stats.specials and 0.03 * PRODUCTS <= len(specials) <= 0.2 * PRODUCTS
    assert len({s.product_id for s in specials}) == len(specials)  # one special per product
    prices = {p.product_id: p.price for p in oc.Product.select()}
    for special in specials:
        assert Decimal("0.99") <= special.price < prices[special.product_id]
        assert special.customer_group_id == 1 and special.date_start < special.date_end


def test_reference_data_and_demo_marker_are_in_place(store):
    assert oc.get_setting("config_currency") == "USD"
    usd = oc.Currency.get(oc.Currency.code == "USD")
    assert usd.currency_id == 2 and usd.value == 1.0
    assert oc.language_id(oc.get_setting("config_language")) == 1
    assert oc.country_id("US") == 223 and oc.zone_id(223, "UT") == 3670
    assert oc.get_setting("config_processing_status") == ["5", "1", "2", "12", "3"]
    assert oc.get_setting("config_invoice_prefix").startswith("INV-20")
    assert oc.get_setting("config_name") == "Jettui Demo Store"
    assert oc.get_setting(DEMO_KEY)["products"] == PRODUCTS
    assert oc.Setting.select().where(oc.Setting.code == DEMO_CODE).count() == 1
    assert oc.OrderStatus.select().count() == 14 and oc.ReturnReason.select().count() == 5


# --- rebuilding, determinism ------------------------------------------------------------------

PRODUCT_TABLES = (
    "oc_product",
    "oc_product_description",
    "oc_product_to_category",
    "oc_product_option_value",
    "oc_category_path",
    "oc_manufacturer",
)


def _dump(path: Path) -> dict[str, list[tuple]]:
    return {t: sorted(_rows(path, f"SELECT * FROM {t}"), key=repr) for t in PRODUCT_TABLES}


def test_same_seed_same_store_other_seed_other_store(built, tmp_path):
    path, _, _ = built
    again = tmp_path / "again.db"
    build_demo_store(again, PRODUCTS, seed=42)
    assert _dump(again) == _dump(path)
    other = tmp_path / "other.db"
    build_demo_store(other, PRODUCTS, seed=7)
    assert _dump(other)["oc_product"] != _dump(path)["oc_product"]


def test_rebuild_gives_exactly_the_asked_number_and_no_leftovers(tmp_path):
    path = tmp_path / "store.db"
    first = build_demo_store(path, 250)
    assert not first.rebuilt
    second = build_demo_store(str(path), 37)  # a plain path string works too
    assert second.rebuilt and second.products == 37
    for table in ("oc_product", "oc_product_description", "oc_product_to_store"):
        assert _rows(path, f"SELECT COUNT(*) FROM {table}") == [(37,)], table
    assert _rows(path, "SELECT MAX(product_id) FROM oc_product_to_category") == [(37,)]
    assert _rows(path, "SELECT COUNT(*) FROM oc_setting WHERE code = 'jettui_demo'") == [(1,)]
    assert _rows(path, "SELECT COUNT(*) FROM oc_country") == [(253,)]


def test_an_empty_store_with_no_products_is_allowed(tmp_path):
    stats = build_demo_store(tmp_path / "empty.db", 0)
    assert stats.products == 0 and stats.categories >= 10


# --- refusal ----------------------------------------------------------------------------------


def test_refuses_a_sqlite_opencart_without_the_marker_and_changes_nothing(tmp_path):
    path = tmp_path / "shop.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE oc_product (product_id INTEGER PRIMARY KEY, model TEXT)")
    conn.execute("INSERT INTO oc_product VALUES (7, 'REAL-SHOP-1')")
    conn.execute("CREATE TABLE oc_setting (code TEXT, key TEXT, value TEXT)")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(DemoRefused, match="not a jettui demo store.*oc_product"):
        build_demo_store(path, 10)
    with pytest.raises(DemoRefused):
        build_demo_store(f"sqlite:///{path}", 10)
    assert _rows(path, "SELECT * FROM oc_product") == [(7, "REAL-SHOP-1")]
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop.db"]  # no -wal/-journal either


def test_refuses_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("my notes, not a database\n" * 100)
    with pytest.raises(DemoRefused, match="not a readable SQLite database"):
        build_demo_store(path, 10)
    assert path.read_text().startswith("my notes")


def test_refuses_a_mysql_opencart_without_the_marker(mysql_database):
    url, admin = mysql_database
    with admin.cursor() as cur:
        cur.execute("CREATE TABLE oc_product (product_id INT PRIMARY KEY, model VARCHAR(64))")
        cur.execute("INSERT INTO oc_product VALUES (1, 'LIVE-1')")
        cur.execute("CREATE TABLE oc_setting (setting_id INT, `key` VARCHAR(128))")
    with pytest.raises(DemoRefused, match="oc_product") as refused:
        build_demo_store(url, 10)
    assert ":opencart@" not in str(refused.value)  # the password never shows
    with admin.cursor() as cur:
        cur.execute("SELECT model FROM oc_product")
        assert cur.fetchall() == (("LIVE-1",),)
        cur.execute("SHOW TABLES")
        assert sorted(r[0] for r in cur.fetchall()) == ["oc_product", "oc_setting"]


def test_builds_and_rebuilds_on_an_empty_mysql_database(mysql_database):
    url, admin = mysql_database
    first = build_demo_store(url, 60)
    assert first.products == 60 and not first.rebuilt
    second = build_demo_store(url, 25)
    assert second.rebuilt
    with admin.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM oc_product")
        assert cur.fetchone() == (25,)
        cur.execute("SELECT COUNT(*) FROM oc_product_special")
        assert cur.fetchone() == (second.specials,)
        cur.execute("SELECT name FROM oc_manufacturer WHERE name LIKE 'Evergreen%'")
        assert cur.fetchone() == ("Evergreen &amp; Co.",)


# --- first start --------------------------------------------------------------------------------


def _settings(tmp_path: Path) -> Settings:
    (tmp_path / "settings.yaml").write_text("store:\n  database: sqlite:///demo-store.db\n")
    return load_settings(tmp_path / "settings.yaml")


def test_first_start_creates_the_demo_store_once(tmp_path):
    settings = _settings(tmp_path)
    assert ensure_demo_store(settings) is True
    path = tmp_path / "demo-store.db"
    assert _rows(path, "SELECT COUNT(*) FROM oc_product") == [(240,)]
    before = _rows(path, "SELECT COUNT(*), MAX(date_modified) FROM oc_product")
    assert ensure_demo_store(settings) is False
    assert _rows(path, "SELECT COUNT(*), MAX(date_modified) FROM oc_product") == before


def test_first_start_leaves_someone_elses_sqlite_file_alone(tmp_path):
    settings = _settings(tmp_path)
    path = tmp_path / "demo-store.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.commit()
    conn.close()
    before = _digest(path)
    assert ensure_demo_store(settings) is False
    assert _digest(path) == before


def test_first_start_never_creates_a_mysql_store():
    mysql = dataclasses.replace(
        Settings(), store=dataclasses.replace(StoreSettings(), database="mysql://u:p@127.0.0.1:1/x")
    )
    assert ensure_demo_store(mysql) is False


def test_first_start_fills_a_file_that_only_has_empty_tables(tmp_path):
    # e.g. something connected and created jettui's own tables before the demo was built
    settings = _settings(tmp_path)
    db = store_db.connect(settings)
    store_db.ensure_jet_tables(db)
    db.close()
    assert ensure_demo_store(settings) is True
    assert _rows(tmp_path / "demo-store.db", "SELECT COUNT(*) FROM oc_product") == [(240,)]
