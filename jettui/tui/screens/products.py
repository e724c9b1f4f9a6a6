"""Products: every product (or those of mapped categories) with its Jet status; bulk actions."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding

from jettui.services.listing import PageSource, ProductSource
from jettui.tui.screens.base import GridPanel

_LATER = "not_available('{what}', 'jettui products {cmd} (--all | SKU...)')"


class ProductsScreen(GridPanel):
    PANEL_ID = "products"
    EMPTY_TEXT = "No products in the store yet — build the demo store with `jettui demo`."
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("u", _LATER.format(what="Upload", cmd="upload"), "Upload", id="products.upload"),
        Binding(
            "t",
            _LATER.format(what="Fetch Jet status", cmd="status"),
            "Fetch status",
            show=False,
            id="products.status",
        ),
        Binding(
            "y",
            _LATER.format(what="Sync price and inventory", cmd="sync"),
            "Sync price & inventory",
            show=False,
            id="products.sync",
        ),
        Binding(
            "x",
            _LATER.format(what="Archive", cmd="archive"),
            "Archive",
            show=False,
            id="products.archive",
        ),
        Binding(
            "o",
            _LATER.format(what="Unarchive", cmd="unarchive"),
            "Unarchive",
            show=False,
            id="products.unarchive",
        ),
        Binding(
            "e",
            "not_available('Editing Jet data')",
            "Edit Jet data",
            show=False,
            id="products.edit",
        ),
        Binding("m", "toggle_mapped", "Mapped only / all", show=False, id="products.mapped-only"),
    ]

    DETAIL_TITLE_KEY = "name"
    HELP_NOTES = (
        "Jet status (the grid's label: Jet's words, shown in full by enter)",
        (
            ("Available", "Available for Purchase: live on Jet"),
            ("In review", "Under Jet Review: sent, Jet has not decided yet"),
            ("Missing data", "Missing Listing Data: Jet needs more (brand, code, image...)"),
            ("Archived", "Archived: not for sale until unarchived"),
            ("Unauthorized", "Unauthorized: the brand is restricted on Jet"),
            ("Excluded", "Excluded: Jet's policy excludes the product"),
            ("Not sent", "never uploaded to Jet"),
        ),
    )

    mapped_only = False

    def make_source(self, db: object) -> PageSource:
        store = self.app.settings.store
        return ProductSource(db, store.language_id, store.store_id, mapped_only=self.mapped_only)

    def action_toggle_mapped(self) -> None:
        self.mapped_only = not self.mapped_only
        which = "products of mapped categories" if self.mapped_only else "all products"
        self.notify(f"Showing {which}", title=self.title)
        self.load()
