"""Products: every product (or those of mapped categories) with its Jet status; bulk actions."""

from __future__ import annotations

import asyncio
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from jettui.services.listing import (
    Column,
    ExpandableSource,
    PageSource,
    ProductSource,
    product_child_rows,
    variation_children,
)
from jettui.tui.screens.base import GridPanel, GridTable, _brief
from jettui.tui.screens.bulk_action import SKUS_NAMED, BulkActionModal, Targets
from jettui.tui.screens.detail import RowDetailScreen
from jettui.tui.screens.getting_started import Step, guide, setup_steps
from jettui.tui.widgets.bulk_table import BulkTable, int_id

if TYPE_CHECKING:
    import peewee as pw


def product_of(row_id: Hashable) -> int:
    """The product of a grid row: a product's own id, or a variation child's
    ``(product id, SKU)``."""
    return int_id(row_id[0] if isinstance(row_id, tuple) else row_id)


def product_skus(db: pw.Database, ids: list[int]) -> dict[int, str]:
    """product id → merchant SKU (its SKU, else its model), as the upload names it."""
    from jettui.services.catalog.payload import merchant_sku
    from jettui.store.opencart import Product

    rows = Product.select(Product.product_id, Product.sku, Product.model).where(
        Product.product_id.in_(ids)
    )
    return {row.product_id: merchant_sku(row) for row in rows.execute(db)}


