"""Reusable widgets shared by the jettui screens."""

from jettui.tui.widgets.bulk_table import BulkTable, Column, ListSource, PageSource

__all__ = ["BulkTable", "Column", "ListSource", "PageSource"]
