"""The go menu (g): every panel with its key, for terminals too narrow for the sidebar."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from jettui.tui.panels import PANELS


class GoScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+g,q", "dismiss", "Close", id="go-close"),
        *(
            Binding(
                panel.go_key,
                f"app.goto('{panel.id}')",
                panel.title,
                show=False,
                id=f"go-menu-{panel.id}",
            )
            # every panel, digits included: a modal screen does not pass keys on to the app
            for panel in PANELS
        ),
    ]

    def __init__(self, current: str) -> None:
        super().__init__(id="go-menu")
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="go-box"):
            yield Static("Go to  (key, or ↑↓ enter)", id="go-title")
            yield OptionList(
                *(Option(f"{panel.go_key}  {panel.title}", id=panel.id) for panel in PANELS),
                id="go-list",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = options.get_option_index(self._current)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        # via the app's queue: popping this screen from inside its own handler deadlocks
        self.app.call_later(self.app.run_action, f"goto('{event.option.id}')")
