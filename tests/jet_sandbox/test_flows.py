"""Every endpoint and state transition of the sandbox, in-process."""

from __future__ import annotations

import gzip
import json

from jettui.jet.sandbox.cases import VALID

from .conftest import jet_for, make_settings


async def test_auth(jet):
    c = jet.c
    assert (await c.get("/authcheck")).json() == "This message is authorized."
    token = c.headers["Authorization"].split()[1]
    r = await c.get("/authcheck", headers={"Authorization": f"bEaReR {token}"})
    assert r.status_code == 200
    assert (await c.get("/authcheck", headers={"Authorization": "Bearer nope"})).status_code == 401
    del c.headers["Authorization"]
    assert (await c.get("/authcheck")).status_code == 401
    assert (await c.post("/Token", json={"user": "jetuser", "pass": "wrong"})).status_code == 400
    r = await c.post("/Token", json={"user": "jetuser", "pass": "jetsecret"})
    assert set(r.json()) == {"id_token", "token_type", "expires_on"}


async def test_token_expires():
    j = jet_for(make_settings(token_lifetime_seconds=1))
    await j.login()
    now = j.sandbox.clock()
    j.sandbox.clock = lambda: now + 2
    assert (await j.c.get("/authcheck")).status_code == 401
    assert (await j.c.get("/fulfillmentnodesbymerchantid")).status_code == 401


async def test_product_states(jet):
    c = jet.c
    # title, brand and multipack_quantity are required (jet-api.md table 2.1a): refused
    untitled = await c.put("/merchant-skus/p1", json={"brand": "Acme", "mfr_part_number": "A-1"})
    assert untitled.status_code == 400 and "product_title: is required" in untitled.text
    bare = {"product_title": "Acme widget", "brand": "Acme", "mfr_part_number": "A-1",
            "multipack_quantity": 1}  # fmt: skip
    assert (await c.put("/merchant-skus/p1", json=bare)).status_code == 201
    view = (await c.get("/merchant-skus/p1")).json()
    assert view["status"] == "Missing Listing Data"
    assert {
        "Missing image",
        "Missing category",
        "Missing price",
        "Missing shipping weight",
        "Additional SKU ID needed",
    } <= set(view["sub_status"])
    bad_digit = {
        **VALID["validate_merchant_sku"],
        "standard_product_codes": [
            {"standard_product_code": "719236005031", "standard_product_code_type": "UPC"}
        ],
    }
    assert (await c.put("/merchant-skus/p1", json=bad_digit)).status_code == 201
    assert "Invalid SKU identifier" in (await c.get("/merchant-skus/p1")).json()["sub_status"]
    await jet.product("p1", qty=0)
    view = (await c.get("/merchant-skus/p1")).json()
    assert view["status"] == "Under Jet Review"  # complete, but nothing in stock
    for key in (
        "merchant_sku_id",
        "producer_id",
        "jet_retail_sku",
        "sku_last_update",
        "price_last_update",
        "inventory_by_fulfillment_node",
        "is_archived",
    ):
        assert key in view
    await c.patch(
        "/merchant-skus/p1/inventory",
        json={"fulfillment_nodes": [{"fulfillment_node_id": "node-1", "quantity": 3}]},
    )
    assert (await c.get("/merchant-skus/p1")).json()["status"] == "Available for Purchase"
    assert (
        await c.put("/merchant-skus/p1/status/archive", json={"is_archived": True})
    ).status_code == 201
    assert (await c.get("/merchant-skus/p1")).json()["status"] == "Archived"
    await c.put("/merchant-skus/p1/status/archive", json={"is_archived": False})
    assert (await c.get("/merchant-skus/p1")).json()["status"] == "Available for Purchase"
    assert (await c.get("/merchant-skus/nope")).status_code == 404


async def test_review_delay():
    j = jet_for(make_settings(review_delay_seconds=30))
    await j.login()
    await j.product()
    assert (await j.c.get("/merchant-skus/test_product")).json()["status"] == "Under Jet Review"
    now = j.sandbox.clock()
    j.sandbox.clock = lambda: now + 31
    assert (await j.c.get("/merchant-skus/test_product")).json()[
        "status"
    ] == "Available for Purchase"


