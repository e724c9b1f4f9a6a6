"""One test per validation rule: the validator names the field, and the sandbox refuses the
payload with 400 and an errors array naming it."""

from __future__ import annotations

import json

import pytest

from jettui.jet import models
from jettui.jet.sandbox.cases import ITEM_ID, ORDER_ID, VALID, VALIDATION_CASES


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_payloads_pass(name):
    assert getattr(models, name)(VALID[name]) == []


@pytest.mark.parametrize(
    ("name", "payload", "fragment"),
    VALIDATION_CASES,
    ids=[f"{n}:{f[:40]}" for n, _, f in VALIDATION_CASES],
)
def test_validator_names_the_problem(name, payload, fragment):
    errors = getattr(models, name)(payload)
    assert any(fragment in e for e in errors), errors


async def _send(jet, name, payload):
    """Send ``payload`` where the sandbox takes it; ids point at a real order/return."""
    c = jet.c
    sku_paths = {
        "validate_merchant_sku": "",
        "validate_image": "/image",
        "validate_price": "/price",
        "validate_inventory": "/inventory",
        "validate_variation": "/variation",
        "validate_shipping_exception": "/shippingexception",
        "validate_returns_exception": "/returnsexception",
        "validate_archive": "/status/archive",
    }
    if name in sku_paths:
        await jet.product()
        return await c.put(f"/merchant-skus/test_product{sku_paths[name]}", json=payload)
    if name == "validate_generate_order":
        await jet.product()
        return await c.post("/orders/generate/1", json=payload)
    await jet.product()
    order = await jet.order(qty=1)
    oid = order["merchant_order_id"]
    text = json.dumps(payload).replace(ORDER_ID, oid)
    payload = json.loads(text.replace(ITEM_ID, order["order_items"][0]["order_item_id"]))
    if name == "validate_acknowledge":
        return await c.put(f"/orders/{oid}/acknowledge", json=payload)
    assert (await jet.ack(order)).status_code == 201
    if name == "validate_shipped":
        return await c.put(f"/orders/{oid}/shipped", json=payload)
    if name == "validate_refund":
        return await c.post(f"/refunds/{oid}/r-1", json=payload)
    ship = VALID["validate_shipped"]
    assert (await c.put(f"/orders/{oid}/shipped", json=ship)).status_code == 201
    ret = (await c.get(f"/returns/generate/{oid}")).json()["url"].split("/")[-1]
    return await c.put(f"/returns/{ret}/complete", json=payload)


@pytest.mark.parametrize(
    ("name", "payload", "fragment"),
    VALIDATION_CASES,
    ids=[f"{n}:{f[:40]}" for n, _, f in VALIDATION_CASES],
)
async def test_sandbox_refuses(jet, name, payload, fragment):
    if name == "validate_merchant_sku_id":
        if not payload:
            pytest.skip("an empty SKU cannot be put in a URL path")
        r = await jet.c.put(
            f"/merchant-skus/{payload.replace('/', '%2F')}", json=VALID["validate_merchant_sku"]
        )
        assert r.status_code in (400, 404)  # a '/' splits the path: no such route
        return
    r = await _send(jet, name, payload)
    assert r.status_code == 400, r.text
    assert any(fragment in e for e in r.json()["errors"]), r.json()
