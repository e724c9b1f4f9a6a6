"""Edit one product's Jet data: the ``JetProduct.overrides`` that payload.py reads.

``get_jet_data`` and ``save_jet_data`` are synchronous store work (run them on the store
thread); ``fetch_jet_view`` asks Jet for the SKU as Jet has it.
"""

from __future__ import annotations

import re
from typing import Any

from jettui.config import Settings
from jettui.jet import models
from jettui.jet.enums import CODE_TYPES
from jettui.jet.errors import JetNotFound
from jettui.services.catalog.payload import BRAND_MAX, merchant_sku, validate_products
from jettui.services.catalog.preview import price_text
from jettui.services.jet_session import open_logged_client

GUESS = "guess"
MPN_MAX = 50
ASIN_RE = re.compile(r"^[A-Za-z0-9]{10}$")
TEXT_KEYS = ("standard_code", "standard_code_type", "asin", "brand", "mpn")
LIST_KEYS = ("attributes", "shipping_exceptions")
EDITABLE = (*TEXT_KEYS, *LIST_KEYS, "returns_exceptions")
NOT_ON_JET = "not on Jet yet"


def get_jet_data(settings: Settings, product_id: int) -> dict[str, Any]:
    """The product's overrides, the payload the store would send, and its problems."""
    link = _link(product_id)
    check = validate_products(settings, [product_id])[0]
    main = check.listings[0].product if check.listings else None
    preview = check.listings[0].preview() if check.listings else None
    return {
        "product_id": product_id,
        "sku": check.sku,
        "name": check.name,
        "overrides": dict(link.overrides or {}) if link else {},
        "payload": main,
        # Jet field → catalog.field_map source, where it is not the default
        "sources": dict(check.sources),
        # the price sent and where it came from: "90.00 (special 80.00, increment +10)"
        "price": price_text(preview) if preview else "",
        "errors": list(check.errors),
        "warnings": list(check.warnings),
    }


def save_jet_data(settings: Settings, product_id: int, changes: dict[str, Any]) -> list[str]:
    """Validate ``changes`` (keys of :data:`EDITABLE`; None or "" clears an override) and save
    them into the product's overrides. Returns one line per problem; saves nothing if any."""
    from jettui.store.jet_tables import JetProduct
    from jettui.store.opencart import Product

    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        return [f"{key}: not an editable Jet field" for key in unknown]
    product = Product.get_or_none(Product.product_id == product_id)
    if product is None:
        return [f"product {product_id}: no such product in the store"]
    link = _link(product_id)
    overrides = dict(link.overrides or {}) if link else {}
    problems = _apply(settings, overrides, changes)
    sku = link.merchant_sku if link else merchant_sku(product)
    if not sku:
        problems.append("no SKU or model: Jet needs a merchant SKU")
    elif link is None:
        other = JetProduct.get_or_none(JetProduct.merchant_sku == sku)
        if other is not None:
            problems.append(f"SKU '{sku}' is already linked to product {other.product_id}")
    if problems:
        return problems
    if link is None:
        JetProduct.create(
            product_id=product_id, product_option_value_id=0, merchant_sku=sku, overrides=overrides
        )
    else:
        from jettui.store.text import utcnow

        JetProduct.update(overrides=overrides, updated_at=utcnow()).where(
            JetProduct.id == link.id
        ).execute()
    return []


async def fetch_jet_view(settings: Settings, db: Any, sku: str) -> dict[str, Any]:
    """The SKU as Jet has it: status, sub-statuses, price, inventory. A 404 is "not on Jet
    yet"; JetUnreachable / JetAuthError propagate."""
    async with open_logged_client(settings, db) as jet:
        try:
            doc = await jet.get_sku(sku)
        except JetNotFound:
            return {"sku": sku, "on_jet": False, "message": NOT_ON_JET}
    inventory = doc.get("inventory_by_fulfillment_node") or []
    return {
        "sku": sku,
        "on_jet": True,
        "status": str(doc.get("status") or "unknown"),
        "sub_statuses": [str(s) for s in doc.get("sub_status") or []],
        "price": doc.get("price"),
        "inventory": {
            str(n.get("fulfillment_node_id")): n.get("quantity")
            for n in inventory
            if isinstance(n, dict)
        },
        "is_archived": bool(doc.get("is_archived")),
    }