async def test_review_verdicts_unauthorized_and_excluded():
    j = jet_for(make_settings(review_delay_seconds=30))
    await j.login()
    await j.product("restricted", brand="restricted BRAND co")  # matched ignoring case
    await j.product("inactive", product_tax_code="N/A - Inactive")
    await j.product("fine")

    async def status(sku: str) -> str:
        return (await j.c.get(f"/merchant-skus/{sku}")).json()["status"]

    assert [await status(s) for s in ("restricted", "inactive", "fine")] == ["Under Jet Review"] * 3
    j.advance(30)
    assert [await status(s) for s in ("restricted", "inactive", "fine")] == [
        "Unauthorized",
        "Excluded",
        "Available for Purchase",
    ]
    assert (await j.c.get("/merchant-skus/restricted/salesdata")).status_code == 404
    await j.c.put("/merchant-skus/inactive/status/archive", json={"is_archived": True})
    assert await status("inactive") == "Archived"
    r = await j.c.put(
        "/merchant-skus/restricted", json={**VALID["validate_merchant_sku"], "brand": "Acme"}
    )
    assert r.status_code == 201, r.text
    assert await status("restricted") == "Available for Purchase"


async def test_sku_subresources(jet):
    c = jet.c
    await jet.product()
    await jet.product(
        "child-1", attributes_node_specific=[{"attribute_id": 1, "attribute_value": "Red"}]
    )
    assert (await c.get("/merchant-skus/test_product/price")).json()["price"] == 38.0
    inv = (await c.get("/merchant-skus/test_product/inventory")).json()
    assert inv["fulfillment_nodes"] == [{"fulfillment_node_id": "node-1", "quantity": 20}]
    for part, name in (
        ("variation", "validate_variation"),
        ("shippingexception", "validate_shipping_exception"),
        ("returnsexception", "validate_returns_exception"),
    ):
        assert (await c.get(f"/merchant-skus/test_product/{part}")).status_code == 404
        assert (
            await c.put(f"/merchant-skus/test_product/{part}", json=VALID[name])
        ).status_code == 201
    var = (await c.get("/merchant-skus/test_product/variation")).json()
    assert var["children_skus"] == [{"merchant_sku": "child-1"}]
    assert (await c.get("/merchant-skus/test_product/returnsexception")).json()[
        "time_to_return"
    ] == 30
    r = await c.put(
        "/merchant-skus/test_product/variation",
        json={**VALID["validate_variation"], "children_skus": ["ghost"]},
    )
    assert r.status_code == 400 and "ghost" in r.json()["errors"][0]
    r = await c.put(
        "/merchant-skus/test_product/inventory",
        json={"fulfillment_nodes": [{"fulfillment_node_id": "other", "quantity": 1}]},
    )
    assert r.status_code == 400 and "unknown fulfillment node 'other'" in r.json()["errors"][0]
    assert (
        await c.put(
            "/merchant-skus/test_product/image", json={"main_image_url": "https://e.com/b.png"}
        )
    ).status_code == 201
    assert (await c.get("/merchant-skus/test_product")).json()[
        "main_image_url"
    ] == "https://e.com/b.png"
    assert (await c.get("/merchant-skus/test_product/salesdata")).json()["sales_rank"][
        "level_0"
    ] > 0
    urls = (await c.get("/merchant-skus", params={"offset": 1, "limit": 5})).json()["sku_urls"]
    assert urls == ["merchant-skus/child-1"]
    nodes = (await c.get("/fulfillmentnodesbymerchantid")).json()
    assert nodes[0]["fulfillment_node_id"] == "node-1"


