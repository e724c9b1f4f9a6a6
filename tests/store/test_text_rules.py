"""OpenCart's text rules and the field types applying them (no database needed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jettui.store.fields import OcCharField, OcDateField, OcDateTimeField, OcDecimalField
from jettui.store.text import (
    REPLACEMENT_CHAR,
    bmp_safe,
    fit,
    from_db_text,
    is_zero_date,
    oc_escape,
    oc_unescape,
    to_db_text,
)


def test_escape_is_htmlspecialchars_ent_compat():
    assert oc_escape("Date & Time <b>\"x\" 'y'") == "Date &amp; Time &lt;b&gt;&quot;x&quot; 'y'"
    assert (
        oc_unescape("Date &amp; Time &lt;b&gt;&quot;x&quot; &#39;y&#39;")
        == "Date & Time <b>\"x\" 'y'"
    )


def test_escape_round_trip_keeps_entity_like_text():
    text = "R&amp;D means R&D"
    assert from_db_text(to_db_text(text)) == text


def test_astral_characters_become_replacement_char():
    assert bmp_safe("Café 😀 ok 𝄞") == f"Café {REPLACEMENT_CHAR} ok {REPLACEMENT_CHAR}"
    assert bmp_safe("no change: ü € 中") == "no change: ü € 中"


def test_fit_never_cuts_an_entity():
    escaped = oc_escape("abc & def")  # "abc &amp; def"
    assert fit(escaped, 6, escaped=True) == "abc "
    assert fit(escaped, 9, escaped=True) == "abc &amp;"
    assert fit(escaped, 100, escaped=True) == escaped
    assert fit("abcdef", 3) == "abc"


def test_char_field_write_and_read():
    field = OcCharField(10)
    assert field.db_value("A & B 😀 C D E F") == "A &amp; B "
    assert field.python_value("A &amp; B") == "A & B"
    assert field.db_value(None) == ""
    assert OcCharField(10, null=True).db_value(None) is None
    plain = OcCharField(20, html=False)
    assert plain.db_value('["5","1"]') == '["5","1"]'


def test_zero_dates():
    assert is_zero_date("0000-00-00") and is_zero_date("0000-00-00 00:00:00")
    assert is_zero_date(b"0000-00-00")
    assert not is_zero_date("2020-01-01")
    date_field, dt_field = OcDateField(), OcDateTimeField()
    assert date_field.python_value("0000-00-00") is None
    assert date_field.db_value(None) == "0000-00-00"
    assert date_field.python_value("2021-03-04") == dt.date(2021, 3, 4)
    assert date_field.db_value(dt.date(2021, 3, 4)) == "2021-03-04"
    assert dt_field.python_value("0000-00-00 00:00:00") is None
    assert dt_field.db_value(None) == "0000-00-00 00:00:00"
    assert dt_field.db_value(dt.datetime(2021, 3, 4, 5, 6, 7, 999)) == "2021-03-04 05:06:07"
    assert dt_field.python_value("2021-03-04 05:06:07") == dt.datetime(2021, 3, 4, 5, 6, 7)


def test_decimal_field_quantises():
    field = OcDecimalField(15, 4)
    assert field.python_value(100) == Decimal("100.0000")
    assert field.python_value(12.5) == Decimal("12.5000")
    assert field.db_value("1.23456") == Decimal("1.2346")
    assert field.db_value(0.1) == Decimal("0.1000")
    assert field.db_value(None) == Decimal("0.0000")
