"""Valid Jet payloads (docs/jet-api.md section 5) and one bad variant per validation rule.

``CASES`` are ``(validator_name, bad_payload, expected_fragment)``, the same shape as the sandbox
engineer's cases, so the "caught before sending" tests can run over either list.
"""

from __future__ import annotations

import copy
import zlib
from typing import Any

NODE = "node-1"
ITEM_ID = "2906d22b212d4745ab9986b80b1ad2af"
ORDER_ID = "2ab4c8b414124f0fa04072d615ec0610"
AMOUNT = {"principal": 38.0, "tax": 0, "shipping_cost": 0, "shipping_tax": 0}
ADDRESS = {
    "address1": "6909 South State Street",
    "address2": "Suite C",
    "city": "Midvale",
    "state": "UT",
    "zip_code": "84047",
}


def upc_for(key: str) -> str:
    """A valid UPC made from ``key``: Jet flags a code two SKUs share."""
    from stdnum import ean

    body = f"{zlib.crc32(key.encode()) % 10**11:011d}"
    return body + ean.calc_check_digit(body)


def product(title: str = "Test Product", upc: str | None = None) -> dict[str, Any]:
    """A complete listing; its UPC made from the title unless given."""
    upc = upc or (upc_for(title) if title != "Test Product" else "719236005030")
    return {
        "product_title": title,
        "jet_browse_node_id": 4000188,
        "brand": "Test",
        "standard_product_codes": [
            {"standard_product_code": upc, "standard_product_code_type": "UPC"}
        ],
        "multipack_quantity": 1,
        "product_description": "Test Product is used to enable product api",
        "main_image_url": "https://example.com/img/test.png",
        "shipping_weight_pounds": 1.5,
        "map_implementation": "101",
    }


def price(amount: float = 38.0, node: str = NODE) -> dict[str, Any]:
    return {
        "price": amount,
        "fulfillment_nodes": [{"fulfillment_node_id": node, "fulfillment_node_price": amount}],
    }


def inventory(quantity: int = 20, node: str = NODE) -> dict[str, Any]:
    return {"fulfillment_nodes": [{"fulfillment_node_id": node, "quantity": quantity}]}


def ack(item_ids: list[str], status: str = "accepted") -> dict[str, Any]:
    item_status = "fulfillable" if status == "accepted" else "nonfulfillable - no inventory"
    return {
        "acknowledgement_status": status,
        "order_items": [
            {"order_item_acknowledgement_status": item_status, "order_item_id": i} for i in item_ids
        ],
    }


def shipment(sku: str, shipped: int, cancelled: int = 0, alt: str = "s-1") -> dict[str, Any]:
    item: dict[str, Any] = {
        "merchant_sku": sku,
        "response_shipment_sku_quantity": shipped,
        "response_shipment_cancel_qty": cancelled,
    }
    if not shipped:
        return {"shipments": [{"alt_shipment_id": alt, "shipment_items": [item]}]}
    item |= {"RMA_number": "rma-1", "days_to_return": 30, "return_location": dict(ADDRESS)}
    return {
        "shipments": [
            {
                "alt_shipment_id": alt,
                "shipment_tracking_number": "1Z12342452342",
                "response_shipment_date": "2016-06-01T10:00:00.0000000-07:00",
                "response_shipment_method": "UPS Ground",
                "expected_delivery_date": "2016-06-06T10:00:00.0000000-07:00",
                "ship_from_zip_code": "84047",
                "carrier_pick_up_date": "2016-06-01T12:00:00.0000000-07:00",
                "carrier": "UPS",
                "shipment_items": [item],
            }
        ]
    }


def complete_return(order_id: str, item_id: str, qty: int = 1) -> dict[str, Any]:
    return {
        "merchant_order_id": order_id,
        "agree_to_return_charge": True,
        "items": [
            {
                "order_item_id": item_id,
                "total_quantity_returned": qty,
                "order_return_refund_qty": qty,
                "return_refund_feedback": "item damaged",
                "refund_amount": dict(AMOUNT),
            }
        ],
    }


def refund(item_id: str, qty: int = 1, principal: float = 10.0) -> dict[str, Any]:
    return {
        "items": [
            {
                "order_item_id": item_id,
                "total_quantity_returned": 0,
                "order_return_refund_qty": qty,
                "refund_reason": "No longer want this item",
                "refund_feedback": "Item damaged",
                "refund_amount": {**AMOUNT, "principal": principal},
            }
        ]
    }