async def _upload(c, file_type, content, name="f.json.gz"):
    tok = (await c.get("/files/uploadToken")).json()
    assert tok["url"].startswith("http://sandbox.jettui/blob/")
    r = await c.put(
        tok["url"],
        content=gzip.compress(json.dumps(content).encode()),
        headers={"x-ms-blob-type": "blockblob", "Authorization": ""},
    )
    assert r.status_code == 201
    r = await c.post(
        "/files/uploaded", json={"url": tok["url"], "file_type": file_type, "file_name": name}
    )
    assert r.json()["status"] == "Acknowledged"
    return tok["jet_file_id"]


async def test_bulk_files(jet):
    c = jet.c
    good = VALID["validate_merchant_sku"]
    file_id = await _upload(
        c, "MerchantSKUs", {"a-1": good, "a-2": {**good, "product_title": "abc"}}
    )
    statuses = [(await c.get(f"/files/{file_id}")).json() for _ in range(3)]
    assert [s["status"] for s in statuses] == [
        "Acknowledged",
        "Processing",
        "Processed with errors",
    ]
    assert statuses[2]["error_count"] == 1
    assert statuses[2]["error_excerpt"] == [
        "SKU 'a-2': product_title: must be 5–500 characters (got 3)"
    ]
    assert (await c.get("/merchant-skus/a-1")).status_code == 200
    assert (await c.get("/merchant-skus/a-2")).status_code == 404
    inv = {"a-1": {"fulfillment_nodes": [{"fulfillment_node_id": "node-1", "quantity": 4}]}}
    for file_type, content in (
        ("Price", {"a-1": {"price": 9.5}}),
        ("Inventory", inv),
        ("Archive", {"a-1": {"is_archived": True}}),
    ):
        file_id = await _upload(c, file_type, content)
        for _ in range(3):
            last = (await c.get(f"/files/{file_id}")).json()
        assert last["status"] == "Processed successfully"
    view = (await c.get("/merchant-skus/a-1")).json()
    assert (view["price"], view["status"]) == (9.5, "Archived")


async def test_blob_upload_refusals(jet):
    c = jet.c
    tok = (await c.get("/files/uploadToken")).json()
    body = gzip.compress(b"{}")
    assert (await c.put(tok["url"], content=body)).status_code == 400  # no x-ms-blob-type
    assert (
        await c.put(tok["url"] + "x", content=body, headers={"x-ms-blob-type": "BlockBlob"})
    ).status_code == 403
    assert (
        await c.put(tok["url"], content=b"{}", headers={"x-ms-blob-type": "BlockBlob"})
    ).status_code == 400
    r = await c.post(
        "/files/uploaded", json={"url": tok["url"], "file_type": "MerchantSKUs", "file_name": "x"}
    )
    assert r.status_code == 400 and "nothing was uploaded" in r.json()["errors"][0]
    r = await c.post(
        "/files/uploaded", json={"url": tok["url"], "file_type": "Products", "file_name": "x"}
    )
    assert r.status_code == 400 and "file_type" in r.json()["errors"][0]
    assert (await c.get("/files/0000")).status_code == 404


async def test_taxonomy(jet):
    c = jet.c
    links = (await c.get("/taxonomy/links/v1", params={"offset": 0, "limit": 400})).json()[
        "node_urls"
    ]
    assert len(links) >= 300
    assert (await c.get("/taxonomy/links/1.03", params={"limit": 5})).json()["node_urls"] == links[
        :5
    ]
    assert (await c.get("/taxonomy/links/v9")).status_code == 404
    node = (await c.get("/taxonomy/nodes/4000188")).json()
    assert (
        node["jet_node_path"] == "Home & Garden/Kitchen & Dining/Cookware"
        and node["jet_level"] == 2
    )
    parent = (await c.get(f"/taxonomy/nodes/{node['parent_id']}")).json()
    assert parent["jet_level"] == 1
    attrs = (await c.get("/taxonomy/nodes/4000188/attributes")).json()["attributes"]
    assert attrs and {"attribute_id", "values", "units", "variant", "validation"} <= set(attrs[0])
    assert (await c.get("/taxonomy/nodes/1")).status_code == 404


