"""Every endpoint and state transition through JetClient, against the sandbox in-process and
over real HTTP (the ``jet`` fixture runs each test both ways)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from jettui.jet.bulk import upload_bulk
from jettui.jet.client import JetClient
from jettui.jet.errors import JetNotFound, JetValidationError

from . import payloads


def uid(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


async def listed(jet: JetClient, sku: str, quantity: int = 20) -> None:
    """A complete listing with a code of its own and a Color (to join a variation group)."""
    body = payloads.product(upc=payloads.upc_for(sku))
    body["attributes_node_specific"] = [{"attribute_id": 1, "attribute_value": "Black"}]
    await jet.put_sku(sku, body)
    await jet.put_price(sku, payloads.price())
    await jet.put_inventory(sku, payloads.inventory(quantity))


async def new_order(jet: JetClient, sku: str, qty: int = 1, cancel: int = 0) -> dict[str, Any]:
    [order_id] = await jet.generate_orders(payloads.generate(sku, qty, cancel))
    return await jet.get_order(order_id)


def item_ids(order: dict[str, Any]) -> list[str]:
    return [i["order_item_id"] for i in order["order_items"]]


async def test_auth_and_fulfillment_nodes(jet: JetClient) -> None:
    assert await jet.authcheck() is True
    nodes = await jet.fulfillment_nodes()
    assert "node-1" in str(nodes)
    assert jet.stats.token_refreshes == 1


async def test_product_lifecycle_with_archive(jet: JetClient) -> None:
    sku = uid("life")
    incomplete = {k: v for k, v in payloads.product().items() if k != "shipping_weight_pounds"}
    await jet.put_sku(sku, incomplete)
    product = await jet.get_sku(sku)
    assert product["status"] == "Missing Listing Data"
    assert {"Missing shipping weight", "Missing price"} <= set(product["sub_status"])
    assert product["merchant_sku"] == sku and product["product_title"] == "Test Product"

    await jet.put_sku(sku, payloads.product())
    await jet.put_price(sku, payloads.price(38.0))
    await jet.put_inventory(sku, payloads.inventory(20))
    product = await jet.get_sku(sku)
    assert product["status"] == "Available for Purchase"  # review delay 0, inventory > 0
    assert product["price"] == 38.0

    await jet.archive(sku, True)
    product = await jet.get_sku(sku)
    assert product["status"] == "Archived" and product["is_archived"] is True
    await jet.archive(sku, False)
    product = await jet.get_sku(sku)
    assert product["status"] == "Available for Purchase" and product["is_archived"] is False


async def test_price_inventory_image_reads(jet: JetClient) -> None:
    sku = uid("parts")
    await listed(jet, sku, 7)
    price = await jet.get_price(sku)
    assert price["price"] == 38.0
    assert price["fulfillment_nodes"][0]["fulfillment_node_id"] == "node-1"
    assert (await jet.get_inventory(sku))["fulfillment_nodes"][0]["quantity"] == 7
    await jet.patch_inventory(sku, payloads.inventory(3))
    assert (await jet.get_inventory(sku))["fulfillment_nodes"][0]["quantity"] == 3
    await jet.put_image(sku, {"main_image_url": "https://example.com/new.png"})
    assert (await jet.get_sku(sku))["main_image_url"] == "https://example.com/new.png"


async def test_variation_and_exceptions_round_trip(jet: JetClient) -> None:
    parent, kids = uid("parent"), [uid("kid"), uid("kid")]
    for sku in [parent, *kids]:
        await listed(jet, sku)
    await jet.put_variation(parent, {**payloads.VARIATION, "children_skus": kids})
    variation = await jet.get_variation(parent)
    assert variation["children_skus"] == kids  # strings, whatever shape Jet answered
    assert variation["relationship"] == "Variation"

    await jet.put_shipping_exception(parent, payloads.SHIPPING_EXCEPTION)
    read = await jet.get_shipping_exception(parent)
    exception = read["fulfillment_nodes"][0]["shipping_exceptions"][0]
    assert exception["shipping_exception_type"] == "exclusive"

    await jet.put_returns_exception(parent, payloads.RETURNS_EXCEPTION)
    assert (await jet.get_returns_exception(parent))["time_to_return"] == 30


async def test_sku_list_sales_data_and_not_found(jet: JetClient) -> None:
    sku = uid("listed")
    await listed(jet, sku)
    found: list[str] = []
    offset = 0
    while sku not in found:
        page = await jet.list_skus(offset, 100)
        assert page, f"{sku} not listed"
        found += page
        offset += 100
    sales = await jet.get_sales_data(sku)
    assert isinstance(sales, dict)
    with pytest.raises(JetNotFound) as info:
        await jet.get_sku(uid("missing"))
    assert info.value.status == 404


async def test_sandbox_refuses_what_only_jet_can_know(jet: JetClient) -> None:
    sku = uid("node")
    await listed(jet, sku)
    with pytest.raises(JetValidationError) as info:
        await jet.put_price(sku, payloads.price(10, node="node-unknown"))
    assert info.value.status == 400 and "node-unknown" in str(info.value)


async def test_bulk_file_with_per_sku_errors(jet: JetClient) -> None:
    skus = [uid("bulk") for _ in range(6)]
    for sku in skus:
        await jet.put_sku(sku, payloads.product())
    entries = {sku: payloads.inventory(5) for sku in skus}
    entries[skus[1]] = payloads.inventory(5, node="node-nowhere")
    entries[skus[4]] = payloads.inventory(5, node="node-nowhere")
    entries["bad/sku"] = payloads.inventory(5)
    seen: list[tuple[int, int]] = []
    result = await upload_bulk(
        jet, "Inventory", entries, progress=lambda d, t: seen.append((d, t)), poll_interval=0.01
    )
    [file] = result.files
    assert file.status == "Processed with errors" and file.error_count == 2
    assert sorted(result.failed) == sorted([skus[1], skus[4]])
    assert all("node-nowhere" in " ".join(m) for m in result.failed.values())
    assert sorted(result.succeeded) == sorted(set(skus) - {skus[1], skus[4]})
    assert list(result.not_sent) == ["bad/sku"]
    assert seen[-1] == (7, 7)
    assert (await jet.get_inventory(skus[0]))["fulfillment_nodes"][0]["quantity"] == 5


async def test_bulk_merchant_skus_processed_successfully(jet: JetClient) -> None:
    entries = {uid("bulkok"): payloads.product(f"Bulk product {i}") for i in range(5)}
    result = await upload_bulk(jet, "MerchantSKUs", entries, poll_interval=0.01)
    assert [f.status for f in result.files] == ["Processed successfully"]
    assert sorted(result.succeeded) == sorted(entries)
    sku = next(iter(entries))
    assert (await jet.get_sku(sku))["product_title"].startswith("Bulk product")


async def test_order_created_ready_acknowledged_inprogress_complete(jet: JetClient) -> None:
    sku = uid("ord")
    await listed(jet, sku)
    order = await new_order(jet, sku, qty=3)
    order_id = order["merchant_order_id"]
    assert order["status"] == "ready"  # created → ready after the (zero) fraud window
    assert order_id in await jet.list_orders("ready")

    await jet.acknowledge(order_id, payloads.ack(item_ids(order)))
    order = await jet.get_order(order_id)
    assert order["status"] == "acknowledged" and order["acknowledgement_status"] == "accepted"
    assert order_id in await jet.list_orders("acknowledged")

    await jet.ship(order_id, payloads.shipment(sku, 2, alt="s-1"))
    assert (await jet.get_order(order_id))["status"] == "inprogress"
    assert order_id in await jet.list_orders("inprogress")

    await jet.ship(order_id, payloads.shipment(sku, 1, alt="s-2"))
    order = await jet.get_order(order_id)
    assert order["status"] == "complete" and len(order["shipments"]) == 2
    assert order_id in await jet.list_orders("complete")


async def test_over_ship_is_refused(jet: JetClient) -> None:
    sku = uid("over")
    await listed(jet, sku)
    order = await new_order(jet, sku, qty=1)
    await jet.acknowledge(order["merchant_order_id"], payloads.ack(item_ids(order)))
    with pytest.raises(JetValidationError) as info:
        await jet.ship(order["merchant_order_id"], payloads.shipment(sku, 2))
    assert info.value.status == 400 and "too many units" in str(info.value)
    assert (await jet.get_order(order["merchant_order_id"]))["status"] == "acknowledged"


async def test_reject_completes_with_exception_state(jet: JetClient) -> None:
    sku = uid("rej")
    await listed(jet, sku)
    order = await new_order(jet, sku)
    await jet.acknowledge(
        order["merchant_order_id"], payloads.ack(item_ids(order), "rejected - item level error")
    )
    order = await jet.get_order(order["merchant_order_id"])
    assert order["status"] == "complete"
    assert order["exception_state"] == "exception - order rejected"


async def test_directed_cancel(jet: JetClient) -> None:
    sku = uid("dc")
    await listed(jet, sku)
    order = await new_order(jet, sku, qty=0, cancel=1)
    order_id = order["merchant_order_id"]
    assert order["order_items"][0]["request_order_cancel_qty"] == 1
    assert order_id in await jet.list_directed_cancels()
    await jet.ship(order_id, payloads.shipment(sku, 0, cancelled=1, alt="cancel-1"))
    assert (await jet.get_order(order_id))["status"] == "complete"
    assert order_id not in await jet.list_directed_cancels()


async def test_tags_filter_order_lists(jet: JetClient) -> None:
    sku = uid("tag")
    await listed(jet, sku)
    tagged = (await new_order(jet, sku))["merchant_order_id"]
    plain = (await new_order(jet, sku))["merchant_order_id"]
    tag = uid("batch")
    await jet.tag(tagged, tag)
    assert await jet.list_orders("ready", tag, True) == [tagged]
    untagged = await jet.list_orders("ready", tag, False)
    assert plain in untagged and tagged not in untagged
    await jet.tag(tagged, None)
    assert await jet.list_orders("ready", tag, True) == []
    with pytest.raises(JetNotFound):
        await jet.list_orders("shipped-ish")


async def shipped_order(jet: JetClient, sku: str) -> dict[str, Any]:
    await listed(jet, sku)
    order = await new_order(jet, sku, qty=1)
    await jet.acknowledge(order["merchant_order_id"], payloads.ack(item_ids(order)))
    await jet.ship(order["merchant_order_id"], payloads.shipment(sku, 1))
    return await jet.get_order(order["merchant_order_id"])


async def test_return_created_then_completed(jet: JetClient) -> None:
    order = await shipped_order(jet, uid("ret"))
    return_id = await jet.generate_return(order["merchant_order_id"])
    assert return_id in await jet.list_returns("created")
    detail = await jet.get_return(return_id)
    assert detail["return_status"] == "created"
    [item] = detail["items"]  # read from return_merchant_SKUs
    # read once (no review delay): Jet has acted, the return is in progress
    assert (await jet.get_return(return_id))["return_status"] == "inprogress"
    assert return_id in await jet.list_returns("inprogress")
    assert return_id not in await jet.list_returns("created")
    completion = payloads.complete_return(order["merchant_order_id"], item["order_item_id"])
    completion["items"][0]["refund_amount"] = item["requested_refund_amount"]
    await jet.complete_return(return_id, completion)
    detail = await jet.get_return(return_id)
    assert detail["return_status"] == "completed by merchant"
    assert return_id in await jet.list_returns("completed by merchant")
    assert return_id in await jet.list_returns("completedByMerchant")
    with pytest.raises(JetValidationError):  # cannot complete twice
        await jet.complete_return(return_id, completion)


async def test_refund_created_to_accepted(jet: JetClient) -> None:
    order = await shipped_order(jet, uid("ref"))
    order_id = order["merchant_order_id"]
    [item_id] = item_ids(order)
    alt = uid("r")
    refund_id = await jet.create_refund(order_id, alt, payloads.refund(item_id, principal=5.0))
    assert refund_id in await jet.list_refunds("created")
    statuses = [(await jet.get_refund(refund_id))["refund_status"] for _ in range(3)]
    assert statuses[-1] == "accepted" and statuses[0] in ("created", "processing")
    assert refund_id in await jet.list_refunds("accepted")
    with pytest.raises(JetValidationError, match="alt_refund_id"):  # Jet knows it applied
        await jet.create_refund(order_id, alt, payloads.refund(item_id, principal=5.0))


async def test_refund_of_unshipped_units_is_rejected(jet: JetClient) -> None:
    order = await shipped_order(jet, uid("rej"))  # 1 unit ordered and shipped
    order_id = order["merchant_order_id"]
    [item_id] = item_ids(order)
    with pytest.raises(JetValidationError, match="more than the 1 ordered"):
        await jet.create_refund(order_id, uid("r"), payloads.refund(item_id, qty=2))
    first = await jet.create_refund(order_id, uid("r"), payloads.refund(item_id, principal=30.0))
    second = await jet.create_refund(order_id, uid("r"), payloads.refund(item_id, principal=1.0))
    statuses = [(await jet.get_refund(second))["refund_status"] for _ in range(3)]
    assert statuses[-1] == "rejected - refund conflicts with returns policy"
    assert second in await jet.list_refunds("rejected")
    assert (await jet.get_refund(first))["refund_status"] in ("processing", "accepted")
    assert first not in await jet.list_refunds("rejected")


async def test_taxonomy_paging_nodes_and_attributes(jet: JetClient) -> None:
    first = await jet.taxonomy_links("v1", 0, 100)
    second = await jet.taxonomy_links("1.03", 100, 100)
    assert len(first) == 100 and second and not set(first) & set(second)
    ids: list[int] = []
    offset = 0
    while page := await jet.taxonomy_links("v1", offset, 200):
        ids += page
        offset += 200
        assert offset < 100_000
    assert len(ids) >= 300 and len(set(ids)) == len(ids)
    leaves = []
    for node_id in ids[:60]:
        node = await jet.get_taxonomy_node(node_id)
        assert node["jet_node_id"] == node_id and node["jet_node_path"]
        if node["jet_level"] == 2:
            leaves.append(node_id)
    assert leaves
    attributes = await jet.get_taxonomy_attributes(leaves[0])
    assert attributes and all("attribute_id" in a for a in attributes)
    with pytest.raises(JetNotFound):
        await jet.get_taxonomy_node(1)
