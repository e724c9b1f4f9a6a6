"""The rules each setting's value must follow: one table, read by the settings loader
(:func:`jettui.config.parse_settings`) and by the configuration screen's validators, so the
form and ``config check`` can never disagree.

A rule is a function of the typed value returning a problem (text without the setting's
name) or ``None``. Rules that tie two settings together (a percent increment above -100, a
secret given twice) stay in :mod:`jettui.config`, which sees the whole file.

Every number has a ceiling: a value a setting could never sensibly need (``jet.concurrency:
100000000`` opened that many connections; a 20-digit ``store.store_id`` overflowed the
database driver) is a clear problem line here instead of a crash later.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from jettui.field_sources import rule as field_map
from jettui.urls import parse_url, redact_url

Rule = Callable[[Any], str | None]

# US states, DC, territories and military "states" (ISO 3166-2:US subdivision codes + USPS).
US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR UM VI AA AE AP".split()
)

ID_MAX = 2**31 - 1  # OpenCart's ids are int(11): signed 32-bit
MAX_CONCURRENCY = 64
MAX_TIMEOUT_SECONDS = 3600.0
MAX_TOKEN_LIFETIME_SECONDS = 366 * 24 * 3600
SHOWN_CHARS = 60  # a value quoted in a problem line is cut to this many characters

DB_SCHEMES = ("sqlite", "sqliteext", "sqlite+pool", "mysql", "mysql+pool")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PREFIX = re.compile(r"^[A-Za-z0-9_]*$")
_URL_HOST = re.compile(r"^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:]+\]$")


def shown(value: object) -> str:
    """``value`` as text for a problem line, cut short: an error never prints a huge value."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > SHOWN_CHARS:
        text = text[: SHOWN_CHARS - 1] + "…"
    return text.replace("\n", "\\n")


# --- rule makers --------------------------------------------------------------------------


def whole(minimum: int = 0, maximum: int = ID_MAX, why: str = "") -> Rule:
    def rule(value: int) -> str | None:
        if value < minimum:
            return "must not be negative" + why if minimum == 0 else f"must be at least {minimum}"
        if value > maximum:
            return f"must be at most {maximum}{why}"
        return None

    return rule


def number(
    minimum: float | None = None,
    maximum: float | None = None,
    *,
    above: float | None = None,
    text: str = "",
) -> Rule:
    def rule(value: float) -> str | None:
        if not math.isfinite(value):
            return "must be a finite number"
        if above is not None and value <= above:
            return text or f"must be greater than {above:g}"
        if minimum is not None and value < minimum:
            return text or (
                "must not be negative" if minimum == 0 else f"must be at least {minimum:g}"
            )
        if maximum is not None and value > maximum:
            return text or f"must be at most {maximum:g}"
        return None

    return rule


def not_empty(value: str) -> str | None:
    return None if value else "must not be empty"


def email(value: str) -> str | None:
    """Empty is allowed: only a given address is checked."""
    if value and not _EMAIL.match(value):
        return f"'{shown(value)}' is not an email address"
    return None


def one_of(*choices: str) -> Rule:
    def rule(value: str) -> str | None:
        if value in choices:
            return None
        return f"'{shown(value)}' must be {', '.join(choices[:-1])} or {choices[-1]}"

    return rule


def us_state(value: str) -> str | None:
    if value in US_STATES:
        return None
    return f"'{shown(value)}' is not a US state ISO code (e.g. UT, NY, CA)"


def postcode(value: str) -> str | None:
    return None if re.fullmatch(r"\d{5}", value) else 'must be exactly 5 digits, e.g. "84047"'


def table_prefix(value: str) -> str | None:
    return None if _PREFIX.match(value) else "only letters, digits and _ are allowed"


def check_http_url(url: str) -> str | None:
    """None when ``url`` is a usable http(s) URL, else what is wrong with it."""
    parsed = parse_url(url)
    display = shown(redact_url(url))
    if parsed.parts is None:
        return f"'{display}' is not a valid URL: {parsed.problem}"
    parts = parsed.parts
    if parts.scheme not in ("http", "https"):
        return f"'{display}' must start with http:// or https://"
    if parsed.has_userinfo:
        return (
            f"'{display}' must not hold a user name or password "
            "(Jet signs in with jet.api_user and jet.api_secret)"
        )
    if not parts.hostname or not _URL_HOST.match(parts.netloc.rsplit(":", 1)[0]):
        return f"'{display}' has no valid host"
    return None


def optional_http_url(value: str) -> str | None:
    """Empty (not set) or an http(s) URL."""
    return check_http_url(value) if value else None


def jet_url(value: str) -> str | None:
    if value == "sandbox":
        return None
    problem = check_http_url(value)
    if problem:
        return f'{problem} (use "sandbox" or e.g. https://merchant-api.jet.com/api)'
    return None


