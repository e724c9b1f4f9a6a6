"""The embedded demo store behind ``jettui demo`` and the shipped settings.

:func:`build_demo_store` (re)creates an OpenCart 3.0 database (SQLite or MySQL) holding
OpenCart's reference rows (``data/reference.json``, extracted from the 3.0.3.8 install SQL)
and a generated catalog that looks like a real shop: nested categories with correct
``category_path`` rows, brands, products with UPC-A/EAN-13/GTIN-14/ISBN codes (a few missing or
with a wrong check digit on purpose, as real catalogs have), clothing/shoes/bedding with a
Size-like option whose values carry their own stock, and a special price on about one
product in twelve. Up to 1,000,000 products: rows are generated in chunks and written with
multi-row INSERTs (one statement per 1,000 rows), so a million-product store takes minutes.

A demo store is marked by the setting row ``code='jettui_demo', key='jettui_demo_store'``.
Anything else with data in it is never touched: :class:`DemoRefused` is raised before the
first write. SQLite files are inspected read-only (``mode=ro``) so that even connection
pragmas cannot change a file that turns out not to be ours.

Text is passed to the models in plain form: their fields HTML-escape it on write as OpenCart
does (see :mod:`jettui.store.text`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import peewee as pw
from stdnum import ean as std_ean

from jettui.config import Settings, StoreSettings
from jettui.store import db as store_db
from jettui.store import opencart

DEMO_CODE = "jettui_demo"
DEMO_KEY = "jettui_demo_store"
DEMO_FORMAT = 1  # bump when the generated catalog changes shape
DEFAULT_PRODUCTS = 240
MAX_PRODUCTS = 1_000_000
SPECIAL_SHARE = 1 / 12  # products with a special price

LANGUAGE_ID = 1
STORE_ID = 0
US_COUNTRY_ID = 223
UTAH_ZONE_ID = 3670
TAX_CLASS_TAXABLE = 9
STOCK_IN_STOCK = 7
STOCK_WHEN_EMPTY = (5, 6, 8)  # Out Of Stock, 2-3 Days, Pre-Order
# Dates are generated backwards from a fixed day, so the same seed gives the same store.
EPOCH = dt.datetime(2025, 6, 2, 9, 0, 0)

# Reference tables jettui has no model for (kept in the JSON for completeness).
_UNMODELLED = frozenset({"extension"})
_PRODUCT_CHUNK = 2000  # products generated and inserted per round
_BATCH_ROWS = 1000  # rows per executemany (PyMySQL turns each into one multi-row INSERT)

Progress = Callable[[int, int], None]


class DemoRefused(Exception):
    """The database holds something other than a jettui demo store; nothing was changed."""


@dataclass(frozen=True)
class DemoStats:
    database: str  # URL with any password redacted
    products: int
    categories: int
    manufacturers: int
    option_products: int  # products with a select/radio option
    option_values: int  # product_option_value rows, each with its own quantity
    specials: int  # products with a special price (product_special)
    missing_codes: int  # products without UPC/EAN/ISBN (they carry an MPN)
    invalid_codes: int  # products whose code has a wrong check digit
    seconds: float
    rebuilt: bool  # an earlier demo store was replaced

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# --- entry points ---------------------------------------------------------------------------


def build_demo_store(
    settings_or_url: Settings | str | os.PathLike[str],
    products: int = DEFAULT_PRODUCTS,
    seed: int = 42,
    progress: Progress | None = None,
) -> DemoStats:
    """Create, or rebuild, the demo store; raises :class:`DemoRefused` for any other database.

    ``settings_or_url``: loaded settings, a database URL (``sqlite:///path``,
    ``mysql://...``) or the path of a SQLite file. ``progress(done, total)`` is called as
    products are written.
    """
    if not 0 <= products <= MAX_PRODUCTS:
        raise ValueError(f"products must be between 0 and {MAX_PRODUCTS:,}, not {products}")
    settings = _as_settings(settings_or_url)
    store = settings.store
    started = time.perf_counter()
    sqlite_path = _sqlite_path(store.database)
    # Decide before connecting: even a connection's pragmas must not touch someone's file.
    state = _inspect_sqlite(sqlite_path, store.table_prefix) if sqlite_path else None
    database = store_db.connect(settings)
    try:
        if state is None:
            state = _inspect(database, store.table_prefix, store.database_display)
        if state != NEW:
            _drop_tables(database, store.table_prefix, everything=sqlite_path is not None)
        store_db.create_opencart_schema(database)
        store_db.ensure_jet_tables(database)
        with database.atomic():
            counts = _fill(products, seed, progress)
    finally:
        if not database.is_closed():
            database.close()
    return DemoStats(
        database=store.database_display,
        seconds=round(time.perf_counter() - started, 3),
        rebuilt=state == DEMO,
        **counts,
    )


def ensure_demo_store(settings: Settings) -> bool:
    """First start with the shipped settings: build the demo store if its file is missing.

    Only SQLite stores are ever created here. A file without data (zero bytes, or only empty
    tables left by an earlier connect) counts as missing; a file with someone's data is left
    alone (the caller's own checks will report it). Returns True when the store was created.
    """
    path = _sqlite_path(settings.store.database)
    if path is None:
        return False
    try:
        if _inspect_sqlite(path, settings.store.table_prefix) == DEMO:
            return False
    except DemoRefused:
        return False
    build_demo_store(settings, DEFAULT_PRODUCTS)
    return True


# --- who owns the database ------------------------------------------------------------------

NEW, EMPTY, DEMO = "new", "empty", "demo"  # no tables / only empty tables / our marker
# jettui's own tables whose rows are bookkeeping, not data (ensure_jet_tables writes them).
_BOOKKEEPING = ("jet_schema_version", "jet_lock")


def _as_settings(value: Settings | str | os.PathLike[str]) -> Settings:
    if isinstance(value, Settings):
        return value
    if isinstance(value, os.PathLike) or "://" not in str(value):
        url = f"sqlite:///{Path(value).expanduser().resolve()}"
    else:
        url = str(value)
        path = _sqlite_path(url)
        if path is not None:
            url = f"{url.partition(':///')[0]}:///{path}"
    store = dataclasses.replace(StoreSettings(), database=url)
    return dataclasses.replace(Settings(), store=store)


def _sqlite_path(url: str) -> Path | None:
    """The absolute file path of a SQLite URL; None for other databases and ``:memory:``."""
    if not url.startswith("sqlite"):
        return None
    rest = url.partition(":///")[2].split("?", 1)[0]
    if not rest or rest == ":memory:":
        return None
    return Path(rest).expanduser().resolve()


def _inspect_sqlite(path: Path, prefix: str) -> str:
    """Read-only look at a SQLite file (``mode=ro``): NEW, EMPTY or DEMO, else DemoRefused."""
    if not path.exists() or path.stat().st_size == 0:
        return NEW
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            tables = [
                row[0]
                for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return _decide(str(path), tables, prefix, conn.execute, '"', "?")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise DemoRefused(
            f"{path}: not a readable SQLite database ({exc}); not touching it"
        ) from None


def _inspect(database: pw.Database, prefix: str, display: str) -> str:
    """The same decision on a server database, with read-only queries."""
    try:
        tables = database.get_tables()
        return _decide(
            display, tables, prefix, database.execute_sql, database.quote[0], database.param
        )
    except pw.DatabaseError as exc:
        raise DemoRefused(
            f"{display}: cannot inspect the database ({exc}); not touching it"
        ) from None


def _decide(
    where: str,
    tables: list[str],
    prefix: str,
    execute: Callable[..., Any],
    quote: str,
    param: str,
) -> str:
    def first_row(sql: str, params: tuple = ()) -> Any:
        return execute(sql, params).fetchone()

    def q(name: str) -> str:
        return f"{quote}{name}{quote}"

    if not tables:
        return NEW
    setting = f"{prefix}setting"
    if setting in tables:
        try:
            marked = first_row(
                f"SELECT 1 FROM {q(setting)} WHERE {q('code')} = {param} AND {q('key')} = {param}",
                (DEMO_CODE, DEMO_KEY),
            )
        except (sqlite3.Error, pw.DatabaseError):
            marked = None  # a setting table that is not OpenCart's: certainly not ours
        if marked:
            return DEMO
    bookkeeping = {prefix + name for name in _BOOKKEEPING}
    with_rows = sorted(
        t for t in tables if t not in bookkeeping and first_row(f"SELECT 1 FROM {q(t)} LIMIT 1")
    )
    if with_rows:
        shown = ", ".join(with_rows[:5]) + (" ..." if len(with_rows) > 5 else "")
        raise DemoRefused(
            f"{where} is not a jettui demo store (no {DEMO_CODE}/{DEMO_KEY} setting) and holds "
            f"data in {len(with_rows)} table(s): {shown}. Nothing was changed. Point "
            "store.database at a new SQLite file (e.g. sqlite:///demo-store.db) for the demo."
        )
    return EMPTY  # only empty tables: nothing to lose


def _drop_tables(database: pw.Database, prefix: str, everything: bool) -> None:
    """Drop the old tables: all of a (checked) SQLite file, only the prefixed ones elsewhere."""
    quote = database.quote[0]
    for name in database.get_tables():
        if everything or name.startswith(prefix):
            database.execute_sql(f"DROP TABLE {quote}{name}{quote}")
    if isinstance(database, pw.SqliteDatabase):
        database.execute_sql("VACUUM")  # give the space of a large old store back


# --- writing --------------------------------------------------------------------------------


def _model(table: str) -> type[pw.Model]:
    return getattr(opencart, "".join(part.capitalize() for part in table.split("_")))


def _insert(model: type[pw.Model], rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) with one prepared statement.

    The values still pass through each field's ``db_value`` (escaping, lengths, decimals);
    only peewee's per-value SQL building is skipped: ``insert_many`` spent three quarters of
    a 100k-product build composing SQL.
    """
    if not rows:
        return
    database = model._meta.database
    names = list(rows[0])
    fields = [model._meta.fields[n] for n in names]
    quote = database.quote[0]
    columns = ", ".join(f"{quote}{f.column_name}{quote}" for f in fields)
    marks = ", ".join([database.param] * len(fields))
    table = f"{quote}{model._meta.table_name}{quote}"
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    converters = [f.db_value for f in fields]
    values = [tuple(c(r[n]) for c, n in zip(converters, names, strict=True)) for r in rows]
    cursor = database.cursor()
    for start in range(0, len(values), _BATCH_ROWS):
        cursor.executemany(sql, values[start : start + _BATCH_ROWS])


@cache
def _data(name: str) -> dict[str, Any]:
    text = resources.files("jettui.store").joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)


def _fill(
    products: int,
    seed: int,
    progress: Progress | None,
) -> dict[str, int]:
    _insert_reference(seed, products)
    catalog = _data("catalog.json")
    rng = random.Random(seed)
    brands = _insert_brands(catalog)
    leaves, categories = _insert_categories(catalog, brands, rng)
    _insert_options(catalog)
    counts = {
        "products": 0,
        "categories": categories,
        "manufacturers": len(brands),
        "option_products": 0,
        "option_values": 0,
        "specials": 0,
        "missing_codes": 0,
        "invalid_codes": 0,
    }
    # Specials draw from their own stream: the rest of a seed's catalog stays as it was.
    generator = _ProductGenerator(rng, catalog, leaves, random.Random(f"{seed}-specials"))
    if progress:
        progress(0, products)
    for start in range(0, products, _PRODUCT_CHUNK):
        tables: dict[str, list[dict[str, Any]]] = {}
        for product_id in range(start + 1, min(products, start + _PRODUCT_CHUNK) + 1):
            for table, row in generator.product(product_id):
                tables.setdefault(table, []).append(row)
        for table, rows in tables.items():
            _insert(_model(table), rows)
        counts["products"] += len(tables.get("product", []))
        counts["option_products"] += len(tables.get("product_option", []))
        counts["option_values"] += len(tables.get("product_option_value", []))
        counts["specials"] += len(tables.get("product_special", []))
        if progress:
            progress(counts["products"], products)
    counts["missing_codes"] = generator.missing_codes
    counts["invalid_codes"] = generator.invalid_codes
    return counts


def _insert_reference(seed: int, products: int) -> None:
    reference = _data("reference.json")["tables"]
    # The settings (with the demo marker) first: on MySQL, where nothing rolls back, a build
    # that dies half-way still leaves a store jettui recognises as its own and may rebuild.
    for table, rows in sorted(reference.items(), key=lambda item: item[0] != "setting"):
        if table in _UNMODELLED:
            continue
        model = _model(table)
        if table == "setting":
            rows = _demo_settings(rows, seed, products)
        _insert(model, [_plain(model, row) for row in rows])


def _plain(model: type[pw.Model], row: dict[str, Any]) -> dict[str, Any]:
    """Reference rows hold OpenCart's escaped text; escaping fields want it plain."""
    fields = model._meta.fields
    return {
        k: html.unescape(v) if isinstance(v, str) and getattr(fields[k], "html", False) else v
        for k, v in row.items()
    }


def _demo_settings(rows: list[dict[str, Any]], seed: int, products: int) -> list[dict[str, Any]]:
    overrides = {
        "config_name": "Jettui Demo Store",
        "config_owner": "Jettui Demo",
        "config_email": "shop@example.com",
        "config_telephone": "801-555-0100",
        "config_address": "6909 South State Street, Suite C\nMidvale, UT 84047",
        "config_meta_title": "Jettui Demo Store",
        "config_country_id": str(US_COUNTRY_ID),
        "config_zone_id": str(UTAH_ZONE_ID),
        "config_weight_class_id": "5",  # a US shop weighs in pounds...
        "config_length_class_id": "3",  # ...and measures in inches
    }
    year = dt.date.today().year
    out = []
    for row in rows:
        row = dict(row)
        if row["key"] in overrides:
            row["value"] = overrides[row["key"]]
        elif row["key"] == "config_invoice_prefix":
            row["value"] = row["value"].format(year=year)
        out.append(row)

    def extra(code: str, key: str, value: str, serialized: int = 0) -> None:
        out.append(
            {
                "store_id": STORE_ID,
                "code": code,
                "key": key,
                "value": value,
                "serialized": serialized,
            }
        )

    # OpenCart keeps the default store's URL in config.php, not the database; jettui needs
    # one for order.store_url.
    extra("config", "config_url", "http://localhost/")
    marker = {"format": DEMO_FORMAT, "seed": seed, "products": products}
    extra(DEMO_CODE, DEMO_KEY, json.dumps(marker, sort_keys=True), 1)
    return out


def _insert_brands(catalog: dict[str, Any]) -> dict[str, dict[str, Any]]:
    brands: dict[str, dict[str, Any]] = {}
    for number, (name, code) in enumerate(catalog["brands"].items(), start=1):
        brands[name] = {"id": number, "name": name, "code": code, "counter": 0}
    _insert(
        _model("manufacturer"),
        [
            {
                "manufacturer_id": b["id"],
                "name": name,
                "image": f"catalog/demo/jettui/brand/{_slug(name)}.png",
                "sort_order": 0,
            }
            for name, b in brands.items()
        ],
    )
    _insert(
        _model("manufacturer_to_store"),
        [{"manufacturer_id": b["id"], "store_id": STORE_ID} for b in brands.values()],
    )
    return brands


def _insert_categories(
    catalog: dict[str, Any], brands: dict[str, dict[str, Any]], rng: random.Random
) -> tuple[list[dict[str, Any]], int]:
    """Categories depth-first; returns the leaves (where products go) and the count."""
    rows: dict[str, list[dict[str, Any]]] = {
        "category": [],
        "category_description": [],
        "category_to_store": [],
        "category_path": [],
    }
    leaves: list[dict[str, Any]] = []
    next_id = 1

    def walk(
        node: dict[str, Any], parent: list[int], names: list[str], top_brands: list[str]
    ) -> None:
        nonlocal next_id
        category_id = next_id
        next_id += 1
        path = [*parent, category_id]
        label = [*names, node["name"]]
        added = EPOCH - dt.timedelta(days=900 + rng.randint(0, 60), minutes=rng.randint(0, 600))
        rows["category"].append(
            {
                "category_id": category_id,
                "image": f"catalog/demo/jettui/category/{_slug(node['name'])}.jpg",
                "parent_id": parent[-1] if parent else 0,
                "top": 0 if parent else 1,
                "column": 1,
                "sort_order": len(rows["category"]),
                "status": 1,
                "date_added": added,
                "date_modified": added,
            }
        )
        rows["category_description"].append(
            {
                "category_id": category_id,
                "language_id": LANGUAGE_ID,
                "name": node["name"],
                "description": f"<p>Shop {node['name'].lower()} from brands you trust.</p>",
                "meta_title": node["name"],
                "meta_description": f"{node['name']} at the Jettui Demo Store",
                "meta_keyword": node["name"].lower(),
            }
        )
        rows["category_to_store"].append({"category_id": category_id, "store_id": STORE_ID})
        rows["category_path"].extend(
            {"category_id": category_id, "path_id": ancestor, "level": level}
            for level, ancestor in enumerate(path)
        )
        for child in node.get("children", []):
            walk(child, path, label, top_brands)
        if "children" not in node:
            leaves.append(
                {
                    "path": path,
                    "name": node["name"],
                    "items": node.get("items"),
                    "books": node.get("books"),
                    "brands": [brands[b] for b in top_brands],
                }
            )

    for top in catalog["categories"]:
        walk(top, [], [], top["brands"])
    for table, table_rows in rows.items():
        _insert(_model(table), table_rows)
    return leaves, len(rows["category"])


def _insert_options(catalog: dict[str, Any]) -> None:
    rows: dict[str, list[dict[str, Any]]] = {
        "option": [],
        "option_description": [],
        "option_value": [],
        "option_value_description": [],
    }
    for option in catalog["options"]:
        option_id = option["option_id"]
        rows["option"].append(
            {"option_id": option_id, "type": option["type"], "sort_order": option_id}
        )
        rows["option_description"].append(
            {"option_id": option_id, "language_id": LANGUAGE_ID, "name": option["name"]}
        )
        for sort_order, (value_id, name) in enumerate(_option_values(catalog, option)):
            rows["option_value"].append(
                {
                    "option_value_id": value_id,
                    "option_id": option_id,
                    "image": "",
                    "sort_order": sort_order,
                }
            )
            rows["option_value_description"].append(
                {
                    "option_value_id": value_id,
                    "language_id": LANGUAGE_ID,
                    "option_id": option_id,
                    "name": name,
                }
            )
    for table, table_rows in rows.items():
        _insert(_model(table), table_rows)


def _option_values(catalog: dict[str, Any], option: dict[str, Any]) -> list[tuple[int, str]]:
    """(option_value_id, name) for ``option``; ids run on across options from 1."""
    first = 1
    for other in catalog["options"]:
        if other is option:
            break
        first += len(other["values"])
    return [(first + i, name) for i, name in enumerate(option["values"])]


def _slug(text: str) -> str:
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    return "-".join(part for part in out.split("-") if part)


# --- the generated catalog ------------------------------------------------------------------

Row = tuple[str, dict[str, Any]]

# (weight_class_id, factor from kg, decimals) and (length_class_id, factor from cm, decimals)
_WEIGHT_UNITS = ((5, 2.2046, 2), (1, 1.0, 3), (2, 1000.0, 0), (6, 35.274, 1))
_WEIGHT_SHARES = (60, 20, 10, 10)
_LENGTH_UNITS = ((3, 0.3937, 2), (1, 1.0, 1), (2, 10.0, 0))
_LENGTH_SHARES = (70, 25, 5)
_EAN_PREFIXES = ("400", "401", "500", "501", "690", "760", "761", "871", "880", "930")


class _ProductGenerator:
    """Turns a product id into its rows, drawing every choice from one seeded ``Random``."""

    def __init__(
        self,
        rng: random.Random,
        catalog: dict[str, Any],
        leaves: list[dict[str, Any]],
        special_rng: random.Random,
    ) -> None:
        self.rng = rng
        self.special_rng = special_rng
        self.catalog = catalog
        self.leaves = leaves
        self.options = {
            o["name"]: o | {"ids": _option_values(catalog, o)} for o in catalog["options"]
        }
        self.missing_codes = 0
        self.invalid_codes = 0
        self._product_option_id = 0
        self._product_option_value_id = 0
        self._product_image_id = 0
        self._product_special_id = 0

    def product(self, product_id: int) -> Iterator[Row]:
        rng = self.rng
        # Every leaf gets a product first, then leaves are drawn at random.
        leaf = (
            self.leaves[product_id - 1]
            if product_id <= len(self.leaves)
            else rng.choice(self.leaves)
        )
        brand = rng.choice(leaf["brands"])
        brand["counter"] += 1
        if leaf["books"]:
            spec = self._book(leaf["books"], brand)
        else:
            spec = self._item(rng.choice(leaf["items"]), brand)
        model = f"{brand['code']}-{spec['initials']}{product_id:05d}"
        codes = self._codes(brand, book=bool(leaf["books"]))
        mpn = codes.pop("mpn", "")
        if not mpn and rng.random() < 0.5:
            mpn = f"{brand['code']}{rng.randint(1000, 99999)}{rng.choice('ABCDEFGHJK')}"
        added = EPOCH - dt.timedelta(days=rng.randint(0, 720), seconds=rng.randint(0, 86_399))
        modified = added + dt.timedelta(days=rng.randint(0, 90), seconds=rng.randint(0, 86_399))
        weight_class, weight = self._weight(spec["kg"])
        length_class, (length, width, height) = self._dimensions(spec["cm"])
        image_dir = f"catalog/demo/jettui/{_slug(leaf['name'])}"
        image_name = _slug(spec["image"])
        option_rows = list(self._option(product_id, spec)) if spec["option"] else []
        if option_rows:
            quantity = sum(r["quantity"] for t, r in option_rows if t == "product_option_value")
        else:
            quantity = 0 if rng.random() < 0.08 else int(rng.triangular(1, 400, 25))
        yield (
            "product",
            {
                "product_id": product_id,
                "model": model,
                "sku": model,
                "upc": codes.get("upc", ""),
                "ean": codes.get("ean", ""),
                "jan": "",
                "isbn": codes.get("isbn", ""),
                "mpn": mpn,
                "location": "",
                "quantity": quantity,
                "stock_status_id": STOCK_IN_STOCK if quantity > 0 else rng.choice(STOCK_WHEN_EMPTY),
                "image": f"{image_dir}/{image_name}-1.jpg",
                "manufacturer_id": brand["id"],
                "shipping": 1,
                "price": spec["price"],
                "points": 0,
                "tax_class_id": TAX_CLASS_TAXABLE,
                "date_available": added.date(),
                "weight": weight,
                "weight_class_id": weight_class,
                "length": length,
                "width": width,
                "height": height,
                "length_class_id": length_class,
                "subtract": 1,
                "minimum": 1,
                "sort_order": 0,
                "status": 1,
                "viewed": rng.randint(0, 5000),
                "date_added": added,
                "date_modified": modified,
            },
        )
        yield (
            "product_description",
            {
                "product_id": product_id,
                "language_id": LANGUAGE_ID,
                "name": spec["name"],
                "description": spec["description"],
                "tag": ", ".join(spec["tags"]),
                "meta_title": spec["name"],
                "meta_description": spec["summary"],
                "meta_keyword": ", ".join(spec["tags"]),
            },
        )
        # Like OpenCart's own demo, a product is listed in its category and every ancestor.
        for category_id in leaf["path"]:
            yield "product_to_category", {"product_id": product_id, "category_id": category_id}
        yield "product_to_store", {"product_id": product_id, "store_id": STORE_ID}
        for number in range(2, 2 + (rng.randint(1, 3) if rng.random() < 0.4 else 0)):
            self._product_image_id += 1
            yield (
                "product_image",
                {
                    "product_image_id": self._product_image_id,
                    "product_id": product_id,
                    "image": f"{image_dir}/{image_name}-{number}.jpg",
                    "sort_order": number - 1,
                },
            )
        yield from option_rows
        special = self.special_rng
        if special.random() < SPECIAL_SHARE:
            self._product_special_id += 1
            starts = EPOCH.date() - dt.timedelta(days=special.randint(0, 30))
            yield (
                "product_special",
                {
                    "product_special_id": self._product_special_id,
                    "product_id": product_id,
                    "customer_group_id": 1,  # Default
                    "priority": 1,
                    "price": _special_price(spec["price"], special),
                    "date_start": starts,
                    "date_end": starts + dt.timedelta(days=special.choice((14, 30, 365))),
                },
            )

    # -- names, prices and descriptions

    def _item(self, item: dict[str, Any], brand: dict[str, Any]) -> dict[str, Any]:
        rng = self.rng
        adjective = rng.choice(item["adj"])
        noun = item["noun"]
        size = rng.choice(item["size"])
        name = " ".join(p for p in (brand["name"], adjective, noun, size) if p)
        option = item.get("option")
        if option == "Color" and rng.random() < 0.4:
            option = None
        if not option and rng.random() < 0.35:
            name += f", {rng.choice(self.catalog['colors'])}"
        features = list(item.get("features", []))
        features += rng.sample(self.catalog["generic_features"], 2)
        words = {"name": name, "brand": brand["name"], "adjective": adjective, "noun": noun}
        intro = rng.choice(self.catalog["intros"]).format(**words)
        bullets = "".join(f"<li>{f}</li>" for f in features)
        return {
            "name": name,
            "initials": _initials(noun),
            "image": f"{adjective} {noun}",
            "price": _price(rng, *item["price"]),
            "kg": rng.uniform(*item["kg"]),
            "cm": item["cm"],
            "option": option,
            "summary": intro,
            "description": f"<p>{intro}</p><ul>{bullets}</ul><p>Brand: {brand['name']}.</p>",
            "tags": [noun.lower(), adjective.lower(), brand["name"].lower()],
        }

    def _book(self, books: dict[str, Any], brand: dict[str, Any]) -> dict[str, Any]:
        rng = self.rng
        words = self.catalog["books"]
        fill = {
            key: rng.choice(words[key + "s"]) for key in ("adjective", "noun", "topic", "animal")
        }
        fill["season"] = rng.choice(("Spring", "Summer", "Autumn", "Winter"))
        title = rng.choice(books["patterns"]).format(**fill)
        book_format = rng.choice(words["formats"])
        author = f"{rng.choice(words['firstnames'])} {rng.choice(words['lastnames'])}"
        pages = rng.randint(*books["pages"])
        price = _price(rng, *books["price"])
        if book_format == "Hardcover":
            price += Decimal(8)
        summary = (
            f"{title} by {author}. {pages} pages, {book_format.lower()}, from {brand['name']}."
        )
        return {
            "name": f"{title} ({book_format})",
            "initials": "BK",
            "image": title,
            "price": price,
            "kg": pages * (0.0016 if book_format == "Hardcover" else 0.0011),
            "cm": [22.9 if book_format == "Hardcover" else 21.0, 15.2, 1 + pages / 160],
            "option": None,
            "summary": summary,
            "description": f"<p><strong>{title}</strong></p><p>{summary}</p>",
            "tags": [title.lower(), author.lower(), "book"],
        }

    def _weight(self, kg: float) -> tuple[int, Decimal]:
        if self.rng.random() < 0.02:
            return _WEIGHT_UNITS[0][0], Decimal(0)  # weight never entered: happens in real shops
        class_id, factor, places = self.rng.choices(_WEIGHT_UNITS, _WEIGHT_SHARES)[0]
        return class_id, round(Decimal(repr(max(kg, 0.005) * factor)), places)

    def _dimensions(self, cm: list[float]) -> tuple[int, tuple[Decimal, Decimal, Decimal]]:
        class_id, factor, places = self.rng.choices(_LENGTH_UNITS, _LENGTH_SHARES)[0]
        values = tuple(
            round(Decimal(repr(c * self.rng.uniform(0.9, 1.1) * factor)), places) for c in cm
        )
        return class_id, values  # type: ignore[return-value]

    # -- standard product codes

    def _codes(self, brand: dict[str, Any], book: bool) -> dict[str, str]:
        """About 5% without a code (they get an MPN), 5% with a wrong check digit."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.05:
            self.missing_codes += 1
            return {"mpn": f"{brand['code']}-{rng.randint(10000, 99999)}"}
        item = brand["counter"] % 100_000
        company = 10_000 + brand["id"] * 2_711 % 90_000
        if book:
            group = rng.choice(("9780", "9781", "9798"))
            body = f"{group}{brand['id']:04d}{item % 10_000:04d}"
            column, code = "isbn", body + std_ean.calc_check_digit(body)
            if rng.random() < 0.2 and body.startswith("978"):
                column, code = "isbn", _isbn10(body[3:12])
        else:
            kind = rng.random()
            if kind < 0.55:
                body = f"{rng.choice('0167')}{company:05d}{item:05d}"
                column = "upc"
            elif kind < 0.97:
                prefix = rng.choice(_EAN_PREFIXES)
                body = f"{prefix}{brand['id']:04d}{item:05d}"
                column = "ean"
            else:
                body = f"1{rng.choice('0167')}{company:05d}{item:05d}"  # GTIN-14 of a case
                column = "ean"
            code = body + std_ean.calc_check_digit(body)
        if roll < 0.10:
            self.invalid_codes += 1
            code = code[:-1] + _wrong_digit(code[-1], rng)
        return {column: code}

    # -- options with their own stock

    def _option(self, product_id: int, spec: dict[str, Any]) -> Iterator[Row]:
        rng = self.rng
        option = self.options[spec["option"]]
        ids = option["ids"]
        first = rng.randint(0, max(0, len(ids) - 3))
        last = rng.randint(first + min(2, len(ids) - 1), len(ids) - 1)
        self._product_option_id += 1
        product_option_id = self._product_option_id
        yield (
            "product_option",
            {
                "product_option_id": product_option_id,
                "product_id": product_id,
                "option_id": option["option_id"],
                "value": "",
                "required": 1,
            },
        )
        for index in range(first, last + 1):
            extra = option["extra"][index]
            self._product_option_value_id += 1
            yield (
                "product_option_value",
                {
                    "product_option_value_id": self._product_option_value_id,
                    "product_option_id": product_option_id,
                    "product_id": product_id,
                    "option_id": option["option_id"],
                    "option_value_id": ids[index][0],
                    "quantity": 0 if rng.random() < 0.1 else rng.randint(1, 60),
                    "subtract": 1,
                    "price": Decimal(abs(extra)),
                    "price_prefix": "-" if extra < 0 else "+",
                    "points": 0,
                    "points_prefix": "+",
                    "weight": Decimal(0),
                    "weight_prefix": "+",
                },
            )


def _price(rng: random.Random, low: float, high: float) -> Decimal:
    """A shelf price: whole dollars plus .99, .49 or .00."""
    dollars = max(1, int(rng.uniform(low, high)))
    return Decimal(dollars) + Decimal(rng.choice(("0.99", "0.99", "0.99", "0.49", "0.00")))


def _special_price(price: Decimal, rng: random.Random) -> Decimal:
    """10-30% off, ending in .99 like a shelf price (never below 0.99)."""
    off = price * Decimal(100 - rng.choice((10, 15, 20, 25, 30))) / 100
    return max(Decimal("0.99"), Decimal(int(off)) - Decimal("0.01"))


def _initials(noun: str) -> str:
    letters = "".join(word[0] for word in noun.replace("-", " ").split() if word[0].isalpha())
    return letters.upper()[:3] or "X"


def _isbn10(nine: str) -> str:
    total = sum((10 - i) * int(d) for i, d in enumerate(nine))
    check = (11 - total % 11) % 11
    return nine + ("X" if check == 10 else str(check))


def _wrong_digit(digit: str, rng: random.Random) -> str:
    good = 10 if digit == "X" else int(digit)
    return str((good + rng.randint(1, 9)) % 10)
