"""The help screen (?): every key of the screen it was opened from, then the panels and tips."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from jettui.tui.panels import PANELS
from jettui.tui.widgets.bulk_table import BulkTable

TIPS = (
    ("ctrl+p", 'command palette: every action and "Go to" by name'),
    ("shift+drag", "select text with the mouse (the app captures plain drags)"),
    ("tmux", "set -sg escape-time 10 in ~/.tmux.conf, or escape waits half a second"),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help-close"),
    ]

    def __init__(self, of_screen: Screen) -> None:
        super().__init__(id="help")
        self._of = of_screen

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(f"Help — {self._of.title or 'jettui'}", id="help-title")
            with VerticalScroll(id="help-body"):
                for n, table in enumerate(self._keys_tables()):
                    yield Static(table, id=f"help-keys-{n}", classes="help-keys")
                notes_title, notes = getattr(self._of, "HELP_NOTES", ("", ()))
                if notes:
                    yield Static(_pairs_table(notes_title, notes), id="help-notes")
                yield Static(self._panels_table(), id="help-panels")
                yield Static(_pairs_table("Tips", TIPS), id="help-tips")
            yield Static(Text("escape closes", style="dim"), id="help-hint")

    def _keys_tables(self) -> list[Table]:
        """This screen's keys, the table's (when it has one), then the global ones."""
        own, inherited = _class_bindings(type(self._of))
        groups: list[tuple[str, list[BindingType]]] = [(self._of.title or "This screen", own)]
        tables = self._of.query(BulkTable)
        if tables:
            groups.append(("Table", _class_bindings(type(tables.first()))[0]))
        everywhere = [*self.app.BINDINGS, Binding("ctrl+p", "", "Command palette"), *inherited]
        groups.append(("Everywhere", everywhere))
        out = []
        for title, bindings in groups:
            table = _table(title)
            seen: set[str] = set()
            for binding in bindings:
                if not isinstance(binding, Binding) or not binding.description:
                    continue
                if binding.action.startswith("goto(") or binding.key in seen:
                    continue
                seen.add(binding.key)
                description = Text(binding.description)
                if binding.id:  # the name tui.keymap remaps it by
                    description.append(f"  {binding.id}", style="dim")
                table.add_row(self._keys_of(binding), description)
            out.append(table)
        return out

    def _keys_of(self, binding: Binding) -> str:
        remapped = self.app._keymap.get(binding.id or "")  # tui.keymap wins over the default
        if binding.key_display and not remapped:
            return binding.key_display
        # super+ keys never arrive over SSH: not worth a line
        keys = [
            key.strip()
            for key in (remapped or binding.key).split(",")
            if not key.strip().startswith("super+")
        ]
        return " ".join(self.app.get_key_display(Binding(key, "")) for key in keys)

    def _panels_table(self) -> Table:
        table = _table("Panels (ctrl+g opens the go menu)")
        for panel in PANELS:
            table.add_row(panel.key or f"^g {panel.go_key}", f"{panel.title}: {panel.summary}")
        return table


def _class_bindings(cls: type) -> tuple[list[BindingType], list[BindingType]]:
    """BINDINGS of a class and its bases, the subclass's first (it overrides): jettui's own,
    then Textual's (focus next, copy: the same on every screen)."""
    own: list[BindingType] = []
    textual: list[BindingType] = []
    for klass in cls.__mro__:
        found = own if klass.__module__.startswith("jettui.") else textual
        found.extend(klass.__dict__.get("BINDINGS", []))
    return own, textual


def _pairs_table(title: str, rows: tuple[tuple[str, str], ...]) -> Table:
    table = _table(title)
    for key, text in rows:
        table.add_row(key, text)
    return table


def _table(title: str) -> Table:
    table = Table(title=title, title_justify="left", show_header=False, box=None, expand=True)
    table.add_column(style="bold", no_wrap=True, width=12)
    table.add_column(ratio=1)
    return table
