"""Configuration: every setting, grouped by section, validated, saved into settings.yaml.

Secrets are never shown and never written back masked: the Jet secret's field starts empty
(typing replaces it), and the database URL shows its password as ``***``; saving keeps the
stored password unless the merchant typed a new one into the URL.

Keys as on every screen: a digit types into the focused field (a number field refuses any
other character, saying so by the field's name); with no field focused it goes to its panel;
ctrl+g then a digit goes to a panel from anywhere. One escape leaves, from a field too; with
unsaved changes (escape, ctrl+q, another panel) it asks first: the screen is an
:class:`~jettui.tui.screens.leave.UnsavedForm`.
"""

from __future__ import annotations

import asyncio
from dataclasses import fields
from typing import Any, ClassVar, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, Switch

from jettui.config import SECTIONS, Secret, Settings, SettingsError, settings_to_dict
from jettui.setting_rules import parse_text
from jettui.tui.screens.base import PanelScreen
from jettui.tui.screens.leave import LeaveForm
from jettui.tui.validation import NumberInput, validators_for
from jettui.urls import restore_masked

CHOICES: dict[str, tuple[str, ...]] = {"pricing.increment_type": ("fixed", "percent")}
MASK = "********"


def field_id(dotted: str) -> str:
    return "cfg-" + dotted.replace(".", "--")


