"""The vocabulary of ``catalog.field_map`` (Jet fields, OpenCart sources) and its parsing.

Light on purpose (standard library only): the settings loader checks the map with
:func:`rule` on every start, and a cron run with nothing due must not import the catalog.
The mapping itself is :mod:`jettui.services.catalog.field_map`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import NamedTuple

# Jet field → default source: exactly what payload.py read before the map existed.
DEFAULTS: dict[str, str] = {
    "title": "name",
    "description": "description",
    "brand": "manufacturer",
    "manufacturer": "none",
    "mfr_part_number": "mpn",
    "upc": "upc",
    "ean": "ean",
    "isbn": "isbn",
    "gtin14": "none",
    "bullets": "none",
    "country_of_origin": "none",
}
# The standard code slots, in the order their codes are sent. Their code type is recognised
# from the digits (as before the map): the key only says which column to read.
CODE_KEYS = ("upc", "ean", "isbn", "gtin14")
PRODUCT_COLUMNS = ("model", "sku", "upc", "ean", "jan", "isbn", "mpn", "location")
DESCRIPTION_COLUMNS = (
    "name",
    "description",
    "tag",
    "meta_title",
    "meta_description",
    "meta_keyword",
)
COLUMNS = (*PRODUCT_COLUMNS, *DESCRIPTION_COLUMNS, "manufacturer")
PREFIXES = ("attribute:", "attribute_group:", "text:")
NONE = "none"


class Source(NamedTuple):
    """A parsed source: ``kind`` is column | attribute | attribute_group | text | none."""

    kind: str
    name: str

    def __str__(self) -> str:
        return self.name if self.kind in ("column", NONE) else f"{self.kind}:{self.name}"


def parse_source(text: str) -> Source:
    """``"attribute:Brand"`` → Source("attribute", "Brand"); ValueError when unknown."""
    raw = text.strip()
    if raw.lower() == NONE:
        return Source(NONE, NONE)
    if raw.lower() in COLUMNS:
        return Source("column", raw.lower())
    for prefix in PREFIXES:
        if raw.lower().startswith(prefix):
            name = raw[len(prefix) :].strip()
            if not name:
                raise ValueError(f"'{raw}' needs a name after the colon, e.g. {prefix}Brand")
            return Source(prefix[:-1], name)
    choices = [*COLUMNS, NONE, *(f"{p}<name>" for p in PREFIXES)]
    match = difflib.get_close_matches(raw[:100], [*COLUMNS, NONE], n=1, cutoff=0.6)
    hint = f" (did you mean '{match[0]}'?)" if match else f" (one of: {', '.join(choices)})"
    raise ValueError(f"unknown OpenCart source '{shortened(raw)}'{hint}")


def shortened(text: str) -> str:
    """``text`` cut to 40 characters for a problem line."""
    return text if len(text) <= 40 else text[:39] + "…"


def problems(pairs: Iterable[tuple[str, str]]) -> list[str]:
    """One line per bad entry of a ``catalog.field_map`` (key, source) list, naming the key."""
    found = []
    for key, text in pairs:
        if key not in DEFAULTS:
            match = difflib.get_close_matches(key[:100], list(DEFAULTS), n=1, cutoff=0.6)
            hint = (
                f" (did you mean '{match[0]}'?)" if match else f" (one of: {', '.join(DEFAULTS)})"
            )
            found.append(f"unknown Jet field '{shortened(key)}'{hint}")
            continue
        try:
            source = parse_source(text)
        except ValueError as exc:
            found.append(f"{key}: {exc}")
            continue
        if source.kind == "attribute_group" and key != "bullets":
            found.append(f"{key}: attribute_group:<name> can only feed bullets")
    return found


def rule(value: tuple[tuple[str, str], ...]) -> str | None:
    """The setting rule (:mod:`jettui.setting_rules`): every problem on one line."""
    found = problems(value)
    return "; ".join(found) if found else None
