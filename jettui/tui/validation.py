"""Textual validators for the settings form, built from the settings loader's own rule table
(:mod:`jettui.setting_rules`): the form and ``config check`` apply the same rules.

config.update_settings_file() validates the whole file again before writing (and checks the
rules that tie settings together); these give instant feedback per field.

:class:`NumberInput` is the number field of every form (settings, ship form, product edit): a
character that cannot be part of a number is refused visibly — it posts
:class:`NumberInput.Refused` (the form names the field in its problems line) and rings the bell —
never dropped in silence.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.validation import Failure, ValidationResult, Validator
from textual.widgets import Input

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


KIND_WORDS = {"integer": "a whole number", "number": "a number"}


class NumberInput(Input):
    """An Input of ``type`` "integer" or "number" that says so when it refuses a character."""

    @dataclass
    class Refused(Message):
        """A typed (or pasted) text was refused: it cannot be part of the field's number."""

        input: NumberInput
        text: str

        @property
        def control(self) -> NumberInput:
            return self.input

    def __init__(self, *args: object, field: str = "", takes: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.field = field  # the field's name in the message ("" = the input's id)
        self.takes = takes  # what the field takes, in words ("" = by its type)
        self._typed = ""

    def replace(self, text: str, start: int, end: int) -> None:
        self._typed = text
        super().replace(text, start, end)

    def restricted(self) -> None:
        super().restricted()  # the bell
        self.post_message(self.Refused(self, self._typed))

    def refusal(self, text: str) -> str:
        """The one line that names the field and says what it takes."""
        takes = self.takes or KIND_WORDS.get(self.type, "a number")
        return f"{self.field or self.id}: '{text}' refused: {takes} only"