class ConfigurationScreen(PanelScreen):
    PANEL_ID = "configuration"
    DEFAULT_CSS = ".switch-state { padding: 0 1; }"
    AUTO_FOCUS = "#form"  # not a field: digits and ? keep navigating until tab enters the form
    GO_HINT = "^g, digit: another panel"  # digits typed in a field are the field's
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="configuration.save"),
        Binding("ctrl+r", "revert", "Revert", show=False, id="configuration.revert"),
        Binding("escape", "leave", "Leave", show=False, id="configuration.leave"),
    ]
    LEAVE_TO: ClassVar[str] = "products"  # escape on the form (not in a field) goes there

    def compose_body(self) -> ComposeResult:
        shown = settings_to_dict(self.app.settings)
        with VerticalScroll(id="form"):
            for section, fields_of_section in _form_fields():
                yield Static(section, classes="section-title")
                for name, dotted, default in fields_of_section:
                    with Horizontal(classes="field"):
                        yield Label(name, classes="field-label")
                        yield self._editor(dotted, default, shown[section][name])
                        if isinstance(default, bool):
                            yield Label(
                                _on_off(shown[section][name]),
                                id=f"{field_id(dotted)}-state",
                                classes="switch-state",
                            )
        yield Static("", id="problems")
        with Horizontal(id="form-buttons"):
            yield Button("Save  ^s", id="save", variant="primary", compact=True)
            yield Static(self._file_hint(), id="file-hint")

    def _file_hint(self) -> str:
        path = self.app.settings.path
        where = f"writes {path.name}" if path else "no settings file to save to"
        return f"{where} · {self.GO_HINT}"

    def _editor(self, dotted: str, default: Any, shown: Any) -> Widget:
        wid = field_id(dotted)
        if isinstance(default, bool):
            return Switch(bool(shown), animate=False, id=wid)
        if dotted in CHOICES:
            options = [(choice, choice) for choice in CHOICES[dotted]]
            return Select(options, value=shown, allow_blank=False, id=wid, compact=True)
        if dotted == "tui.theme":
            names = sorted(set(self.app.available_themes) | {shown})
            return Select(
                [(n, n) for n in names], value=shown, allow_blank=False, id=wid, compact=True
            )
        if isinstance(default, Secret):
            return Input(
                "",
                placeholder=f"{shown or 'empty'} (type to replace)",
                password=True,
                id=wid,
                compact=True,
            )
        kind: Literal["integer", "number", "text"] = (
            "integer"
            if isinstance(default, int)
            else "number"
            if isinstance(default, float)
            else "text"
        )
        if kind != "text":
            return NumberInput(
                _text(shown),
                validators=validators_for(dotted, default),
                type=kind,
                id=wid,
                compact=True,
                field=dotted,
            )
        return Input(
            _text(shown),
            validators=validators_for(dotted, default),
            type=kind,
            valid_empty=dotted in ("jet.email", "orders.customer_email", "store.table_prefix"),
            id=wid,
            compact=True,
        )

    # --- collecting ------------------------------------------------------------------------
    def collect(self) -> tuple[dict[str, Any], list[str]]:
        """The settings the user changed (typed values) and the problems the validators found."""
        shown = settings_to_dict(self.app.settings)
        changes: dict[str, Any] = {}
        problems: list[str] = []
        for section, fields_of_section in _form_fields():
            for name, dotted, default in fields_of_section:
                widget = self.query_one(f"#{field_id(dotted)}")
                current = shown[section][name]
                if isinstance(widget, Switch):
                    if widget.value != current:
                        changes[dotted] = widget.value
                    continue
                if isinstance(widget, Select):
                    if widget.value != current:
                        changes[dotted] = widget.value
                    continue
                assert isinstance(widget, Input)
                if isinstance(default, Secret):
                    if widget.value:
                        changes[dotted] = widget.value
                    continue
                if widget.value.strip() == _text(current):
                    continue  # untouched (a masked URL included): the stored value stays
                result = widget.validate(widget.value)
                if result is not None and not result.is_valid:
                    problems.extend(f"{dotted}: {d}" for d in result.failure_descriptions)
                    continue
                value, _ = parse_text(widget.value, default)
                if dotted in MASKED_URLS:
                    # An edited URL still showing "***" keeps the stored password.
                    value = restore_masked(
                        value, getattr(getattr(self.app.settings, section), name)
                    )
                if value != current:
                    changes[dotted] = value
        return changes, problems

    # --- actions ---------------------------------------------------------------------------
    def action_save(self) -> None:
        changes, problems = self.collect()
        if problems:
            self.show_problems(problems)
            return
        if not changes:
            self.show_problems([])
            self.notify("Nothing changed.", title="Configuration")
            return
        if self.app.settings.path is None:
            self.show_problems(["These settings were not loaded from a file; nothing to save to."])
            return
        self.save(changes)

    @work(exclusive=True, group="configuration-save", exit_on_error=False)
    async def save(self, changes: dict[str, Any]) -> None:
        await self._write(changes)

    async def _write(self, changes: dict[str, Any]) -> bool:
        """Write the changes into the settings file (in a thread); True when written."""
        from jettui.config import update_settings_file

        path = self.app.settings.path
        assert path is not None  # the callers checked
        try:
            settings = await asyncio.to_thread(update_settings_file, path, changes)
        except SettingsError as exc:
            self.show_problems([self.app.redact(p) for p in exc.problems])
            return False
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            self.show_problems([f"{path}: cannot write: {reason}"])
            return False
        self.saved(settings, sorted(changes))
        return True

    # --- leaving (UnsavedForm) ---------------------------------------------------------------
    def unsaved_changes(self) -> bool:
        """Something typed differs from the saved settings (an invalid value counts too)."""
        changes, problems = self.collect()
        return bool(changes or problems)

    async def save_now(self) -> bool:
        """Save before leaving; True when saved (problems are shown otherwise)."""
        changes, problems = self.collect()
        if problems:
            self.show_problems(problems)
            return False
        if not changes:
            return True
        if self.app.settings.path is None:
            self.show_problems(["These settings were not loaded from a file; nothing to save to."])
            return False
        return await self._write(changes)

    def ask_before_leaving(self, then: str) -> None:
        """Run the app action ``then`` (e.g. ``goto('orders')``) now, or after the user said
        so when the form has unsaved changes; "stay" keeps every edit."""
        if not self.unsaved_changes():
            self.app.call_later(self.app.run_action, then)
            return

        async def answered(answer: str | None) -> None:
            if answer == "discard":
                self.refill()  # the mode's screen stays alive: show the saved settings again
                self.show_problems([])
            elif answer != "save" or not await self.save_now():
                return
            await self.app.run_action(then)

        self.app.push_screen(LeaveForm(self.panel_title), answered)

    def action_leave(self) -> None:
        """Escape, from a field too: off the screen (asking about unsaved changes)."""
        self.ask_before_leaving(f"goto('{self.LEAVE_TO}')")

    @on(NumberInput.Refused)
    def _refused(self, event: NumberInput.Refused) -> None:
        """A character a number field cannot take: said, by the field's name, under the
        form (never dropped silently); the field keeps its value."""
        box = self.query_one("#problems", Static)
        box.update(f"✗ {event.input.refusal(event.text)}")
        box.display = True

    def saved(self, settings: Settings, keys: list[str]) -> None:
        self.app.apply_settings(settings)
        self.show_problems([])
        self.refill()
        names = ", ".join(keys)
        self.notify(f"Saved {len(keys)} setting(s): {names}", title="Configuration")

    def show_problems(self, problems: list[str]) -> None:
        box = self.query_one("#problems", Static)
        box.update("\n".join(f"✗ {p}" for p in problems))
        box.display = bool(problems)
        if problems:
            self.notify("\n".join(problems), title="Not saved", severity="error", timeout=10)

    def action_revert(self) -> None:
        self.refill()
        self.show_problems([])
        self.notify("Form reset to the saved settings.", title="Configuration")

    def refill(self) -> None:
        """Show the app's current settings again (secret inputs empty = unchanged)."""
        shown = settings_to_dict(self.app.settings)
        for section, fields_of_section in _form_fields():
            for name, dotted, default in fields_of_section:
                widget = self.query_one(f"#{field_id(dotted)}")
                value = shown[section][name]
                if isinstance(widget, Switch | Select):
                    widget.value = value
                    if isinstance(widget, Switch):
                        self._show_switch_state(widget)
                elif isinstance(widget, Input) and isinstance(default, Secret):
                    widget.value = ""
                    widget.placeholder = f"{value or 'empty'} (type to replace)"
                elif isinstance(widget, Input):
                    widget.value = _text(value)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Switch.Changed)
    def _switch_changed(self, event: Switch.Changed) -> None:
        self._show_switch_state(event.switch)

    def _show_switch_state(self, switch: Switch) -> None:
        """Say on/off in words: a switch's colour alone is lost on 16-colour terminals."""
        for label in self.query(f"#{switch.id}-state").results(Label):
            label.update(_on_off(switch.value))


def _form_fields() -> list[tuple[str, list[tuple[str, str, Any]]]]:
    """(section, [(name, "section.name", default)]) for every setting the form edits.
    Mappings such as tui.keymap are edited in the file, not in the form."""
    return [
        (
            section,
            [
                (f.name, f"{section}.{f.name}", getattr(cls(), f.name))
                for f in fields(cls)
                if not isinstance(getattr(cls(), f.name), tuple)
            ],
        )
        for section, cls in SECTIONS.items()
    ]


# Settings shown with their password masked (``***``): see :func:`restore_masked`.
MASKED_URLS = frozenset({"store.database", "jet.api_url"})


def _on_off(value: Any) -> str:
    return "on" if value else "off"


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
