"""Issue 15 case 6 and its first "Bad input" rule, on SQLite and on MariaDB with OpenCart's
demo: an order the merchant cancelled or deleted in OpenCart's admin is not shipped from jettui
without ``confirm_admin_change`` (CLI ``--confirm-admin-change``), the reason shows on the
order, a confirmed shipment leaves stock right by OpenCart's own rules, and a shipment whose
OpenCart order was deleted before it was applied is reported once by the fetch (exit 1), then
never retried."""

from __future__ import annotations

import pytest

from jettui.services.orders import ship_apply
from jettui.services.orders.importer import fetch_orders
from jettui.services.orders.queries import list_orders, order_detail
from jettui.services.orders.shipping import ShipmentRefused, ship_headless
from jettui.services.results import Outcome
from jettui.store.jet_tables import JetOrder
from jettui.store.oc_orders import add_order_history, shop_context
from jettui.store.opencart import Order, OrderHistory, OrderOption, OrderProduct, OrderTotal
from tests.orders.ship_support import generate, import_and_acknowledge, oc_status, stock
from tests.shop_support import jet_order, oc_order_id, upload_products

COMPLETE, CANCELED = 5, 7  # the demo's ids = the default mapping
UPS = {"carrier": "UPS", "method": "UPS Ground", "zip": "84047"}


def delete_in_admin(settings, order_id: int) -> None:
    """OpenCart 3.0's deleteOrder: void the order (addOrderHistory to status 0, which
    restocks it), then delete it and its rows."""
    add_order_history(order_id, 0, "", shop=shop_context(settings))
    for model in (Order, OrderProduct, OrderOption, OrderTotal, OrderHistory):
        model.delete().where(model.order_id == order_id).execute()


async def test_cancelled_in_the_admin_ships_only_when_confirmed(oc_settings, oc_db) -> None:
    skus = await upload_products(oc_settings, oc_db)
    iphone, blue = skus["iphone"], skus["canon_blue"]
    before = stock()
    a = await generate(oc_settings, [(iphone, 2, 0), (blue, 1, 0)])
    await import_and_acknowledge(oc_settings, oc_db, [a])
    order_a = oc_order_id(a)
    add_order_history(order_a, CANCELED, "buyer called", shop=shop_context(oc_settings))
    assert stock() == before  # OpenCart's cancel put every unit back

    with pytest.raises(ShipmentRefused) as refused:
        await ship_headless(oc_settings, oc_db, a, tracking="1Z0000000000000201", **UPS)
    reason = f"cancelled in the OpenCart admin: OpenCart order {order_a} is 'Canceled'"
    [problem] = refused.value.problems
    assert problem.startswith(f"order: {reason}") and "--confirm-admin-change" in problem
    assert not (await jet_order(oc_settings, a)).get("shipments")  # nothing sent
    assert oc_status(order_a) == CANCELED and stock() == before

    # the reason is on the order: list and show (the detail screen shows the same read model)
    [row] = [r for r in list_orders(oc_db, settings=oc_settings) if r.merchant_order_id == a]
    assert row.admin_change.startswith(reason)
    assert order_detail(oc_db, a, settings=oc_settings).as_dict()["admin_change"] == (
        row.admin_change
    )

    # confirmed: 2 iPhones shipped, the Canon cancelled
    result = await ship_headless(oc_settings, oc_db, a, tracking="1Z0000000000000201",
                                 cancel=[f"{blue}=1"], confirm_admin_change=True, **UPS)  # fmt: skip
    assert result.outcome == Outcome.SUCCEEDED, result.reason
    assert f"(OpenCart order {order_a} was cancelled in the OpenCart admin: now status 5;" in (
        result.reason
    )  # not silent
    raw = await jet_order(oc_settings, a)
    assert raw["status"] == "complete"
    assert [(i["merchant_sku"], i["response_shipment_sku_quantity"],
             i["response_shipment_cancel_qty"]) for i in raw["shipments"][0]["shipment_items"]] == [
        (iphone, 2, 0), (blue, 0, 1)]  # fmt: skip
    # Canceled → Complete by OpenCart's rule takes what is still on the lines: the 2 iPhones
    assert oc_status(order_a) == COMPLETE
    assert stock() == {**before, "iphone": before["iphone"] - 2}
    assert order_detail(oc_db, a, settings=oc_settings).row.admin_change == ""
    # and the admin's own cancel later puts back exactly those 2
    add_order_history(order_a, CANCELED, "admin", shop=shop_context(oc_settings))
    assert stock() == before


