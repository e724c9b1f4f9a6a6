"""Validation cases shared by the sandbox tests and the client's "caught before sending" tests.

``VALID`` holds one valid payload per validator; ``VALIDATION_CASES`` is a list of
``(validator_name, bad_payload, expected_fragment)``: ``getattr(models, validator_name)``
must report a problem containing ``expected_fragment``. Ids in order payloads are
placeholders (``ORDER_ID``, ``ITEM_ID``) that a test may swap for real ones.
"""

from __future__ import annotations

import copy
from typing import Any

ORDER_ID = "2ab4c8b414124f0fa04072d615ec0610"
ITEM_ID = "2906d22b212d4745ab9986b80b1ad2af"
NODE = "node-1"
SKU = "test_product"
ADDRESS = {"address1": "6909 South State Street", "address2": "Suite C", "city": "Midvale",
           "state": "UT", "zip_code": "84047"}  # fmt: skip
AMOUNT = {"principal": 10.0, "tax": 0, "shipping_cost": 0, "shipping_tax": 0}

VALID: dict[str, Any] = {
    "validate_merchant_sku": {
        "product_title": "Test Product", "jet_browse_node_id": 4000188, "brand": "Test",
        "standard_product_codes": [{"standard_product_code": "719236005030", "standard_product_code_type": "UPC"}],
        "multipack_quantity": 1, "product_description": "Test Product is used to enable product api",
        "main_image_url": "https://example.com/img/test.png", "shipping_weight_pounds": 1.5,
        "map_price": 38.00, "map_implementation": "101", "product_tax_code": "Generic Taxable Product",
    },
    "validate_merchant_sku_id": SKU,
    "validate_image": {"main_image_url": "https://example.com/img/test.png"},
    "validate_price": {"price": 38.0, "fulfillment_nodes": [{"fulfillment_node_id": NODE, "fulfillment_node_price": 38.0}]},
    "validate_inventory": {"fulfillment_nodes": [{"fulfillment_node_id": NODE, "quantity": 20}]},
    "validate_variation": {"relationship": "Variation", "variation_refinements": [1],
                           "children_skus": ["child-1"], "group_title": "Shirt"},
    "validate_shipping_exception": {"fulfillment_nodes": [{"fulfillment_node_id": NODE, "shipping_exceptions": [
        {"shipping_method": "UPS Ground", "override_type": "Override charge", "shipping_charge_amount": 5.0,
         "shipping_exception_type": "exclusive"}]}]},
    "validate_returns_exception": {"time_to_return": 30, "return_location_ids": ["loc-1"],
                                   "return_shipping_methods": ["FedEx Ground"]},
    "validate_archive": {"is_archived": True},
    "validate_acknowledge": {"acknowledgement_status": "accepted", "alt_order_id": "OC-1", "order_items": [
        {"order_item_acknowledgement_status": "fulfillable", "order_item_id": ITEM_ID}]},
    "validate_shipped": {"shipments": [{
        "alt_shipment_id": "s-1", "shipment_tracking_number": "1Z12342452342",
        "response_shipment_date": "2016-06-01T10:00:00.0000000-07:00", "response_shipment_method": "UPS Ground",
        "expected_delivery_date": "2016-06-06T10:00:00.0000000-07:00", "ship_from_zip_code": "84047",
        "carrier_pick_up_date": "2016-06-01T12:00:00.0000000-07:00", "carrier": "UPS",
        "shipment_items": [{"merchant_sku": SKU, "response_shipment_sku_quantity": 1,
                            "response_shipment_cancel_qty": 0, "RMA_number": "abcdef",
                            "days_to_return": 30, "return_location": ADDRESS}]}]},
    "validate_complete_return": {"merchant_order_id": ORDER_ID, "agree_to_return_charge": True, "items": [
        {"order_item_id": ITEM_ID, "total_quantity_returned": 1, "order_return_refund_qty": 1,
         "return_refund_feedback": "item damaged", "refund_amount": AMOUNT}]},
    "validate_refund": {"items": [
        {"order_item_id": ITEM_ID, "total_quantity_returned": 1, "order_return_refund_qty": 1,
         "refund_reason": "No longer want this item", "refund_feedback": "Item damaged", "refund_amount": AMOUNT}]},
    "validate_generate_order": {"fulfillment_node": NODE, "items": [{"sku": SKU, "order_quantity": 1,
                                                                      "order_cancel_quantity": 0}]},
}  # fmt: skip


