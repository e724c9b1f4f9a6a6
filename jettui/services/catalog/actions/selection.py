"""Which products and SKUs an action acts on: ``--all``, SKUs, or only some variation children."""

from __future__ import annotations

from collections.abc import Iterable

from jettui.config import Settings
from jettui.services.catalog.payload import (
    mapped_product_ids,
    merchant_sku,
    product_ids_for_skus,
    validate_products,
)
from jettui.store.opencart import Product


def children_named(
    settings: Settings, skus: Iterable[str], product_ids: list[int]
) -> dict[int, list[str]]:
    """Product id → the variation child SKUs named among ``skus``, for the products whose own
    SKU is not named too (a named parent means its whole family): ``run_action(only_skus=)``.
    Store thread."""

    wanted = set(skus)
    own = {
        row.product_id: merchant_sku(row)
        for row in Product.select(Product.product_id, Product.sku, Product.model).where(
            Product.product_id.in_(product_ids)
        )
    }
    only: dict[int, list[str]] = {}
    for product_id in product_ids:
        if own.get(product_id) in wanted:
            continue
        named = [x.sku for x in validate_products(settings, [product_id])[0].listings[1:]]
        chosen = [sku for sku in named if sku in wanted]
        if chosen:
            only[product_id] = chosen
    return only


def resolve_products(
    settings: Settings,
    *,
    skus: Iterable[str] = (),
    all_mapped: bool = False,
    include_disabled: bool = False,
) -> list[int]:
    """Product ids for ``--all`` (disabled products only with ``include_disabled``) or SKUs
    (store thread). Raises payload.UnknownSku."""
    if all_mapped:
        return mapped_product_ids(settings, include_disabled=include_disabled)
    return product_ids_for_skus(skus)