def view_lines(view: dict[str, Any]) -> list[str]:
    """A Jet view as short lines (screen and CLI)."""
    if not view.get("on_jet"):
        return [f"{view['sku']}: {view.get('message', NOT_ON_JET)}"]
    subs = ", ".join(view["sub_statuses"]) or "none"
    stock = ", ".join(f"{k}: {v}" for k, v in view["inventory"].items()) or "none"
    price = view["price"] if view["price"] is not None else "not set"
    archived = " (archived)" if view["is_archived"] else ""
    return [
        f"Status: {view['status']}{archived}",
        f"Sub-statuses: {subs}",
        f"Price: {price}",
        f"Inventory: {stock}",
    ]


# --- validation -------------------------------------------------------------------------------


def _link(product_id: int) -> Any:
    from jettui.store.jet_tables import JetProduct

    return JetProduct.get_or_none(
        (JetProduct.product_id == product_id) & (JetProduct.product_option_value_id == 0)
    )


def _apply(settings: Settings, overrides: dict[str, Any], changes: dict[str, Any]) -> list[str]:
    """Check each change and write it into ``overrides`` (a copy); one line per problem."""
    problems: list[str] = []
    for key in TEXT_KEYS:
        if key in changes:
            value = str(changes[key] or "").strip()
            if value:
                overrides[key] = value
            else:
                overrides.pop(key, None)
    if "standard_code" in changes or "standard_code_type" in changes:
        problems += _check_code(overrides)
    if overrides.get("asin") and not ASIN_RE.match(overrides["asin"]):
        problems.append(f"asin: '{overrides['asin']}' must be 10 letters or digits")
    if len(overrides.get("brand", "")) > BRAND_MAX:
        problems.append(f"brand: at most {BRAND_MAX} characters")
    if len(overrides.get("mpn", "")) > MPN_MAX:
        problems.append(f"mpn: at most {MPN_MAX} characters")
    if "attributes" in changes:
        problems += _set(overrides, "attributes", changes["attributes"], _check_attributes)
    if "shipping_exceptions" in changes:

        def shipping(items: Any) -> list[str]:
            return _check_shipping(settings, items)

        problems += _set(overrides, "shipping_exceptions", changes["shipping_exceptions"], shipping)
    if "returns_exceptions" in changes:
        problems += _set(
            overrides, "returns_exceptions", changes["returns_exceptions"], _check_returns
        )
    return problems


def _check_code(overrides: dict[str, Any]) -> list[str]:
    code_type = overrides.get("standard_code_type", "")
    if code_type == GUESS:
        code_type = ""
    code = re.sub(r"[\s-]", "", overrides.get("standard_code", ""))
    if not code:
        overrides.pop("standard_code_type", None)
        return ["standard_code_type: give a code too"] if code_type else []
    if code_type and code_type not in CODE_TYPES:
        return [f"standard_code_type: '{code_type}' is not one of {', '.join(CODE_TYPES)}"]
    code_type = code_type or models.guess_code_type(code) or ""
    if code_type == "ASIN":
        return [f"standard_code: '{code}' looks like an ASIN: give it as the ASIN"]
    if not code_type:
        return [f"standard_code: '{code}' is not a UPC, EAN, GTIN-14 or ISBN code"]
    problem = models.check_product_code(code, code_type)
    if problem:
        return [f"standard_code: {problem}"]
    overrides["standard_code"], overrides["standard_code_type"] = code, code_type
    return []


def _set(overrides: dict[str, Any], key: str, value: Any, check: Any) -> list[str]:
    if value in (None, "", [], {}):
        overrides.pop(key, None)
        return []
    problems = check(value)
    if not problems:
        overrides[key] = value
    return problems


def _check_attributes(items: Any) -> list[str]:
    if not isinstance(items, list):
        return ["attributes: a list of {attribute_id, attribute_value}"]
    return models.fields({"attributes": items}, ATTRIBUTES_SPEC)


ATTRIBUTES_SPEC: models.Spec = {
    "attributes": (models.list_of(models.obj(models.ATTRIBUTE_SPEC), max_items=10), True)
}


def _check_shipping(settings: Settings, items: Any) -> list[str]:
    if not isinstance(items, list):
        return ["shipping_exceptions: a list of Jet shipping exceptions"]
    node = settings.jet.fulfillment_node_id or "node"
    payload = {"fulfillment_nodes": [{"fulfillment_node_id": node, "shipping_exceptions": items}]}
    return [f"shipping_exceptions: {p}" for p in models.validate_shipping_exception(payload)]


def _check_returns(value: Any) -> list[str]:
    if not isinstance(value, dict):
        return ["returns_exceptions: an object such as {time_to_return: 30}"]
    return [f"returns_exceptions: {p}" for p in models.validate_returns_exception(value)]
