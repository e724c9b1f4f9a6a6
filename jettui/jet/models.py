"""Jet payload rules shared by the client (catch mistakes before sending) and the sandbox
(refuse what Jet would refuse). No I/O.

Every ``validate_<thing>(payload) -> list[str]`` returns one line per problem, each naming the
field path first, e.g. ``product_title: must be 5–500 characters (got 3)``; empty = valid.

Required = what docs/jet-api.md's tables mark as required (tests/jet_client/test_doc_tables.py
reads the tables and holds the specs to them): a body missing one is refused naming it. Where
the doc's own entry says what Jet does with a missing value (table 2.1a: a missing image or
category gives a sub-status) the SKU is accepted and flagged instead, see
:func:`listing_sub_statuses`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from jettui.jet.codes import check_code_format, check_product_code, guess_code_type
from jettui.jet.dates import (
    format_jet_date,
    is_jet_date,
    is_jet_id,
    new_jet_id,
    parse_jet_date,
)
from jettui.jet.enums import (
    CARRIERS,
    CHARGE_FEEDBACK,
    CODE_TYPES,
    CPSIA_NONE,
    CPSIA_STATEMENTS,
    MERCHANT_REFUND_FEEDBACK,
    OVERRIDE_TYPES,
    PRODUCT_TAX_CODES,
    REFUND_FEEDBACK,
    REFUND_REASONS,
    SERVICE_LEVELS,
    SHIPPING_EXCEPTION_TYPES,
    SHIPPING_METHODS,
    US_STATES,
    AckStatus,
    ItemAckStatus,
    MapType,
    ProductSubStatus,
)

__all__ = [
    "check_product_code",
    "format_jet_date",
    "guess_code_type",
    "is_jet_id",
    "listing_sub_statuses",
    "new_jet_id",
    "parse_jet_date",
    "validate_acknowledge",
    "validate_archive",
    "validate_complete_return",
    "validate_generate_order",
    "validate_image",
    "validate_inventory",
    "validate_merchant_sku",
    "validate_merchant_sku_id",
    "validate_price",
    "validate_refund",
    "validate_returns_exception",
    "validate_shipped",
    "validate_shipping_exception",
    "validate_variation",
    "VALIDATORS",
]

MAX_SKU_LENGTH = 100
MAX_INT_DIGITS = 7  # money: at most 7 digits before the point ...
MAX_DECIMALS = 2  # ... and 2 after it
ZIP_RE = re.compile(r"^\d{5}$")

# A checker takes (value, field path) and returns problem lines.
Checker = Callable[[Any, str], list[str]]
# Field spec: name → (checker, required).
Spec = Mapping[str, tuple[Checker, bool]]


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "true/false", int: "a whole number", float: "a number", str: "text",
            list: "a list", dict: "an object"}.get(type(value), type(value).__name__)  # fmt: skip


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# ---- scalar checkers -------------------------------------------------------------------------


def text(lo: int = 1, hi: int | None = None) -> Checker:
    def check(value: Any, where: str) -> list[str]:
        if not isinstance(value, str):
            return [f"{where}: must be text, not {_type_name(value)}"]
        n = len(value)
        if n == 0 and lo == 1:
            return [f"{where}: must not be empty"]
        if hi is None and n < lo:
            return [f"{where}: must be at least {lo} characters (got {n})"]
        if hi is not None and not lo <= n <= hi:
            rng = f"at most {hi}" if lo <= 1 else f"{lo}–{hi}"
            return [f"{where}: must be {rng} characters (got {n})"]
        return []

    return check


def integer(lo: int | None = None, hi: int | None = None) -> Checker:
    def check(value: Any, where: str) -> list[str]:
        if not _is_int(value):
            return [f"{where}: must be a whole number, not {_type_name(value)} ({value!r})"]
        if lo is not None and hi is not None and not lo <= value <= hi:
            return [f"{where}: must be between {lo} and {hi} (got {value})"]
        if lo is not None and value < lo:
            return [f"{where}: must be at least {lo} (got {value})"]
        if hi is not None and value > hi:
            return [f"{where}: must be at most {hi} (got {value})"]
        return []

    return check


def number(lo: float = 0, *, above: bool = False) -> Checker:
    def check(value: Any, where: str) -> list[str]:
        if not _is_number(value):
            return [f"{where}: must be a number, not {_type_name(value)} ({value!r})"]
        if value < lo or (above and value == lo):
            word = "greater than" if above else "at least"
            return [f"{where}: must be {word} {lo:g} (got {value})"]
        return []

    return check


def money(*, positive: bool = False) -> Checker:
    """A non-negative number with at most 7 integer digits and 2 decimals."""

    def check(value: Any, where: str) -> list[str]:
        if not _is_number(value):
            hint = " (no currency symbols, commas or quotes)" if isinstance(value, str) else ""
            return [f"{where}: must be a number, not {_type_name(value)} ({value!r}){hint}"]
        if value < 0 or (positive and value == 0):
            return [
                f"{where}: must be {'greater than 0' if positive else 'at least 0'} (got {value})"
            ]
        try:
            dec = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            return [f"{where}: must be a finite number (got {value})"]
        if not dec.is_finite():
            return [f"{where}: must be a finite number (got {value})"]
        sign, digits, exp = dec.normalize().as_tuple()
        decimals = max(0, -int(exp))
        int_digits = max(0, len(digits) + int(exp))
        if int_digits > MAX_INT_DIGITS or decimals > MAX_DECIMALS:
            return [f"{where}: at most {MAX_INT_DIGITS} digits before the point and "
                    f"{MAX_DECIMALS} after it (got {value})"]  # fmt: skip
        return []

    return check


def boolean(value: Any, where: str) -> list[str]:
    return (
        []
        if isinstance(value, bool)
        else [f"{where}: must be true or false, not {_type_name(value)}"]
    )


def one_of(choices: tuple[str, ...] | type, label: str = "") -> Checker:
    allowed = tuple(str(c) for c in choices)  # type: ignore[union-attr]

    def check(value: Any, where: str) -> list[str]:
        if value in allowed:
            return []
        shown = ", ".join(f"'{c}'" for c in allowed) if len(allowed) <= 10 else label
        return [f"{where}: '{value}' is not a valid value; use {shown}"]

    return check


def url(value: Any, where: str) -> list[str]:
    if not isinstance(value, str) or not re.match(r"^https?://[^\s/]+\S*$", value):
        return [f"{where}: must be an http(s) URL (got {value!r})"]
    return []


def date(value: Any, where: str) -> list[str]:
    if is_jet_date(value):
        return []
    return [f"{where}: must be an ISO-8601 date-time with Z or an offset, e.g. "
            f"2016-06-01T10:00:00.0000000-07:00 (got {value!r})"]  # fmt: skip


def jet_id(value: Any, where: str) -> list[str]:
    return (
        []
        if is_jet_id(value)
        else [f"{where}: must be a Jet id of 32 lower-case hex characters (got {value!r})"]
    )


def zip5(value: Any, where: str) -> list[str]:
    if isinstance(value, str) and ZIP_RE.match(value):
        return []
    return [f'{where}: must be a 5-digit US ZIP code as text, e.g. "84047" (got {value!r})']


def us_state(value: Any, where: str) -> list[str]:
    if value in US_STATES:
        return []
    return [f"{where}: must be a 2-letter US state code such as UT or NY (got {value!r})"]


def sku(value: Any, where: str) -> list[str]:
    return [f"{where}: {p}" for p in _sku_problems(value)]


# ---- structure -------------------------------------------------------------------------------


def fields(payload: Any, spec: Spec, where: str = "") -> list[str]:
    """Check an object against a spec; ``where`` prefixes nested paths (``items[0].``)."""
    if not isinstance(payload, dict):
        return [f"{where.rstrip('.') or 'body'}: must be a JSON object, not {_type_name(payload)}"]
    errors: list[str] = []
    for name, (checker, required) in spec.items():
        value = payload.get(name)
        if value is None:  # absent or null; the path is only formatted when it is used
            if required:
                errors.append(f"{where}{name}: is required")
            continue
        errors.extend(checker(value, f"{where}{name}"))
    return errors


def list_of(
    item: Checker, *, min_items: int = 0, max_items: int | None = None, unique: bool = False
) -> Checker:
    def check(value: Any, where: str) -> list[str]:
        if not isinstance(value, list):
            return [f"{where}: must be a list, not {_type_name(value)}"]
        if len(value) < min_items:
            return [f"{where}: needs at least {min_items} item{'s' if min_items > 1 else ''}"]
        if max_items is not None and len(value) > max_items:
            return [f"{where}: at most {max_items} items (got {len(value)})"]
        errors: list[str] = []
        for i, element in enumerate(value):
            errors.extend(item(element, f"{where}[{i}]"))
        if unique and not errors:
            seen = [repr(v) for v in value]
            dupes = sorted({v for v in seen if seen.count(v) > 1})
            if dupes:
                errors.append(f"{where}: duplicate values {', '.join(dupes)}")
        return errors

    return check


def obj(spec: Spec, extra: Callable[[dict, str], list[str]] | None = None) -> Checker:
    def check(value: Any, where: str) -> list[str]:
        errors = fields(value, spec, f"{where}.")
        if not errors and extra is not None:
            errors = extra(value, where)
        return errors

    return check


# ---- merchant SKU (table 2.1a) ---------------------------------------------------------------


def _code_type(value: Any, where: str) -> list[str]:
    if value == "ASIN":
        return [f"{where}: 'ASIN' is not a standard code type; send it in the top-level ASIN field"]
    return one_of(tuple(CODE_TYPES))(value, where)


def _code_entry(value: dict, where: str) -> list[str]:
    code_type = value["standard_product_code_type"]
    problem = check_code_format(value["standard_product_code"], code_type)
    if problem:
        field = (
            "standard_product_code_type" if code_type not in CODE_TYPES else "standard_product_code"
        )
        return [f"{where}.{field}: {problem}"]
    return []


def _cpsia(value: list, where: str) -> list[str]:
    if CPSIA_NONE in value and len(value) > 1:
        return [f"{where}: '{CPSIA_NONE}' must stand alone"]
    return []


def _with(check: Checker, extra: Callable[[Any, str], list[str]]) -> Checker:
    def combined(value: Any, where: str) -> list[str]:
        return check(value, where) or extra(value, where)

    return combined


def _unique_slots(value: list, where: str) -> list[str]:
    slots = [img.get("image_slot_id") for img in value]
    dupes = sorted({s for s in slots if slots.count(s) > 1})
    return [f"{where}: image_slot_id {d} used more than once" for d in dupes]


def _map_type(value: Any, where: str) -> list[str]:
    # AERO sends the string form; a bare number is accepted too.
    return one_of(MapType)(str(value) if _is_int(value) else value, where)


CODE_SPEC: Spec = {
    "standard_product_code": (text(1, 14), True),
    "standard_product_code_type": (_code_type, True),
}
ATTRIBUTE_SPEC: Spec = {
    "attribute_id": (integer(1), True),
    "attribute_value": (text(1, 500), True),
    "attribute_value_unit": (text(1, 50), False),
}
IMAGE_SLOT_SPEC: Spec = {"image_slot_id": (integer(1, 8), True), "image_url": (url, True)}
_ALT_IMAGES = _with(list_of(obj(IMAGE_SLOT_SPEC), max_items=8), _unique_slots)

MERCHANT_SKU_SPEC: Spec = {
    "product_title": (text(5, 500), True),
    "jet_browse_node_id": (integer(1), False),
    "standard_product_codes": (list_of(obj(CODE_SPEC, _code_entry)), False),
    "ASIN": (
        lambda v, w: (
            []
            if check_code_format(v, "ASIN") is None
            else [f"{w}: must be exactly 10 letters or digits (got {v!r})"]
        ),
        False,
    ),  # fmt: skip
    "multipack_quantity": (integer(1, 128), True),
    "brand": (text(1, 50), True),
    "manufacturer": (text(1, 50), False),
    "mfr_part_number": (text(1, 50), False),
    "product_description": (text(1, 2000), False),
    "bullets": (list_of(text(1, 500), max_items=5), False),
    "number_units_for_price_per_unit": (number(0, above=True), False),
    "type_of_unit_for_price_per_unit": (text(1, 50), False),
    "shipping_weight_pounds": (number(0, above=True), False),
    "package_length_inches": (number(), False),
    "package_width_inches": (number(), False),
    "package_height_inches": (number(), False),
    "display_length_inches": (number(), False),
    "display_width_inches": (number(), False),
    "display_height_inches": (number(), False),
    "fulfillment_time": (integer(0, 365), False),
    "prop_65": (boolean, False),
    "legal_disclaimer_description": (text(1, 500), False),
    "cpsia_cautionary_statements": (
        _with(list_of(one_of(CPSIA_STATEMENTS), max_items=7, unique=True), _cpsia),
        False,
    ),
    "country_of_origin": (text(1, 50), False),
    "safety_warning": (text(1, 500), False),
    "start_selling_date": (date, False),
    "msrp": (money(), False),
    "map_price": (money(), False),
    "map_implementation": (_map_type, False),
    "product_tax_code": (
        one_of(PRODUCT_TAX_CODES, "a Jet product tax code such as 'Generic Taxable Product'"),
        False,
    ),  # fmt: skip
    "no_return_fee_adjustment": (number(), False),
    "ships_alone": (boolean, False),
    "exclude_from_fee_adjustments": (boolean, False),
    "attributes_node_specific": (list_of(obj(ATTRIBUTE_SPEC), max_items=10), False),
    "main_image_url": (url, False),
    "swatch_image_url": (url, False),
    "alternate_images": (_ALT_IMAGES, False),
    "amazon_item_type_keyword": (text(1, 200), False),
    "category_path": (text(1, 1000), False),
}


def validate_merchant_sku(payload: dict) -> list[str]:
    """PUT /merchant-skus/{sku} body (table 2.1a)."""
    errors = fields(payload, MERCHANT_SKU_SPEC)
    if not isinstance(payload, dict):
        return errors
    identified = payload.get("standard_product_codes") or payload.get("ASIN")
    if not identified and not (payload.get("brand") and payload.get("mfr_part_number")):
        errors.append("standard_product_codes: give at least one code (UPC, EAN, ISBN-10, "
                      "ISBN-13, GTIN-14), an ASIN, or brand + mfr_part_number")  # fmt: skip
    if (
        str(payload.get("map_implementation")) == MapType.LOGGED_IN_ONLY
        and payload.get("map_price") is None
    ):
        errors.append('map_price: is required when map_implementation is "102"')
    return errors


def listing_sub_statuses(product: Mapping[str, Any], *, has_price: bool = True) -> list[str]:
    """Why a (valid) listing is still Missing Listing Data; empty when complete."""
    subs: list[str] = []
    if not product.get("product_title"):
        subs.append(ProductSubStatus.MISSING_TITLE)
    if not product.get("brand"):
        subs.append(ProductSubStatus.MISSING_BRAND)
    if not product.get("main_image_url"):
        subs.append(ProductSubStatus.MISSING_IMAGE)
    if not product.get("jet_browse_node_id"):
        subs.append(ProductSubStatus.MISSING_CATEGORY)
    if not has_price:
        subs.append(ProductSubStatus.MISSING_PRICE)
    if not product.get("shipping_weight_pounds"):
        subs.append(ProductSubStatus.MISSING_SHIPPING_WEIGHT)
    codes = product.get("standard_product_codes") or []
    if any(
        check_product_code(c.get("standard_product_code"), c.get("standard_product_code_type"))
        for c in codes
        if isinstance(c, dict)
    ):
        subs.append(ProductSubStatus.INVALID_SKU_IDENTIFIER)
    if not codes and not product.get("ASIN"):
        subs.append(ProductSubStatus.ADDITIONAL_SKU_ID_NEEDED)
    return [str(s) for s in subs]


def _sku_problems(value: Any) -> list[str]:
    if not isinstance(value, str) or not value:
        return ["must be a non-empty merchant SKU"]
    if len(value) > MAX_SKU_LENGTH:
        return [f"must be at most {MAX_SKU_LENGTH} characters (got {len(value)})"]
    if "/" in value or "\\" in value:
        return [f"'{value}' must not contain '/' or '\\'"]
    if value != value.strip() or any(ord(c) < 32 for c in value):
        return [f"{value!r} must not have leading/trailing spaces or control characters"]
    return []


def validate_merchant_sku_id(sku_id: Any) -> list[str]:
    """A merchant SKU as used in paths and bulk files."""
    return [f"merchant_sku: {p}" for p in _sku_problems(sku_id)]


IMAGE_SPEC: Spec = {
    "main_image_url": (url, False),
    "swatch_image_url": (url, False),
    "alternate_images": (_ALT_IMAGES, False),
}


def validate_image(payload: dict) -> list[str]:
    """PUT /merchant-skus/{sku}/image."""
    errors = fields(payload, IMAGE_SPEC)
    if not errors and not any(payload.get(k) for k in IMAGE_SPEC):
        errors.append("main_image_url: give main_image_url, swatch_image_url or alternate_images")
    return errors


# ---- price, inventory, variation, exceptions, archive ----------------------------------------


def _unique_nodes(value: list, where: str) -> list[str]:
    ids = [n.get("fulfillment_node_id") for n in value]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    return [f"{where}: fulfillment_node_id '{d}' appears more than once" for d in dupes]


NODE_ID = text(1, 100)
PRICE_SPEC: Spec = {
    "price": (money(positive=True), True),
    "fulfillment_nodes": (
        _with(
            list_of(
                obj(
                    {
                        "fulfillment_node_id": (NODE_ID, True),
                        "fulfillment_node_price": (money(positive=True), True),
                    }
                )
            ),  # fmt: skip
            _unique_nodes,
        ),
        False,
    ),
}
INVENTORY_SPEC: Spec = {
    "fulfillment_nodes": (
        _with(
            list_of(
                obj(
                    {
                        "fulfillment_node_id": (NODE_ID, True),
                        "quantity": (integer(0, 999_999), True),
                    }
                ),
                min_items=1,
            ),
            _unique_nodes,
        ),
        True,
    ),
}


def validate_price(payload: dict) -> list[str]:
    """PUT /merchant-skus/{sku}/price."""
    return fields(payload, PRICE_SPEC)


def validate_inventory(payload: dict) -> list[str]:
    """PUT or PATCH /merchant-skus/{sku}/inventory."""
    return fields(payload, INVENTORY_SPEC)


def _child_sku(value: Any, where: str) -> list[str]:
    # Written as plain strings; read back as {"merchant_sku": ...}: accept both.
    if isinstance(value, dict):
        return sku(value.get("merchant_sku"), f"{where}.merchant_sku")
    return sku(value, where)


def _relationship(value: Any, where: str) -> list[str]:
    if value == "Accessory":
        return [f"{where}: 'Accessory' was removed by Jet; use 'Variation'"]
    return one_of(("Variation",))(value, where)


VARIATION_SPEC: Spec = {
    "relationship": (_relationship, True),
    "variation_refinements": (list_of(integer(1), min_items=1, unique=True), True),
    "children_skus": (list_of(_child_sku, min_items=1, unique=True), True),
    "group_title": (text(1, 500), False),
}


def validate_variation(payload: dict) -> list[str]:
    """PUT /merchant-skus/{parent}/variation."""
    return fields(payload, VARIATION_SPEC)


def _shipping_exception_rules(value: dict, where: str) -> list[str]:
    errors = []
    if value.get("override_type") is not None and value.get("shipping_charge_amount") is None:
        errors.append(f"{where}.shipping_charge_amount: is required when override_type is set")
    if value.get("service_level") is None and value.get("shipping_method") is None:
        errors.append(f"{where}: give a service_level or a shipping_method")
    return errors


def _exception_type(value: Any, where: str) -> list[str]:
    if value == "include":
        return [f"{where}: 'include' was removed by Jet; use 'exclusive' or 'restricted'"]
    return one_of(SHIPPING_EXCEPTION_TYPES)(value, where)


SHIPPING_EXCEPTION_ITEM_SPEC: Spec = {
    "service_level": (one_of(SERVICE_LEVELS), False),
    "shipping_method": (
        one_of(SHIPPING_METHODS, "a Jet shipping method such as 'UPS Ground'"),
        False,
    ),
    "override_type": (one_of(OVERRIDE_TYPES), False),
    "shipping_charge_amount": (money(), False),
    "shipping_exception_type": (_exception_type, True),
}
SHIPPING_EXCEPTION_SPEC: Spec = {
    "fulfillment_nodes": (
        _with(
            list_of(
                obj(
                    {
                        "fulfillment_node_id": (NODE_ID, True),
                        "shipping_exceptions": (
                            list_of(
                                obj(SHIPPING_EXCEPTION_ITEM_SPEC, _shipping_exception_rules),
                                min_items=1,
                            ),
                            True,
                        ),
                    }
                ),
                min_items=1,
            ),
            _unique_nodes,
        ),
        True,
    ),
}


def validate_shipping_exception(payload: dict) -> list[str]:
    """PUT /merchant-skus/{sku}/shippingexception."""
    return fields(payload, SHIPPING_EXCEPTION_SPEC)


RETURNS_EXCEPTION_SPEC: Spec = {
    "time_to_return": (integer(1, 30), False),
    "return_location_ids": (list_of(text(1, 100), unique=True), False),
    "return_shipping_methods": (
        list_of(
            one_of(SHIPPING_METHODS, "a Jet shipping method such as 'FedEx Ground'"), unique=True
        ),
        False,
    ),
}


def validate_returns_exception(payload: dict) -> list[str]:
    """PUT /merchant-skus/{sku}/returnsexception."""
    errors = fields(payload, RETURNS_EXCEPTION_SPEC)
    if not errors and not any(payload.get(k) is not None for k in RETURNS_EXCEPTION_SPEC):
        errors.append(
            "time_to_return: give time_to_return, return_location_ids or return_shipping_methods"
        )
    return errors


def validate_archive(payload: dict) -> list[str]:
    """PUT /merchant-skus/{sku}/status/archive."""
    return fields(payload, {"is_archived": (boolean, True)})


# ---- orders (tables 2.4b, 2.4c) --------------------------------------------------------------

ACK_ITEM_SPEC: Spec = {
    "order_item_acknowledgement_status": (one_of(ItemAckStatus), True),
    "order_item_id": (jet_id, True),
    "alt_order_item_id": (text(1, 100), False),
}
ACKNOWLEDGE_SPEC: Spec = {
    "acknowledgement_status": (one_of(AckStatus), True),
    "alt_order_id": (text(1, 100), False),
    "order_items": (list_of(obj(ACK_ITEM_SPEC), min_items=1), True),
}


def validate_acknowledge(payload: dict) -> list[str]:
    """PUT /orders/{id}/acknowledge (table 2.4b)."""
    errors = fields(payload, ACKNOWLEDGE_SPEC)
    if errors:
        return errors
    ids = [i["order_item_id"] for i in payload["order_items"]]
    errors += [f"order_items: order_item_id '{d}' appears more than once"
               for d in sorted({i for i in ids if ids.count(i) > 1})]  # fmt: skip
    return errors


ADDRESS_SPEC: Spec = {
    "address1": (text(1, 100), True),
    "address2": (text(0, 100), False),
    "city": (text(1, 100), True),
    "state": (us_state, True),
    "zip_code": (zip5, True),
}


def _shipment_item_rules(value: dict, where: str) -> list[str]:
    errors = []
    shipped = value.get("response_shipment_sku_quantity") or 0
    cancelled = value.get("response_shipment_cancel_qty") or 0
    if shipped + cancelled <= 0:
        errors.append(f"{where}: response_shipment_sku_quantity or response_shipment_cancel_qty "
                      "must be greater than 0")  # fmt: skip
    if value.get("return_location") is not None:
        for key in ("RMA_number", "days_to_return"):
            if value.get(key) is None:
                errors.append(f"{where}.{key}: is required when return_location is given")
    return errors


SHIPMENT_ITEM_SPEC: Spec = {
    "shipment_item_id": (text(1, 100), False),
    "alt_shipment_item_id": (text(1, 100), False),
    "merchant_sku": (sku, True),
    "response_shipment_sku_quantity": (integer(0), False),
    "response_shipment_cancel_qty": (integer(0), False),
    "RMA_number": (text(1, 100), False),
    "days_to_return": (integer(0, 365), False),
    "return_location": (obj(ADDRESS_SPEC), False),
}
# A shipment carrying any shipped unit needs all of these; a cancel-only one needs none.
REAL_SHIPMENT_SPEC: Spec = {
    "shipment_tracking_number": (text(1, 100), True),
    "ship_from_zip_code": (zip5, True),
    "carrier": (one_of(CARRIERS, "a Jet carrier such as 'UPS', 'FedEx' or 'USPS'"), True),
    "response_shipment_method": (
        one_of(SHIPPING_METHODS, "a Jet shipping method such as 'UPS Ground'"),
        True,
    ),
    "carrier_pick_up_date": (date, True),
    "expected_delivery_date": (date, True),
    "response_shipment_date": (date, False),
}
SHIPMENT_SPEC: Spec = {
    "alt_shipment_id": (text(1, 100), False),
    "shipment_items": (list_of(obj(SHIPMENT_ITEM_SPEC, _shipment_item_rules), min_items=1), True),
    "redirect_notification": (
        obj({"redirect_node": (NODE_ID, True), "is_redirect_for_zero_inventory": (boolean, True)}),
        False,
    ),
    **{k: (check, False) for k, (check, _) in REAL_SHIPMENT_SPEC.items()},
}


def _shipment(value: Any, where: str) -> list[str]:
    errors = fields(value, SHIPMENT_SPEC, f"{where}.")
    if errors:
        return errors
    items = value["shipment_items"]
    ships_units = any((i.get("response_shipment_sku_quantity") or 0) > 0 for i in items)
    if ships_units:
        # Empty strings count as missing here: a real shipment needs real values.
        present = {k: v for k, v in value.items() if v not in ("", None)}
        errors = [e.replace(": is required", ": is required for a shipment with shipped units")
                  for e in fields(present, REAL_SHIPMENT_SPEC, f"{where}.")]  # fmt: skip
    elif not value.get("alt_shipment_id"):
        errors.append(f"{where}.alt_shipment_id: is required for a cancel-only shipment")
    return errors


SHIPPED_SPEC: Spec = {
    "alt_order_id": (text(1, 100), False),
    "shipments": (list_of(_shipment, min_items=1), True),
}


def validate_shipped(payload: dict) -> list[str]:
    """PUT /orders/{id}/shipped (table 2.4c)."""
    return fields(payload, SHIPPED_SPEC)


# ---- returns and refunds (tables 2.5b, 2.6) --------------------------------------------------

AMOUNT_SPEC: Spec = {
    "principal": (money(), True),
    "tax": (money(), True),
    "shipping_cost": (money(), True),
    "shipping_tax": (money(), True),
}


def _refund_qty_rule(value: dict, where: str) -> list[str]:
    if value["order_return_refund_qty"] > value["total_quantity_returned"] > 0:
        return [f"{where}.order_return_refund_qty: must not exceed total_quantity_returned "
                f"({value['order_return_refund_qty']} > {value['total_quantity_returned']})"]  # fmt: skip
    return []


RETURN_ITEM_SPEC: Spec = {
    "order_item_id": (jet_id, True),
    "alt_order_item_id": (text(1, 100), False),
    "total_quantity_returned": (integer(0), True),
    "order_return_refund_qty": (integer(0), True),
    "return_refund_feedback": (one_of(REFUND_FEEDBACK), False),
    "notes": (text(0, 1000), False),
    "refund_amount": (obj(AMOUNT_SPEC), True),
}
COMPLETE_RETURN_SPEC: Spec = {
    "merchant_order_id": (jet_id, True),
    "alt_order_id": (text(1, 100), False),
    "agree_to_return_charge": (boolean, True),
    "return_charge_feedback": (one_of(CHARGE_FEEDBACK), False),
    "items": (list_of(obj(RETURN_ITEM_SPEC, _refund_qty_rule), min_items=1), True),
}


def validate_complete_return(payload: dict) -> list[str]:
    """PUT /returns/{id}/complete (table 2.5b)."""
    errors = fields(payload, COMPLETE_RETURN_SPEC)
    if (
        not errors
        and payload["agree_to_return_charge"] is False
        and not payload.get("return_charge_feedback")
    ):
        errors.append("return_charge_feedback: is required when agree_to_return_charge is false")
    return errors


REFUND_ITEM_SPEC: Spec = {
    "order_item_id": (jet_id, True),
    "alt_order_item_id": (text(1, 100), False),
    "total_quantity_returned": (integer(0), True),
    "order_return_refund_qty": (integer(1), True),
    "refund_reason": (
        one_of(REFUND_REASONS, "a Jet refund reason such as 'No longer want this item'"),
        True,
    ),
    "refund_feedback": (
        one_of(MERCHANT_REFUND_FEEDBACK, "a Jet refund feedback such as 'Item damaged'"),
        True,
    ),
    "notes": (text(0, 1000), False),
    "refund_amount": (obj(AMOUNT_SPEC), True),
}
REFUND_SPEC: Spec = {"items": (list_of(obj(REFUND_ITEM_SPEC), min_items=1), True)}


def validate_refund(payload: dict) -> list[str]:
    """POST /refunds/{order}/{alt_refund_id} (section 2.6)."""
    return fields(payload, REFUND_SPEC)


# ---- sandbox generator (section 2.9) ---------------------------------------------------------


def _generate_item_rule(value: dict, where: str) -> list[str]:
    if (value.get("order_quantity") or 0) + (value.get("order_cancel_quantity") or 0) <= 0:
        return [f"{where}: order_quantity or order_cancel_quantity must be greater than 0"]
    return []


GENERATE_ORDER_SPEC: Spec = {
    "fulfillment_node": (NODE_ID, True),
    "items": (
        list_of(
            obj(
                {
                    "sku": (sku, True),
                    "order_quantity": (integer(0, 1000), False),
                    "order_cancel_quantity": (integer(0, 1000), False),
                },
                _generate_item_rule,
            ),  # fmt: skip
            min_items=1,
        ),
        True,
    ),
}


def validate_generate_order(payload: dict) -> list[str]:
    """POST /orders/generate/{n} body (section 2.9)."""
    return fields(payload, GENERATE_ORDER_SPEC)


VALIDATORS: dict[str, Callable[[Any], list[str]]] = {
    "validate_merchant_sku": validate_merchant_sku,
    "validate_merchant_sku_id": validate_merchant_sku_id,
    "validate_image": validate_image,
    "validate_price": validate_price,
    "validate_inventory": validate_inventory,
    "validate_variation": validate_variation,
    "validate_shipping_exception": validate_shipping_exception,
    "validate_returns_exception": validate_returns_exception,
    "validate_archive": validate_archive,
    "validate_acknowledge": validate_acknowledge,
    "validate_shipped": validate_shipped,
    "validate_complete_return": validate_complete_return,
    "validate_refund": validate_refund,
    "validate_generate_order": validate_generate_order,
}
