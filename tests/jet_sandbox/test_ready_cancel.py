"""A cancel before the acknowledgement (docs/jet-api.md 2.4c, 3): a ``ready`` order takes a
cancel of every unit (the original extension's reject: the order completes), never a part of it
(which moved the order to ``inprogress``, where it can never be acknowledged)."""

from __future__ import annotations

from tests.jet_sandbox.conftest import Jet


def cancel(order: dict, units: int) -> dict:
    return {"shipments": [{"alt_shipment_id": f"cancel-{units}", "shipment_items": [
        {"merchant_sku": order["order_items"][0]["merchant_sku"],
         "response_shipment_sku_quantity": 0, "response_shipment_cancel_qty": units}]}]}  # fmt: skip


async def test_a_ready_order_takes_only_a_cancel_of_every_unit(jet: Jet) -> None:
    await jet.product()
    order = await jet.order(qty=3)
    oid = order["merchant_order_id"]
    assert order["status"] == "ready"
    r = await jet.c.put(f"/orders/{oid}/shipped", json=cancel(order, 1))
    assert r.status_code == 400 and "must cancel every unit" in r.text
    after = (await jet.c.get(f"/orders/withoutShipmentDetail/{oid}")).json()
    assert after["status"] == "ready" and not after.get("shipments")  # nothing applied
    assert (await jet.ack(order)).status_code == 201  # so it can still be acknowledged

    whole = await jet.order(qty=3)
    r = await jet.c.put(f"/orders/{whole['merchant_order_id']}/shipped", json=cancel(whole, 3))
    assert r.status_code == 201, r.text
    done = (await jet.c.get(f"/orders/withoutShipmentDetail/{whole['merchant_order_id']}")).json()
    assert done["status"] == "complete"


async def test_after_the_acknowledgement_part_of_an_order_may_be_cancelled(jet: Jet) -> None:
    await jet.product()
    order = await jet.order(qty=3)
    assert (await jet.ack(order)).status_code == 201
    r = await jet.c.put(f"/orders/{order['merchant_order_id']}/shipped", json=cancel(order, 1))
    assert r.status_code == 201, r.text
    after = (await jet.c.get(f"/orders/withoutShipmentDetail/{order['merchant_order_id']}")).json()
    assert after["status"] == "inprogress"
