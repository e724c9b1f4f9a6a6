"""Jet dates and ids: ISO-8601 with 7 fractional digits; ids are 32 lower-case hex."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

_ISO = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<time>\d{2}:\d{2}(?::\d{2})?)"
    r"(?:[.,](?P<frac>\d{1,9}))?(?P<tz>Z|z|[+-]\d{2}(?::?\d{2})?)$"
)
_JET_ID = re.compile(r"^[0-9a-f]{32}$")


def format_jet_date(dt: datetime) -> str:
    """``2016-06-01T14:00:00.0000000Z`` for UTC, ``...-07:00`` for other offsets.

    A naive datetime is taken to be UTC.
    """
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    offset = dt.utcoffset() or timedelta(0)
    base = dt.strftime("%Y-%m-%dT%H:%M:%S") + f".{dt.microsecond:06d}0"
    if offset == timedelta(0):
        return base + "Z"
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{base}{sign}{hours:02d}:{mins:02d}"


def parse_jet_date(s: str) -> datetime:
    """Any ISO-8601 date-time with ``Z`` or an offset (up to 9 fraction digits) → aware datetime.

    Raises ``ValueError`` for anything else, including a date-time without an offset.
    """
    if not isinstance(s, str):
        raise ValueError(f"not a date: {s!r}")
    match = _ISO.match(s.strip())
    if not match:
        raise ValueError(f"not an ISO-8601 date-time with an offset or Z: {s!r}")
    frac = (match["frac"] or "")[:6].ljust(6, "0")  # Python keeps microseconds only
    tz = match["tz"].upper()
    if tz == "Z":
        tz = "+00:00"
    elif len(tz) == 3:
        tz += ":00"
    elif ":" not in tz:
        tz = f"{tz[:3]}:{tz[3:]}"
    time = match["time"] if len(match["time"]) == 8 else match["time"] + ":00"
    return datetime.fromisoformat(f"{match['date']}T{time}.{frac}{tz}")


def is_jet_date(s: object) -> bool:
    try:
        parse_jet_date(s)  # type: ignore[arg-type]
    except ValueError:
        return False
    return True


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_jet_id() -> str:
    """A fresh Jet-style id: 32 lower-case hex characters, no dashes."""
    return uuid.uuid4().hex


def is_jet_id(s: object) -> bool:
    return isinstance(s, str) and bool(_JET_ID.match(s))
