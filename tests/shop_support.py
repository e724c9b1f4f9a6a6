"""Shared by the order, return, command and panel tests (tests/orders, tests/returns, tests/cli,
tests/tui), so that each store, settings file and sandbox listing is built one way:

- OpenCart 3.0.3.8's own install data (products 30 "Canon EOS 5D" with a Select option, 40
  "iPhone", 42 "Apple Cinema" with options, 47 "HP LP3065" with subtract off) on SQLite and on
  MariaDB, settings pointing at it and at the embedded sandbox (fixtures ``oc_database``,
  ``oc_settings``, ``oc_db``), and small readers for the stock the tests compare;
- the sandbox side: SKUs linked, listed on Jet and ordered, orders read and edited;
- a SQLite demo store (40 products, seed 7) with two products listed on Jet (fixture ``shop``),
  for the command and panel tests.

The fixtures are registered by the folders' conftest.py files (one import line each)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import peewee as pw
import pytest

from jettui.config import Settings, load_settings
from tests.conftest import store_helpers
from tests.jet_client import payloads

SECRET = "jetsecret-shop-5521"
NODE = "node-1"

#: ``@pytest.fixture(params=BACKENDS)``: each test once on SQLite and once on MariaDB
BACKENDS = ["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)]

# OpenCart's demo: product 30 "Canon EOS 5D" with Select option 226 (value 15 "Red": qty 2,
# value 16 "Blue": qty 5, both subtract), product 40 "iPhone" (model "product 11").
CANON, CANON_OPTION, CANON_BLUE, IPHONE = 30, 226, 16, 40
IPHONE_SKU = "product 11"

#: the ``returns:`` lines the returns tests add to the settings
RETURN_ACTION = "  return_action_id: 1\n"


def settings_yaml(database: str, orders: str = "", returns: str = "") -> str:
    """Settings over ``database`` and the embedded sandbox; ``orders``/``returns``: extra
    lines of those sections (the returns section is left out when empty)."""
    returns_section = f"returns:\n{returns}" if returns else ""
    return f"""\
jet:
  api_url: sandbox
  api_user: jetuser
  api_secret: {SECRET}
  fulfillment_node_id: {NODE}
  max_retries: 0
  concurrency: 4
store:
  database: {database}
orders:
  customer_email: jet-buyers@example.com
{orders}{returns_section}sandbox:
  state_file: sandbox-state.db
  review_delay_seconds: 0
  order_every_seconds: 0
"""


def write_settings(folder: Path, database: str, orders: str = "", *, returns: str = "") -> Settings:
    """``settings_yaml`` written to ``folder/settings.yaml`` (mode 600) and loaded."""
    path = folder / "settings.yaml"
    path.write_text(settings_yaml(database, orders, returns), encoding="utf-8")
    path.chmod(0o600)
    return load_settings(path)


@pytest.fixture(params=BACKENDS)
def oc_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a fresh OpenCart demo database, once on SQLite and once on MariaDB (the root
    conftest's ``mariadb_url``: skipped locally when the server is down, dropped afterwards)."""
    if request.param == "mariadb":
        return request.getfixturevalue("mariadb_url")
    sql = store_helpers.opencart_sql_path()
    if not sql.is_file():
        pytest.skip(f"OpenCart install SQL not found at {sql}")
    path = tmp_path / "opencart.db"
    store_helpers.build_sqlite(path, sql, "oc_").close()
    return f"sqlite:///{path}"


@pytest.fixture
def oc_settings(oc_database: str, tmp_path: Path) -> Settings:
    return write_settings(tmp_path, oc_database)


@pytest.fixture
def oc_db(oc_settings: Settings) -> Iterator[pw.Database]:
    """The store of ``oc_settings``, connected and bound, with jettui's tables."""
    from jettui.store.db import connect, ensure_jet_tables

    db = connect(oc_settings)
    ensure_jet_tables(db)
    yield db
    db.close()


# --- OpenCart rows ------------------------------------------------------------------------------


def product_qty(product_id: int) -> int:
    from jettui.store.opencart import Product

    return int(Product.select(Product.quantity).where(Product.product_id == product_id).scalar())


def value_qty(value_id: int) -> int:
    from jettui.store.opencart import ProductOptionValue

    query = ProductOptionValue.select(ProductOptionValue.quantity)
    return int(query.where(ProductOptionValue.product_option_value_id == value_id).scalar())


def oc_order_id(merchant_order_id: str) -> int:
    """The OpenCart order an imported Jet order became."""
    from jettui.store.jet_tables import JetOrder

    return int(JetOrder.get(JetOrder.merchant_order_id == merchant_order_id).order_id)


def order_options(order_id: int) -> list[tuple[Any, ...]]:
    """The order's option rows as ``(order_product_id, product_option_id,
    product_option_value_id, name, value, type)``, in the order written."""
    from jettui.store.opencart import OrderOption

    rows = (
        OrderOption.select()
        .where(OrderOption.order_id == order_id)
        .order_by(OrderOption.order_option_id)
    )
    return [
        (
            o.order_product_id,
            o.product_option_id,
            o.product_option_value_id,
            o.name,
            o.value,
            o.type,
        )
        for o in rows
    ]


def new_order(lines: list[dict[str, Any]], status: int = 0) -> int:
    """A bare OpenCart order (status ``status``) with ``lines``: ``{"product_id", "quantity",
    "options": [(product_option_id, product_option_value_id)]}``."""
    from jettui.store.opencart import Order, OrderOption, OrderProduct

    order_id = Order.insert(order_status_id=status, total=0).execute()
    for line in lines:
        line_id = OrderProduct.insert(
            order_id=order_id,
            product_id=line["product_id"],
            name="x",
            model="x",
            quantity=line["quantity"],
            price=1,
            total=line["quantity"],
        ).execute()
        for option_id, value_id in line.get("options", []):
            OrderOption.insert(
                order_id=order_id,
                order_product_id=line_id,
                product_option_id=option_id,
                product_option_value_id=value_id,
                name="Select",
                value="v",
                type="select",
            ).execute()
    return int(order_id)


