"""What the getting-started path asks of the store: which of its steps are done (store thread)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jettui.services.orders.panels import any_order
from jettui.store.jet_tables import JetCategory, JetProduct, JetTaxonomyNode


@dataclass(frozen=True)
class SetupProgress:
    taxonomy: bool  # the Jet taxonomy was refreshed
    categories: bool  # a category is mapped to a Jet node
    uploaded: bool  # a product was sent to Jet
    orders: bool  # a Jet order was fetched


def setup_progress(db: Any) -> SetupProgress:
    uploaded = JetProduct.select().where(JetProduct.sent_at.is_null(False))
    return SetupProgress(
        taxonomy=bool(JetTaxonomyNode.select().exists(db)),
        categories=bool(JetCategory.select().exists(db)),
        uploaded=bool(uploaded.exists(db)),
        orders=any_order(db),
    )
