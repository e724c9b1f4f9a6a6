"""Categories: OpenCart categories with the Jet node each is mapped to.

m maps the selected categories (or the one under the cursor) to a Jet node picked from the
local taxonomy cache; c creates a category named after a picked node (under the category
under the cursor, or at the top level) and maps it; x unmaps; b browses the cached taxonomy
(enter shows a node and its attributes); T refreshes the taxonomy cache from Jet. Store work
runs on threads awaited by async workers (``asyncio.to_thread``): the event loop never waits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from jettui.errors import LockBusy
from jettui.services.categories import (
    CategoryError,
    MapResult,
    TaxonomyNode,
    create_category_and_map,
    get_node,
    map_categories,
    refresh_taxonomy,
    unmap_categories,
)
from jettui.services.listing import CategorySource, Column, PageSource
from jettui.tui.screens.base import GridPanel, GridTable, _brief
from jettui.tui.screens.detail import RowDetailScreen
from jettui.tui.screens.taxonomy import TaxonomyPicker
from jettui.tui.widgets.bulk_table import int_id

if TYPE_CHECKING:
    import peewee as pw
    from textual.notifications import SeverityLevel


class CategoriesScreen(GridPanel):
    PANEL_ID = "categories"
    DETAIL_TITLE_KEY = "path"
    EMPTY_TEXT = "No OpenCart categories yet — build the demo store with `jettui demo`."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "map", "Map to Jet", id="categories.map"),
        Binding("c", "create", "Create and map", show=False, id="categories.create"),
        Binding("x", "unmap", "Unmap", show=False, id="categories.unmap"),
        Binding("b", "browse", "Browse Jet taxonomy", show=False, id="categories.browse"),
        Binding(
            "T", "refresh_taxonomy", "Refresh Jet taxonomy", show=False, id="categories.taxonomy"
        ),
    ]

    _refreshing = False

    def compose_top(self) -> ComposeResult:
        status = Static("", id="categories-status", markup=False)
        status.display = False
        yield status

    def make_source(self, db: pw.Database) -> PageSource:
        store = self.app.settings.store
        return CategorySource(db, store.language_id, store.store_id)

    # --- helpers ------------------------------------------------------------------------------

    def _cursor_id(self) -> int | None:
        tables = self.query(GridTable)
        cursor = tables.first().cursor_id if tables else None
        return int_id(cursor) if cursor is not None else None

    def _cursor_path(self) -> str:
        """The category under the cursor by its path ("Books > Fiction"), not its id."""
        tables = self.query(GridTable)
        cells = tables.first().cursor_cells if tables else ()
        keys = [column.key for column in CategorySource.columns]
        return cells[keys.index("path")] if len(cells) > keys.index("path") else "the category"

    def _targets(self) -> list[int]:
        """The selected categories, or the one under the cursor when none is."""
        ids = sorted(int_id(i) for i in self.selected_ids)
        if ids:
            return ids
        cursor = self._cursor_id()
        return [cursor] if cursor is not None else []

    def _status(self, text: str) -> None:
        status = self.query_one("#categories-status", Static)
        status.update(text)
        status.display = bool(text)

    def _tell(self, text: str, severity: SeverityLevel = "information") -> None:
        self.notify(self.app.redact(text), title=self.panel_title, severity=severity, markup=False)

    # --- actions ------------------------------------------------------------------------------

    def action_map(self) -> None:
        ids = self._targets()
        if not ids:
            self._tell("No category to map.", "warning")
            return
        noun = "category" if len(ids) == 1 else "categories"

        def picked(node_id: int | None) -> None:
            if node_id is not None:
                self._store_action(lambda db: map_categories(db, ids, node_id))

        self.app.push_screen(TaxonomyPicker(f"Map {len(ids)} {noun} to"), picked)

    def action_create(self) -> None:
        parent_id = self._cursor_id() or 0  # under the cursor, or top level
        settings = self.app.settings

        def picked(node_id: int | None) -> None:
            if node_id is not None:
                self._store_action(
                    lambda db: create_category_and_map(db, settings, node_id, parent_id)
                )

        where = f"under {self._cursor_path()}" if parent_id else "at the top level"
        self.app.push_screen(TaxonomyPicker(f"Create a category {where} and map it to"), picked)

    def action_unmap(self) -> None:
        ids = self._targets()
        if not ids:
            self._tell("No category to unmap.", "warning")
            return
        self._store_action(lambda db: unmap_categories(db, ids))

    def action_browse(self) -> None:
        def picked(node_id: int | None) -> None:
            if node_id is not None:
                self._show_node(node_id)

        self.app.push_screen(TaxonomyPicker("Jet taxonomy (enter shows a node)"), picked)

    @work(group="categories-node", exit_on_error=False)
    async def _show_node(self, node_id: int) -> None:
        try:
            db = await asyncio.to_thread(self.app.database)
            node = await asyncio.to_thread(get_node, db, node_id)
        except Exception as exc:  # store failure: one line, never a traceback
            self._tell(f"Cannot read the store: {_brief(exc)}", "error")
            return
        if node is not None:
            self.app.push_screen(_node_detail(node))

    @work(group="categories-action", exit_on_error=False)
    async def _store_action(self, fn: Callable[[Any], MapResult]) -> None:
        try:
            db = await asyncio.to_thread(self.app.database)
            result = await asyncio.to_thread(fn, db)
        except CategoryError as exc:
            self._tell(f"Nothing changed: {exc}", "warning")
            return
        except Exception as exc:  # store failure: one line, never a traceback
            self._tell(f"Not done: {_brief(exc)}", "error")
            return
        self._done(result.message)

    def _done(self, message: str) -> None:
        for table in self.query(GridTable):
            table.clear_selection()
        self._tell(message[:1].upper() + message[1:] + ".")
        self.load()

    @work(group="categories-taxonomy", exit_on_error=False)
    async def action_refresh_taxonomy(self) -> None:
        if self._refreshing:
            self._tell("The Jet taxonomy is already being refreshed.", "warning")
            return
        self._refreshing = True
        self._status("Jet taxonomy: connecting to Jet…")

        def progress(done: int, total: int, message: str) -> None:
            self._status(f"Jet taxonomy: {message}")  # e.g. "fetched 120 of 335"

        try:
            db = await asyncio.to_thread(self.app.database)
            result = await refresh_taxonomy(self.app.settings, db, progress=progress)
        except LockBusy as exc:
            self._tell(f"Nothing done: {exc}.", "warning")
        except Exception as exc:  # Jet or the store unreachable: one line
            self._tell(f"Taxonomy not refreshed: {_brief(exc)}", "error")
        else:
            line = result.line[:1].upper() + result.line[1:]
            self._tell(line + ".", "information" if result.ok else "warning")
        finally:
            self._refreshing = False
            self._status("")
            self.load()


def _node_detail(node: TaxonomyNode) -> RowDetailScreen:
    """A cached node in full: its path, place in the tree and Jet attributes (one a line, with
    their allowed values and units)."""
    from jettui.services.catalog.attributes import describe_all

    # "1 Color (variant): Black, White, …" / "14 Capacity (variant): a number in qt / cups / l"
    attributes = describe_all(node.attributes)
    rows = {
        "Jet node": str(node.node_id),
        "Jet category": node.path,
        "Parent node": str(node.parent_id or "—"),
        "Level": str(node.level),
        "Leaf": "yes" if node.is_leaf else "no",
        "Active": "yes" if node.active else "no",
        "Attributes": "\n".join(attributes) or "none",
    }
    columns = [Column(key, key) for key in rows]
    return RowDetailScreen(f"Jet taxonomy: {node.name}", columns, list(rows.values()))
