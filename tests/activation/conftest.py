"""Fixtures for the activation tests: settings files in tmp_path over a small SQLite demo store
(or a fresh OpenCart database on the test MariaDB), the embedded sandbox with its state in a
file (so separate clients see the same Jet), and readers of what the run left behind.

The MariaDB helpers are the store tests' own (tests/store/conftest.py), loaded by path: that
folder is not a package, and its fixtures must not be registered twice.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from jettui.config import Settings, load_settings

SECRET = "jetsecret-activation-7391"
DEMO_PRODUCTS = 5


def _store_helpers() -> Any:
    path = Path(__file__).resolve().parents[1] / "store" / "conftest.py"
    spec = importlib.util.spec_from_file_location("jettui_tests_store_helpers", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


store_helpers = _store_helpers()


def settings_yaml(database: str, *, jet: str = "", sandbox: str = "", log: bool = True) -> str:
    return f"""\
jet:
  api_url: sandbox
  api_user: jetuser
  api_secret: {SECRET}
  fulfillment_node_id: node-1
  max_retries: 0
{jet}store:
  database: {database}
returns:
  address1: 6909 South State Street
  address2: Suite C
  city: Midvale
  state: UT
  postcode: "84047"
log:
  enabled: {"true" if log else "false"}
sandbox:
  state_file: sandbox-state.db
  review_delay_seconds: 0.3
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


def sandbox_tokens(settings: Settings) -> list[str]:
    """Every bearer token the sandbox issued (straight from its state file)."""
    with sqlite3.connect(settings.sandbox.state_file) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM docs WHERE kind = 'token'")]


def events(kind: str | None = None) -> list[Any]:
    from jettui.store.jet_tables import JetEvent

    query = JetEvent.select().order_by(JetEvent.id)
    if kind:
        query = query.where(JetEvent.kind == kind)
    return list(query)
