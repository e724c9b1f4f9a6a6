"""The stop key of a running upload (issue 19 item 12): shown in the footer only while the upload
runs; pressed, the part in flight is finished, the rest left, and the result says so."""

from __future__ import annotations

import asyncio

from textual.widgets._footer import FooterKey

from jettui.services.catalog.actions import run
from jettui.tui.app import JettuiApp
from jettui.tui.screens.base import GridTable
from jettui.tui.screens.bulk_action import BulkActionModal
from tests.catalog.conftest import jet_products, map_all_categories
from tests.pilot_support import settle

SELECTED = [2, 3, 4, 6]


def footer_keys(modal: BulkActionModal) -> list[str]:
    return [f"{k.key_display or k.key} {k.description}" for k in modal.query(FooterKey)]


async def test_stop_key_during_an_upload_leaves_the_rest(settings, db, monkeypatch) -> None:
    map_all_categories()
    monkeypatch.setattr(run, "STREAM_PRODUCTS", 1)  # one product a part
    started, gate = asyncio.Event(), asyncio.Event()
    original = run.StreamedRun.part

    async def part(self, number, ids, jet) -> None:  # type: ignore[no-untyped-def]
        if number == 1:  # the first part is in flight: held until the key is pressed
            started.set()
            await asyncio.wait_for(gate.wait(), 10)
        await original(self, number, ids, jet)

    monkeypatch.setattr(run.StreamedRun, "part", part)
    app = JettuiApp(settings, environ={"COLORTERM": "truecolor"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.run_action("goto('products')")
        await settle(pilot)
        app.screen.query_one(GridTable).select_ids(SELECTED)
        await pilot.press("u")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, BulkActionModal)
        assert not any("Stop" in k for k in footer_keys(modal))  # not before it runs

        await pilot.press("y")
        await asyncio.wait_for(started.wait(), 10)
        await pilot.pause()
        await pilot.pause()
        assert "esc Stop after this part" in footer_keys(modal)
        await pilot.press("escape")  # (s too): no longer ignored while it runs
        await pilot.pause()
        assert "Stopping after the part in flight" in str(modal.query_one("#bulk-keys").render())
        gate.set()
        await settle(pilot)

        report = modal.report
        assert report is not None and report.stopped, modal.summary
        left = [i.item for i in report.items if str(i.outcome) == "not attempted"]
        assert left
        question = str(modal.query_one("#bulk-question").render())
        assert f"{len(left)} left — run upload again" in question
        assert not any("Stop" in k for k in footer_keys(modal))  # done: no stop key
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, BulkActionModal)
    assert set(jet_products()) == {"ACM-WB00002"}  # the part in flight (product 2), no more