async def test_order_lifecycle(jet):
    c = jet.c
    await jet.product()
    order = await jet.order(qty=3)
    oid = order["merchant_order_id"]
    assert order["status"] == "ready" and len(oid) == 32
    assert len(order["shipping_to"]["address"]["zip_code"]) == 5
    # base_price is per unit (jettui.jet.item_price); the order's totals add every unit
    assert order["order_items"][0]["item_price"]["base_price"] == 38.0
    assert order["order_totals"]["item_price"]["base_price"] == 114.0
    assert (
        f"/orders/withoutShipmentDetail/{oid}"
        in (await c.get("/orders/ready")).json()["order_urls"]
    )
    assert (await c.get("/orders/shipped")).status_code == 404
    # shipping before acknowledgement is refused; a cancel-only message would be allowed
    ship = json.loads(json.dumps(VALID["validate_shipped"]))
    assert (await c.put(f"/orders/{oid}/shipped", json=ship)).status_code == 400
    assert (await jet.ack(order)).status_code == 201
    acked = (await c.get(f"/orders/withoutShipmentDetail/{oid}")).json()
    assert acked["status"] == "acknowledged" and acked["acknowledgement_status"] == "accepted"
    again = await jet.ack(order)  # the same PUT again (a blind retry): refused, as Jet does
    assert again.status_code == 400 and "only ready orders" in again.json()["errors"][0]
    assert (await jet.ack(order, "rejected - other")).status_code == 400  # only ready orders
    assert (await c.put(f"/orders/{oid}/shipped", json=ship)).status_code == 201
    assert (await c.get(f"/orders/withoutShipmentDetail/{oid}")).json()["status"] == "inprogress"
    over = json.loads(json.dumps(ship))
    over["shipments"][0]["shipment_items"][0]["response_shipment_sku_quantity"] = 3
    r = await c.put(f"/orders/{oid}/shipped", json=over)
    assert r.status_code == 400 and "too many units shipped" in r.json()["errors"][0]
    cancel = {
        "shipments": [
            {
                "alt_shipment_id": "c-1",
                "shipment_items": [
                    {
                        "merchant_sku": "test_product",
                        "response_shipment_sku_quantity": 1,
                        "response_shipment_cancel_qty": 1,
                    }
                ],
            }
        ]
    }
    cancel["shipments"][0].update(
        {k: v for k, v in ship["shipments"][0].items() if k != "shipment_items"}
    )
    assert (await c.put(f"/orders/{oid}/shipped", json=cancel)).status_code == 201
    done = (await c.get(f"/orders/withoutShipmentDetail/{oid}")).json()
    assert done["status"] == "complete" and done["has_shipments"] and len(done["shipments"]) == 2
    assert (
        f"/orders/withoutShipmentDetail/{oid}"
        in (await c.get("/orders/complete")).json()["order_urls"]
    )


async def test_created_then_ready():
    j = jet_for(make_settings(review_delay_seconds=60))
    await j.login()
    await j.product()
    order = await j.order(qty=1)
    assert order["status"] == "created"
    assert (await j.ack(order)).status_code == 400
    now = j.sandbox.clock()
    j.sandbox.clock = lambda: now + 61
    assert (await j.c.get("/orders/ready")).json()["order_urls"]
    assert (await j.ack(order)).status_code == 201


async def test_rejection_and_directed_cancel(jet):
    c = jet.c
    await jet.product()
    order = await jet.order(qty=1)
    assert (await jet.ack(order, "rejected - fraud")).status_code == 201
    rejected = (await c.get(f"/orders/withoutShipmentDetail/{order['merchant_order_id']}")).json()
    assert (
        rejected["status"] == "complete"
        and rejected["exception_state"] == "exception - order rejected"
    )
    directed = await jet.order(qty=0, cancel=1)
    oid = directed["merchant_order_id"]
    assert directed["order_items"][0]["request_order_cancel_qty"] == 1
    assert (
        f"/orders/withoutShipmentDetail/{oid}"
        in (await c.get("/orders/directedCancel")).json()["order_urls"]
    )
    cancel = {
        "shipments": [
            {
                "alt_shipment_id": "c-1",
                "shipment_items": [
                    {
                        "merchant_sku": "test_product",
                        "response_shipment_sku_quantity": 0,
                        "response_shipment_cancel_qty": 2,
                    }
                ],
            }
        ]
    }
    r = await c.put(f"/orders/{oid}/shipped", json=cancel)
    assert r.status_code == 400 and "too many units cancelled" in r.json()["errors"][0]
    cancel["shipments"][0]["shipment_items"][0]["response_shipment_cancel_qty"] = 1
    assert (await c.put(f"/orders/{oid}/shipped", json=cancel)).status_code == 201  # no ack needed
    assert (await c.get(f"/orders/withoutShipmentDetail/{oid}")).json()["status"] == "complete"
    assert (await c.get("/orders/directedCancel")).json()["order_urls"] == []


