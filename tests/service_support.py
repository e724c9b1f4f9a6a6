"""Shared by the service test folders (activation, jobs, categories, catalog, ops): their
``make_settings`` over their own settings text, one settings section's default lines with a
test's own, and the events jettui logged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jettui.config import Settings


def override(defaults: str, overrides: str) -> str:
    """The ``defaults`` lines of one section, then ``overrides``, without the default lines
    of the keys it sets (a settings file refuses a key given twice)."""
    keys = {line.split(":")[0] for line in overrides.splitlines() if line.strip()}
    kept = [line for line in defaults.splitlines(keepends=True) if line.split(":")[0] not in keys]
    return "".join(kept) + overrides


def events(kind: str | None = None) -> list[Any]:
    """jettui's event log (JetEvent rows) in the order written; only ``kind`` when given."""
    from jettui.store.jet_tables import JetEvent

    query = JetEvent.select().order_by(JetEvent.id)
    if kind:
        query = query.where(JetEvent.kind == kind)
    return list(query)


MakeSettings = Callable[..., Settings]


def settings_maker(
    settings_from_yaml: Callable[..., Settings],
    settings_yaml: Callable[..., str],
    *,
    demo_products: int = 5,
    seed: int = 3,
) -> MakeSettings:
    """A folder's ``make_settings``: ``make(**options)`` → Settings read from
    ``settings_yaml(**options)`` (the root conftest's ``settings_from_yaml``: a SQLite store is
    built as a demo store of ``demo_products`` on first use)."""

    def make(**options: Any) -> Settings:
        text = settings_yaml(**options)
        return settings_from_yaml(text, demo_products=demo_products, seed=seed)

    return make
