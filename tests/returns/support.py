"""Shared by tests/returns: OpenCart 3.0.3.8's own install data on SQLite and on MariaDB
(the import tests' helpers), settings pointing at it and at the embedded sandbox, and a bare
OpenCart order with two lines for the store-level tests."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import peewee as pw
import pytest

from jettui.config import Settings, load_settings
from tests.orders.import_support import make_database

SECRET = "jetsecret-returns-8813"
NODE = "node-1"
BACKENDS = ["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)]

# OpenCart's demo: product 30 "Canon EOS 5D" with Select option value 16 (product_option 226),
# product 40 "iPhone"; both subtract stock.
CANON, CANON_OPTION, CANON_VALUE, IPHONE = 30, 226, 16, 40


def settings_yaml(database: str, returns: str = "") -> str:
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
returns:
  return_action_id: 1
{returns}sandbox:
  state_file: sandbox-state.db
  review_delay_seconds: 0
  order_every_seconds: 0
"""


def write_settings(folder: Path, database: str, returns: str = "") -> Settings:
    path = folder / "settings.yaml"
    path.write_text(settings_yaml(database, returns), encoding="utf-8")
    path.chmod(0o600)
    return load_settings(path)


@pytest.fixture(params=BACKENDS)
def rt_database(request, tmp_path) -> Iterator[str]:
    """URL of a fresh OpenCart demo database on each backend."""
    cleanups: list[Callable[[], None]] = []
    url = make_database(request.param, tmp_path, cleanups)
    try:
        yield url
    finally:
        for cleanup in cleanups:
            cleanup()


@pytest.fixture
def rt_settings(rt_database: str, tmp_path: Path) -> Settings:
    return write_settings(tmp_path, rt_database)


@pytest.fixture
def rt_db(rt_settings: Settings) -> Iterator[pw.Database]:
    """The store of ``rt_settings``, connected and bound, with jettui's tables."""
    from jettui.store.db import connect, ensure_jet_tables

    db = connect(rt_settings)
    ensure_jet_tables(db)
    yield db
    db.close()


def product_qty(product_id: int) -> int:
    from jettui.store.opencart import Product

    return int(Product.select(Product.quantity).where(Product.product_id == product_id).scalar())


def value_qty(value_id: int) -> int:
    from jettui.store.opencart import ProductOptionValue

    query = ProductOptionValue.select(ProductOptionValue.quantity)
    return int(query.where(ProductOptionValue.product_option_value_id == value_id).scalar())


def buyer_order(placed: _dt.datetime) -> tuple[int, dict[str, int]]:
    """An OpenCart order of Jane Doe: 2 × Canon (option value 16) and 1 × iPhone, with the SKU
    links jettui keeps. Returns the order id and ``{sku: order_product_id}``."""
    from jettui.store.jet_tables import JetProduct
    from jettui.store.opencart import Order, OrderOption, OrderProduct

    order_id = int(
        Order.insert(
            order_status_id=5, firstname="Jane", lastname="Doe & Co", email="jd@customer.jet.com",
            telephone="5555550100", total=0, date_added=placed, date_modified=placed,
        ).execute()
    )  # fmt: skip
    lines: dict[str, int] = {}
    for sku, product_id, name, model, qty, value in (
        ("CANON-RED", CANON, "Canon EOS 5D", "Product 3", 2, CANON_VALUE),
        ("IPHONE", IPHONE, "iPhone", "product 11", 1, 0),
    ):
        line_id = OrderProduct.insert(
            order_id=order_id, product_id=product_id, name=name, model=model, quantity=qty,
            price=10, total=10 * qty,
        ).execute()  # fmt: skip
        if value:
            OrderOption.insert(
                order_id=order_id, order_product_id=line_id, product_option_id=CANON_OPTION,
                product_option_value_id=value, name="Select", value="Red", type="select",
            ).execute()  # fmt: skip
        JetProduct.create(product_id=product_id, product_option_value_id=value, merchant_sku=sku)
        lines[sku] = int(line_id)
    return order_id, lines


def row_dicts(model: Any, *where: Any) -> list[dict[str, Any]]:
    query = model.select()
    for condition in where:
        query = query.where(condition)
    return list(query.order_by(*model._meta.sorted_fields[:1]).dicts())


# --- a Jet order uploaded, imported, acknowledged and shipped through the services ------------

IPHONE_SKU = "product 11"  # OpenCart's demo model of product 40


async def upload_products(settings: Settings, db: Any) -> dict[str, str]:
    """Upload the Canon (with its colour children) and the iPhone through the catalog service;
    ``{"iphone": sku, "canon_blue": sku}``."""
    from jettui.services.catalog import actions, run_action
    from jettui.store.jet_tables import JetProduct
    from jettui.store.opencart import Product
    from tests.catalog.conftest import map_all_categories

    actions.POLL_INTERVAL = 0.01
    map_all_categories()
    Product.update(upc="036000291452").where(Product.product_id == CANON).execute()
    Product.update(upc="012345678905").where(Product.product_id == IPHONE).execute()
    report = await run_action(settings, db, "upload", [CANON, IPHONE])
    assert report.exit_code == 0, report.summary
    blue = JetProduct.get(JetProduct.product_option_value_id == CANON_VALUE).merchant_sku
    return {"iphone": IPHONE_SKU, "canon_blue": blue}


async def shipped_order(settings: Settings, db: Any, items: dict[str, int]) -> str:
    """A sandbox order of ``{sku: quantity}``, imported, acknowledged and shipped in full
    through the order services; its merchant_order_id."""
    from jettui.jet.connect import open_jet_client
    from jettui.services.orders.acknowledge import acknowledge_orders
    from jettui.services.orders.importer import fetch_orders
    from jettui.services.orders.shipping import default_form, order_view, ship_order

    body = {
        "fulfillment_node": NODE,
        "items": [{"sku": sku, "order_quantity": qty} for sku, qty in items.items()],
    }
    async with open_jet_client(settings) as jet:
        [merchant_order_id] = await jet.generate_orders(body, 1)
    report = await fetch_orders(settings, db)
    assert not [i for i in report.items if i.is_problem], report.items
    await acknowledge_orders(settings, db, [merchant_order_id])
    form = default_form(await order_view(db, merchant_order_id), settings)
    form.tracking_number = "1Z999AA10123456784"
    result = await ship_order(settings, db, merchant_order_id, form)
    assert result.outcome == "succeeded", result.reason
    return merchant_order_id


async def generate_return(settings: Settings, merchant_order_id: str) -> str:
    from jettui.jet.connect import open_jet_client

    async with open_jet_client(settings) as jet:
        return await jet.generate_return(merchant_order_id)


async def jet_return(settings: Settings, return_id: str) -> dict[str, Any]:
    from jettui.jet.connect import open_jet_client

    async with open_jet_client(settings) as jet:
        return await jet.get_return(return_id)


def oc_order_id(merchant_order_id: str) -> int:
    from jettui.store.jet_tables import JetOrder

    return int(JetOrder.get(JetOrder.merchant_order_id == merchant_order_id).order_id)


def jet_order_raw(merchant_order_id: str) -> dict[str, Any]:
    from jettui.store.jet_tables import JetOrder

    return JetOrder.get(JetOrder.merchant_order_id == merchant_order_id).raw
