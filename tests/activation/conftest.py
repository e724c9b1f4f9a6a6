"""Fixtures for the activation tests: settings files in tmp_path over a small SQLite demo store
(or a fresh OpenCart database on the test MariaDB), the embedded sandbox with its state in a
file (so separate clients see the same Jet), and readers of what the run left behind.

The MariaDB helpers are the store tests' own (tests/store/conftest.py), loaded by path: that
folder is not a package, and its fixtures must not be registered twice.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from jettui.config import Settings
from tests.service_support import MakeSettings, override, settings_maker

SECRET = "jetsecret-activation-7391"
DEMO_PRODUCTS = 5


def settings_yaml(
    database: str = "sqlite:///demo-store.db", *, jet: str = "", sandbox: str = "", log: bool = True
) -> str:
    jet_defaults = f"""\
  api_url: sandbox
  api_user: jetuser
  api_secret: {SECRET}
  fulfillment_node_id: node-1
  max_retries: 0
"""
    sandbox_defaults = """\
  state_file: sandbox-state.db
  review_delay_seconds: 0.3
  order_every_seconds: 0
"""
    return f"""\
jet:
{override(jet_defaults, jet)}store:
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
{override(sandbox_defaults, sandbox)}"""


@pytest.fixture
def make_settings(settings_from_yaml: Any) -> MakeSettings:
    """``make(database, **options)`` → Settings over a small SQLite demo store."""
    return settings_maker(settings_from_yaml, settings_yaml, demo_products=DEMO_PRODUCTS, seed=3)


@pytest.fixture
def settings(make_settings: MakeSettings) -> Settings:
    return make_settings()


def sandbox_tokens(settings: Settings) -> list[str]:
    """Every bearer token the sandbox issued (straight from its state file)."""
    with sqlite3.connect(settings.sandbox.state_file) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM docs WHERE kind = 'token'")]