def generate(sku: str, qty: int = 1, cancel: int = 0, node: str = NODE) -> dict[str, Any]:
    return {
        "fulfillment_node": node,
        "items": [{"sku": sku, "order_quantity": qty, "order_cancel_quantity": cancel}],
    }


VARIATION = {
    "relationship": "Variation",
    "variation_refinements": [1],  # Color, a variant attribute of node 4000188
    "children_skus": ["child-1", "child-2"],
    "group_title": "T-shirt",
}
SHIPPING_EXCEPTION = {
    "fulfillment_nodes": [
        {
            "fulfillment_node_id": NODE,
            "shipping_exceptions": [
                {
                    "service_level": "Next Day",
                    "override_type": "Additional charge",
                    "shipping_charge_amount": 5.0,
                    "shipping_exception_type": "exclusive",
                }
            ],
        }
    ]
}
RETURNS_EXCEPTION = {"time_to_return": 30, "return_location_ids": ["loc-1"]}
IMAGES = {"main_image_url": "https://example.com/a.png"}

GOOD: dict[str, Any] = {
    "validate_merchant_sku": product(),
    "validate_image": IMAGES,
    "validate_price": price(),
    "validate_inventory": inventory(),
    "validate_variation": VARIATION,
    "validate_shipping_exception": SHIPPING_EXCEPTION,
    "validate_returns_exception": RETURNS_EXCEPTION,
    "validate_archive": {"is_archived": True},
    "validate_acknowledge": ack([ITEM_ID]),
    "validate_shipped": shipment("sku-1", 1),
    "validate_complete_return": complete_return(ORDER_ID, ITEM_ID),
    "validate_refund": refund(ITEM_ID),
    "validate_generate_order": generate("sku-1"),
}


