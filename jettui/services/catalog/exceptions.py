"""A product's shipping and returns exceptions as the merchant enters them (edit screen and
``products edit`` flags) → the items stored in its Jet data and sent to Jet.

Stored in ``JetProduct.overrides``: ``shipping_exceptions`` (a list of Jet shipping exception
items, sent for ``jet.fulfillment_node_id``) and ``returns_exceptions`` (Jet's returns
exception body). payload.py turns them into the ShippingException / ReturnsException bodies of
the product and of every variation child. No I/O here.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from jettui.jet import models
from jettui.jet.enums import (
    OVERRIDE_TYPES,
    SERVICE_LEVELS,
    SHIPPING_EXCEPTION_TYPES,
    SHIPPING_METHODS,
)

SHIPPING_FIELDS = (
    "service_level",
    "shipping_method",
    "override_type",
    "shipping_charge_amount",
    "shipping_exception_type",
)
RETURNS_DAYS = (1, 30)


def shipping_item(fields: dict[str, str]) -> tuple[dict[str, Any] | None, list[str]]:
    """One shipping exception from text fields (keys of :data:`SHIPPING_FIELDS`; "" = not
    set). All empty → (None, []): the product has no shipping exception. Else the Jet item,
    or the problems (one line each, named as the merchant sees them)."""
    given = {k: str(fields.get(k) or "").strip() for k in SHIPPING_FIELDS}
    if not any(given.values()):
        return None, []
    problems: list[str] = []
    item: dict[str, Any] = {}
    for key, choices in (
        ("service_level", SERVICE_LEVELS),
        ("shipping_method", SHIPPING_METHODS),
        ("override_type", OVERRIDE_TYPES),
        ("shipping_exception_type", SHIPPING_EXCEPTION_TYPES),
    ):
        value = given[key]
        if value and value not in choices:
            problems.append(f"shipping {_label(key)}: '{value}' is not one of {', '.join(choices)}")
        elif value:
            item[key] = value
    amount = given["shipping_charge_amount"]
    if amount:
        number = _amount(amount)
        if number is None:
            problems.append(
                f"shipping amount: '{amount}' is not an amount such as 4.99 (0 or more, 2 decimals)"
            )
        else:
            item["shipping_charge_amount"] = float(number)
    if amount and not given["override_type"]:
        problems.append("shipping amount: choose an override type (Override or Additional charge)")
    if given["override_type"] and not amount:
        problems.append(f"shipping override '{given['override_type']}': give the amount")
    if not given["shipping_exception_type"]:
        problems.append("shipping exception type: choose exclusive or restricted")
    if not given["service_level"] and not given["shipping_method"]:
        problems.append("shipping exception: choose a service level or a shipping method")
    if problems:
        return None, problems
    body = {"fulfillment_nodes": [{"fulfillment_node_id": "node", "shipping_exceptions": [item]}]}
    return item, [f"shipping exception: {p}" for p in models.validate_shipping_exception(body)]


def shipping_fields(items: Any) -> dict[str, str]:
    """The first stored shipping exception as text fields (the form shows one)."""
    first = items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else {}
    out = {k: "" if first.get(k) is None else str(first[k]) for k in SHIPPING_FIELDS}
    if isinstance(first.get("shipping_charge_amount"), int | float):
        out["shipping_charge_amount"] = f"{Decimal(str(first['shipping_charge_amount'])):.2f}"
    return out


def returns_body(
    days: str, locations: str | list[str], methods: str | list[str]
) -> tuple[dict[str, Any] | None, list[str]]:
    """The returns exception from the form: days to return (1-30), return location ids and
    return shipping methods (comma-separated text or lists). All empty → (None, [])."""
    body: dict[str, Any] = {}
    problems: list[str] = []
    days = str(days or "").strip()
    if days:
        if not days.isdigit() or not RETURNS_DAYS[0] <= int(days) <= RETURNS_DAYS[1]:
            problems.append(f"return days: '{days}' is not a whole number of days from 1 to 30")
        else:
            body["time_to_return"] = int(days)
    location_ids = _split(locations)
    if location_ids:
        too_long = [x for x in location_ids if len(x) > 100]
        if too_long:
            problems.append("return locations: an id is longer than 100 characters")
        body["return_location_ids"] = list(dict.fromkeys(location_ids))
    method_names = _split(methods)
    unknown = [m for m in method_names if m not in SHIPPING_METHODS]
    if unknown:
        problems.append(
            f"return shipping methods: {', '.join(repr(m) for m in unknown)} not a Jet shipping "
            "method (e.g. FedEx Ground, UPS Ground)"
        )
    elif method_names:
        body["return_shipping_methods"] = list(dict.fromkeys(method_names))
    if problems:
        return None, problems
    if not body:
        return None, []
    return body, [f"returns exception: {p}" for p in models.validate_returns_exception(body)]


def returns_fields(body: Any) -> dict[str, str]:
    """A stored returns exception as the form's three text fields."""
    body = body if isinstance(body, dict) else {}
    days = body.get("time_to_return")
    return {
        "days": "" if days is None else str(days),
        "locations": ", ".join(str(x) for x in body.get("return_location_ids") or []),
        "methods": ", ".join(str(x) for x in body.get("return_shipping_methods") or []),
    }


def sent_hash(shipping: dict[str, Any] | None, returns: dict[str, Any] | None) -> str | None:
    """Hash of a SKU's ShippingException + ReturnsException bodies (None: it has neither), kept
    in ``JetProduct.exceptions_hash`` once Jet accepted them: sync sends them again only when
    the merchant changed them."""
    if not shipping and not returns:
        return None
    raw = json.dumps([shipping, returns], sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def record_sent(hashes: dict[str, str | None]) -> None:
    """Store thread: the exceptions Jet accepted, per merchant SKU."""
    from jettui.store.base import database_proxy
    from jettui.store.jet_tables import JetProduct

    with database_proxy.atomic():
        for sku, value in hashes.items():
            JetProduct.update(exceptions_hash=value).where(JetProduct.merchant_sku == sku).execute()


def _split(value: str | list[str]) -> list[str]:
    parts = value if isinstance(value, list) else str(value or "").split(",")
    return [p.strip() for p in parts if p and p.strip()]


def _amount(text: str) -> Decimal | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or number >= Decimal("1e7"):
        return None
    if number != number.quantize(Decimal("0.01")):
        return None
    return number


def _label(key: str) -> str:
    return {
        "service_level": "service level",
        "shipping_method": "method",
        "override_type": "override type",
        "shipping_exception_type": "exception type",
    }[key]
