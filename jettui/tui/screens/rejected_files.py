"""Rejected files: bulk files Jet processed with errors, per SKU.

``f`` runs the ``fetch-errors`` job now (as `jettui cron fetch-errors` does); ``r`` resubmits
only what failed: the SKUs Jet named in the file under the cursor, uploaded again through the
same confirm → progress → result dialog as the products screen's upload."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import ClassVar

from textual import work
from textual.binding import Binding, BindingType

from jettui.services.listing import FileSource
from jettui.tui.screens.base import GridPanel, GridTable, _brief
from jettui.tui.screens.bulk_action import BulkActionModal, Targets
from jettui.tui.widgets.bulk_table import int_id


def failed_skus(db: object, file_row_id: int) -> list[str]:
    """The SKUs Jet named with errors in one bulk file (store thread)."""
    from jettui.store.jet_tables import JetFile

    row = JetFile.get_or_none(JetFile.id == file_row_id)
    excerpt = row.error_excerpt if row is not None else None
    return list(excerpt) if isinstance(excerpt, dict) else []


class RejectedFilesScreen(GridPanel):
    PANEL_ID = "rejected_files"
    DETAIL_TITLE_KEY = "file_name"
    EMPTY_TEXT = (
        "No rejected files — bulk uploads that Jet processes with errors appear here"
        " (press f to ask Jet now; `jettui cron fetch-errors` does it headless)."
    )
    SOURCE = partial(FileSource, with_errors=True)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "fetch_errors", "Fetch errors", id="rejected-files.fetch"),
        Binding("r", "resubmit", "Resubmit failed SKUs", id="rejected-files.resubmit"),
    ]

    _fetching = False

    @work(group="rejected-files-fetch", exit_on_error=False)
    async def action_fetch_errors(self) -> None:
        """Ask Jet for the status of every unfinished bulk file (the fetch-errors job)."""
        from jettui.services.jobs import run_jobs
        from jettui.tui.screens.cron import notify_outcome

        if self._fetching:
            self.notify("Already asking Jet.", title=self.panel_title, severity="warning")
            return
        self._fetching = True
        self.notify("Asking Jet for the status of the bulk files…", title=self.panel_title)
        try:
            db = await asyncio.to_thread(self.app.database)
            outcomes = await run_jobs(self.app.settings, db, ["fetch-errors"], trigger="dashboard")
        except Exception as exc:  # noqa: BLE001 - the store is unreachable: one line
            self.notify(self.app.redact(_brief(exc)), title=self.panel_title, severity="error",
                        markup=False)  # fmt: skip
            return
        finally:
            self._fetching = False
        for outcome in outcomes:
            notify_outcome(self.app, outcome)
        self.load()

    def action_resubmit(self) -> None:
        tables = self.query(GridTable)
        row_id = tables.first().cursor_id if tables else None
        if row_id is None:
            self.notify("No rejected file to resubmit.", title=self.panel_title, severity="warning")
            return
        self._resubmit(int_id(row_id))

    @work(group="rejected-files-resubmit", exit_on_error=False)
    async def _resubmit(self, file_row_id: int) -> None:
        from jettui.services.catalog import UnknownSku

        try:
            skus, ids = await asyncio.to_thread(self._failed_products, file_row_id)
        except UnknownSku as exc:
            self._warn(f"Cannot resubmit: {exc}")
            return
        except Exception as exc:  # the store failed: one line
            self._warn(f"Cannot read the store: {_brief(exc)}")
            return
        if not ids:
            self._warn("Jet named no SKU in this file's errors.")
            return
        # one SKU per product (the usual case): the confirm names them; else by product id
        named = dict(zip(ids, skus, strict=True)) if len(ids) == len(skus) else {}
        self._open_upload(Targets(ids, named))

    def _failed_products(self, file_row_id: int) -> tuple[list[str], list[int]]:
        """The SKUs Jet named in the file's errors and their products (a worker thread)."""
        from jettui.services.catalog import resolve_products

        skus = failed_skus(self.app.database(), file_row_id)
        return skus, (resolve_products(self.app.settings, skus=skus) if skus else [])

    def _warn(self, text: str) -> None:
        self.notify(self.app.redact(text), title=self.panel_title, severity="warning", markup=False)

    def _open_upload(self, targets: Targets) -> None:
        modal = BulkActionModal("upload", targets.product_ids, targets)

        def closed(_report: object) -> None:
            if modal.summary:
                self.notify(self.app.redact(modal.summary), title=self.panel_title, markup=False)
            self.load()

        self.app.push_screen(modal, closed)
