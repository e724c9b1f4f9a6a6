"""Fixtures of tests/returns (from tests/returns/support.py)."""

from tests.returns.support import rt_database, rt_db, rt_settings  # noqa: F401