class ProductsScreen(GridPanel):
    PANEL_ID = "products"
    EMPTY_TEXT = "No products in the store yet — build the demo store with `jettui demo`."
    BINDINGS = [
        *(
            Binding(key, f"bulk('{cmd}')", description, show=key == "u", id=f"products.{cmd}")
            for key, cmd, description in (
                ("u", "upload", "Upload"),
                ("t", "status", "Fetch status"),
                ("y", "sync", "Sync price & inventory"),
                ("x", "archive", "Archive"),
                ("o", "unarchive", "Unarchive"),
            )
        ),
        Binding("e", "edit", "Edit Jet data", show=False, id="products.edit"),
        Binding("m", "toggle_mapped", "Mapped only / all", show=False, id="products.mapped-only"),
        Binding("v", "variations", "Variations", show=False, id="products.variations"),
    ]
    DETAIL_TITLE_KEY = "name"
    HELP_NOTES = (
        "What the grid lists, and its Jet status labels (enter shows Jet's words in full)",
        (
            ("Lists", "every product of the store; m: only those of mapped categories"),
            ("v", "opens a product's variation children under it (└ options · code), or closes"),
            ("Available", "Available for Purchase: live on Jet"),
            ("In review", "Under Jet Review: sent, Jet has not decided yet"),
            ("Missing data", "Missing Listing Data: Jet needs more (brand, code, image...)"),
            ("Archived", "Archived: not for sale until unarchived"),
            ("Unauthorized", "Unauthorized: the brand is restricted on Jet"),
            ("Excluded", "Excluded: Jet's policy excludes the product"),
            ("Uploaded", "sent to Jet; t fetches the status Jet gave it"),
            ("Not on Jet", "Jet does not know the SKU (a status fetch said so)"),
            ("Not sent", "never uploaded to Jet"),
        ),
    )

    @property
    def mapped_only(self) -> bool:
        """Remembered by the app: the switch survives leaving and re-opening the panel."""
        return bool(getattr(self.app, "products_mapped_only", False))

    def compose_top(self) -> ComposeResult:
        path = Static("", id="getting-started")
        path.display = False
        yield path

    async def load_top(self) -> None:
        self._show_steps(await asyncio.to_thread(self._read_steps))

    def _read_steps(self) -> list[Step]:
        return setup_steps(self.app.database(), self.app.settings)

    def make_source(self, db: pw.Database) -> PageSource:
        store = self.app.settings.store
        base = ProductSource(db, store.language_id, store.store_id, mapped_only=self.mapped_only)
        return ExpandableSource(base)

    def came_back(self) -> None:
        """Back on the panel: the checklist shows what other panels did meanwhile (a fetch)."""
        self._reread_steps()

    @work(exclusive=True, group="products-steps", exit_on_error=False)
    async def _reread_steps(self) -> None:
        try:
            steps = await asyncio.to_thread(self._read_steps)
        except Exception:  # noqa: BLE001 - the grid's load says why the store is unreadable
            return
        self._show_steps(steps)

    def _show_steps(self, steps: list[Step]) -> None:
        path = self.query_one("#getting-started", Static)
        path.display = not all(step.done for step in steps)
        path.update(guide(steps))

    def show_source(self, source: PageSource, count: int) -> None:
        super().show_source(source, count)
        for table in self.query(GridTable):
            table.note = "mapped categories only (m: all)" if self.mapped_only else ""

    def action_toggle_mapped(self) -> None:
        self.app.products_mapped_only = not self.mapped_only
        which = "products of mapped categories" if self.mapped_only else "all products"
        self.notify(f"Showing {which}", title=self.panel_title)
        self.load()

    def action_variations(self) -> None:
        """Open the product under the cursor to its variation children, or close it."""
        tables = self.query(GridTable)
        table = tables.first() if tables else None
        source = table.source if table is not None else None
        if table is None or table.cursor_id is None or not isinstance(source, ExpandableSource):
            self.notify("No product to open.", title=self.panel_title, severity="warning")
            return
        product_id = product_of(table.cursor_id)
        if source.is_open(product_id):
            source.close(product_id)
            table.reload()
            return
        base_index, child = source.place(table.cursor_row)
        if child is not None:  # on a child row: close its parent
            source.close(product_id)
            table.reload()
            return
        self._open_variations(table, source, product_id, base_index)

    @work(exclusive=True, group="products-variations", exit_on_error=False)
    async def _open_variations(
        self, table: GridTable, source: ExpandableSource, product_id: int, base_index: int
    ) -> None:
        try:
            rows = await asyncio.to_thread(self._child_rows, product_id)
        except Exception as exc:  # the store failed: one line
            self._store_failed(exc)
            return
        self._show_variations(table, source, product_id, base_index, rows)

    def _child_rows(self, product_id: int) -> list:
        """The variation children's rows of one product (store read: in a thread)."""
        return product_child_rows(self.app.settings, self.app.database(), product_id)

    def _store_failed(self, exc: Exception) -> None:
        self.notify(self.app.redact(_brief(exc)), title=self.panel_title, severity="error")

    def _show_variations(
        self,
        table: GridTable,
        source: ExpandableSource,
        product_id: int,
        base_index: int,
        rows: list,
    ) -> None:
        if not rows:
            self.notify("No variation children.", title=self.panel_title)
            return
        source.open(base_index, product_id, rows)
        table.reload()

    def _reload_grid(self) -> None:
        """Re-query the grid, the opened products' children read again (codes, statuses),
        and the getting-started path (an upload ticks its step)."""
        self._reread_steps()
        for table in self.query(GridTable):
            source = table.source
            if isinstance(source, ExpandableSource) and source.opened():
                self._reopen(table, source)
            else:
                table.reload()

    @work(exclusive=True, group="products-steps", exit_on_error=False)
    async def _refresh_steps(self) -> None:
        settings = self.app.settings
        try:
            steps = await asyncio.to_thread(lambda: setup_steps(self.app.database(), settings))
        except Exception:  # noqa: BLE001 - the grid's own reload says when the store is gone
            return
        self._show_steps(steps)

    @work(exclusive=True, group="products-variations", exit_on_error=False)
    async def _reopen(self, table: GridTable, source: ExpandableSource) -> None:
        fresh = []
        try:
            for base_index, row_id in source.opened():
                product_id = product_of(row_id)
                rows = await asyncio.to_thread(self._child_rows, product_id)
                fresh.append((base_index, product_id, rows))
        except Exception as exc:  # the store failed: one line, the rows as they were
            self._store_failed(exc)
        self._reopened(table, source, fresh)

    def _reopened(self, table: GridTable, source: ExpandableSource, fresh: list) -> None:
        for base_index, product_id, rows in fresh:
            source.close(product_id)
            source.open(base_index, product_id, rows)
        table.reload()

    def action_edit(self) -> None:
        """Edit the Jet data of the product (or variation child) under the cursor."""
        from jettui.tui.screens.product_edit import ProductEditScreen

        tables = self.query(GridTable)
        cursor = tables.first().cursor_id if tables else None
        if cursor is None:
            self.notify("No product to edit.", title=self.panel_title, severity="warning")
            return

        def closed(saved: bool | None) -> None:
            if saved:
                self._reload_grid()

        child = cursor[1] if isinstance(cursor, tuple) else None
        self.app.push_screen(ProductEditScreen(product_of(cursor), child_sku=child), closed)

    def open_detail(self, title: str, event: BulkTable.RowActivated) -> None:
        """The row in full, then each variation child with its own SKU and Jet status."""
        self._open_detail(title, event)

    @work(exclusive=True, group="products-detail", exit_on_error=False)
    async def _open_detail(self, title: str, event: BulkTable.RowActivated) -> None:
        columns, cells = event.table.source.columns, event.cells
        try:
            children = (
                []
                if isinstance(event.row_id, tuple)
                else await asyncio.to_thread(self._children, int_id(event.row_id))
            )
        except Exception as exc:  # the store failed: the row alone, and one line saying why
            self._store_failed(exc)
            children = []
        more = [("Variations", f"{len(children)} children")] if children else []
        more += [(f"  {sku}", status) for sku, status in children]
        self._push_detail(title, columns, cells, more)

    def _children(self, product_id: int) -> list[tuple[str, str]]:
        """(SKU, Jet status) of each variation child (store read: in a thread)."""
        return variation_children(self.app.database(), product_id)

    def _push_detail(
        self,
        title: str,
        columns: Sequence[Column],
        cells: Sequence[str],
        more: list[tuple[str, str]],
    ) -> None:
        """On the event loop: screens are built and pushed there, never in a worker thread."""
        self.app.push_screen(RowDetailScreen(title, columns, cells, more))

    def action_bulk(self, action: str) -> None:
        """Act on the selected products, or on the one under the cursor when none is."""
        tables = self.query(GridTable)
        if not tables:
            self.notify("No product to act on.", title=self.panel_title, severity="warning")
            return
        table = tables.first()
        picked = set(table.selected) or (
            {table.cursor_id} if table.cursor_id is not None else set()
        )
        ids = sorted({product_of(i) for i in picked})
        if not ids:
            self.notify("No product to act on.", title=self.panel_title, severity="warning")
            return
        # children selected without their product's own row: the action touches those only
        only: dict[int, list[str]] = {}
        for row_id in sorted(i for i in picked if isinstance(i, tuple)):
            if row_id[0] not in picked:
                only.setdefault(int_id(row_id[0]), []).append(str(row_id[1]))
        self._confirm_bulk(action, ids, table.source, table.filter_text, only)

    @work(group="products-targets", exclusive=True, exit_on_error=False)
    async def _confirm_bulk(
        self,
        action: str,
        ids: list[int],
        source: PageSource,
        filter_text: str,
        only_skus: dict[int, list[str]] | None = None,
    ) -> None:
        """Name the SKUs and count the selected rows the grid hides, then ask (the store read
        in a thread)."""

        def read() -> tuple[set[Hashable], dict[int, str]]:
            visible = set(source.ids(filter_text))
            shown = [i for i in ids if i in visible]
            named = ids[:SKUS_NAMED] + shown[:SKUS_NAMED]  # the confirm names only these
            return visible, product_skus(self.app.database(), named)

        try:
            visible, skus = await asyncio.to_thread(read)
        except Exception as exc:  # the store failed: one line
            self._store_failed(exc)
            return
        reasons = [
            *(["the filter"] if filter_text.strip() else []),
            *(["the mapped-only switch"] if self.mapped_only else []),
        ]
        targets = Targets(
            ids,
            skus,
            hidden=[i for i in ids if i not in visible],  # selected, not shown
            why_hidden=" and ".join(reasons) or "the grid",
            only_skus=dict(only_skus or {}),
        )
        self._open_bulk(action, targets)

    def _open_bulk(self, action: str, targets: Targets) -> None:
        modal = BulkActionModal(action, targets.product_ids, targets)

        def closed(report: object) -> None:
            if modal.summary:
                failed = report is None or getattr(report, "exit_code", 1) != 0
                self.notify(
                    self.app.redact(modal.summary),
                    title=self.panel_title,
                    severity="warning" if failed else "information",
                    markup=False,
                )
            self._reload_grid()

        self.app.push_screen(modal, closed)
