"""API activation (Jet's "Runway"): the three test steps Jet requires before going live."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from jettui.tui.screens.base import PanelScreen

STEPS = (
    ("p", "Product API", "send a test SKU with its price and inventory"),
    ("o", "Order API", "generate an order, acknowledge it, ship it, cancel one"),
    ("t", "Return API", "generate a return for a completed order and complete it"),
)


class ActivationScreen(PanelScreen):
    PANEL_ID = "activation"
    BINDINGS: ClassVar[list[Binding]] = [
        Binding(
            "p", "not_available('Enabling the product API')", "Product API", id="activation.product"
        ),
        Binding(
            "o",
            "not_available('Enabling the order API')",
            "Order API",
            show=False,
            id="activation.order",
        ),
        Binding(
            "t",
            "not_available('Enabling the return API')",
            "Return API",
            show=False,
            id="activation.return",
        ),
    ]

    def compose_body(self) -> ComposeResult:
        settings = self.app.settings
        target = "the embedded sandbox" if settings.jet.is_sandbox else settings.jet.api_url
        yield Static(
            f"Jet requires these test steps before it gives live credentials. Target: {target}.",
            classes="hint",
        )
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False)
        table.add_column("Key", width=4, no_wrap=True)
        table.add_column("Step", width=12, no_wrap=True)
        table.add_column("What it does", ratio=1)
        table.add_column("State", width=10, no_wrap=True)
        for key, step, what in STEPS:
            table.add_row(key, step, what, "not run")
        yield Static(table, id="steps")
