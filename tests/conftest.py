"""Fixtures shared by the service test folders (activation, jobs, categories, catalog):
settings files written in tmp_path over a small SQLite demo store, the store opened with
jettui's tables, and a fresh OpenCart database on the test MariaDB.

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


def _store_helpers() -> Any:
    path = Path(__file__).resolve().parent / "store" / "conftest.py"
    spec = importlib.util.spec_from_file_location("jettui_tests_store_helpers", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


store_helpers = _store_helpers()

SettingsFromYaml = Callable[..., Settings]


@pytest.fixture
def settings_from_yaml(tmp_path: Path) -> SettingsFromYaml:
    """``make(yaml_text, demo_products=5, seed=3)`` → Settings read from
    ``tmp_path/settings.yaml``; a SQLite store is built as a demo store on first use."""

    def make(text: str, *, demo_products: int = 5, seed: int = 3) -> Settings:
        path = tmp_path / "settings.yaml"
        path.write_text(text, encoding="utf-8")
        path.chmod(0o600)
        settings = load_settings(path)
        if settings.store.is_sqlite and not (tmp_path / "demo-store.db").exists():
            from jettui.store.demo import build_demo_store

            build_demo_store(settings, products=demo_products, seed=seed)
        return settings

    return make


@pytest.fixture
def db(settings: Settings) -> Iterator[Any]:
    """The store of the folder's ``settings`` fixture, with jettui's tables."""
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
