"""Fixtures for the catalog tests: a settings file in tmp_path over a small SQLite demo store,
the embedded sandbox with its state in a file (review delay 0), and every category mapped to a
Jet node by inserting JetCategory rows directly (the category mapping is other work)."""

from __future__ import annotations

from typing import Any

import pytest

from jettui.config import Settings
from jettui.services.catalog.actions import bulk_files
from tests.service_support import MakeSettings, settings_maker

SECRET = "jetsecret-catalog-7731"
NODE = "node-1"
JET_NODE = 4000188  # a node of the sandbox taxonomy
VARIANT_ATTRIBUTE = (
    14  # the sandbox node's Capacity, cached as "Bed Size" below (the demo option's name)
)
DEMO_PRODUCTS = 16


def settings_yaml(
    database: str = "sqlite:///demo-store.db", pricing: str = "", store: str = ""
) -> str:
    return f"""\
jet:
  api_url: sandbox
  api_user: jetuser
  api_secret: {SECRET}
  fulfillment_node_id: {NODE}
  max_retries: 0
  concurrency: 4
store:
  database: {database}
{store}{pricing}sandbox:
  state_file: sandbox-state.db
  review_delay_seconds: 0
  order_every_seconds: 0
"""


@pytest.fixture(autouse=True)
def fast_polling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk_files, "POLL_INTERVAL", 0.01)


@pytest.fixture
def make_settings(settings_from_yaml: Any) -> MakeSettings:
    """``make(database, **options)`` → Settings over a small SQLite demo store."""
    return settings_maker(settings_from_yaml, settings_yaml, demo_products=DEMO_PRODUCTS, seed=5)


@pytest.fixture
def settings(make_settings: MakeSettings) -> Settings:
    return make_settings()


def map_all_categories(variant: bool = True) -> None:
    """Every category → JET_NODE, whose cached taxonomy entry has variant attributes named
    "Bed Size" (the jettui demo's option) and "Select" (OpenCart's demo option), or none."""
    from jettui.store.jet_tables import JetCategory, JetTaxonomyNode
    from jettui.store.opencart import Category

    attributes = [
        {"attribute_id": 50, "variant": False},
        # named like the demo's Size-like option, so the option maps to it by name
        {
            "attribute_id": VARIANT_ATTRIBUTE,
            "attribute_description": "Bed Size",
            "variant": variant,
        },
        # OpenCart's own demo names its Canon option "Select" (Red, Blue): refined by the
        # sandbox node's Color (1), whose values they are
        {"attribute_id": 1, "attribute_description": "Select", "variant": variant},
    ]
    JetTaxonomyNode.create(
        jet_node_id=JET_NODE, name="Test node", is_leaf=True, attributes=attributes
    )
    for category in Category.select():
        JetCategory.create(
            category_id=category.category_id,
            jet_node_id=JET_NODE,
            attributes=[50, VARIANT_ATTRIBUTE],
        )


def jet_products() -> dict[str, Any]:
    from jettui.store.jet_tables import JetProduct

    return {p.merchant_sku: p for p in JetProduct.select()}
