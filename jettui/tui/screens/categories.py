"""Categories: OpenCart categories with the Jet node each is mapped to."""

from __future__ import annotations

from jettui.services.listing import CategorySource, PageSource
from jettui.tui.screens.base import GridPanel, later


class CategoriesScreen(GridPanel):
    PANEL_ID = "categories"
    DETAIL_TITLE_KEY = "path"
    EMPTY_TEXT = "No OpenCart categories yet — build the demo store with `jettui demo`."
    BINDINGS = [
        later("m", "Mapping categories to a Jet node", "Map to Jet", "categories.map", show=True),
        later("c", "Create category and map", "Create and map", "categories.create"),
        later("b", "Browsing the Jet taxonomy", "Browse Jet taxonomy", "categories.taxonomy"),
    ]

    def make_source(self, db: object) -> PageSource:
        store = self.app.settings.store
        return CategorySource(db, store.language_id, store.store_id)
