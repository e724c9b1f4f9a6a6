"""A question answered ``y`` (True) or ``n`` / escape (False), with a button for each: the one
confirmation modal (live-Jet activation steps, shipping an order changed in OpenCart's admin).
Subclasses name their key bindings (``tui.keymap`` ids) and pass the texts."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class YesNoModal(ModalScreen[bool]):
    DEFAULT_CSS = """
    YesNoModal { align: center middle; }
    YesNoModal #yes-no-box {
        width: 64; height: auto; padding: 1 2;
        border: thick $warning; background: $surface;
    }
    YesNoModal.-danger #yes-no-box { border: thick $error; }
    YesNoModal #yes-no-buttons { height: auto; margin-top: 1; align-horizontal: right; }
    YesNoModal #yes-no-buttons Button { margin-left: 2; }
    """

    def __init__(
        self, question: str, no_label: str, yes_label: str, *, danger: bool, id: str
    ) -> None:
        super().__init__(id=id, classes="-danger" if danger else "")
        self.question, self.no_label, self.yes_label = question, no_label, yes_label
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(id="yes-no-box"):
            yield Static(self.question, id="yes-no-question", markup=False)
            with Horizontal(id="yes-no-buttons"):
                yield Button(f"{self.no_label} (n)", id="no")
                yield Button(
                    f"{self.yes_label} (y)", id="yes", variant="error" if self.danger else "warning"
                )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
