"""Products: every product (or those of mapped categories) with its Jet status; bulk actions."""

from __future__ import annotations

from textual.binding import Binding

from jettui.services.listing import PageSource, ProductSource
from jettui.tui.screens.base import GridPanel, later

_ALL_OR_SKUS = "(--all | SKU...)"


class ProductsScreen(GridPanel):
    PANEL_ID = "products"
    EMPTY_TEXT = "No products in the store yet — build the demo store with `jettui demo`."
    BINDINGS = [
        *(
            later(key, what, description, f"products.{cmd}",
                  headless=f"jettui products {cmd} {_ALL_OR_SKUS}", show=key == "u")
            for key, cmd, what, description in (
                ("u", "upload", "Upload", "Upload"),
                ("t", "status", "Fetch Jet status", "Fetch status"),
                ("y", "sync", "Sync price and inventory", "Sync price & inventory"),
                ("x", "archive", "Archive", "Archive"),
                ("o", "unarchive", "Unarchive", "Unarchive"),
            )
        ),
        later("e", "Editing Jet data", "Edit Jet data", "products.edit"),
        Binding("m", "toggle_mapped", "Mapped only / all", show=False, id="products.mapped-only"),
    ]  # fmt: skip
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
