"""Catalog: Jet payloads from OpenCart products, checks, and the bulk product actions."""

from jettui.services.catalog.actions import (
    ACTIONS,
    ActionReport,
    ItemResult,
    children_named,
    resolve_products,
    run_action,
)
from jettui.services.catalog.edit import (
    EDITABLE,
    child_listing,
    fetch_jet_view,
    form_changes,
    get_jet_data,
    save_child_data,
    save_jet_data,
    view_lines,
)
from jettui.services.catalog.payload import (
    Listing,
    ProductCheck,
    UnknownSku,
    disabled_mapped_count,
    price_with_increment,
    validate_products,
)
from jettui.services.catalog.preview import preview_lines, previews, price_text

__all__ = [
    "ACTIONS",
    "ActionReport",
    "EDITABLE",
    "ItemResult",
    "Listing",
    "ProductCheck",
    "child_listing",
    "children_named",
    "UnknownSku",
    "disabled_mapped_count",
    "fetch_jet_view",
    "form_changes",
    "get_jet_data",
    "preview_lines",
    "previews",
    "price_text",
    "price_with_increment",
    "resolve_products",
    "run_action",
    "save_child_data",
    "save_jet_data",
    "validate_products",
    "view_lines",
]
