"""peewee field types that apply OpenCart's storage rules (see :mod:`.text`).

Every ``Oc*`` field that is NOT NULL gets

- a Python default (``''``, ``0``, ``Decimal(0)``, or the "unset" date) so an INSERT from
  peewee never omits a column — strict MySQL would reject that with error 1364, and
- a DDL ``DEFAULT`` of the value non-strict MySQL would fill in, so tables created from these
  models (the SQLite demo store) accept OpenCart's own INSERTs that leave columns out.

Field types mirror the install SQL: ``int(n)`` → INTEGER, ``tinyint(1)`` → TINYINT (kept as
an ``int`` 0/1 in Python, as OpenCart's PHP does), ``decimal(p,s)`` → DECIMAL(p,s) quantised
to ``s`` places on read and write (SQLite would otherwise hand back ``Decimal('100')`` where
MySQL gives ``Decimal('100.0000')``), ``date``/``datetime`` with zero dates as ``None``.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import json
from typing import Any

import peewee as pw

from .text import (
    ZERO_DATE,
    ZERO_DATETIME,
    from_db_text,
    is_zero_date,
    to_db_text,
)


def _with_ddl_default(kwargs: dict[str, Any], literal: str | None) -> dict[str, Any]:
    if literal is not None and not kwargs.get("null") and "constraints" not in kwargs:
        kwargs["constraints"] = [pw.SQL(f"DEFAULT {literal}")]
    return kwargs


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class OcIntegerField(pw.IntegerField):
    """``int(n) NOT NULL`` (default 0 unless given)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not kwargs.get("null"):
            kwargs.setdefault("default", 0)
        _with_ddl_default(kwargs, None if kwargs.get("null") else str(int(kwargs["default"])))
        super().__init__(*args, **kwargs)

    def db_value(self, value: Any) -> Any:
        if value is None and not self.null:
            return 0
        return super().db_value(value)


class OcTinyIntField(OcIntegerField):
    """``tinyint(1)``: OpenCart's flags (status, subtract, shipping...), 0/1 as ``int``."""

    field_type = "TINYINT"

    def db_value(self, value: Any) -> Any:
        if isinstance(value, bool):
            value = int(value)
        return super().db_value(value)


class OcDecimalField(pw.DecimalField):
    """``decimal(p,s)``, always a :class:`~decimal.Decimal` with exactly ``s`` places."""

    #: the quantum ``10 ** -decimal_places``, set by peewee's ``DecimalField.__init__``
    _exp: decimal.Decimal

    def __init__(self, max_digits: int = 15, decimal_places: int = 4, **kwargs: Any) -> None:
        if not kwargs.get("null"):
            kwargs.setdefault("default", decimal.Decimal(0))
        places = decimal_places
        literal = None
        if not kwargs.get("null"):
            literal = _sql_str(f"{decimal.Decimal(kwargs['default']):.{places}f}")
        _with_ddl_default(kwargs, literal)
        super().__init__(
            max_digits=max_digits,
            decimal_places=decimal_places,
            auto_round=True,
            rounding=decimal.ROUND_HALF_UP,
            **kwargs,
        )

    def db_value(self, value: Any) -> Any:
        if value is None:
            return None if self.null else decimal.Decimal(0).quantize(self._exp)
        if isinstance(value, float):
            value = repr(value)
        return super().db_value(decimal.Decimal(value))

    def python_value(self, value: Any) -> Any:
        value = super().python_value(value)
        if isinstance(value, decimal.Decimal):
            return value.quantize(self._exp, rounding=self.rounding)
        return value


