"""The Returns and Refunds panels at 80x24, driven by keys, against the embedded sandbox and
a SQLite demo store: a return of a shipped order is fetched (f) and completed with the form
(c; an amount above what the buyer paid is refused by its line first); a merchant refund is
created with the form (c on Refunds) and its state refreshed (r) until Jet accepts it."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Select

from jettui.config import Settings
from jettui.tui.app import JettuiApp
from jettui.tui.screens.panel_actions import ItemsActionModal
from jettui.tui.screens.refunds import RefundFormScreen
from jettui.tui.screens.return_form import ReturnFormScreen
from tests.pilot_support import grid_rows, notes, settle
from tests.shop_support import SECRET, SHOP_ITEMS, place_order


async def shipped_orders(settings: Settings, count: int) -> list[str]:
    """``count`` sandbox orders (2 + 1 units), imported, acknowledged and shipped in full."""
    from jettui.jet.connect import open_jet_client
    from jettui.services.orders.acknowledge import acknowledge_orders
    from jettui.services.orders.importer import fetch_orders
    from jettui.services.orders.shipping import default_form, order_view, ship_order
    from jettui.store.db import connect, ensure_jet_tables

    ids = [(await place_order(settings, SHOP_ITEMS))[0] for _ in range(count)]
    db = connect(settings)
    ensure_jet_tables(db)
    try:
        report = await fetch_orders(settings, db)
        assert not report.problems and len(report.items) == count, report.summary
        await acknowledge_orders(settings, db, ids)
        for jet_id in ids:
            form = default_form(await order_view(db, jet_id), settings)
            form.tracking_number, form.carrier, form.method = (
                "1Z0001000000000000",
                "UPS",
                "UPS Ground",
            )
            result = await ship_order(settings, db, jet_id, form)
            assert not result.is_problem, result.line
    finally:
        db.close()
    async with open_jet_client(settings) as jet:
        await jet.generate_return(ids[0])
    return ids


async def test_fetch_and_complete_a_return(shop: Settings) -> None:
    [jet_id] = await shipped_orders(shop, 1)
    app = JettuiApp(shop, environ={"COLORTERM": "truecolor"})
    async with app.run_test(size=(80, 24)) as pilot:
        await app.run_action("goto('returns')")
        await settle(pilot)
        await pilot.press("f")  # the fetch-returns job mirrors it into OpenCart
        await settle(pilot)
        [row] = grid_rows(app)
        assert row[1] != "" and row[2] == "3"  # OpenCart return ids; 3 units back
        assert row[6] == jet_id

        await pilot.press("c")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ReturnFormScreen) and len(form.lines) == 2
        first = form.lines[0]
        principal = form.query_one(f"#{first.id('principal')}", Input)
        paid = principal.value
        principal.value = "9999"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # refused by the line it is about, nothing sent
        error = str(form.query_one(f"#{first.id('err')}").render())
        assert f"lines[{first.sku}].refund_amount.principal" in error
        principal.value = paid
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form, str(form.query_one("#rf-problems").render())
        [row] = grid_rows(app)
        assert row[4] == "completed by merchant"
        assert SECRET not in notes(app)


async def test_create_a_refund_and_refresh_its_state(shop: Settings) -> None:
    _returned, jet_id = await shipped_orders(shop, 2)
    app = JettuiApp(shop, environ={"COLORTERM": "truecolor"})
    async with app.run_test(size=(80, 24)) as pilot:
        await app.run_action("goto('refunds')")
        await settle(pilot)
        await pilot.press("c")  # the refund form; typing goes into its first field
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RefundFormScreen)
        await pilot.press(*jet_id, "enter")
        await settle(pilot)
        assert [line.sku for line in form.lines] == ["HRT-SWL00001", "HRT-TM00002"]
        await pilot.press("ctrl+s")  # no quantity, no reason: both named, nothing sent
        await settle(pilot)
        assert "reason: pick one" in str(form.query_one("#rfd-err-reason").render())
        form.query_one("#rfd-qty-0", Input).value = "1"
        form.query_one("#rfd-reason", Select).value = "Unwanted gift"
        await settle(pilot)  # no feedback picked: the form says which one Jet will get
        hint = str(form.query_one("#rfd-feedback-hint").render())
        assert "sends 'Refunded minus shipping cost' (from the reason)" in hint
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form, str(form.query_one("#rfd-problems").render())
        assert "feedback 'Refunded minus shipping cost' (from the reason)" in notes(app)
        [row] = grid_rows(app)
        assert (row[0], row[1], row[2]) == (jet_id, "HRT-SWL00001×1", "65.99")
        assert row[4] in ("created", "processing")

        states = []
        for _ in range(3):  # Jet moves a refund created → processing → accepted
            await pilot.press("r", "y")  # ask Jet for the state of every open refund
            await settle(pilot)
            modal: Any = app.screen
            assert isinstance(modal, ItemsActionModal) and not modal.failed, modal.summary
            await pilot.press("escape")
            await settle(pilot)
            [row] = grid_rows(app)
            states.append(row[4])
            if row[4] == "accepted":
                break
        assert states[-1] == "accepted", states
        assert SECRET not in notes(app)