async def test_tags(jet):
    c = jet.c
    await jet.product()
    a, b = await jet.order(), await jet.order()
    assert (
        await c.put(f"/orders/{a['merchant_order_id']}/tag", json={"tag": "seen"})
    ).status_code == 201
    tagged = (await c.get("/orders/ready/seen/true")).json()["order_urls"]
    untagged = (await c.get("/orders/ready/seen/false")).json()["order_urls"]
    assert [u.split("/")[3] for u in tagged] == [a["merchant_order_id"]]
    assert [u.split("/")[3] for u in untagged] == [b["merchant_order_id"]]
    await c.put(f"/orders/{a['merchant_order_id']}/tag", json={})
    assert (await c.get("/orders/ready/seen/true")).json()["order_urls"] == []


async def _shipped_order(jet, qty=1):
    await jet.product()
    order = await jet.order(qty=qty)
    await jet.ack(order)
    ship = json.loads(json.dumps(VALID["validate_shipped"]))
    ship["shipments"][0]["shipment_items"][0]["response_shipment_sku_quantity"] = qty
    assert (
        await jet.c.put(f"/orders/{order['merchant_order_id']}/shipped", json=ship)
    ).status_code == 201
    return order


async def test_returns(jet):
    c = jet.c
    await jet.product()
    unshipped = await jet.order()
    assert (await c.get(f"/returns/generate/{unshipped['merchant_order_id']}")).status_code == 400
    order = await _shipped_order(jet)
    oid, item = order["merchant_order_id"], order["order_items"][0]["order_item_id"]
    url = (await c.get(f"/returns/generate/{oid}")).json()["url"]
    rid = url.split("/")[-1]
    assert url in (await c.get("/returns/created")).json()["return_urls"]
    ret = (await c.get(url)).json()
    assert (
        ret["return_status"] == "created" and ret["return_merchant_SKUs"][0]["return_quantity"] == 1
    )
    # read once and no review delay: Jet has acted, the return is in progress
    assert (await c.get(url)).json()["return_status"] == "inprogress"
    assert (await c.get("/returns/created")).json()["return_urls"] == []
    body = {
        "merchant_order_id": oid,
        "agree_to_return_charge": True,
        "items": [
            {
                "order_item_id": item,
                "total_quantity_returned": 1,
                "order_return_refund_qty": 1,
                "return_refund_feedback": "item damaged",
                "refund_amount": {
                    "principal": 38.01,
                    "tax": 0,
                    "shipping_cost": 0,
                    "shipping_tax": 0,
                },
            }
        ],
    }
    r = await c.put(f"/returns/{rid}/complete", json=body)
    assert r.status_code == 400 and "refund_amount.principal" in r.json()["errors"][0]
    body["items"][0]["total_quantity_returned"] = body["items"][0]["order_return_refund_qty"] = 2
    r = await c.put(f"/returns/{rid}/complete", json=body)
    assert r.status_code == 400 and "more than the 1 returned" in r.json()["errors"][0]
    body["items"][0].update(total_quantity_returned=1, order_return_refund_qty=1)
    body["items"][0]["refund_amount"]["principal"] = 38.0
    assert (await c.put(f"/returns/{rid}/complete", json=body)).status_code == 201
    done = (await c.get(url)).json()
    assert (
        done["return_status"] == "completed by merchant"
        and done["items"][0]["order_return_refund_qty"] == 1
    )
    for path in ("completed%20by%20merchant", "completedByMerchant"):
        assert url in (await c.get(f"/returns/{path}")).json()["return_urls"]
    assert (await c.get("/returns/inprogress")).json()["return_urls"] == []
    assert (await c.put(f"/returns/{rid}/complete", json=body)).status_code == 400
    assert (await c.get("/returns/bogus")).status_code == 404
    assert (await c.get("/returns/state/" + "0" * 32)).status_code == 404


