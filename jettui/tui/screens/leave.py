"""Asked before leaving a form with unsaved changes (escape on the form, ctrl+q anywhere).

A screen opts in by defining ``unsaved_changes() -> bool`` (and ``save_now()`` for "save
first": :class:`UnsavedForm`); the app's quit and the form's own escape ask with :class:`LeaveForm` then. Forms set
``FORM = True`` so the app's panel keys (digits) never fire while the user is typing in one.
"""

from __future__ import annotations

from typing import ClassVar, Literal, Protocol, runtime_checkable

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

Answer = Literal["save", "discard", "stay"]


@runtime_checkable
class UnsavedForm(Protocol):
    """A screen that asks before it is left: whether it has unsaved changes, and saving them
    (True when saved)."""

    def unsaved_changes(self) -> bool: ...

    async def save_now(self) -> bool: ...


class LeaveForm(ModalScreen[Answer]):
    """Dismisses with "save", "discard" or "stay" (escape)."""

    DEFAULT_CSS = """
    LeaveForm { align: center middle; }
    #leave-box { width: 60; height: auto; padding: 1 2; border: thick $warning;
                 background: $surface; }
    #leave-keys { margin-top: 1; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s,ctrl+s", "answer('save')", "Save, then leave", id="leave.save"),
        Binding("d,y", "answer('discard')", "Leave without saving", id="leave.discard"),
        Binding("escape,n", "answer('stay')", "Stay", id="leave.stay"),
    ]

    def __init__(self, what: str, leaving: str = "leave") -> None:
        super().__init__(id="leave-form")
        self._what = what
        self._leaving = leaving

    def compose(self) -> ComposeResult:
        with Vertical(id="leave-box"):
            yield Static(f"{self._what} has unsaved changes.", markup=False)
            yield Static(
                f"s save, then {self._leaving} · d {self._leaving} without saving · esc stay",
                id="leave-keys",
                markup=False,
            )

    def action_answer(self, answer: Answer) -> None:
        self.dismiss(answer)
