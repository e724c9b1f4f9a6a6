"""Bulk actions that say exactly what they touch: the confirm names the products and the rows
the grid hides, the result lists every SKU (scrollable to its end at 80×24) with its outcome,
new Jet status and the upload warnings, and can be saved; the grid shows the new state at once.
"""

from __future__ import annotations

import csv
import json
from typing import Any

import pytest
from rich.console import Console
from textual.containers import VerticalScroll

from jettui.config import Settings
from jettui.services.catalog.actions import bulk_files
from jettui.tui.app import JettuiApp
from jettui.tui.screens.base import GridTable
from jettui.tui.screens.bulk_action import BulkActionModal, warnings_of
from jettui.tui.widgets.bulk_table import BulkTableBody
from tests.catalog.conftest import map_all_categories, settings_yaml
from tests.pilot_support import settle

from .conftest import TRUECOLOUR

PRODUCTS = 16


@pytest.fixture(autouse=True)
def fast_polling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk_files, "POLL_INTERVAL", 0.01)


@pytest.fixture
def settings(settings_from_yaml: Any) -> Settings:
    return settings_from_yaml(settings_yaml("sqlite:///demo-store.db"), demo_products=PRODUCTS)


def _text(widget) -> str:
    """A Static's whole content (Rich tables too) as text, scrolled out of view or not."""
    console = Console(width=76, color_system=None)
    with console.capture() as capture:
        console.print(widget.content)
    return capture.get()


def _dialog_lines(app: JettuiApp) -> str:
    """What the screen shows (every visible line), as a user reads it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_a_long_result_scrolls_to_its_last_sku_at_80x24(settings: Settings, db) -> None:
    app = JettuiApp(settings, environ=TRUECOLOUR)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a", "t")  # every product: none is on Jet yet
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, BulkActionModal)
        question = _text(modal.query_one("#bulk-question"))
        assert f"{PRODUCTS} products" in question and f"and {PRODUCTS - 3} more" in question
        await pilot.press("y")
        await settle(pilot)
        assert modal.report is not None and len(modal.rows) >= PRODUCTS
        box = modal.query_one("#bulk-box").region
        assert box.bottom <= 24  # the dialog fits the screen...
        result = modal.query_one("#bulk-result", VerticalScroll)
        assert result.max_scroll_y > 0  # ...and the rest of the result scrolls
        assert modal.focused is result
        await pilot.press("end")
        await settle(pilot)
        assert result.scroll_y == result.max_scroll_y
        assert modal.rows[-1]["sku"] in _dialog_lines(app)  # the last SKU is reachable


async def test_confirm_says_what_the_filter_hides_and_v_acts_on_the_visible_only(
    settings: Settings, db
) -> None:
    app = JettuiApp(settings, environ=TRUECOLOUR)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(GridTable)
        await pilot.press("a")
        await settle(pilot)
        first_model = table.source.fetch("", None, False, 0, 1)[0][1][1]
        await pilot.press("slash", *first_model, "enter")
        await settle(pilot)
        visible = [int(i) for i in table.source.ids(first_model)]
        assert 0 < len(visible) < PRODUCTS
        await pilot.press("x")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, BulkActionModal)
        question = _text(modal.query_one("#bulk-question"))
        hidden = PRODUCTS - len(visible)
        assert f"{PRODUCTS} selected, {hidden} hidden by the filter" in question
        await pilot.press("v")
        await settle(pilot)
        assert modal.product_ids == visible
        assert modal.report is not None


async def test_upload_result_lists_new_status_and_warnings_and_saves(
    settings: Settings, db
) -> None:
    map_all_categories()
    app = JettuiApp(settings, environ=TRUECOLOUR)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "u")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, BulkActionModal)
        await pilot.press("y")
        await settle(pilot)
        assert modal.report is not None and modal.report.summary.startswith("upload: ")
        succeeded = [r for r in modal.rows if r["outcome"] == "succeeded"]
        assert succeeded and {r["jet_status"] for r in succeeded} == {"Uploaded"}
        shown = " ".join(_text(modal.query_one("#bulk-result-text")).split())
        warnings = warnings_of(modal.report)  # what `products upload` prints
        assert warnings and "warning" in shown
        for line in warnings:
            assert line.split(": warning: ")[1] in shown

        await pilot.press("c", "j")
        await settle(pilot)
        folder = settings.path.parent
        (csv_file,) = folder.glob("jettui-upload-*.csv")
        rows = list(csv.DictReader(csv_file.open(encoding="utf-8")))
        assert [r["sku"] for r in rows] == [r["sku"] for r in modal.rows]
        (json_file,) = folder.glob("jettui-upload-*.json")
        assert json.loads(json_file.read_text())["items"] == modal.rows

        # archive: the row says Archived as soon as the dialog closes, no status fetch needed
        await pilot.press("escape", "up", "up", "x", "y")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        line = app.screen.query_one(GridTable).query_one(BulkTableBody).render_line(1).text
        assert "Archived" in line


async def test_rejected_files_fetch_errors_and_resubmit_what_failed(settings: Settings, db) -> None:
    from jettui.services.catalog.payload import merchant_sku
    from jettui.store.jet_tables import JetFile
    from jettui.store.opencart import Product

    product = Product.get(Product.product_id == 3)
    sku = merchant_sku(product)
    JetFile.create(
        jet_file_id="file-with-errors",
        file_type="MerchantSKUs",
        file_name="MerchantSKUs-1.json",
        status="Processed with errors",
        sku_count=2,
        error_count=1,
        error_excerpt={sku: ["brand is restricted"]},
    )
    app = JettuiApp(settings, environ=TRUECOLOUR)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        notes = [n.message for n in app._notifications]
        assert not any("not available" in note for note in notes)
        assert any(note.startswith("fetch-errors") for note in notes), notes

        await pilot.press("r")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, BulkActionModal) and modal.action == "upload"
        assert modal.product_ids == [3]
        assert sku in _text(modal.query_one("#bulk-question"))