async def test_return_in_progress_after_review_delay():
    j = jet_for(make_settings(review_delay_seconds=60))
    await j.login()
    await j.product()
    order = await j.order(qty=1)
    j.advance(60)  # the order becomes ready
    await j.ack(order)
    oid = order["merchant_order_id"]
    ship = VALID["validate_shipped"]
    assert (await j.c.put(f"/orders/{oid}/shipped", json=ship)).status_code == 201
    url = (await j.c.get(f"/returns/generate/{oid}")).json()["url"]
    seen = [(await j.c.get(url)).json()["return_status"] for _ in range(2)]
    assert seen == ["created", "created"]  # read, but Jet has not acted yet
    j.advance(59)
    assert url in (await j.c.get("/returns/created")).json()["return_urls"]
    j.advance(1)
    assert (await j.c.get("/returns/created")).json()["return_urls"] == []
    assert url in (await j.c.get("/returns/inprogress")).json()["return_urls"]
    assert url in (await j.c.get("/returns/acknowledged")).json()["return_urls"]  # NODE's name
    ret = (await j.c.get(url)).json()
    assert ret["return_status"] == "inprogress"
    item = ret["return_merchant_SKUs"][0]
    body = {**VALID["validate_complete_return"], "merchant_order_id": oid}
    body["items"] = [
        {**body["items"][0], "order_item_id": item["order_item_id"],
         "refund_amount": item["requested_refund_amount"]}
    ]  # fmt: skip
    assert (await j.c.put(f"/returns/{url.split('/')[-1]}/complete", json=body)).status_code == 201
    assert (await j.c.get(url)).json()["return_status"] == "completed by merchant"
    assert (await j.c.get("/returns/inprogress")).json()["return_urls"] == []


async def test_unread_return_stays_created():
    j = jet_for(make_settings())
    await j.login()
    order = await _shipped_order(j)
    url = (await j.c.get(f"/returns/generate/{order['merchant_order_id']}")).json()["url"]
    j.advance(3600)  # however long: Jet acts only once the merchant has read the return
    assert url in (await j.c.get("/returns/created")).json()["return_urls"]
    assert (await j.c.get(url)).json()["return_status"] == "created"


async def test_refunds(jet):
    c = jet.c
    order = await _shipped_order(jet)
    oid = order["merchant_order_id"]
    body = json.loads(json.dumps(VALID["validate_refund"]))
    body["items"][0]["order_item_id"] = order["order_items"][0]["order_item_id"]
    body["items"][0]["order_return_refund_qty"] = 2
    r = await c.post(f"/refunds/{oid}/r-1", json=body)
    assert r.status_code == 400 and "more than the 1 ordered" in r.json()["errors"][0]
    body["items"][0]["order_return_refund_qty"] = 1
    r = await c.post(f"/refunds/{oid}/r-1", json=body)
    assert r.status_code == 200 and r.json()["refund_status"] == "created"
    refund_id = r.json()["refund_authorization_id"]
    assert f"/refunds/state/{refund_id}" in (await c.get("/refunds/created")).json()["refund_urls"]
    assert (await c.post(f"/refunds/{oid}/r-1", json=body)).status_code == 400  # alt id reused
    states = [
        (await c.get(f"/refunds/state/{refund_id}")).json()["refund_status"] for _ in range(3)
    ]
    assert states == ["processing", "accepted", "accepted"]
    assert f"/refunds/state/{refund_id}" in (await c.get("/refunds/Accepted")).json()["refund_urls"]
    assert (await c.get("/refunds/bogus")).status_code == 404
    assert (await c.post(f"/refunds/{'0' * 32}/r-2", json=body)).status_code == 404


