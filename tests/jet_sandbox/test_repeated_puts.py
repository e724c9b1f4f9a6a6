"""Acknowledge and shipped are not safe to repeat, and the strict sandbox shows it as Jet
documents: the very same acknowledgement sent again (a client retrying blindly after a lost
answer) is refused (the order is no longer ready); the same shipped message again ships its
units again (Jet counts every message), and a complete order refuses any shipment."""

from __future__ import annotations

from .conftest import Jet, shipped_body


async def test_the_same_acknowledgement_twice_is_refused(jet: Jet) -> None:
    await jet.product()
    order = await jet.order(qty=2)
    assert (await jet.ack(order)).status_code == 201
    again = await jet.ack(order)  # a blind retry: refused, nothing changes
    assert again.status_code == 400 and "only ready orders" in again.json()["errors"][0]
    r = await jet.ack(order, status="rejected - other")
    assert r.status_code == 400 and "only ready orders" in r.json()["errors"][0]
    view = (await jet.c.get(f"/orders/withoutShipmentDetail/{order['merchant_order_id']}")).json()
    assert view["status"] == "acknowledged" and view["acknowledgement_status"] == "accepted"


async def test_the_same_shipped_message_twice_ships_twice_and_a_complete_order_refuses(
    jet: Jet,
) -> None:
    await jet.product()
    order = await jet.order(qty=3)
    await jet.ack(order)
    url = f"/orders/{order['merchant_order_id']}/shipped"
    one = shipped_body(order, {"test_product": 1})
    assert (await jet.c.put(url, json=one)).status_code == 201
    assert (await jet.c.put(url, json=one)).status_code == 201  # counted again
    view = (await jet.c.get(f"/orders/withoutShipmentDetail/{order['merchant_order_id']}")).json()
    assert view["status"] == "inprogress" and len(view["shipments"]) == 2
    assert [s["alt_shipment_id"] for s in view["shipments"]] == ["s-1", "s-1"]
    last = shipped_body(order, {"test_product": 1})
    last["shipments"][0]["alt_shipment_id"] = "s-3"
    assert (await jet.c.put(url, json=last)).status_code == 201
    view = (await jet.c.get(f"/orders/withoutShipmentDetail/{order['merchant_order_id']}")).json()
    assert view["status"] == "complete" and len(view["shipments"]) == 3
    r = await jet.c.put(url, json=last)  # a blind retry of the last message
    assert r.status_code == 400
    assert r.json()["errors"] == ["order is complete; shipments are not accepted"]
    cancel = shipped_body(order, {"test_product": 0})
    cancel["shipments"][0]["alt_shipment_id"] = "c-1"
    assert (await jet.c.put(url, json=cancel)).status_code == 400
