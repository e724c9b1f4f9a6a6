"""The Orders and Rejected orders panels at 80x24, driven by keys, against the embedded
sandbox and a SQLite demo store: an order placed on Jet is fetched (f), acknowledged (c,
confirmed with y) and shipped (p: the ship form, a bad ZIP refused next to its field first).
A held order is listed with its reason on Rejected orders."""

from __future__ import annotations

from textual.widgets import Checkbox, Input, Static

from jettui.config import Settings
from jettui.tui.app import JettuiApp
from jettui.tui.screens.base import GridTable
from jettui.tui.screens.order_detail import RecordDetailScreen
from jettui.tui.screens.panel_actions import ItemsActionModal
from jettui.tui.screens.ship_form import ShipFormScreen
from tests.pilot_support import grid_rows, notes, settle
from tests.shop_support import SECRET, jet_order, list_on_jet, place_order


async def test_fetch_acknowledge_and_ship_an_order(shop: Settings) -> None:
    from jettui.store.opencart import Order

    [other] = await place_order(shop, [("HRT-TM00002", 1, 0)])
    [jet_id] = await place_order(shop, [("HRT-SWL00001", 2, 0), ("HRT-TM00002", 1, 0)])
    app = JettuiApp(shop, environ={"COLORTERM": "truecolor"})
    async with app.run_test(size=(80, 24)) as pilot:
        await app.run_action("goto('orders')")
        await settle(pilot)
        assert "press f to fetch" in str(app.screen.query_one("#empty", Static).render())

        await pilot.press("f")  # the fetch-orders job
        await settle(pilot)
        row, second = grid_rows(app)  # newest first
        assert (row[0], second[0]) == (jet_id, other)
        assert row[1] != ""  # an OpenCart order was written
        assert row[2] == (await jet_order(shop, jet_id))["buyer"]["name"]
        assert (row[4], row[6]) == ("3", "ready")  # 3 units, waiting for an acknowledgement
        assert row[7].endswith("m")  # time left to acknowledge, counting down
        oc_order_id = int(row[1])

        await pilot.press("space", "space", "c")  # acknowledge the selection: both orders
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ItemsActionModal)
        assert "Acknowledge 2 orders" in str(modal.query_one("#items-question").render())
        await pilot.press("y")
        await settle(pilot)
        assert modal.summary == "acknowledge: 2 succeeded", modal.summary
        await pilot.press("escape")
        await settle(pilot)
        assert [r[6] for r in grid_rows(app)] == ["acknowledged", "acknowledged"]
        assert [r[7] for r in grid_rows(app)] == ["", ""]  # nothing left to count down

        await pilot.press("home", "p")  # the ship form, pre-filled with every open unit
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ShipFormScreen) and form.merchant_order_id == jet_id
        # typing goes in: the first field as the form reads, the top line's quantity
        assert form.focused is form.query_one(f"#{form.lines[0].ship_id}", Input)
        assert [(line.sku, form.query_one(f"#{line.ship_id}", Input).value)
                for line in form.lines] == [("HRT-SWL00001", "2"), ("HRT-TM00002", "1")]  # fmt: skip
        form.query_one("#ship-carrier").focus()
        await pilot.press("5")  # a digit on a picker is no panel key: the form stays
        assert app.screen is form and app.current_mode == "orders"
        form.query_one("#ship-tracking", Input).focus()
        await pilot.press(*"1Z999AA10123456784")
        zip_input = form.query_one("#ship-zip", Input)
        zip_input.value = ""
        zip_input.focus()
        await pilot.press(*"8404")
        form.query_one("#ship-return-on", Checkbox).focus()
        await pilot.press("space")  # a return location, its RMA number left empty
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # refused before sending: each problem by its field
        assert "zip: must be exactly 5 digits" in str(form.query_one("#err-zip").render())
        assert "rma_number: is required" in str(form.query_one("#err-rma_number").render())
        assert form.focused is zip_input  # the first problem's field, scrolled into view
        await pilot.press(*"84047")  # focusing selected its text: typing replaces it
        form.query_one("#ret-rma", Input).value = "RMA-1"
        await pilot.press("ctrl+s")
        await settle(pilot)
        errors = [str(w.render()) for w in form.query(".field-error") if str(w.render())]
        assert app.screen is not form, (zip_input.value, errors)
        assert grid_rows(app)[0][6] == "complete"

        await pilot.press("enter")  # the order detail: lines, history, shipments
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, RecordDetailScreen) and detail.detail is not None
        assert detail.detail["shipments"][0]["tracking_number"] == "1Z999AA10123456784"
        await pilot.press("escape")
        await settle(pilot)
        assert SECRET not in notes(app)

        order = Order.select(Order.order_status_id).where(Order.order_id == oc_order_id)
        assert order.scalar(app.database()) == shop.orders.status_shipped


async def test_a_held_order_is_listed_with_its_reason_and_rejected_on_jet(
    shop: Settings,
) -> None:
    await list_on_jet(shop, {"GHOST-1": 10.0})  # on Jet, unknown to the store
    [jet_id] = await place_order(shop, [("GHOST-1", 1, 0)])
    app = JettuiApp(shop, environ={"COLORTERM": "truecolor"})
    async with app.run_test(size=(80, 24)) as pilot:
        await app.run_action("goto('rejected_orders')")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        [row] = grid_rows(app)
        assert (row[0], row[4]) == (jet_id, "held")
        assert "GHOST-1" in row[6]  # the reason names the SKU

        await app.run_action("goto('orders')")
        await settle(pilot)
        assert not app.screen.query(GridTable)  # not among the imported orders: none are
        assert "No Jet orders yet" in str(app.screen.query_one("#empty", Static).render())
        await app.run_action("goto('rejected_orders')")
        await settle(pilot)

        await pilot.press("x", "y")  # reject on Jet, confirmed
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ItemsActionModal)
        assert modal.results and not modal.failed, modal.summary
        await pilot.press("escape")
        await settle(pilot)
        [row] = grid_rows(app)
        assert row[4] == "rejected"