async def test_refunds_conflicting_with_policy_are_rejected(jet):
    c = jet.c
    await jet.product()
    order = await jet.order(qty=2)  # 2 × 38.00: the line's price is 76.00
    oid, item = order["merchant_order_id"], order["order_items"][0]["order_item_id"]
    await jet.ack(order)
    assert (
        await c.put(f"/orders/{oid}/shipped", json=VALID["validate_shipped"])
    ).status_code == 201

    async def refund(alt: str, qty: int, principal: float) -> str:
        body = json.loads(json.dumps(VALID["validate_refund"]))
        body["items"][0].update(order_item_id=item, order_return_refund_qty=qty,
                                total_quantity_returned=qty)  # fmt: skip
        body["items"][0]["refund_amount"]["principal"] = principal
        r = await c.post(f"/refunds/{oid}/{alt}", json=body)
        assert r.status_code == 200 and r.json()["refund_status"] == "created", r.text
        return r.json()["refund_authorization_id"]

    unshipped = await refund("r-units", 2, 10.0)  # 2 units refunded, 1 shipped
    too_much = await refund("r-money", 1, 76.01)
    fine = await refund("r-ok", 1, 38.0)  # the rejected refunds do not count against it
    second = await refund("r-again", 1, 1.0)  # with r-ok: 2 units refunded, 1 shipped
    jet.advance(4)  # two processing steps, no reads needed
    rejected = (await c.get("/refunds/rejected")).json()["refund_urls"]
    assert sorted(rejected) == sorted(f"/refunds/state/{r}" for r in (unshipped, too_much, second))
    assert (await c.get("/refunds/accepted")).json()["refund_urls"] == [f"/refunds/state/{fine}"]
    view = (await c.get(f"/refunds/state/{too_much}")).json()
    assert view["refund_status"] == "rejected - refund conflicts with returns policy"
    assert not any(k.startswith("_") for k in view)
    assert (await c.get(f"/refunds/state/{fine}")).json()["refund_status"] == "accepted"


async def test_auto_orders():
    j = jet_for(make_settings(order_every_seconds=60))
    await j.login()
    # a merchant's own SKU: demo buyers never order the activation's test_product (issue 19)
    await j.product("MERCHANT-1")
    now = j.sandbox.clock()
    j.sandbox.clock = lambda: now + 185
    urls = (await j.c.get("/orders/ready")).json()["order_urls"]
    assert len(urls) == 1  # the first one as soon as a SKU is for sale
    j.sandbox.clock = lambda: now + 185 + 185
    urls = (await j.c.get("/orders/ready")).json()["order_urls"]
    assert len(urls) == 4  # then three intervals passed: caught up on this request


async def test_state_persists_across_apps(tmp_path):
    state = str(tmp_path / "sandbox.db")
    first = jet_for(make_settings(state))
    await first.login()
    await first.product()
    order = await first.order()
    second = jet_for(make_settings(state))
    await second.login()
    view = (
        await second.c.get(f"/orders/withoutShipmentDetail/{order['merchant_order_id']}")
    ).json()
    assert view["order_items"][0]["merchant_sku"] == "test_product"
    assert (await second.c.get("/merchant-skus/test_product")).json()["price"] == 38.0
    # a token from one instance works on the other: same sandbox, as across processes
    second.c.headers["Authorization"] = first.c.headers["Authorization"]
    assert (await second.c.get("/authcheck")).status_code == 200


async def test_rate_limit_fault():
    j = jet_for(make_settings(rate_limit_every=3))
    await j.login()
    codes = [(await j.c.get("/authcheck")).status_code for _ in range(6)]
    assert codes == [200, 200, 429, 200, 200, 429]
    r = next(r for r in [await j.c.get("/authcheck") for _ in range(3)] if r.status_code == 429)
    assert float(r.headers["Retry-After"]) <= 1 and r.json()["errors"]


