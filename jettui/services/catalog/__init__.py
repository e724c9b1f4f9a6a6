"""Catalog: Jet payloads from OpenCart products, checks, and the bulk product actions."""

from jettui.services.catalog.actions import (
    ACTIONS,
    ActionReport,
    ItemResult,
    resolve_products,
    run_action,
)
from jettui.services.catalog.payload import (
    Listing,
    ProductCheck,
    UnknownSku,
    price_with_increment,
    validate_products,
)

__all__ = [
    "ACTIONS",
    "ActionReport",
    "ItemResult",
    "Listing",
    "ProductCheck",
    "UnknownSku",
    "price_with_increment",
    "resolve_products",
    "run_action",
    "validate_products",
]
