"""Categories: OpenCart categories with the Jet node each is mapped to."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding

from jettui.services.listing import CategorySource, PageSource
from jettui.tui.screens.base import GridPanel


class CategoriesScreen(GridPanel):
    PANEL_ID = "categories"
    DETAIL_TITLE_KEY = "path"
    EMPTY_TEXT = "No OpenCart categories yet — build the demo store with `jettui demo`."
    BINDINGS: ClassVar[list[Binding]] = [
        Binding(
            "m",
            "not_available('Mapping categories to a Jet node')",
            "Map to Jet",
            id="categories.map",
        ),
        Binding(
            "c",
            "not_available('Create category and map')",
            "Create and map",
            show=False,
            id="categories.create",
        ),
        Binding(
            "b",
            "not_available('Browsing the Jet taxonomy')",
            "Browse Jet taxonomy",
            show=False,
            id="categories.taxonomy",
        ),
    ]

    def make_source(self, db: object) -> PageSource:
        store = self.app.settings.store
        return CategorySource(db, store.language_id, store.store_id)
