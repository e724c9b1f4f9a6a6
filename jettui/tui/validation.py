"""Textual validators for the settings form, built from the settings loader's own rule table
(:mod:`jettui.setting_rules`): the form and ``config check`` apply the same rules.

config.update_settings_file() validates the whole file again before writing (and checks the
rules that tie settings together); these give instant feedback per field.
"""

from __future__ import annotations

from textual.validation import Failure, ValidationResult, Validator

from jettui.setting_rules import parse_text, problems_for


class SettingRule(Validator):
    """The field's text read as the setting's type, then checked against its rules."""

    def __init__(self, dotted: str, default: object) -> None:
        super().__init__()
        self.dotted = dotted
        self.default = default

    def validate(self, value: str) -> ValidationResult:
        typed, problem = parse_text(value, self.default)
        if problem is not None:
            return self.failure(problem)
        problems = problems_for(self.dotted, typed, self.default)
        if problems:
            return self.failure(failures=[Failure(self, value, p) for p in problems])
        return self.success()


def validators_for(dotted: str, default: object) -> list[Validator]:
    """The validators of ``section.key`` (none for switches: a bool is always valid)."""
    if isinstance(default, bool):
        return []
    return [SettingRule(dotted, default)]