def database_url(url: str) -> str | None:
    """``sqlite:///path`` (taken literally) or ``mysql://user:pass@host[:port]/name``."""
    scheme = url.partition("://")[0].lower()
    display = shown(redact_url(url))
    if "://" not in url or scheme not in DB_SCHEMES:
        return f"'{display}' must start with sqlite:/// or mysql://"
    if scheme.startswith("sqlite"):
        path = url.partition("://")[2]
        if not path.startswith("/"):
            return f"'{display}': a SQLite URL is sqlite:///relative/path or sqlite:////absolute"
        if "?" in path or "#" in path:
            # A URL reader would cut the name at "?" or "#" and open another file.
            return f"'{display}': a SQLite file name with '?' or '#' is not supported: rename it"
        return None
    parsed = parse_url(url)
    if parsed.parts is None:
        return f"'{display}' is not a valid URL: {parsed.problem}"
    if not parsed.parts.hostname:
        return "a mysql:// URL needs a host, e.g. mysql://user:pass@127.0.0.1:3306/opencart"
    if not parsed.parts.path.strip("/"):
        return "a mysql:// URL needs a database name after the host"
    return None


# --- the table ----------------------------------------------------------------------------

RULES: dict[str, tuple[Rule, ...]] = {
    "jet.api_url": (jet_url,),
    "jet.email": (email,),
    "jet.api_user": (not_empty,),
    "jet.fulfillment_node_id": (not_empty,),
    "jet.timeout_seconds": (number(maximum=MAX_TIMEOUT_SECONDS, above=0),),
    "jet.max_retries": (whole(0, 20),),
    "jet.concurrency": (whole(1, MAX_CONCURRENCY, " (parallel calls to Jet)"),),
    "jet.bulk_max_skus": (whole(1),),
    "jet.bulk_max_bytes": (whole(1),),
    "store.database": (database_url,),
    "store.table_prefix": (table_prefix,),
    "store.store_id": (whole(0),),
    "store.language_id": (whole(1),),
    "store.url": (optional_http_url,),
    "pricing.increment_type": (one_of("fixed", "percent"),),
    "pricing.increment_amount": (number(-1_000_000, 1_000_000),),
    "catalog.renamed_sku": (one_of("archive", "move"),),
    "catalog.field_map": (field_map,),
    "orders.customer_email": (email,),
    "orders.acknowledge_within_minutes": (whole(0),),
    "returns.address1": (not_empty,),
    "returns.city": (not_empty,),
    "returns.state": (us_state,),
    "returns.postcode": (postcode,),
    "returns.return_action_id": (whole(1),),
    "sandbox.error_rate": (number(0, 1, text="must be between 0 and 1"),),
    "sandbox.lost_answer_rate": (number(0, 1, text="must be between 0 and 1"),),
    "sandbox.review_delay_seconds": (number(0, 24 * 3600),),
    "sandbox.order_every_seconds": (number(0, 24 * 3600),),
    "sandbox.latency_ms": (whole(0, 600_000),),
    "sandbox.token_lifetime_seconds": (whole(1, MAX_TOKEN_LIFETIME_SECONDS),),
    "log.max_bytes": (whole(1),),
    "log.keep_days": (whole(1),),
    "log.unreachable_alert_minutes": (whole(1),),
}
for _key in (
    "status_imported",
    "status_partially_shipped",
    "status_shipped",
    "status_cancelled",
    "status_refunded",
):
    RULES[f"orders.{_key}"] = (whole(1),)
CRON_WHY = " (0 switches the job off)"


def rules_for(dotted: str, default: object) -> tuple[Rule, ...]:
    """The rules of ``section.key``; unlisted numbers get a range by type."""
    if dotted in RULES:
        return RULES[dotted]
    if isinstance(default, bool) or not isinstance(default, int | float):
        return ()
    if isinstance(default, int):
        return (whole(0, why=CRON_WHY if dotted.startswith("cron.") else ""),)
    return (number(),)


def problems_for(dotted: str, value: object, default: object) -> list[str]:
    """What is wrong with ``value`` (already of the setting's type) for ``section.key``."""
    found = []
    for rule in rules_for(dotted, default):
        problem = rule(value)
        if problem:
            found.append(problem)
    return found


def parse_text(text: str, default: object) -> tuple[Any, str | None]:
    """A form field's text as the setting's type: (value, None) or (None, problem)."""
    text = text.strip()
    if isinstance(default, bool):
        return text.lower() in ("1", "true", "on", "yes"), None
    if isinstance(default, int):
        try:
            return int(text), None
        except ValueError:
            return None, "must be a whole number"
    if isinstance(default, float):
        try:
            value = float(text)
        except ValueError:
            return None, "must be a number"
        # "45" stays an int: the file then says 45, not 45.0 (the loader reads it as a number)
        return (
            int(value)
            if value.is_integer() and "." not in text and "e" not in text.lower()
            else value
        ), None
    return text, None