class OcDoubleField(pw.DoubleField):
    """``double(15,8)`` (only ``currency.value``): a float, as MySQL returns it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not kwargs.get("null"):
            kwargs.setdefault("default", 0.0)
        _with_ddl_default(kwargs, None if kwargs.get("null") else repr(float(kwargs["default"])))
        super().__init__(*args, **kwargs)


class _OcTextMixin:
    """Escape/BMP-safe/fit on write, unescape on read."""

    html: bool
    null: bool

    def db_value(self, value: Any) -> Any:
        if value is None:
            return None if self.null else ""
        return to_db_text(value, getattr(self, "max_length", None), escape=self.html)

    def python_value(self, value: Any) -> Any:
        if value is None:
            return None
        return from_db_text(value, unescape=self.html)


class OcCharField(_OcTextMixin, pw.CharField):
    """``varchar(n)`` holding text as OpenCart stores it (HTML-escaped when ``html``)."""

    def __init__(self, max_length: int = 255, html: bool = True, **kwargs: Any) -> None:
        self.html = html
        if not kwargs.get("null"):
            kwargs.setdefault("default", "")
        _with_ddl_default(
            kwargs, None if kwargs.get("null") else _sql_str(str(kwargs.get("default", "")))
        )
        super().__init__(max_length=max_length, **kwargs)


class OcFixedCharField(OcCharField):
    """``char(n)`` (only ``currency.decimal_place``)."""

    field_type = "CHAR"


class OcTextField(_OcTextMixin, pw.TextField):
    """``text`` holding text as OpenCart stores it (HTML-escaped when ``html``)."""

    max_length = None

    def __init__(self, html: bool = True, **kwargs: Any) -> None:
        self.html = html
        if not kwargs.get("null"):
            kwargs.setdefault("default", "")
        _with_ddl_default(
            kwargs, None if kwargs.get("null") else _sql_str(str(kwargs.get("default", "")))
        )
        super().__init__(**kwargs)


class OcDateField(pw.DateField):
    """``date NOT NULL DEFAULT '0000-00-00'``: ``None`` means unset (the zero date)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("default", None)
        _with_ddl_default(kwargs, _sql_str(ZERO_DATE))
        super().__init__(**kwargs)

    def db_value(self, value: Any) -> Any:
        if value is None or is_zero_date(value):
            return None if self.null else ZERO_DATE
        if isinstance(value, _dt.datetime):
            value = value.date()
        if isinstance(value, _dt.date):
            return value.isoformat()
        return super().db_value(value)

    def python_value(self, value: Any) -> Any:
        if value is None or is_zero_date(value):
            return None
        if isinstance(value, _dt.datetime):
            return value.date()
        if isinstance(value, _dt.date):
            return value
        parsed = super().python_value(value)
        return parsed if isinstance(parsed, _dt.date) else None


class OcDateTimeField(pw.DateTimeField):
    """``datetime NOT NULL``: ``None`` means unset (the zero datetime); stored to the second.

    ``date_added``/``date_modified`` pass ``default=now`` (local time, like MySQL's NOW()).
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("default", None)
        _with_ddl_default(kwargs, _sql_str(ZERO_DATETIME))
        super().__init__(**kwargs)

    def db_value(self, value: Any) -> Any:
        if value is None or is_zero_date(value):
            return None if self.null else ZERO_DATETIME
        if isinstance(value, _dt.datetime):
            return value.replace(microsecond=0, tzinfo=None).strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, _dt.date):
            return value.strftime("%Y-%m-%d 00:00:00")
        return super().db_value(value)

    def python_value(self, value: Any) -> Any:
        if value is None or is_zero_date(value):
            return None
        if isinstance(value, _dt.datetime):
            return value
        parsed = super().python_value(value)
        return parsed if isinstance(parsed, _dt.datetime) else None


# --- jettui's own tables (utf8mb4, no OpenCart escaping) -------------------------------------


class UtcDateTimeField(pw.DateTimeField):
    """Naive UTC datetime stored to the second as ``YYYY-MM-DD HH:MM:SS``.

    One fixed text format on SQLite keeps comparisons (lock expiry) correct as text.
    """

    def db_value(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, _dt.datetime):
            if value.tzinfo is not None:
                value = value.astimezone(_dt.UTC).replace(tzinfo=None)
            return value.strftime("%Y-%m-%d %H:%M:%S")
        return super().db_value(value)

    def python_value(self, value: Any) -> Any:
        if value is None or isinstance(value, _dt.datetime):
            return value
        return super().python_value(value)


class JsonTextField(pw.TextField):
    """Any JSON-able value stored as text (portable across SQLite and MySQL)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("null", True)
        super().__init__(*args, **kwargs)

    def db_value(self, value: Any) -> Any:
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)

    def python_value(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, bytes | bytearray):
            value = bytes(value).decode("utf-8")
        return json.loads(value)


class LongJsonTextField(JsonTextField):
    """JSON that may be megabytes (bulk file payloads): LONGTEXT on MySQL, TEXT on SQLite."""

    field_type = "LONGTEXT"