# --- the sandbox side ---------------------------------------------------------------------------

#: SKUs the tests sell: linked children of OpenCart options, and plain products found by model
LINKS = {"CANON-RED": (30, 15), "CINEMA-SMALL": (42, 5)}
#: "Product 6": the Samsung SyncMaster (33), a simple product sold by its model. (The Canon's own
#: model "Product 3" is its variation parent: an order for it is held, see import_plan.)
PRICES = {"CANON-RED": 98.0, "CINEMA-SMALL": 110.0, "product 11": 101.0, "Product 6": 80.0}


def link_skus(links: dict[str, tuple[int, int]] | None = None) -> None:
    """JetProduct rows as an upload would leave them (children of the option values)."""
    from jettui.store.jet_tables import JetProduct

    for sku, (product_id, value_id) in (links or LINKS).items():
        JetProduct.create(
            product_id=product_id,
            product_option_value_id=value_id,
            merchant_sku=sku,
            status="Available for Purchase",
        )


async def list_on_jet(settings: Settings, prices: dict[str, float] | None = None) -> None:
    """``{sku: price}`` listed on the sandbox (50 in stock at ``NODE``) without an upload."""
    from jettui.jet.connect import open_jet_client

    async with open_jet_client(settings) as jet:
        for sku, amount in (prices or PRICES).items():
            await jet.put_sku(sku, payloads.product(f"Test product {sku}"))
            await jet.put_price(sku, payloads.price(amount, NODE))
            await jet.put_inventory(sku, payloads.inventory(50, NODE))


async def upload_products(settings: Settings, db: Any) -> dict[str, str]:
    """Upload the Canon (with its colour children) and the iPhone through the catalog service;
    ``{"iphone": sku, "canon_blue": sku}``."""
    from jettui.services.catalog import run_action
    from jettui.services.catalog.actions import bulk_files
    from jettui.store.jet_tables import JetProduct
    from jettui.store.opencart import Product
    from tests.catalog.conftest import map_all_categories

    bulk_files.POLL_INTERVAL = 0.01
    map_all_categories()
    Product.update(upc="036000291452").where(Product.product_id == CANON).execute()
    Product.update(upc="012345678905").where(Product.product_id == IPHONE).execute()
    report = await run_action(settings, db, "upload", [CANON, IPHONE])
    assert report.exit_code == 0, report.summary
    blue = JetProduct.get(JetProduct.product_option_value_id == CANON_BLUE).merchant_sku
    return {"iphone": IPHONE_SKU, "canon_blue": blue}


async def place_order(
    settings: Settings, items: list[tuple[str, int, int]], count: int = 1
) -> list[str]:
    """``count`` sandbox orders of ``items`` ``(sku, quantity, cancel quantity)``; their ids."""
    from jettui.jet.connect import open_jet_client

    body = {
        "fulfillment_node": NODE,
        "items": [
            {"sku": sku, "order_quantity": qty, "order_cancel_quantity": cancel}
            for sku, qty, cancel in items
        ],
    }
    async with open_jet_client(settings) as jet:
        return await jet.generate_orders(body, count=count)


async def jet_order(settings: Settings, merchant_order_id: str) -> dict[str, Any]:
    from jettui.jet.connect import open_jet_client

    async with open_jet_client(settings) as jet:
        return await jet.get_order(merchant_order_id)


def edit_jet_order(settings: Settings, merchant_order_id: str, change: Callable[[dict], None]):
    """Change an order in the sandbox's state file (bad input Jet might send)."""
    from jettui.jet.sandbox.db import StateDB

    db = StateDB(settings.sandbox.state_file)
    doc = db.get("order", merchant_order_id)
    change(doc)
    try:
        with db.transaction():
            db.put("order", merchant_order_id, doc, doc["_created"])
    finally:
        db.close()


# --- a demo store with two products on Jet (command and panel tests) ----------------------------

SHOP_YAML = settings_yaml(
    "sqlite:///demo-store.db",
    orders="  hold_problem_orders: true\n",
    returns=(
        '  address1: 6909 South State Street\n  city: Midvale\n  state: UT\n  postcode: "84047"\n'
    ),
)
SHOP_PRICES = {"HRT-SWL00001": 65.99, "HRT-TM00002": 32.0}  # demo store products 1 and 2
SHOP_ITEMS = [("HRT-SWL00001", 2, 0), ("HRT-TM00002", 1, 0)]


@pytest.fixture
def shop(tmp_path: Path) -> Settings:
    """Settings over a SQLite demo store (40 products, seed 7) in tmp_path and the embedded
    sandbox with its state in a file; the demo products 1 and 2 listed on Jet."""
    from jettui.store.demo import build_demo_store

    path = tmp_path / "settings.yaml"
    path.write_text(SHOP_YAML, encoding="utf-8")
    path.chmod(0o600)
    settings = load_settings(path)
    build_demo_store(settings, products=40, seed=7)
    asyncio.run(list_on_jet(settings, SHOP_PRICES))
    return settings


def place(settings: Settings, items: list[tuple[str, int, int]] = SHOP_ITEMS) -> str:
    """One sandbox order of ``items``, placed from synchronous code; its id."""
    [jet_id] = asyncio.run(place_order(settings, items))
    return jet_id