async def test_a_cancel_only_message_to_a_cancelled_order_needs_no_confirmation(
    oc_settings, oc_db
) -> None:
    skus = await upload_products(oc_settings, oc_db)
    iphone = skus["iphone"]
    before = stock()
    a = await generate(oc_settings, [(iphone, 2, 0)])
    await import_and_acknowledge(oc_settings, oc_db, [a])
    add_order_history(oc_order_id(a), CANCELED, "", shop=shop_context(oc_settings))
    result = await ship_headless(oc_settings, oc_db, a, cancel=[f"{iphone}=2"])
    assert result.outcome == Outcome.SUCCEEDED, result.reason
    assert (await jet_order(oc_settings, a))["status"] == "complete"
    assert oc_status(oc_order_id(a)) == CANCELED and stock() == before
    # nothing left to ship: a status without stock is no longer worth a word on the order
    assert order_detail(oc_db, a, settings=oc_settings).row.admin_change == ""


async def test_deleted_in_the_admin_ships_only_when_confirmed(oc_settings, oc_db) -> None:
    skus = await upload_products(oc_settings, oc_db)
    iphone = skus["iphone"]
    before = stock()
    a = await generate(oc_settings, [(iphone, 1, 0)])
    await import_and_acknowledge(oc_settings, oc_db, [a])
    order_a = oc_order_id(a)
    delete_in_admin(oc_settings, order_a)
    assert stock() == before

    reason = f"deleted in the OpenCart admin: OpenCart order {order_a} is gone"
    for cancel in ([], [f"{iphone}=1"]):  # neither a shipment nor a cancel without confirming
        with pytest.raises(ShipmentRefused, match=f"^shipment of {a} not sent: order: {reason}"):
            await ship_headless(
                oc_settings, oc_db, a, tracking="1Z1000000000000000", cancel=cancel, **UPS
            )
    assert not (await jet_order(oc_settings, a)).get("shipments")
    assert order_detail(oc_db, a, settings=oc_settings).row.admin_change.startswith(reason)

    result = await ship_headless(oc_settings, oc_db, a, tracking="1Z0000000000000202",
                                 confirm_admin_change=True, **UPS)  # fmt: skip
    assert result.outcome == Outcome.SUCCEEDED, result.reason
    assert "was deleted in the OpenCart admin: nothing was written to OpenCart" in result.reason
    assert len((await jet_order(oc_settings, a))["shipments"]) == 1
    assert stock() == before  # jettui moved no stock for a deleted order (module docstring)
    [record] = JetOrder.get(JetOrder.merchant_order_id == a).shipments
    assert record["state"] == "applied" and record["oc"]["deleted"]
    report = await fetch_orders(oc_settings, oc_db)
    assert report.exit_code == 0 and not report.problems, report.items


async def test_a_shipment_whose_order_was_deleted_before_it_was_applied_is_reported_once(
    oc_settings, oc_db, monkeypatch
) -> None:
    skus = await upload_products(oc_settings, oc_db)
    iphone = skus["iphone"]
    before = stock()
    a = await generate(oc_settings, [(iphone, 2, 0)])
    await import_and_acknowledge(oc_settings, oc_db, [a])
    order_a = oc_order_id(a)

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the run dies after Jet took the message

    monkeypatch.setattr(ship_apply, "plan_shipment", killed)
    with pytest.raises(KeyboardInterrupt):
        await ship_headless(oc_settings, oc_db, a, tracking="1Z0000000000000203",
                            ship=[f"{iphone}=1"], **UPS)  # fmt: skip
    monkeypatch.undo()
    delete_in_admin(oc_settings, order_a)

    report = await fetch_orders(oc_settings, oc_db)
    assert report.exit_code == 1
    [item] = report.problems
    assert item.item == a and item.outcome == Outcome.FAILED
    assert f"OpenCart order {order_a} was deleted in the OpenCart admin" in item.reason
    again = await fetch_orders(oc_settings, oc_db)
    assert again.exit_code == 0 and not again.problems, again.items  # settled: no retry
    assert stock() == before
    # never a second shipment without the confirmation: the open unit is refused
    with pytest.raises(ShipmentRefused) as refused:
        await ship_headless(oc_settings, oc_db, a, tracking="1Z0000000000000204", **UPS)
    [problem] = refused.value.problems
    assert problem.startswith(f"order: deleted in the OpenCart admin: OpenCart order {order_a}")
    assert len((await jet_order(oc_settings, a))["shipments"]) == 1
