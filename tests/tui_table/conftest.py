"""Fixtures for the BulkTable tests."""

from __future__ import annotations

import pytest

from jettui.tui.widgets.bulk_table import ListSource

from .host import COLUMNS, TableApp, make_rows


@pytest.fixture
def list_app() -> TableApp:
    return TableApp(ListSource(COLUMNS, make_rows(300)))
