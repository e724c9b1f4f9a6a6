"""Acknowledge and shipped are PUTs: the very same body sent again (a client retrying after a
lost answer) is applied once; a different body is judged on its own."""

from __future__ import annotations

from .conftest import Jet, shipped_body


async def test_the_same_acknowledgement_twice_is_one(jet: Jet) -> None:
    await jet.product()
    order = await jet.order(qty=2)
    assert (await jet.ack(order)).status_code == 201
    assert (await jet.ack(order)).status_code == 201  # a retry: already applied
    r = await jet.ack(order, status="rejected - other")  # a different answer: refused
    assert r.status_code == 400 and "only ready orders" in r.json()["errors"][0]
    view = (await jet.c.get(f"/orders/withoutShipmentDetail/{order['merchant_order_id']}")).json()
    assert view["status"] == "acknowledged"


async def test_the_same_shipped_message_twice_counts_once(jet: Jet) -> None:
    await jet.product()
    order = await jet.order(qty=3)
    await jet.ack(order)
    url = f"/orders/{order['merchant_order_id']}/shipped"
    one = shipped_body(order, {"test_product": 1})
    assert (await jet.c.put(url, json=one)).status_code == 201
    assert (await jet.c.put(url, json=one)).status_code == 201
    view = (await jet.c.get(f"/orders/withoutShipmentDetail/{order['merchant_order_id']}")).json()
    assert view["status"] == "inprogress" and len(view["shipments"]) == 1
    another = shipped_body(order, {"test_product": 1})
    another["shipments"][0]["alt_shipment_id"] = "s-2"
    assert (await jet.c.put(url, json=another)).status_code == 201  # a new shipment counts
    view = (await jet.c.get(f"/orders/withoutShipmentDetail/{order['merchant_order_id']}")).json()
    assert view["status"] == "inprogress" and len(view["shipments"]) == 2
    last = shipped_body(order, {"test_product": 1})
    last["shipments"][0]["alt_shipment_id"] = "s-3"
    assert (await jet.c.put(url, json=last)).status_code == 201
    view = (await jet.c.get(f"/orders/withoutShipmentDetail/{order['merchant_order_id']}")).json()
    assert view["status"] == "complete" and len(view["shipments"]) == 3
