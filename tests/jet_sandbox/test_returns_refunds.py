"""What the returns and refunds service relies on (jet-api.md 2.5, 2.6, 3): one return per
shipped unit, Jet's return charge and the merchant's dispute of it, refund states over time,
and refunds that would pay twice for what a completed return already refunded."""

from __future__ import annotations

import json
from typing import Any

from jettui.jet.sandbox.cases import VALID
from jettui.jet.sandbox.orders import MERCHANT_FAULT_REASONS, RETURN_SHIPPING_CHARGE

from .conftest import Jet, shipped_body


async def shipped(jet: Jet, qty: int = 2, units: dict[str, int] | None = None) -> dict[str, Any]:
    await jet.product()
    order = await jet.order(qty=qty)
    assert (await jet.ack(order)).status_code == 201
    oid = order["merchant_order_id"]
    r = await jet.c.put(f"/orders/{oid}/shipped", json=shipped_body(order, units))
    assert r.status_code == 201, r.text
    return order


async def new_return(jet: Jet, order_id: str) -> dict[str, Any]:
    r = await jet.c.get(f"/returns/generate/{order_id}")
    assert r.status_code == 200, r.text
    return (await jet.c.get(r.json()["url"])).json()


def completion(ret: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"merchant_order_id": ret["merchant_order_id"], "agree_to_return_charge": True,
            "items": [{"order_item_id": i["order_item_id"], "total_quantity_returned": i["return_quantity"],
                       "order_return_refund_qty": i["return_quantity"],
                       "refund_amount": i["requested_refund_amount"]}
                      for i in ret["return_merchant_SKUs"]], **top}  # fmt: skip


async def test_a_unit_is_returned_once(jet: Jet) -> None:
    order = await shipped(jet, qty=3, units={"test_product": 1})
    oid = order["merchant_order_id"]
    first = await new_return(jet, oid)
    assert first["return_merchant_SKUs"][0]["return_quantity"] == 1
    r = await jet.c.get(f"/returns/generate/{oid}")
    assert r.status_code == 400 and "already returned" in r.json()["errors"][0]
    more = {**shipped_body(order, {"test_product": 2})}
    assert (await jet.c.put(f"/orders/{oid}/shipped", json=more)).status_code == 201
    second = await new_return(jet, oid)
    assert second["return_merchant_SKUs"][0]["return_quantity"] == 2  # only the new units


async def test_return_charge_follows_the_reason_and_can_be_disputed(jet: Jet) -> None:
    jet.sandbox.rng.seed(8)
    charged, free = [], []
    for _ in range(12):
        order = await shipped(jet, qty=1)
        ret = await new_return(jet, order["merchant_order_id"])
        reason = ret["return_merchant_SKUs"][0]["reason"]
        (charged if reason in MERCHANT_FAULT_REASONS else free).append(ret)
    assert charged and free
    assert {r["merchant_return_charge"] for r in charged} == {RETURN_SHIPPING_CHARGE}
    assert {r["merchant_return_charge"] for r in free} == {0}
    ret = charged[0]
    url = f"/returns/{ret['merchant_return_authorization_id']}/complete"
    r = await jet.c.put(url, json=completion(ret, agree_to_return_charge=False))
    assert r.status_code == 400 and "return_charge_feedback" in r.json()["errors"][0]
    body = completion(ret, agree_to_return_charge=False, return_charge_feedback="notMerchantError")
    body["items"][0]["refund_amount"] = {"principal": 0, "tax": 0, "shipping_cost": 0,
                                         "shipping_tax": 0}  # fmt: skip
    body["items"][0]["return_refund_feedback"] = "Returned outside window"
    assert (await jet.c.put(url, json=body)).status_code == 201
    done = (await jet.c.get(f"/returns/state/{ret['merchant_return_authorization_id']}")).json()
    assert done["return_status"] == "completed by merchant"
    assert done["agree_to_return_charge"] is False
    assert done["return_charge_feedback"] == "notMerchantError"
    assert done["items"][0]["refund_amount"]["principal"] == 0


def refund_body(order: dict[str, Any], qty: int, principal: float) -> dict[str, Any]:
    body = json.loads(json.dumps(VALID["validate_refund"]))
    body["items"][0].update(order_item_id=order["order_items"][0]["order_item_id"],
                            order_return_refund_qty=qty)  # fmt: skip
    body["items"][0]["refund_amount"]["principal"] = principal
    return body


async def refund_states(jet: Jet, order: dict[str, Any], alt: str, body: dict) -> list[str]:
    r = await jet.c.post(f"/refunds/{order['merchant_order_id']}/{alt}", json=body)
    assert r.status_code == 200, r.text
    url = f"/refunds/state/{r.json()['refund_authorization_id']}"
    return [r.json()["refund_status"]] + [
        (await jet.c.get(url)).json()["refund_status"] for _ in range(3)
    ]


async def test_a_refund_cannot_pay_again_for_a_completed_return(jet: Jet) -> None:
    order = await shipped(jet, qty=2)  # 2 units at 38.00
    ret = await new_return(jet, order["merchant_order_id"])
    body = completion(ret)  # both units refunded: 76.00
    rid = ret["merchant_return_authorization_id"]
    assert (await jet.c.put(f"/returns/{rid}/complete", json=body)).status_code == 201
    states = await refund_states(jet, order, "again", refund_body(order, 1, 10.0))
    assert states == ["created", "processing", "rejected - refund conflicts with returns policy",
                      "rejected - refund conflicts with returns policy"]  # fmt: skip
    rejected = (await jet.c.get("/refunds/Rejected")).json()["refund_urls"]  # AERO's spelling
    assert len(rejected) == 1


async def test_refund_states_move_on_with_time_or_reads(jet: Jet) -> None:
    order = await shipped(jet, qty=2)
    states = await refund_states(jet, order, "fine", refund_body(order, 1, 10.0))
    assert states == ["created", "processing", "accepted", "accepted"]
    r = await jet.c.post(f"/refunds/{order['merchant_order_id']}/timed",
                         json=refund_body(order, 1, 5.0))  # fmt: skip
    url = f"/refunds/state/{r.json()['refund_authorization_id']}"
    assert url in (await jet.c.get("/refunds/created")).json()["refund_urls"]
    jet.advance(2.5)  # one step of 2 s, without any read
    assert url in (await jet.c.get("/refunds/processing")).json()["refund_urls"]
    jet.advance(2)
    assert url in (await jet.c.get("/refunds/accepted")).json()["refund_urls"]
