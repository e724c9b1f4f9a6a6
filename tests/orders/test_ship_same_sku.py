"""Issue 15 case 8, ship side: an order with the same SKU on two Jet items stays two lines, on
SQLite and on MariaDB with OpenCart's demo. The default ship sends every open unit of both
items and completes the order only when nothing is open; ``--cancel SKU=1`` cancels one unit
(of the SKU's first item), not the order; the stock of product and option value and what the
sandbox recorded are asserted after each step."""

from __future__ import annotations

from jettui.jet.connect import open_jet_client
from jettui.services.orders.shipping import (
    default_form,
    form_from_options,
    order_view,
    ship_headless,
    ship_order,
)
from jettui.services.results import Outcome
from jettui.store.jet_tables import JetOrder
from jettui.store.oc_orders import add_order_history, shop_context
from jettui.store.opencart import OrderProduct
from tests.orders.ship_support import (
    generate,
    import_and_acknowledge,
    oc_status,
    stock,
)
from tests.shop_support import jet_order, oc_order_id, upload_products

SHIPPED, COMPLETE, CANCELED = 3, 5, 7  # the demo's ids = the default mapping


def lines(order_id: int) -> list[int]:
    rows = OrderProduct.select().where(OrderProduct.order_id == order_id)
    return [int(r.quantity) for r in rows.order_by(OrderProduct.order_product_id)]


def jet_done(raw: dict) -> list[tuple[int, int]]:
    """(shipped, cancelled) of each shipment item the sandbox recorded, in order."""
    return [
        (i["response_shipment_sku_quantity"], i["response_shipment_cancel_qty"])
        for s in raw.get("shipments") or []
        for i in s["shipment_items"]
    ]


async def test_default_ship_sends_every_unit_of_both_items(oc_settings, oc_db) -> None:
    skus = await upload_products(oc_settings, oc_db)
    blue = skus["canon_blue"]
    before = stock()
    a = await generate(oc_settings, [(blue, 1, 0), (blue, 1, 0)])
    await import_and_acknowledge(oc_settings, oc_db, [a])
    order_a = oc_order_id(a)
    assert lines(order_a) == [1, 1]
    taken = stock()
    assert (taken["canon"], taken["canon_blue"]) == (before["canon"] - 2, before["canon_blue"] - 2)

    view = await order_view(oc_db, a)
    assert [(x.name, x.open) for x in view.lines] == [(f"{blue}#1", 1), (f"{blue}#2", 1)]
    form = default_form(view, oc_settings)
    form.tracking_number = "1Z0000000000000101"
    assert [(x.merchant_sku, x.ship, x.cancel) for x in form.lines] == [(blue, 1, 0), (blue, 1, 0)]
    result = await ship_order(oc_settings, oc_db, a, form)
    assert result.outcome == Outcome.SUCCEEDED, result.reason
    assert result.detail["open_units"] == 0
    raw = await jet_order(oc_settings, a)
    assert raw["status"] == "complete"
    assert jet_done(raw) == [(1, 0), (1, 0)]  # both units of the SKU reached Jet
    ids = [i["order_item_id"] for i in raw["order_items"]]
    assert [i.get("alt_shipment_item_id") for i in raw["shipments"][0]["shipment_items"]] == ids
    assert oc_status(order_a) == COMPLETE
    assert stock() == taken  # shipping moves no stock
    assert lines(order_a) == [1, 1]
    # OpenCart's own rule from the admin: a cancel now puts back the 2 units still on the lines
    add_order_history(order_a, CANCELED, "admin", shop=shop_context(oc_settings))
    assert stock() == before
    # the sandbox's return of the order returns each item's own unit, not 2 + 2
    async with open_jet_client(oc_settings) as jet:
        ret = await jet.get_return(await jet.generate_return(a))
    assert [(i["order_item_id"], i["return_quantity"]) for i in ret["return_merchant_SKUs"]] == [
        (ids[0], 1),
        (ids[1], 1),
    ]


async def test_half_shipped_order_is_not_complete(oc_settings, oc_db) -> None:
    skus = await upload_products(oc_settings, oc_db)
    blue = skus["canon_blue"]
    a = await generate(oc_settings, [(blue, 1, 0), (blue, 2, 0)])
    await import_and_acknowledge(oc_settings, oc_db, [a])
    view = await order_view(oc_db, a)
    second = view.lines[1].order_item_id
    form = default_form(view, oc_settings)
    form.tracking_number = "1Z0000000000000102"
    form.lines = [line for line in form.lines if line.order_item_id == second]  # item 2 only
    result = await ship_order(oc_settings, oc_db, a, form)
    assert result.outcome == Outcome.SUCCEEDED, result.reason
    assert result.detail["open_units"] == 1
    after = await order_view(oc_db, a)
    assert [(x.shipped, x.open) for x in after.lines] == [(0, 1), (2, 0)]  # item 2 shipped
    assert (await jet_order(oc_settings, a))["status"] == "inprogress"
    assert oc_status(oc_order_id(a)) == SHIPPED  # partially shipped, not complete
    assert JetOrder.get(JetOrder.merchant_order_id == a).status == "inprogress"


async def test_cancel_one_unit_of_a_shared_sku(oc_settings, oc_db) -> None:
    skus = await upload_products(oc_settings, oc_db)
    blue = skus["canon_blue"]
    before = stock()
    a = await generate(oc_settings, [(blue, 1, 0), (blue, 1, 0)])
    await import_and_acknowledge(oc_settings, oc_db, [a])
    order_a = oc_order_id(a)

    result = await ship_headless(
        oc_settings, oc_db, a, carrier="UPS", method="UPS Ground",
        tracking="1Z0000000000000103", zip="84047", cancel=[f"{blue}=1"],
    )  # fmt: skip
    assert result.outcome == Outcome.SUCCEEDED, result.reason
    raw = await jet_order(oc_settings, a)
    assert raw["status"] == "complete"
    assert jet_done(raw) == [(0, 1), (1, 0)]  # 1 cancelled (item 1), 1 shipped (item 2)
    assert oc_status(order_a) == COMPLETE  # shipped, not Canceled
    assert lines(order_a) == [0, 1]  # the cancelled unit taken off its own line
    after = stock()
    assert (after["canon"], after["canon_blue"]) == (before["canon"] - 1, before["canon_blue"] - 1)
    add_order_history(order_a, CANCELED, "admin", shop=shop_context(oc_settings))
    assert stock() == before  # the admin's cancel restocks exactly the shipped unit's line


async def test_cli_spreads_ship_over_the_skus_items(oc_settings, oc_db) -> None:
    skus = await upload_products(oc_settings, oc_db)
    blue = skus["canon_blue"]
    a = await generate(oc_settings, [(blue, 1, 0), (blue, 2, 0)])
    await import_and_acknowledge(oc_settings, oc_db, [a])
    view = await order_view(oc_db, a)
    form = form_from_options(view, oc_settings, carrier="UPS", method="UPS Ground",
                             tracking="1Z1000000000000000", zip="84047", ship={blue: 2})  # fmt: skip
    assert [(x.ship, x.cancel) for x in form.lines] == [(1, 0), (1, 0)]
    form = form_from_options(view, oc_settings, carrier="UPS", method="UPS Ground",
                             tracking="1Z1000000000000000", zip="84047", ship={blue: 1}, cancel={blue: 2})  # fmt: skip
    assert [(x.ship, x.cancel) for x in form.lines] == [(0, 1), (1, 1)]
