"""Fixtures for the category tests: settings in tmp_path over a small SQLite demo store (or a
fresh OpenCart database on the test MariaDB) and the embedded sandbox with its state in a file.

The MariaDB helpers are the store tests' own (tests/store/conftest.py), loaded by path: that
folder is not a package, and its fixtures must not be registered twice.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from jettui.config import Settings
from tests.service_support import MakeSettings, settings_maker

SECRET = "jetsecret-categories-5521"
SANDBOX_NODES = 399  # jettui/jet/sandbox/taxonomy.json
COOKWARE = 4000188  # Home & Garden > Kitchen & Dining > Cookware (a leaf)


def settings_yaml(database: str = "sqlite:///demo-store.db") -> str:
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


@pytest.fixture
def make_settings(settings_from_yaml: Any) -> MakeSettings:
    """``make(database, **options)`` → Settings over a small SQLite demo store."""
    return settings_maker(settings_from_yaml, settings_yaml, demo_products=5, seed=3)


@pytest.fixture
def settings(make_settings: MakeSettings) -> Settings:
    return make_settings()


def refresh(settings: Settings, db: Any) -> Any:
    from jettui.services.categories import refresh_taxonomy

    return asyncio.run(refresh_taxonomy(settings, db))


@pytest.fixture
def cached(settings: Settings, db: Any) -> Any:
    """The db with the taxonomy cache filled from the sandbox."""
    result = refresh(settings, db)
    assert result.ok, result.failures
    return db


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
