"""Fixtures of tests/returns: tests/shop_support.py's store, with the return action the returns
services need in the settings."""

from pathlib import Path

import pytest

from jettui.config import Settings
from tests.shop_support import RETURN_ACTION, oc_database, oc_db, write_settings  # noqa: F401


@pytest.fixture
def oc_settings(oc_database: str, tmp_path: Path) -> Settings:  # noqa: F811
    return write_settings(tmp_path, oc_database, returns=RETURN_ACTION)
