"""Edit one product's Jet data: the ``JetProduct.overrides`` that payload.py reads.

Keys: standard code and type, ASIN, brand, MPN; ``shipping_exceptions`` and
``returns_exceptions`` (:mod:`.exceptions`); ``attributes`` (the node's Jet attributes, sent as
``attributes_node_specific``) and ``option_attributes`` (option id → Jet variant attribute id)
(:mod:`.attributes`) and ``option_values`` (option value id → the child's refinement value).
A variation child keeps its own code, ASIN and MPN (:data:`CHILD_KEYS`) on its own JetProduct
row: editing a child changes that child only; everything else is the parent's, shared by its
children. ``get_jet_data``, ``form_changes`` and ``save_jet_data`` are synchronous
store work (run them on the store thread); ``fetch_jet_view`` asks Jet for the SKU as Jet has it.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from jettui.config import Settings
from jettui.jet import models
from jettui.jet.enums import CODE_TYPES
from jettui.jet.errors import JetNotFound
from jettui.services.catalog import attributes as node_attrs
from jettui.services.catalog import exceptions
from jettui.services.catalog.payload import (
    BRAND_MAX,
    CHILD_KEYS,
    Listing,
    merchant_sku,
    validate_products,
)
from jettui.services.catalog.preview import price_text
from jettui.services.jet_session import open_logged_client

GUESS = "guess"
MPN_MAX = 50
ASIN_RE = re.compile(r"^[A-Za-z0-9]{10}$")
TEXT_KEYS = ("standard_code", "standard_code_type", "asin", "brand", "mpn")
LIST_KEYS = ("attributes", "shipping_exceptions")
EDITABLE = (*TEXT_KEYS, *LIST_KEYS, "returns_exceptions", "option_attributes", "option_values")
NOT_ON_JET = "not on Jet yet"


def get_jet_data(settings: Settings, product_id: int, sku: str | None = None) -> dict[str, Any]:
    """The product's overrides, the payload the store would send, and its problems; for a
    variation child's ``sku``, the child's own overrides and payload (``child_of``: its parent);
    for a parent, its children's codes (``children``)."""
    check = validate_products(settings, [product_id])[0]
    child = _child_listing(check.listings, sku)
    link = _link(product_id, child.option_value_id if child else 0)
    shown = child or (check.listings[0] if check.listings else None)
    main = shown.product if shown else None
    preview = shown.preview() if shown else None
    overrides = dict(link.overrides or {}) if link else {}
    node = node_attrs.product_node(product_id)
    attributes = node_attrs.node_attributes(node)
    mapped = overrides.get("option_attributes") or {}
    options = node_attrs.product_options(product_id, settings.store.language_id)
    value_rows = list(
        dict.fromkeys(node_attrs.option_value_rows(product_id, settings.store.language_id))
    )
    values = {str(k): str(v) for k, v in (overrides.get("option_values") or {}).items()}
    return {
        "product_id": product_id,
        "sku": child.sku if child else check.sku,
        "child_of": check.sku if child else None,
        "children": [] if child else [_child_line(x) for x in check.listings[1:]],
        "name": check.name,
        "overrides": overrides,
        "store_values": _store_values(settings, product_id),
        "node_id": node,
        "node_attributes": [asdict(a) for a in attributes],
        # the product's select/radio options and the Jet variant attribute each maps to
        # (None: chosen automatically); "refinements" = what the upload sends
        # and each option value with the refinement value mapped for it ("": its own name)
        "options": [
            {
                "option_id": oid,
                "name": name,
                "attribute_id": mapped.get(str(oid)),
                "values": [
                    {"option_value_id": vid, "name": label, "jet_value": values.get(str(vid), "")}
                    for value_oid, vid, label in value_rows
                    if value_oid == oid
                ],
            }
            for oid, name in options
        ],
        "refinements": list(check.refinements),
        "payload": main,
        # the ShippingException / ReturnsException bodies sent for the SKU (and its children)
        "shipping_exception": shown.shipping_exception if shown else None,
        "returns_exception": shown.returns_exception if shown else None,
        # Jet field → catalog.field_map source, where it is not the default
        "sources": dict(check.sources),
        # the price sent and where it came from: "90.00 (special 80.00, increment +10)"
        "price": price_text(preview) if preview else "",
        "errors": list(check.errors),
        "warnings": list(check.warnings),
    }


def child_listing(settings: Settings, product_id: int, sku: str) -> Listing | None:
    """The variation child ``sku`` of the product as the upload builds it (None: ``sku`` is
    the product's own SKU, or no child of it)."""
    return _child_listing(validate_products(settings, [product_id])[0].listings, sku)


