"""Logs: what was sent to and received from Jet, per product, order, file and job."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding

from jettui.services.listing import EventSource, PageSource
from jettui.tui.screens.base import GridPanel, NotAvailable


class LogsScreen(GridPanel):
    PANEL_ID = "logs"
    DETAIL_TITLE_KEY = "time"
    EMPTY_TEXT = (
        "No log entries yet — every call to Jet (secrets redacted) is recorded here once"
        " jettui talks to Jet: upload products or run `jettui cron all`."
    )
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("ctrl+r", "reload", "Refresh", id="logs.refresh"),
    ]

    def make_source(self, db: object) -> PageSource:
        if not self.app.settings.log.enabled:
            raise NotAvailable("Logging is off (log.enabled: false) — turn it on in Configuration.")
        return EventSource(db)
