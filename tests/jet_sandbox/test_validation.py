"""One test per validation rule: the validator names the field, and the sandbox refuses the
payload with 400 and an errors array naming it."""

from __future__ import annotations

import json
from urllib.parse import quote

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
        r = await _put_sku(jet, payload)
        if not payload or "/" in payload:  # no SKU in the path, or a path the SKU splits
            assert r.status_code == 404, r.text
            assert r.json()["errors"] == [
                "No HTTP resource was found that matches the request URI "
                f"'/api/merchant-skus/{quote(payload, safe='')}'."
            ]
        else:
            assert r.status_code == 400, r.text
            assert any(fragment in e for e in r.json()["errors"]), r.json()
        return
    r = await _send(jet, name, payload)
    assert r.status_code == 400, r.text
    assert any(fragment in e for e in r.json()["errors"]), r.json()


async def _put_sku(jet, sku: str):
    return await jet.c.put(
        f"/merchant-skus/{quote(sku, safe='')}", json=VALID["validate_merchant_sku"]
    )


async def test_encoded_slash_reaches_no_other_resource(jet):
    await jet.product("x")
    r = await jet.c.put("/merchant-skus/x%2Fimage", json={"main_image_url": "https://e.com/b.png"})
    assert r.status_code == 404 and r.json()["errors"]
    assert (await jet.c.get("/merchant-skus/x")).json()["main_image_url"] != "https://e.com/b.png"


async def test_unsupported_method_answers_405_with_errors(jet):
    r = await jet.c.put("/merchant-skus", json=VALID["validate_merchant_sku"])
    assert r.status_code == 405
    assert set(r.headers["Allow"].split(", ")) == {"GET", "HEAD"}
    assert r.json()["errors"] == ["The requested resource does not support http method 'PUT'."]
