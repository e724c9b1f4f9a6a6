"""The ship form at 80x24 on an order the merchant cancelled in OpenCart's admin (issue 15,
case 6) that holds the same SKU on two Jet items (case 8): the reason shows under the title,
each item is its own line, and ctrl+s asks for a confirmation naming the reason; n sends
nothing, y sends both items' units and OpenCart takes them out of stock again."""

from __future__ import annotations

from textual.widgets import Input, Static

from jettui.config import Settings
from jettui.services.orders.acknowledge import acknowledge_orders
from jettui.services.orders.importer import fetch_orders
from jettui.store.db import connect, ensure_jet_tables
from jettui.store.jet_tables import JetOrder
from jettui.store.oc_orders import add_order_history, shop_context
from jettui.store.opencart import Order, OrderProduct, Product
from jettui.tui.app import JettuiApp
from jettui.tui.screens.order_detail import RecordDetailScreen
from jettui.tui.screens.ship_form import ConfirmAdminChange, ShipFormScreen
from tests.pilot_support import settle
from tests.shop_support import jet_order, place_order

SKU = "HRT-SWL00001"


def _stock(product_id: int) -> int:
    return int(Product.select(Product.quantity).where(Product.product_id == product_id).scalar())


async def test_ship_form_confirms_an_order_cancelled_in_the_admin(shop: Settings) -> None:
    [jet_id] = await place_order(shop, [(SKU, 1, 0), (SKU, 1, 0)])
    db = connect(shop)
    ensure_jet_tables(db)
    report = await fetch_orders(shop, db)
    assert not report.problems, report.items
    await acknowledge_orders(shop, db, [jet_id])
    order_id = int(JetOrder.get(JetOrder.merchant_order_id == jet_id).order_id)
    [product_id] = {int(line.product_id) for line in
                    OrderProduct.select().where(OrderProduct.order_id == order_id)}  # fmt: skip
    taken = _stock(product_id)
    add_order_history(order_id, shop.orders.status_cancelled, "", shop=shop_context(shop))
    assert _stock(product_id) == taken + 2
    db.close()

    app = JettuiApp(shop, environ={"COLORTERM": "truecolor"})
    async with app.run_test(size=(80, 24)) as pilot:
        await app.run_action("goto('orders')")
        await settle(pilot)
        await pilot.press("home", "enter")  # the order detail says why first
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, RecordDetailScreen) and detail.detail is not None
        reason = f"cancelled in the OpenCart admin: OpenCart order {order_id} is 'Canceled'"
        assert str(detail.detail["admin_change"]).startswith(reason)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ShipFormScreen) and form.merchant_order_id == jet_id
        admin = str(form.query_one("#ship-admin", Static).render())
        assert f"Cancelled in the OpenCart admin: OpenCart order {order_id} is 'Canceled'" in admin
        assert form.query_one("#ship-admin").region.height > 0  # on screen, not hidden
        assert [(line.name, form.query_one(f"#{line.ship_id}", Input).value)
                for line in form.lines] == [(f"{SKU}#1", "1"), (f"{SKU}#2", "1")]  # fmt: skip
        await pilot.press(*["tab"] * 2 * len(form.lines))  # past the quantities (on top)
        await pilot.press(*"1Z999AA10123456784")
        await pilot.press("ctrl+s")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ConfirmAdminChange)
        question = str(modal.query_one("#yes-no-question", Static).render())
        assert f"cancelled in the OpenCart admin: OpenCart order {order_id}" in question
        assert modal.query_one("#yes-no-box").region.right <= 80  # fits the 80x24 terminal

        await pilot.press("n")  # not sent
        await settle(pilot)
        assert app.screen is form
        assert "not sent" in str(form.query_one("#ship-problems", Static).render())
        assert not (await jet_order(shop, jet_id)).get("shipments")

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmAdminChange)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is not form

    raw = await jet_order(shop, jet_id)
    assert raw["status"] == "complete"
    assert [i["response_shipment_sku_quantity"] for i in raw["shipments"][0]["shipment_items"]] == [
        1,
        1,
    ]
    db = connect(shop)
    try:
        status = Order.select(Order.order_status_id).where(Order.order_id == order_id).scalar()
        assert status == shop.orders.status_shipped
        assert _stock(product_id) == taken  # Canceled → Complete took the 2 shipped units again
    finally:
        db.close()