def _bad(name: str, fragment: str, **changes: Any) -> tuple[str, dict[str, Any], str]:
    payload = copy.deepcopy(GOOD[name])
    for key, value in changes.items():
        path = key.split("__")
        target = payload
        for part in path[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is _DROP:
            del target[path[-1]]
        else:
            target[path[-1]] = value
    return name, payload, fragment


_DROP = object()
_CODES = "standard_product_codes__0__"
_SHIP = "shipments__0__"
_SHIP_ITEM = "shipments__0__shipment_items__0__"

CASES: list[tuple[str, Any, str]] = [
    _bad("validate_merchant_sku", "product_title", product_title="Tiny"),
    _bad("validate_merchant_sku", "product_title", product_title="x" * 501),
    _bad("validate_merchant_sku", "brand", brand="b" * 51),
    _bad("validate_merchant_sku", "multipack_quantity", multipack_quantity=0),
    _bad("validate_merchant_sku", "multipack_quantity", multipack_quantity=129),
    _bad("validate_merchant_sku", "standard_product_code_type", **{_CODES + "standard_product_code_type": "ASIN"}),
    _bad("validate_merchant_sku", "UPC", **{_CODES + "standard_product_code": "12345"}),
    _bad("validate_merchant_sku", "standard_product_codes", standard_product_codes=_DROP),
    _bad("validate_merchant_sku", "ASIN", standard_product_codes=_DROP, ASIN="SHORT"),
    _bad("validate_merchant_sku", "map_price", map_implementation="102"),
    _bad("validate_merchant_sku", "map_price", map_price=12345678.0),
    _bad("validate_merchant_sku", "map_price", map_price=1.234),
    _bad("validate_merchant_sku", "map_implementation", map_implementation="104"),
    _bad("validate_merchant_sku", "bullets", bullets=["b"] * 6),
    _bad("validate_merchant_sku", "bullets", bullets=["b" * 501]),
    _bad("validate_merchant_sku", "product_description", product_description="d" * 2001),
    _bad("validate_merchant_sku", "cpsia_cautionary_statements", cpsia_cautionary_statements=["no warning applicable", "choking hazard balloon"]),
    _bad("validate_merchant_sku", "cpsia_cautionary_statements", cpsia_cautionary_statements=["scary"]),
    _bad("validate_merchant_sku", "alternate_images", alternate_images=[{"image_slot_id": 9, "image_url": "https://e.com/a.png"}]),
    _bad("validate_merchant_sku", "attributes_node_specific", attributes_node_specific=[{"attribute_id": i + 1, "attribute_value": "v"} for i in range(11)]),
    _bad("validate_merchant_sku", "jet_browse_node_id", jet_browse_node_id="cookware"),
    _bad("validate_merchant_sku", "msrp", msrp=-1),
    _bad("validate_merchant_sku", "product_tax_code", product_tax_code="Tax me"),
    _bad("validate_image", "main_image_url", main_image_url=_DROP),
    _bad("validate_price", "price", price=-1),
    _bad("validate_price", "price", price=_DROP),
    _bad("validate_price", "fulfillment_node_id", **{"fulfillment_nodes__0__fulfillment_node_id": ""}),
    _bad("validate_price", "fulfillment_node_price", **{"fulfillment_nodes__0__fulfillment_node_price": -5}),
    _bad("validate_inventory", "quantity", **{"fulfillment_nodes__0__quantity": -1}),
    _bad("validate_inventory", "quantity", **{"fulfillment_nodes__0__quantity": 1.5}),
    _bad("validate_inventory", "fulfillment_nodes", fulfillment_nodes=[]),
    _bad("validate_variation", "Accessory", relationship="Accessory"),
    _bad("validate_variation", "variation_refinements", variation_refinements=[0]),
    _bad("validate_variation", "children_skus", children_skus=[]),
    _bad("validate_shipping_exception", "shipping_exception_type", **{"fulfillment_nodes__0__shipping_exceptions__0__shipping_exception_type": "include"}),
    _bad("validate_shipping_exception", "shipping_charge_amount", **{"fulfillment_nodes__0__shipping_exceptions__0__shipping_charge_amount": _DROP}),
    _bad("validate_shipping_exception", "override_type", **{"fulfillment_nodes__0__shipping_exceptions__0__override_type": "Free"}),
    _bad("validate_returns_exception", "time_to_return", time_to_return=31),
    _bad("validate_returns_exception", "time_to_return", time_to_return=0),
    _bad("validate_archive", "is_archived", is_archived="yes"),
    _bad("validate_acknowledge", "acknowledgement_status", acknowledgement_status="ok"),
    _bad("validate_acknowledge", "order_item_acknowledgement_status", **{"order_items__0__order_item_acknowledgement_status": "fine"}),
    _bad("validate_acknowledge", "order_item_id", **{"order_items__0__order_item_id": "not-a-jet-id"}),
    _bad("validate_acknowledge", "order_items", order_items=[]),
    _bad("validate_shipped", "ship_from_zip_code", **{_SHIP + "ship_from_zip_code": "84047-1234"}),
    _bad("validate_shipped", "shipment_tracking_number", **{_SHIP + "shipment_tracking_number": _DROP}),
    _bad("validate_shipped", "carrier", **{_SHIP + "carrier": "Pigeon"}),
    _bad("validate_shipped", "response_shipment_method", **{_SHIP + "response_shipment_method": "Teleport"}),
    _bad("validate_shipped", "carrier_pick_up_date", **{_SHIP + "carrier_pick_up_date": "tomorrow"}),
    _bad("validate_shipped", "shipment_items", **{_SHIP + "shipment_items": []}),
    _bad("validate_shipped", "response_shipment_sku_quantity", **{_SHIP_ITEM + "response_shipment_sku_quantity": -1}),
    _bad("validate_shipped", "RMA_number", **{_SHIP_ITEM + "RMA_number": _DROP}),
    _bad("validate_shipped", "zip_code", **{_SHIP_ITEM + "return_location": {**ADDRESS, "zip_code": "8404"}}),
    _bad("validate_complete_return", "merchant_order_id", merchant_order_id="42"),
    _bad("validate_complete_return", "order_return_refund_qty", **{"items__0__order_return_refund_qty": 2}),
    _bad("validate_complete_return", "return_charge_feedback", agree_to_return_charge=False),
    _bad("validate_complete_return", "refund_amount", **{"items__0__refund_amount": {"principal": 1}}),
    _bad("validate_refund", "refund_reason", **{"items__0__refund_reason": "meh"}),
    _bad("validate_refund", "order_return_refund_qty", **{"items__0__order_return_refund_qty": 0}),
    _bad("validate_refund", "principal", **{"items__0__refund_amount": {**AMOUNT, "principal": -1}}),
    _bad("validate_generate_order", "fulfillment_node", fulfillment_node=_DROP),
    _bad("validate_generate_order", "order_quantity", **{"items__0__order_quantity": 0}),
]  # fmt: skip
