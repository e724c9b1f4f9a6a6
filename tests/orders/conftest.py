"""Fixtures of tests/orders (from tests/shop_support.py, shared with tests/returns)."""

from tests.shop_support import oc_database, oc_db, oc_settings  # noqa: F401