async def test_error_rate_fault():
    j = jet_for(make_settings(error_rate=1.0))
    await j.login()  # token faults are off by default
    r = await j.c.get("/authcheck")
    assert r.status_code == 500 and r.json()["errors"]


async def test_latency_fault():
    import time

    j = jet_for(make_settings(latency_ms=150))
    await j.login()
    start = time.monotonic()
    await j.c.get("/authcheck")
    assert time.monotonic() - start >= 0.15


async def test_non_ascii_credentials_get_a_token_and_wrong_ones_a_400():
    from dataclasses import replace

    from jettui.config import Secret

    s = make_settings()
    s = replace(s, jet=replace(s.jet, api_user="jëtusér", api_secret=Secret("sécret€")))
    j = jet_for(s)
    r = await j.c.post("/token", json={"user": "jëtusér", "pass": "sécret€"})
    assert r.status_code == 200, r.text
    r = await j.c.post("/token", json={"user": "jëtusér", "pass": "secret€"})
    assert r.status_code == 400


async def test_variation_child_without_its_refinement_value_is_refused(jet):
    """Jet refines a group by variant attributes: each child must carry a value for each."""
    c = jet.c
    await jet.product("shirt")
    await jet.product(
        "shirt-red", attributes_node_specific=[{"attribute_id": 1, "attribute_value": "Red"}]
    )
    await jet.product("shirt-plain")
    body = {**VALID["validate_variation"], "children_skus": ["shirt-red", "shirt-plain"]}
    r = await c.put("/merchant-skus/shirt/variation", json=body)
    assert r.status_code == 400
    assert r.json()["errors"] == [
        "children_skus: 'shirt-plain' has no value for the variant attribute 1 (Color) in its "
        "attributes_node_specific"
    ]
    # Material (2) is an attribute of the node, but no variant attribute
    r = await c.put("/merchant-skus/shirt/variation", json={**body, "variation_refinements": [2]})
    assert (
        "variation_refinements: 2 is not a variant attribute of node 4000188" in r.json()["errors"]
    )
    body["children_skus"] = ["shirt-red"]
    assert (await c.put("/merchant-skus/shirt/variation", json=body)).status_code == 201


async def test_two_skus_with_one_code_the_second_is_flagged_until_the_first_is_archived(jet):
    """Jet keys a product on its code: the SKU that lists a code another SKU holds is flagged
    Invalid SKU identifier (never live); archiving the first hands the code on."""
    c = jet.c
    code = [{"standard_product_code": "719236005030", "standard_product_code_type": "UPC"}]
    await jet.product("first", standard_product_codes=code)
    await jet.product("second", standard_product_codes=code)
    first = (await c.get("/merchant-skus/first")).json()
    second = (await c.get("/merchant-skus/second")).json()
    assert first["status"] == "Available for Purchase" and first["sub_status"] == []
    assert second["status"] == "Missing Listing Data"
    assert second["sub_status"] == ["Invalid SKU identifier"]
    await jet.product("first")  # the same SKU again: still one product, not flagged
    assert (await c.get("/merchant-skus/second")).json()["sub_status"] == []  # first's code changed
    await jet.product("first", standard_product_codes=code)
    r = await c.put("/merchant-skus/first/status/archive", json={"is_archived": True})
    assert r.status_code in (200, 201, 204)
    assert (await c.get("/merchant-skus/second")).json()["status"] == "Available for Purchase"


async def test_auto_orders_never_order_the_activation_test_product():
    """After the API activation only its test_product is for sale: no demo order comes (Jet's
    buyers order live listings; test_product lives in the Runway's test mode)."""
    j = jet_for(make_settings(order_every_seconds=60))
    await j.login()
    await j.product()  # test_product, as the activation sends it
    now = j.sandbox.clock()
    j.sandbox.clock = lambda: now + 185 + 185
    assert (await j.c.get("/orders/ready")).json()["order_urls"] == []
