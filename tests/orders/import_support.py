"""Shared by the order-import tests (tests/orders/test_import_*.py): OpenCart 3.0.3.8's own
install data (products 30 "Canon EOS 5D" with a Select option, 40 "iPhone", 42 "Apple Cinema"
with options, 47 "HP LP3065" with subtract off) on SQLite and on MariaDB, settings pointing at
it and at the embedded sandbox, and small readers for the stock the tests compare."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import peewee as pw
import pytest

from jettui.config import Settings, load_settings
from tests.conftest import store_helpers

SECRET = "jetsecret-orders-5521"
NODE = "node-1"

BACKENDS = ["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)]


def settings_yaml(database: str, orders: str = "", sandbox: str = "") -> str:
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
{orders}sandbox:
  state_file: sandbox-state.db
  review_delay_seconds: 0
  order_every_seconds: 0
{sandbox}"""


def write_settings(folder: Path, database: str, orders: str = "") -> Settings:
    path = folder / "settings.yaml"
    path.write_text(settings_yaml(database, orders), encoding="utf-8")
    path.chmod(0o600)
    return load_settings(path)


def sql_path() -> Path:
    path = store_helpers.opencart_sql_path()
    if not path.is_file():
        pytest.skip(f"OpenCart install SQL not found at {path}")
    return path


def make_database(backend: str, folder: Path, cleanups: list[Callable[[], None]]) -> str:
    """A fresh OpenCart 3.0.3.8 demo database on ``backend``; its URL."""
    sql = sql_path()
    if backend == "sqlite":
        path = folder / f"opencart-{len(cleanups)}.db"
        db = store_helpers.build_sqlite(path, sql, "oc_")
        db.close()
        cleanups.append(lambda: None)
        return f"sqlite:///{path}"
    try:
        store_helpers._mysql_admin().close()
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("CI"):
            pytest.fail(f"MariaDB not reachable: {exc}")
        pytest.skip(f"MariaDB not reachable: {exc}")
    name = store_helpers.load_mariadb(sql, "oc_")
    cleanups.append(lambda: store_helpers.drop_mariadb(name))
    return store_helpers._mysql_url(name)


@pytest.fixture
def oc_database(request, tmp_path) -> Iterator[str]:
    """URL of a fresh OpenCart demo database on the parametrised backend (``backend``)."""
    cleanups: list[Callable[[], None]] = []
    url = make_database(request.param, tmp_path, cleanups)
    try:
        yield url
    finally:
        for cleanup in cleanups:
            cleanup()


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


def product_qty(product_id: int) -> int:
    from jettui.store.opencart import Product

    return int(Product.select(Product.quantity).where(Product.product_id == product_id).scalar())


def value_qty(value_id: int) -> int:
    from jettui.store.opencart import ProductOptionValue

    return int(
        ProductOptionValue.select(ProductOptionValue.quantity)
        .where(ProductOptionValue.product_option_value_id == value_id)
        .scalar()
    )


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
PRICES = {"CANON-RED": 98.0, "CINEMA-SMALL": 110.0, "product 11": 101.0, "Product 3": 80.0}


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
    from jettui.jet.connect import open_jet_client

    async with open_jet_client(settings) as jet:
        for sku, price in (prices or PRICES).items():
            await jet.put_sku(sku, _product(sku))
            await jet.put_price(
                sku,
                {
                    "price": price,
                    "fulfillment_nodes": [
                        {"fulfillment_node_id": NODE, "fulfillment_node_price": price}
                    ],
                },
            )
            await jet.put_inventory(
                sku, {"fulfillment_nodes": [{"fulfillment_node_id": NODE, "quantity": 50}]}
            )


def _product(sku: str) -> dict[str, Any]:
    return {
        "product_title": f"Test product {sku}",
        "jet_browse_node_id": 4000188,
        "brand": "Test",
        "standard_product_codes": [
            {"standard_product_code": "719236005030", "standard_product_code_type": "UPC"}
        ],
        "multipack_quantity": 1,
        "product_description": "A product the order tests sell",
        "main_image_url": "https://example.com/img/test.png",
        "shipping_weight_pounds": 1.5,
        "map_implementation": "101",
    }


async def place_order(settings: Settings, items: list[tuple[str, int, int]], count: int = 1):
    """Sandbox orders of ``items`` ``(sku, quantity, cancel quantity)``; their ids."""
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
