"""The dashboard's panels: id, title, global key and a one-line summary (palette, help, go menu)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    id: str  # also the App mode name and the screen module name
    title: str
    key: str  # global key (digits); "" when only the go menu / palette reach it
    go_key: str  # key inside the go menu
    summary: str


PANELS: tuple[Panel, ...] = (
    Panel("products", "Products", "1", "1", "Products of mapped categories and their Jet status"),
    Panel("categories", "Categories", "2", "2", "OpenCart categories and their Jet mapping"),
    Panel("orders", "Orders", "3", "3", "Jet orders and their OpenCart orders"),
    Panel("rejected_orders", "Rejected orders", "4", "4", "Jet orders that could not be created"),
    Panel("returns", "Returns", "5", "5", "Jet returns to accept or reject"),
    Panel("refunds", "Refunds", "6", "6", "Merchant-initiated refunds and their state"),
    Panel("rejected_files", "Rejected files", "7", "7", "Bulk files Jet processed with errors"),
    Panel("cron", "Cron status", "8", "8", "Last run, result and next run of each job"),
    Panel("logs", "Logs", "9", "9", "What was sent to and received from Jet"),
    Panel("configuration", "Configuration", "0", "0", "Every setting, editable and validated"),
    Panel("activation", "API activation", "", "a", "Enable the product, order and return APIs"),
)

PANELS_BY_ID: dict[str, Panel] = {panel.id: panel for panel in PANELS}
