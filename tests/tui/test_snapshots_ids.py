"""SVG snapshots at 80x24, both themes, of the refund form (issue 19 item 10): the order
picked from the list, its refundable lines with their quantity and amount fields, and an
amount above what is refundable refused under its line. Ids are fixed (the sandbox's id
maker is replaced), the buyer and reference rewritten, so the screen is the same each run."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select

from jettui.config import Settings

from .conftest import make_app, settle
from .test_returns_panels import shipped_orders

THEMES = ("jettui", "jettui-16")


@pytest.fixture
def fixed_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    numbers = itertools.count(1)
    monkeypatch.setattr(
        "jettui.jet.sandbox.orders.new_jet_id", lambda: f"{next(numbers):04d}c0ffee{'0' * 22}"
    )


def _shipped_order(shop: Settings) -> str:
    from jettui.store.db import connect
    from jettui.store.jet_tables import JetOrder

    [jet_id] = asyncio.run(shipped_orders(shop, 1))
    db = connect(shop)
    row = JetOrder.get(JetOrder.merchant_order_id == jet_id)
    row.reference_order_id = "123456789012"
    row.raw = {**row.raw, "buyer": {**(row.raw.get("buyer") or {}), "name": "Jane Doe"}}
    row.save()
    db.close()
    return jet_id


@pytest.mark.usefixtures("fixed_ids", "frozen_clock")
@pytest.mark.parametrize("theme", THEMES)
def test_refund_form_over_the_cap(snap_compare, shop: Settings, theme: str) -> None:
    jet_id = _shipped_order(shop)

    async def fill_form(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.app.run_action("goto('refunds')")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        form = pilot.app.screen
        form.query_one("#rfd-pick", Select).value = jet_id
        await settle(pilot)
        form.query_one("#rfd-qty-0", Input).value = "1"
        form.query_one("#rfd-amount-0", Input).value = "999"
        form.query_one("#rfd-reason", Select).value = "Unwanted gift"
        await pilot.press("ctrl+s")
        await settle(pilot)
        form.query_one("#rfd-qty-0", Input).focus()
        await settle(pilot)

    assert snap_compare(make_app(shop, theme), run_before=fill_form)
