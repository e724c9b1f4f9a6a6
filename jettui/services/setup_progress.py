"""What the getting-started path asks of the store: which of its steps are done (store thread).

The first two steps are the extension manual's: the configuration settings (Jet's credentials,
the fulfillment node, the order e-mail and the return address, saved in the settings file),
then the API activation (Jet's test calls, every step done), before any product is mapped."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jettui.config import JetSettings, Settings
from jettui.services.orders.panels import any_order
from jettui.store.jet_tables import JetCategory, JetProduct, JetTaxonomyNode

# The settings the manual's configuration step asks for (dotted path → the value's getter).
CONFIGURED = {
    "jet.api_user": lambda s: s.jet.api_user,
    "jet.api_secret": lambda s: s.jet.api_secret,
    "jet.fulfillment_node_id": lambda s: s.jet.fulfillment_node_id,
    "orders.customer_email": lambda s: s.orders.customer_email,
    "returns.address1": lambda s: s.returns.address1,
    "returns.city": lambda s: s.returns.city,
    "returns.state": lambda s: s.returns.state,
    "returns.postcode": lambda s: s.returns.postcode,
}


@dataclass(frozen=True)
class SetupProgress:
    configured: bool  # the settings file is saved with the configuration the manual asks for
    activated: bool  # every API activation step (product, order, return) is done
    taxonomy: bool  # the Jet taxonomy was refreshed
    categories: bool  # a category is mapped to a Jet node
    uploaded: bool  # a product was sent to Jet
    orders: bool  # a Jet order was fetched


def missing_settings(settings: Settings) -> list[str]:
    """The configuration settings still empty (dotted names), in the manual's order. Against a
    real Jet, the demo's credentials count as missing: Jet gives each partner its own."""
    missing = [name for name, value in CONFIGURED.items() if not str(value(settings) or "").strip()]
    demo = JetSettings()
    jet = settings.jet
    if not jet.is_sandbox and jet.api_user == demo.api_user and jet.api_secret == demo.api_secret:
        missing += ["jet.api_user", "jet.api_secret"]
    return list(dict.fromkeys(missing))


def configured(settings: Settings | None) -> bool:
    if settings is None:
        return False
    saved = settings.path is not None and settings.path.is_file()
    return saved and not missing_settings(settings)


def activated() -> bool:
    from jettui.services.activation import activation_status

    return all(state.last_ok is not None for state in activation_status().values())


def setup_progress(db: Any, settings: Settings | None = None) -> SetupProgress:
    uploaded = JetProduct.select().where(JetProduct.sent_at.is_null(False))
    return SetupProgress(
        configured=configured(settings),
        activated=activated(),
        taxonomy=bool(JetTaxonomyNode.select().exists(db)),
        categories=bool(JetCategory.select().exists(db)),
        uploaded=bool(uploaded.exists(db)),
        orders=any_order(db),
    )