def bad(name: str, path: str, value: Any) -> Any:
    """A copy of ``VALID[name]`` with ``path`` ("a.0.b") set to ``value`` (or removed if ...)."""
    payload = copy.deepcopy(VALID[name])
    keys = [int(k) if k.isdigit() else k for k in path.split(".")]
    target = payload
    for key in keys[:-1]:
        target = target[key]
    if value is ...:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value
    return payload


_P = "validate_merchant_sku"
_S = "validate_shipped"
_SHIP = "shipments.0"
_ITEM = "shipments.0.shipment_items.0"
_CANCEL_ONLY = {"shipments": [{"shipment_items": [{"merchant_sku": SKU, "response_shipment_sku_quantity": 0,
                                                   "response_shipment_cancel_qty": 1}]}]}  # fmt: skip

VALIDATION_CASES: list[tuple[str, Any, str]] = [
    # merchant SKU (table 2.1a)
    (_P, bad(_P, "product_title", "abc"), "product_title: must be 5–500 characters (got 3)"),
    (_P, bad(_P, "product_title", "x" * 501), "product_title: must be 5–500 characters"),
    (_P, bad(_P, "jet_browse_node_id", "4000188"), "jet_browse_node_id: must be a whole number"),
    (_P, bad(_P, "standard_product_codes.0.standard_product_code", "12345"), "standard_product_code: UPC '12345' must be exactly 12 digits"),
    (_P, bad(_P, "standard_product_codes.0.standard_product_code_type", "ISBN"), "standard_product_code_type: 'ISBN' is not a valid value"),
    (_P, bad(_P, "standard_product_codes.0.standard_product_code_type", "ASIN"), "'ASIN' is not a standard code type"),
    (_P, {**bad(_P, "standard_product_codes", ...), "ASIN": "B00ABC123"}, "ASIN: must be exactly 10 letters or digits"),
    (_P, bad(_P, "standard_product_codes", []), "give at least one code"),
    (_P, bad(_P, "multipack_quantity", 129), "multipack_quantity: must be between 1 and 128"),
    (_P, bad(_P, "brand", "b" * 51), "brand: must be at most 50 characters (got 51)"),
    (_P, {**VALID[_P], "mfr_part_number": "m" * 51}, "mfr_part_number: must be at most 50 characters"),
    (_P, bad(_P, "product_description", "d" * 2001), "product_description: must be at most 2000 characters"),
    (_P, {**VALID[_P], "bullets": ["b"] * 6}, "bullets: at most 5 items (got 6)"),
    (_P, {**VALID[_P], "bullets": ["b" * 501]}, "bullets[0]: must be at most 500 characters"),
    (_P, {**VALID[_P], "cpsia_cautionary_statements": ["no warning applicable", "choking hazard balloon"]}, "'no warning applicable' must stand alone"),
    (_P, {**VALID[_P], "cpsia_cautionary_statements": ["choking hazard"]}, "cpsia_cautionary_statements[0]: 'choking hazard' is not a valid value"),
    (_P, bad(_P, "map_implementation", "102") | {"map_price": None}, "map_price: is required when map_implementation is \"102\""),
    (_P, bad(_P, "map_implementation", "104"), "map_implementation: '104' is not a valid value"),
    (_P, bad(_P, "map_price", 12345678.0), "map_price: at most 7 digits before the point and 2 after it"),
    (_P, bad(_P, "map_price", 38.123), "map_price: at most 7 digits before the point and 2 after it"),
    (_P, bad(_P, "map_price", "$38.00"), "map_price: must be a number"),
    (_P, {**VALID[_P], "msrp": -1}, "msrp: must be at least 0"),
    (_P, bad(_P, "product_tax_code", "Food"), "product_tax_code: 'Food' is not a valid value"),
    (_P, bad(_P, "main_image_url", "not a url"), "main_image_url: must be an http(s) URL"),
    (_P, {**VALID[_P], "alternate_images": [{"image_slot_id": 9, "image_url": "https://e.com/a.png"}]}, "alternate_images[0].image_slot_id: must be between 1 and 8"),
    (_P, {**VALID[_P], "attributes_node_specific": [{"attribute_id": i + 1, "attribute_value": "v"} for i in range(11)]}, "attributes_node_specific: at most 10 items (got 11)"),
    (_P, {**VALID[_P], "prop_65": "no"}, "prop_65: must be true or false"),
    (_P, {**VALID[_P], "start_selling_date": "2016-06-01"}, "start_selling_date: must be an ISO-8601 date-time"),
    (_P, bad(_P, "shipping_weight_pounds", -2), "shipping_weight_pounds: must be greater than 0"),
    (_P, {**VALID[_P], "legal_disclaimer_description": "l" * 501}, "legal_disclaimer_description: must be at most 500 characters"),
    (_P, {**VALID[_P], "country_of_origin": "c" * 51}, "country_of_origin: must be at most 50 characters"),
    (_P, {**VALID[_P], "safety_warning": "s" * 501}, "safety_warning: must be at most 500 characters"),
    (_P, {**VALID[_P], "fulfillment_time": -1}, "fulfillment_time: must be between 0 and 365"),
    # merchant SKU id, image
    ("validate_merchant_sku_id", "a/b", "merchant_sku: 'a/b' must not contain '/'"),
    ("validate_merchant_sku_id", "", "merchant_sku: must be a non-empty merchant SKU"),
    ("validate_merchant_sku_id", "s" * 101, "merchant_sku: must be at most 100 characters"),
    ("validate_image", {}, "main_image_url: give main_image_url"),
    # price, inventory
    ("validate_price", {}, "price: is required"),
    ("validate_price", bad("validate_price", "price", 0), "price: must be greater than 0"),
    ("validate_price", bad("validate_price", "fulfillment_nodes.0.fulfillment_node_price", -1), "fulfillment_nodes[0].fulfillment_node_price: must be greater than 0"),
    ("validate_price", bad("validate_price", "fulfillment_nodes.0.fulfillment_node_id", ""), "fulfillment_nodes[0].fulfillment_node_id: must not be empty"),
    ("validate_inventory", bad("validate_inventory", "fulfillment_nodes.0.quantity", -1), "fulfillment_nodes[0].quantity: must be between 0 and 999999"),
    ("validate_inventory", bad("validate_inventory", "fulfillment_nodes.0.quantity", 1.5), "fulfillment_nodes[0].quantity: must be a whole number"),
    ("validate_inventory", {"fulfillment_nodes": []}, "fulfillment_nodes: needs at least 1 item"),
    # variation
    ("validate_variation", bad("validate_variation", "relationship", "Accessory"), "relationship: 'Accessory' was removed"),
    ("validate_variation", bad("validate_variation", "variation_refinements", [0]), "variation_refinements[0]: must be at least 1"),
    ("validate_variation", bad("validate_variation", "children_skus", []), "children_skus: needs at least 1 item"),
    # shipping / returns exceptions, archive
    ("validate_shipping_exception", bad("validate_shipping_exception", "fulfillment_nodes.0.shipping_exceptions.0.shipping_exception_type", "include"), "shipping_exception_type: 'include' was removed"),
    ("validate_shipping_exception", bad("validate_shipping_exception", "fulfillment_nodes.0.shipping_exceptions.0.shipping_charge_amount", ...), "shipping_charge_amount: is required when override_type is set"),
    ("validate_shipping_exception", bad("validate_shipping_exception", "fulfillment_nodes.0.shipping_exceptions.0.shipping_method", "Pony Express"), "shipping_method: 'Pony Express' is not a valid value"),
    ("validate_shipping_exception", bad("validate_shipping_exception", "fulfillment_nodes.0.shipping_exceptions.0.override_type", "Discount"), "override_type: 'Discount' is not a valid value"),
    ("validate_returns_exception", bad("validate_returns_exception", "time_to_return", 31), "time_to_return: must be between 1 and 30 (got 31)"),
    ("validate_returns_exception", bad("validate_returns_exception", "time_to_return", 0), "time_to_return: must be between 1 and 30 (got 0)"),
    ("validate_archive", {"is_archived": "true"}, "is_archived: must be true or false"),
    # acknowledge (2.4b)
    ("validate_acknowledge", bad("validate_acknowledge", "acknowledgement_status", "rejected"), "acknowledgement_status: 'rejected' is not a valid value"),
    ("validate_acknowledge", bad("validate_acknowledge", "order_items.0.order_item_acknowledgement_status", "ok"), "order_item_acknowledgement_status: 'ok' is not a valid value"),
    ("validate_acknowledge", bad("validate_acknowledge", "order_items.0.order_item_id", "2906-d22b"), "order_item_id: must be a Jet id of 32 lower-case hex characters"),
    ("validate_acknowledge", bad("validate_acknowledge", "order_items", ...), "order_items: is required"),
    # shipped (2.4c)
    (_S, bad(_S, f"{_SHIP}.shipment_tracking_number", ...), "shipment_tracking_number: is required for a shipment with shipped units"),
    (_S, bad(_S, f"{_SHIP}.ship_from_zip_code", "84047-1234"), "ship_from_zip_code: must be a 5-digit US ZIP code"),
    (_S, bad(_S, f"{_SHIP}.carrier", "Pony Express"), "carrier: 'Pony Express' is not a valid value"),
    (_S, bad(_S, f"{_SHIP}.response_shipment_method", ...), "response_shipment_method: is required for a shipment with shipped units"),
    (_S, bad(_S, f"{_SHIP}.carrier_pick_up_date", ...), "carrier_pick_up_date: is required for a shipment with shipped units"),
    (_S, bad(_S, f"{_SHIP}.expected_delivery_date", "next week"), "expected_delivery_date: must be an ISO-8601 date-time"),
    (_S, bad(_S, f"{_SHIP}.shipment_items", []), "shipment_items: needs at least 1 item"),
    (_S, bad(_S, f"{_ITEM}.response_shipment_sku_quantity", -1), "response_shipment_sku_quantity: must be at least 0"),
    (_S, bad(_S, f"{_ITEM}.days_to_return", ...), "days_to_return: is required when return_location is given"),
    (_S, bad(_S, f"{_ITEM}.return_location.state", "Utah"), "return_location.state: must be a 2-letter US state code"),
    (_S, bad(_S, f"{_ITEM}.return_location.zip_code", "8404"), "return_location.zip_code: must be a 5-digit US ZIP code"),
    (_S, _CANCEL_ONLY, "alt_shipment_id: is required for a cancel-only shipment"),
    # complete return (2.5b)
    ("validate_complete_return", bad("validate_complete_return", "agree_to_return_charge", False), "return_charge_feedback: is required when agree_to_return_charge is false"),
    ("validate_complete_return", {**VALID["validate_complete_return"], "return_charge_feedback": "meh"}, "return_charge_feedback: 'meh' is not a valid value"),
    ("validate_complete_return", bad("validate_complete_return", "items.0.order_return_refund_qty", 2), "order_return_refund_qty: must not exceed total_quantity_returned"),
    ("validate_complete_return", bad("validate_complete_return", "items.0.refund_amount.principal", "38"), "refund_amount.principal: must be a number"),
    ("validate_complete_return", bad("validate_complete_return", "items.0.return_refund_feedback", "bad"), "return_refund_feedback: 'bad' is not a valid value"),
    # refund (2.6)
    ("validate_refund", bad("validate_refund", "items.0.refund_reason", "because"), "refund_reason: 'because' is not a valid value"),
    ("validate_refund", bad("validate_refund", "items.0.order_return_refund_qty", 0), "order_return_refund_qty: must be at least 1"),
    ("validate_refund", bad("validate_refund", "items.0.refund_amount.tax", -1), "refund_amount.tax: must be at least 0"),
    # generate order (2.9)
    ("validate_generate_order", bad("validate_generate_order", "fulfillment_node", ...), "fulfillment_node: is required"),
    ("validate_generate_order", bad("validate_generate_order", "items.0.order_quantity", 0), "order_quantity or order_cancel_quantity must be greater than 0"),
]  # fmt: skip
