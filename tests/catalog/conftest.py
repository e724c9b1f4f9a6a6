"""Fixtures for the catalog tests: a settings file in tmp_path over a small SQLite demo store,
the embedded sandbox with its state in a file (review delay 0), and every category mapped to a
Jet node by inserting JetCategory rows directly (the category mapping is other work)."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from jettui.config import Settings, load_settings
from jettui.services.catalog import actions

SECRET = "jetsecret-catalog-7731"
NODE = "node-1"
JET_NODE = 4000188  # a node of the sandbox taxonomy
VARIANT_ATTRIBUTE = 119  # marked "variant" in the cached attributes below
DEMO_PRODUCTS = 16


def _store_helpers() -> Any:
    # tests/store is not a package and its fixtures must not register twice: load by path
    path = Path(__file__).resolve().parents[1] / "store" / "conftest.py"
    spec = importlib.util.spec_from_file_location("jettui_tests_store_helpers_catalog", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


store_helpers = _store_helpers()


def settings_yaml(database: str, pricing: str = "") -> str:
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
{pricing}sandbox:
  state_file: sandbox-state.db
  review_delay_seconds: 0
  order_every_seconds: 0
"""


MakeSettings = Callable[..., Settings]


@pytest.fixture(autouse=True)
def fast_polling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(actions, "POLL_INTERVAL", 0.01)


@pytest.fixture
def make_settings(tmp_path: Path) -> MakeSettings:
    def make(database: str = "sqlite:///demo-store.db", pricing: str = "") -> Settings:
        path = tmp_path / "settings.yaml"
        path.write_text(settings_yaml(database, pricing), encoding="utf-8")
        path.chmod(0o600)
        settings = load_settings(path)
        if settings.store.is_sqlite and not (tmp_path / "demo-store.db").exists():
            from jettui.store.demo import build_demo_store

            build_demo_store(settings, products=DEMO_PRODUCTS, seed=5)
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


def map_all_categories(variant: bool = True) -> None:
    """Every category → JET_NODE, whose cached taxonomy entry has a variant attribute (or not)."""
    from jettui.store.jet_tables import JetCategory, JetTaxonomyNode
    from jettui.store.opencart import Category

    attributes = [
        {"attribute_id": 50, "variant": False},
        {"attribute_id": VARIANT_ATTRIBUTE, "variant": variant},
    ]
    JetTaxonomyNode.create(
        jet_node_id=JET_NODE, name="Test node", is_leaf=True, attributes=attributes
    )
    for category in Category.select():
        JetCategory.create(
            category_id=category.category_id,
            jet_node_id=JET_NODE,
            attributes=[50, VARIANT_ATTRIBUTE],
        )


def jet_products() -> dict[str, Any]:
    from jettui.store.jet_tables import JetProduct

    return {p.merchant_sku: p for p in JetProduct.select()}


@pytest.fixture
def mariadb_url() -> Iterator[str]:
    """A fresh OpenCart database on the test MariaDB (skipped locally when the server is
    down, a failure when CI is set), dropped afterwards."""
    sql = store_helpers.opencart_sql_path()
    try:
        if not sql.is_file():
            raise FileNotFoundError(f"OpenCart install SQL not found at {sql}")
        store_helpers._mysql_admin().close()
    except Exception as exc:  # pymysql's OperationalError and friends
        message = f"MariaDB not usable ({type(exc).__name__}: {exc})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    name = store_helpers.load_mariadb(sql, "oc_")
    try:
        yield store_helpers._mysql_url(name)
    finally:
        store_helpers.drop_mariadb(name)