def _child_listing(listings: list[Listing], sku: str | None) -> Listing | None:
    return next((x for x in listings[1:] if sku and x.sku == sku), None)


def _child_line(child: Listing) -> dict[str, Any]:
    """What the parent's edit shows of a child: its code (or MPN) and refinement values."""
    body = child.product
    codes = [
        f"{c['standard_product_code_type']} {c['standard_product_code']}"
        for c in body.get("standard_product_codes", [])
    ] + ([f"ASIN {body['ASIN']}"] if body.get("ASIN") else [])
    return {
        "sku": child.sku,
        "codes": codes,
        "mpn": body.get("mfr_part_number", ""),
        "refinements": {
            str(a["attribute_id"]): " ".join(
                [
                    a["attribute_value"],
                    *([a["attribute_value_unit"]] if "attribute_value_unit" in a else []),
                ]
            )
            for a in body.get("attributes_node_specific", [])
        },
    }


def save_child_data(settings: Settings, child: Listing, changes: dict[str, Any]) -> list[str]:
    """Validate ``changes`` for a variation child (its code, ASIN, MPN only: the rest is its
    parent's) and save them on the child's own JetProduct row; nothing else changes."""
    from jettui.store.jet_tables import JetProduct
    from jettui.store.text import utcnow

    shared = sorted(set(changes) - set(CHILD_KEYS))
    if shared:
        return [
            f"{key}: set it on the parent SKU {child.parent_sku} (its children share it)"
            for key in shared
        ]
    link = _link(child.product_id, child.option_value_id)
    overrides = dict(link.overrides or {}) if link else {}
    problems = _apply(settings, overrides, changes)
    if problems:
        return problems
    if link is None:
        other = JetProduct.get_or_none(JetProduct.merchant_sku == child.sku)
        if other is not None:
            return [f"SKU '{child.sku}' is already linked to product {other.product_id}"]
        JetProduct.create(
            product_id=child.product_id,
            product_option_value_id=child.option_value_id,
            merchant_sku=child.sku,
            parent_sku=child.parent_sku,
            overrides=overrides,
        )
    else:
        JetProduct.update(overrides=overrides, updated_at=utcnow()).where(
            JetProduct.id == link.id
        ).execute()
    return []


def save_jet_data(
    settings: Settings, product_id: int, changes: dict[str, Any], *, check_only: bool = False
) -> list[str]:
    """Validate ``changes`` (keys of :data:`EDITABLE`; None or "" clears an override) and save
    them into the product's overrides. Returns one line per problem; saves nothing if any.
    ``check_only``: every problem, nothing saved (a form that has problems of its own shows
    them all at once)."""
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
    problems += _check_node_data(settings, product_id, overrides, changes)
    sku = link.merchant_sku if link else merchant_sku(product)
    if not sku:
        problems.append("no SKU or model: Jet needs a merchant SKU")
    elif link is None:
        other = JetProduct.get_or_none(JetProduct.merchant_sku == sku)
        if other is not None:
            problems.append(f"SKU '{sku}' is already linked to product {other.product_id}")
    if problems or check_only:
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


