"""What a dry-run upload would send, per SKU: the facts a merchant checks (title, brand, code,
price and where it came from, inventory, weight, images, node, children) and the exact bodies.
Shared by ``products upload --dry-run`` and the dashboard's upload confirm."""

from __future__ import annotations

from typing import Any

from jettui.services.catalog.payload import ProductCheck

IMAGES_SHOWN = 1  # the main image in full; alternates counted


def previews(checks: list[ProductCheck]) -> dict[str, dict[str, Any]]:
    """SKU → preview of every SKU the checks would send (a parent carries its Variation)."""
    out: dict[str, dict[str, Any]] = {}
    for check in checks:
        if not check.ok:
            continue
        for listing in check.listings:
            preview = listing.preview()
            preview["sources"] = dict(check.sources)  # catalog.field_map, non-default only
            if listing.sku == check.sku and len(check.listings) > 1:
                preview["children"] = [x.sku for x in check.listings[1:]]
                if check.variation is not None:
                    preview["bodies"]["Variation"] = check.variation
            out[listing.sku] = preview
    return out


def price_text(preview: dict[str, Any]) -> str:
    """``90.00 (special 80.00, increment +10)``; option deltas shown for children, and the
    conversion to dollars of a shop whose default currency is not USD: ``110.00 (price 80.00,
    GBP × 1.25 = USD 100.00, increment +10)``."""
    pricing = preview.get("pricing") or {}
    parts = [f"{pricing.get('source', 'price')} {pricing.get('store_price', '?')}"]
    if pricing.get("options"):
        parts.append(f"options {pricing['options']}")
    if pricing.get("currency"):  # the shop's default currency converted to dollars
        parts.append(pricing["currency"])
    if pricing.get("increment") not in (None, "+0", "+0%"):
        parts.append(f"increment {pricing['increment']}")
    return f"{preview['price']:.2f} ({', '.join(parts)})"


def preview_lines(preview: dict[str, Any]) -> list[str]:
    """A few indented lines for one SKU (the dry run's text output and the TUI confirm)."""
    codes = ", ".join(preview["codes"]) or "none"
    weight = f"{preview['weight_lb']} lb" if preview.get("weight_lb") else "none"
    images = preview["images"]
    if images:
        shown = images[0] + (f" (+{len(images) - 1} alternate)" if len(images) > 1 else "")
    else:
        shown = "none"
    sources = dict(preview.get("sources") or {})
    lines = [
        f"  title: {preview['title']}{_source(sources.pop('title', ''))}",
        f"  brand: {preview['brand'] or 'none'}{_source(sources.pop('brand', ''))} | code: {codes}",
        f"  price: {price_text(preview)} | inventory: {preview['inventory']} | weight: {weight}",
        f"  images: {shown}",
        f"  node: {preview['node']}",
    ]
    if preview.get("parent_sku"):
        lines[-1] += f" | child of {preview['parent_sku']}"
    if sources:  # the other fields a non-default catalog.field_map source fed
        lines.append("  mapped: " + ", ".join(f"{k} from {v}" for k, v in sources.items()))
    if preview.get("children"):
        lines.append(f"  children ({len(preview['children'])}): {', '.join(preview['children'])}")
    return lines


def _source(source: str) -> str:
    return f" (from {source})" if source else ""
