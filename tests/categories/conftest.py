"""Fixtures for the category tests: settings in tmp_path over a small SQLite demo store (or a
fresh OpenCart database on the test MariaDB) and the embedded sandbox with its state in a file.

The MariaDB helpers are the store tests' own (tests/store/conftest.py), loaded by path: that
folder is not a package, and its fixtures must not be registered twice.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from jettui.config import Settings, load_settings

SECRET = "jetsecret-categories-5521"
SANDBOX_NODES = 335  # jettui/jet/sandbox/taxonomy.json
COOKWARE = 4000188  # Home & Garden > Kitchen & Dining > Cookware (a leaf)


def _store_helpers() -> Any:
    path = Path(__file__).resolve().parents[1] / "store" / "conftest.py"
    spec = importlib.util.spec_from_file_location("jettui_tests_store_helpers_cat", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


store_helpers = _store_helpers()


def settings_yaml(database: str) -> str:
    return f"""\
jet:
  api_url: sandbox
  api_user: jetuser
  api_secret: {SECRET}
  fulfillment_node_id: node-1
  max_retries: 0
store:
  database: {database}
sandbox:
  state_file: sandbox-state.db
"""


MakeSettings = Callable[..., Settings]


@pytest.fixture
def make_settings(tmp_path: Path) -> MakeSettings:
    def make(database: str = "sqlite:///demo-store.db") -> Settings:
        path = tmp_path / "settings.yaml"
        path.write_text(settings_yaml(database), encoding="utf-8")
        path.chmod(0o600)
        settings = load_settings(path)
        if settings.store.is_sqlite and not (tmp_path / "demo-store.db").exists():
            from jettui.store.demo import build_demo_store

            build_demo_store(settings, products=5, seed=3)
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


def refresh(settings: Settings, db: Any) -> Any:
    from jettui.services.categories import refresh_taxonomy

    return asyncio.run(refresh_taxonomy(settings, db))


@pytest.fixture
def cached(settings: Settings, db: Any) -> Any:
    """The db with the taxonomy cache filled from the sandbox."""
    result = refresh(settings, db)
    assert result.ok, result.failures
    return db


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


def category_ids_named(*names: str) -> list[int]:
    """Category ids by their English name (first match each)."""
    from jettui.store.opencart import CategoryDescription

    found = []
    for name in names:
        row = CategoryDescription.get(
            (CategoryDescription.name == name) & (CategoryDescription.language_id == 1)
        )
        found.append(int(row.category_id))
    return found