def form_changes(
    settings: Settings,
    product_id: int,
    *,
    shipping: dict[str, str] | None = None,
    returns: dict[str, str] | None = None,
    attributes: list[str] | dict[int, dict[str, Any] | None] | None = None,
    options: list[str] | dict[str, int | None] | None = None,
    values: list[str] | dict[str, str | None] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Form fields (screen) or flags (CLI) → changes for :func:`save_jet_data`, and the
    problems found. ``shipping`` / ``returns``: text fields merged over the stored ones
    (:func:`exceptions.shipping_fields` / :func:`exceptions.returns_fields` keys; all "" =
    none). ``attributes``: ``NAME=VALUE`` texts or {attribute id: item or None}, merged over
    the stored ones. ``options``: ``OPTION=ATTRIBUTE`` texts or {option id: attribute id or
    None (automatic)}. Synchronous (store thread)."""
    link = _link(product_id)
    stored = dict(link.overrides or {}) if link else {}
    changes: dict[str, Any] = {}
    problems: list[str] = []
    if shipping is not None:
        fields = exceptions.shipping_fields(stored.get("shipping_exceptions")) | shipping
        item, found = exceptions.shipping_item(fields)
        problems += found
        rest = list(stored.get("shipping_exceptions") or [])[1:]
        changes["shipping_exceptions"] = ([item] if item else []) + rest or None
    if returns is not None:
        fields = exceptions.returns_fields(stored.get("returns_exceptions")) | returns
        body, found = exceptions.returns_body(
            fields["days"], fields["locations"], fields["methods"]
        )
        problems += found
        changes["returns_exceptions"] = body
    if attributes:
        node = node_attrs.node_attributes(node_attrs.product_node(product_id))
        picked: dict[int, dict[str, Any] | None] = {}
        if isinstance(attributes, dict):
            picked = dict(attributes)
        else:
            for text in attributes:
                parsed, found = node_attrs.parse_assignment(node, text)
                problems += found
                if parsed:
                    picked[parsed[0]] = parsed[1]
        merged = node_attrs.merge(list(stored.get("attributes") or []), picked)
        changes["attributes"] = merged or None
    if options:
        mapping: dict[str, Any] = dict(stored.get("option_attributes") or {})
        if isinstance(options, dict):
            mapping.update({str(k): v for k, v in options.items()})
        else:
            node = node_attrs.node_attributes(node_attrs.product_node(product_id))
            own = node_attrs.product_options(product_id, settings.store.language_id)
            for text in options:
                parsed_option, found = node_attrs.parse_option_map(own, node, text)
                problems += found
                if parsed_option:
                    mapping[parsed_option[0]] = parsed_option[1]
        changes["option_attributes"] = mapping
    if values:
        chosen: dict[str, Any] = dict(stored.get("option_values") or {})
        if isinstance(values, dict):
            chosen.update({str(k): v for k, v in values.items()})
        else:
            own_values = node_attrs.product_option_values(product_id, settings.store.language_id)
            for text in values:
                parsed_value, found = node_attrs.parse_option_value(own_values, text)
                problems += found
                if parsed_value:
                    chosen[parsed_value[0]] = parsed_value[1]
        changes["option_values"] = {k: v for k, v in chosen.items() if v} or None
    return changes, problems


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


def _store_values(settings: Settings, product_id: int) -> dict[str, str]:
    """What the store itself gives for the brand and codes (shown when not overridden), read
    through ``catalog.field_map`` as the upload reads them; keyed by the form's field names."""
    from jettui.services.catalog.field_map import store_values

    values = store_values(settings, product_id)
    shown = {
        "brand": values.get("brand", ""),
        "upc": values.get("upc", ""),
        "ean": values.get("ean", ""),
        "isbn": values.get("isbn", ""),
        "mpn": values.get("mfr_part_number", ""),
    }
    return {k: " ".join(v.split()) for k, v in shown.items() if v.strip()}


# --- validation -------------------------------------------------------------------------------


def _check_node_data(
    settings: Settings, product_id: int, overrides: dict[str, Any], changes: dict[str, Any]
) -> list[str]:
    """Attribute values against the node's cached attributes; the option → variant attribute
    map against the product's options (and written into ``overrides``)."""
    if "attributes" not in changes and "option_attributes" not in changes:
        return []
    attributes = node_attrs.node_attributes(node_attrs.product_node(product_id))
    problems: list[str] = []
    if "attributes" in changes and overrides.get("attributes"):
        problems += node_attrs.check_attributes(attributes, overrides["attributes"])
    if "option_attributes" in changes:
        mapping = changes["option_attributes"] or {}
        if not isinstance(mapping, dict):
            return [*problems, "option_attributes: an object {option id: Jet attribute id}"]
        mapping = {str(k): v for k, v in mapping.items() if v not in (None, "", node_attrs.AUTO)}
        options = node_attrs.product_options(product_id, settings.store.language_id)
        problems += node_attrs.check_option_map(options, attributes, mapping)
        if mapping:
            overrides["option_attributes"] = mapping
        else:
            overrides.pop("option_attributes", None)
    return problems


def _link(product_id: int, slot: int = 0) -> Any:
    """The JetProduct row of the product (slot 0) or of one of its variation children."""
    from jettui.store.jet_tables import JetProduct

    return JetProduct.get_or_none(
        (JetProduct.product_id == product_id) & (JetProduct.product_option_value_id == slot)
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
    if "option_values" in changes:
        problems += _set(overrides, "option_values", changes["option_values"], _check_values)
    return problems


def _check_values(value: Any) -> list[str]:
    """Option value id → a refinement value (checked against the attribute by the upload)."""
    if not isinstance(value, dict) or not all(
        str(k).isdigit() and isinstance(v, str) and 0 < len(v) <= 500 for k, v in value.items()
    ):
        return ["option_values: an object {option value id: Jet value}"]
    return []


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
