"""The products screen: select 3 products, press u, confirm, see the Jet status change."""

from __future__ import annotations

from jettui.tui.app import JettuiApp
from jettui.tui.screens.base import GridTable
from jettui.tui.screens.bulk_action import BulkActionModal
from jettui.tui.screens.products import ProductsScreen
from tests.catalog.conftest import SECRET, jet_products, map_all_categories
from tests.pilot_support import settle


def statuses(app: JettuiApp) -> dict[int, str]:
    table = app.screen.query_one(GridTable)
    return {int(pid): cells[5] for pid, cells in table.source.fetch("", None, False, 0, 20)}


async def test_select_three_upload_and_status_changes(settings, db) -> None:
    map_all_categories()
    app = JettuiApp(settings, environ={"COLORTERM": "truecolor"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.run_action("goto('products')")
        await settle(pilot)
        assert isinstance(app.screen, ProductsScreen)
        table = app.screen.query_one(GridTable)
        table.select_ids([2, 3, 4])
        assert {statuses(app)[p] for p in (2, 3, 4)} == {"Not sent"}

        await pilot.press("u")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, BulkActionModal)
        assert "3 products" in str(modal.query_one("#bulk-question").render())

        await pilot.press("y")
        await settle(pilot)
        assert modal.report is not None, modal.summary
        assert modal.report.summary == "upload: 3 succeeded"
        await pilot.press("escape")
        await settle(pilot)

        assert isinstance(app.screen, ProductsScreen)
        after = statuses(app)
        assert [after[p] for p in (2, 3, 4)] == ["Uploaded"] * 3
        assert after[6] == "Not sent"
        notes = [n.message for n in app._notifications]
        assert "upload: 3 succeeded" in notes
        assert SECRET not in " ".join(notes)
    assert set(jet_products()) == {"ACM-WB00002", "BRW-CK00003", "BRW-T00004"}


async def test_upload_confirm_previews_and_progress_names_the_stages(
    settings, db, monkeypatch
) -> None:
    map_all_categories()
    stages: list[str] = []
    shown: list[str] = []
    original_stage, original_progress = BulkActionModal._stage, BulkActionModal._progress

    def stage(self: BulkActionModal, text: str) -> None:
        stages.append(text)
        original_stage(self, text)

    def progress(self: BulkActionModal, done: int, total: int) -> None:
        original_progress(self, done, total)
        shown.append(str(self.query_one("#bulk-stage").render()))

    monkeypatch.setattr(BulkActionModal, "_stage", stage)
    monkeypatch.setattr(BulkActionModal, "_progress", progress)
    app = JettuiApp(settings, environ={"COLORTERM": "truecolor"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.run_action("goto('products')")
        await settle(pilot)
        app.screen.query_one(GridTable).select_ids([2, 3])
        await pilot.press("u")
        await settle(pilot)
        modal = app.screen
        await pilot.press("p")
        await settle(pilot)
        preview = str(modal.query_one("#bulk-result-text").render())
        assert "ACM-WB00002: would send - MerchantSKUs, Price, Inventory" in preview
        assert "  price: " in preview and "  title: " in preview
        assert jet_products() == {}  # a preview sends nothing
        await pilot.press("y")
        await settle(pilot)
        assert modal.report is not None and modal.report.summary == "upload: 2 succeeded"
    assert stages[0] == "checking"
    assert "MerchantSKUs file sent, Jet processing" in stages
    assert "Price and Inventory" in stages
    assert "checking: 2/2 products checked" in shown  # (issue 19: the unit named)
