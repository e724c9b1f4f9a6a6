"""Fixtures for the job tests: a settings file in tmp_path over a small SQLite demo store (or a
fresh OpenCart database on the test MariaDB), the embedded sandbox with its state in a file (so
the test's own client and the job's client see the same Jet), and helpers that put SKUs on that
Jet and link them in jettui's product table.

The MariaDB helpers are the store tests' own (tests/store/conftest.py), loaded by path: that
folder is not a package, and its fixtures must not be registered twice.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from jettui.config import Settings, load_settings
from jettui.jet.connect import open_jet_client

SECRET = "jetsecret-jobs-5518"
DEMO_PRODUCTS = 5
NODE = "node-1"


def _store_helpers() -> Any:
    path = Path(__file__).resolve().parents[1] / "store" / "conftest.py"
    spec = importlib.util.spec_from_file_location("jettui_tests_store_helpers_jobs", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


store_helpers = _store_helpers()


CRON = {
    "fetch_orders": 10,
    "fetch_errors": 10,
    "fetch_returns": 30,
    "acknowledge": 30,
    "product_status": 20,
    "sync": 0,  # these tests are about the status jobs; tests/catalog covers sync
}


def settings_yaml(
    database: str, *, jet: str = "", sandbox: str = "", cron: dict[str, int] | None = None
) -> str:
    minutes = "".join(f"  {key}: {value}\n" for key, value in {**CRON, **(cron or {})}.items())
    return f"""\
jet:
  api_url: sandbox
  api_user: jetuser
  api_secret: {SECRET}
  fulfillment_node_id: {NODE}
  max_retries: 0
  concurrency: 3
{jet}store:
  database: {database}
cron:
{minutes}sandbox:
  state_file: sandbox-state.db
  review_delay_seconds: 0
  order_every_seconds: 0
{sandbox}"""


MakeSettings = Callable[..., Settings]


@pytest.fixture
def make_settings(tmp_path: Path) -> MakeSettings:
    """``make(**settings_yaml options)`` → Settings from ``tmp_path/settings.yaml`` over a
    5-product SQLite demo store (built once per test)."""

    def make(database: str = "sqlite:///demo-store.db", **options: Any) -> Settings:
        path = tmp_path / "settings.yaml"
        path.write_text(settings_yaml(database, **options), encoding="utf-8")
        path.chmod(0o600)
        settings = load_settings(path)
        if settings.store.is_sqlite and not (tmp_path / "demo-store.db").exists():
            from jettui.store.demo import build_demo_store

            build_demo_store(settings, products=DEMO_PRODUCTS, seed=3)
        return settings

    return make


@pytest.fixture
def settings(make_settings: MakeSettings) -> Settings:
    return make_settings()


@pytest.fixture
def db(settings: Settings) -> Iterator[Any]:
    from jettui.store.db import connect, ensure_jet_tables

    database = connect(settings)
    ensure_jet_tables(database)
    yield database
    database.close()


@pytest.fixture
def mariadb_url() -> Iterator[str]:
    """A fresh OpenCart database on the test MariaDB (skipped locally when the server is
    down, a failure when CI is set), dropped afterwards."""
    sql = store_helpers.opencart_sql_path()
    if not sql.is_file():
        message = f"OpenCart install SQL not found at {sql}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        store_helpers._mysql_admin().close()
    except Exception as exc:  # pymysql's OperationalError and friends
        message = f"MariaDB not reachable ({type(exc).__name__}: {exc})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    name = store_helpers.load_mariadb(sql, "oc_")
    try:
        yield store_helpers._mysql_url(name)
    finally:
        store_helpers.drop_mariadb(name)


# --- Jet and store helpers ----------------------------------------------------------------


def product(title: str, upc: str = "719236005030") -> dict[str, Any]:
    return {
        "product_title": title,
        "jet_browse_node_id": 4000188,
        "brand": "Test",
        "standard_product_codes": [
            {"standard_product_code": upc, "standard_product_code_type": "UPC"}
        ],
        "multipack_quantity": 1,
        "product_description": f"{title}, a product of the job tests",
        "main_image_url": "https://example.com/img/test.png",
        "shipping_weight_pounds": 1.5,
    }


def price(amount: float = 12.5) -> dict[str, Any]:
    return {
        "price": amount,
        "fulfillment_nodes": [{"fulfillment_node_id": NODE, "fulfillment_node_price": amount}],
    }


def inventory(quantity: int = 7, node: str = NODE) -> dict[str, Any]:
    return {"fulfillment_nodes": [{"fulfillment_node_id": node, "quantity": quantity}]}


async def put_on_jet(settings: Settings, listed: list[str], *, bare: tuple[str, ...] = ()) -> None:
    """``listed`` SKUs with price and inventory (Available on the sandbox, no review delay);
    ``bare`` ones without a price (Missing Listing Data)."""
    async with open_jet_client(settings) as jet:
        for sku in listed:
            await jet.put_sku(sku, product(f"Listed {sku}"))
            await jet.put_price(sku, price())
            await jet.put_inventory(sku, inventory())
        for sku in bare:
            await jet.put_sku(sku, product(f"Bare {sku}"))


async def jet_view(settings: Settings, sku: str) -> dict[str, Any]:
    async with open_jet_client(settings) as jet:
        return await jet.get_sku(sku)


def link_products(skus: list[str], **values: Any) -> None:
    """A JetProduct row per SKU (product ids 9001...; no OpenCart row needed for status)."""
    from jettui.store.jet_tables import JetProduct

    start = 9001 + JetProduct.select().count()
    for i, sku in enumerate(skus):
        JetProduct.create(product_id=start + i, merchant_sku=sku, **values)


def products() -> dict[str, Any]:
    from jettui.store.jet_tables import JetProduct

    return {p.merchant_sku: p for p in JetProduct.select()}


def job_runs(job: str | None = None) -> list[Any]:
    from jettui.store.jet_tables import JetJobRun

    query = JetJobRun.select().order_by(JetJobRun.id)
    if job:
        query = query.where(JetJobRun.job == job)
    return list(query)


def events(kind: str | None = None) -> list[Any]:
    from jettui.store.jet_tables import JetEvent

    query = JetEvent.select().order_by(JetEvent.id)
    if kind:
        query = query.where(JetEvent.kind == kind)
    return list(query)
