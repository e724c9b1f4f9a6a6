"""Issue 19 item 6: an upload's progress names what it counts (products checked, SKU rows in
Jet's files, SKUs), the same in the dashboard's progress label and the CLI's progress line;
before, "0/194" matched neither the products nor the SKUs selected."""

from __future__ import annotations

from jettui.cli import main
from jettui.cli.output import Output
from jettui.services.catalog.actions.report import progress_count
from jettui.tui.app import JettuiApp
from jettui.tui.screens.base import GridTable
from jettui.tui.screens.bulk_action import BulkActionModal
from tests.catalog.conftest import map_all_categories
from tests.pilot_support import settle


def test_each_stage_names_its_unit() -> None:
    assert progress_count("checking", 2, 5) == "2/5 products checked"
    assert progress_count("checking (part 1 of 3)", 2, 5) == "2/5 products checked"
    assert progress_count("MerchantSKUs file sent, Jet processing", 0, 9) == (
        "0/9 SKU rows in Jet files"
    )
    assert progress_count("archiving", 1, 4) == "1/4 SKUs"
    assert progress_count("fetching Jet status", 1, 4) == "1/4 SKUs"


async def test_upload_progress_label_names_the_unit(settings, db, monkeypatch) -> None:
    map_all_categories()
    shown: list[str] = []
    original = BulkActionModal._progress

    def progress(self: BulkActionModal, done: int, total: int) -> None:
        original(self, done, total)
        shown.append(str(self.query_one("#bulk-stage").render()))

    monkeypatch.setattr(BulkActionModal, "_progress", progress)
    app = JettuiApp(settings, environ={"COLORTERM": "truecolor"})
    async with app.run_test(size=(80, 24)) as pilot:
        await app.run_action("goto('products')")
        await settle(pilot)
        app.screen.query_one(GridTable).select_ids([2, 3])
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert "checking: 2/2 products checked" in shown
    files = [s for s in shown if s.startswith("MerchantSKUs")]
    assert files and all(s.endswith(" SKU rows in Jet files") for s in files)
    assert all(not s[-1].isdigit() for s in shown)  # never a bare "0/194"


def test_cli_progress_line_names_the_unit(settings, db, capsys, monkeypatch) -> None:
    from jettui.store.opencart import Product

    map_all_categories()
    monkeypatch.setattr(Output, "interactive", property(lambda self: True))
    skus = [p.sku or p.model for p in Product.select().where(Product.product_id.in_([2, 3]))]
    code = main(["--config", str(settings.path), "products", "upload", *skus])
    err = capsys.readouterr().err
    assert code == 0, err
    lines = [line.replace("\x1b[K", "") for line in err.split("\r") if line.strip()]
    assert "upload checking: 2/2 products checked" in lines
    assert any(line.startswith("upload MerchantSKUs") and "SKU rows in Jet files" in line
               for line in lines)  # fmt: skip
    assert not any(line.rstrip()[-1:].isdigit() for line in lines)
