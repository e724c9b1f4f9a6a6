"""Logs: what was sent to and received from Jet, per product, order, file and job."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType

from jettui.services.listing import EventSource, PageSource
from jettui.tui.screens.base import GridPanel, NotAvailable

if TYPE_CHECKING:
    import peewee as pw


class LogsScreen(GridPanel):
    PANEL_ID = "logs"
    DETAIL_TITLE_KEY = "time"
    EMPTY_TEXT = (
        "No log entries yet — every call to Jet (secrets redacted) is recorded here once"
        " jettui talks to Jet: upload products or run `jettui cron all`."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "reload", "Refresh", id="logs.refresh"),
    ]

    def make_source(self, db: pw.Database) -> PageSource:
        if not self.app.settings.log.enabled:
            raise NotAvailable("Logging is off (log.enabled: false) — turn it on in Configuration.")
        return EventSource(db)
