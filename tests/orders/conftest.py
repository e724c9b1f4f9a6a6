"""Fixtures of tests/orders, each owner's from its own support module (one import line each)."""

from tests.orders.import_support import oc_database, oc_db, oc_settings  # noqa: F401
