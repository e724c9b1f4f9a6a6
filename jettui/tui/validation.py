"""Textual validators mirroring jettui.config's rules, for instant feedback in the settings form.

config.update_settings_file() validates again before writing; these only catch mistakes early.
"""

from __future__ import annotations

import re

from textual.validation import Function, Integer, Length, Number, Regex, ValidationResult, Validator

from jettui.config import US_STATES, check_http_url

_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class Email(Validator):
    """Empty is allowed (config only checks a given address)."""

    def validate(self, value: str) -> ValidationResult:
        if value.strip() == "" or re.match(_EMAIL, value.strip()):
            return self.success()
        return self.failure(f"'{value}' is not an email address")


class JetUrl(Validator):
    def validate(self, value: str) -> ValidationResult:
        value = value.strip()
        if value == "sandbox":
            return self.success()
        problem = check_http_url(value)
        if problem is None:
            return self.success()
        return self.failure(f'{problem} (use "sandbox" or e.g. https://merchant-api.jet.com/api)')


class StateCode(Validator):
    def validate(self, value: str) -> ValidationResult:
        if value in US_STATES:
            return self.success()
        return self.failure(f"'{value}' is not a US state ISO code (e.g. UT, NY, CA)")


def _not_empty() -> Validator:
    return Length(minimum=1, failure_description="must not be empty")


def _at_least(minimum: int) -> Validator:
    word = "not be negative" if minimum == 0 else f"be at least {minimum}"
    return Integer(minimum=minimum, failure_description=f"must be a whole number and {word}")


def _number(
    minimum: float | None = None, maximum: float | None = None, text: str = ""
) -> Validator:
    return Number(minimum=minimum, maximum=maximum, failure_description=text or "must be a number")


# "section.key" → validators; fields not listed get a default by type (see validators_for).
RULES: dict[str, list[Validator]] = {
    "jet.api_url": [JetUrl()],
    "jet.email": [Email()],
    "jet.api_user": [_not_empty()],
    "jet.fulfillment_node_id": [_not_empty()],
    "jet.timeout_seconds": [
        Function(lambda v: _float(v) is not None and _float(v) > 0, "must be greater than 0")
    ],
    "jet.concurrency": [_at_least(1)],
    "jet.bulk_max_skus": [_at_least(1)],
    "jet.bulk_max_bytes": [_at_least(1)],
    "store.database": [
        Regex(
            r"^(sqlite|mysql|mysql\+pool|sqliteext|sqlite\+pool)://.*",
            failure_description="must start with sqlite:/// or mysql://",
        )
    ],
    "store.table_prefix": [
        Regex(r"^[A-Za-z0-9_]*$", failure_description="only letters, digits and _ are allowed")
    ],
    "store.language_id": [_at_least(1)],
    "orders.customer_email": [Email()],
    "returns.address1": [_not_empty()],
    "returns.city": [_not_empty()],
    "returns.state": [StateCode()],
    "returns.postcode": [
        Regex(r"^\d{5}$", failure_description='must be exactly 5 digits, e.g. "84047"')
    ],
    "sandbox.error_rate": [_number(0, 1, "must be a number between 0 and 1")],
    "sandbox.token_lifetime_seconds": [_at_least(1)],
}


def _float(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def validators_for(dotted: str, default: object) -> list[Validator]:
    if dotted in RULES:
        return RULES[dotted]
    if isinstance(default, bool):
        return []
    if isinstance(default, int):
        return [_at_least(0)]
    if isinstance(default, float):
        if dotted.startswith("sandbox."):
            return [_number(0, text="must be a number, not negative")]
        return [_number()]
    return []
