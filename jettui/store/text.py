"""OpenCart's text rules, as plain functions (the field types in :mod:`.fields` apply them).

- **Escaping**: OpenCart runs every request value through ``htmlspecialchars($v, ENT_COMPAT,
  'UTF-8')`` before it reaches the database, so text columns hold ``Date &amp; Time``. We escape
  the same four characters on write (``& < > "``; ENT_COMPAT leaves ``'`` alone) and unescape
  every entity on read (``html.unescape``, like ``html_entity_decode`` in the shop's templates).
  Python code therefore always sees plain text (``Date & Time``) and the shop sees what its own
  admin would have written. Escaping on write also keeps marketplace text (buyer names,
  addresses) from injecting HTML into OpenCart's admin, whose templates print these columns raw.
- **3-byte utf8**: OpenCart 3.0.3.x tables are ``utf8`` (utf8mb3): a character outside the Basic
  Multilingual Plane (emoji, some CJK) cannot be stored; MySQL in OpenCart's non-strict mode
  silently cuts the text at that character. We **replace** each such character with U+FFFD
  (the replacement character): the loss stays visible and the rest of the text survives.
  Stripping was rejected because it hides that something was there (a buyer name that was only
  an emoji would become empty).
- **Length**: MySQL (non-strict) truncates text longer than a ``varchar(n)``; SQLite does not.
  We cut to ``n`` characters ourselves so both backends store the same thing, and never in the
  middle of an entity (``&am``): the cut moves before the ``&``.
- **HTML fields** (product and category descriptions): OpenCart's editor saves HTML, which the
  request cleaning escapes once more; reading the column (above) gives back that HTML, in
  which a literal ``<`` is still ``&lt;``. :func:`html_to_text` drops the tags and decodes
  entities exactly once more, so ``Press the &lt;Enter&gt; key`` reads "Press the <Enter> key"
  (decoding before dropping tags would make ``<Enter>`` a tag and lose it).
- **Zero dates**: ``'0000-00-00'`` / ``'0000-00-00 00:00:00'`` mean "unset": read as ``None``,
  ``None`` written back as the zero date.
"""

from __future__ import annotations

import datetime as _dt
import html
import re
from html.parser import HTMLParser

ZERO_DATE = "0000-00-00"
ZERO_DATETIME = "0000-00-00 00:00:00"
REPLACEMENT_CHAR = "\ufffd"

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# A trailing, incomplete entity left by a cut: "&", "&am", "&#3", "&#x2".
_PARTIAL_ENTITY = re.compile(r"&[#A-Za-z0-9]{0,8}$")


def bmp_safe(text: str) -> str:
    """Replace characters a 3-byte utf8 column cannot hold (emoji...) with U+FFFD."""
    return _ASTRAL.sub(REPLACEMENT_CHAR, text)


def oc_escape(text: str) -> str:
    """What OpenCart's request cleaning does: ``htmlspecialchars($text, ENT_COMPAT)``."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def oc_unescape(text: str) -> str:
    """What OpenCart's templates do before showing text: ``html_entity_decode``."""
    return html.unescape(text) if "&" in text else text


def fit(text: str, max_length: int | None, escaped: bool = False) -> str:
    """Cut ``text`` to ``max_length`` characters (no-op when shorter or unlimited).

    With ``escaped``, a cut never leaves half an entity behind (``"a &amp;"`` cut to 5 gives
    ``"a "``, not ``"a &am"``).
    """
    if not max_length or len(text) <= max_length:
        return text
    cut = text[:max_length]
    if escaped:
        # In escaped text every "&" starts an entity, so one without its ";" was cut.
        tail = _PARTIAL_ENTITY.search(cut)
        if tail:
            cut = cut[: tail.start()]
    return cut


def to_db_text(value: object, max_length: int | None = None, escape: bool = True) -> str:
    """Python text → what goes into an OpenCart utf8 column."""
    text = value if isinstance(value, str) else str(value)
    text = bmp_safe(text)
    if escape:
        text = oc_escape(text)
    return fit(text, max_length, escaped=escape)


def from_db_text(value: object, unescape: bool = True) -> str:
    """An OpenCart column's text → Python text."""
    if isinstance(value, bytes | bytearray):
        value = bytes(value).decode("utf-8", "replace")
    text = value if isinstance(value, str) else str(value)
    return oc_unescape(text) if unescape else text


class _TextOnly(HTMLParser):
    """Collects the text of an HTML fragment; scripts and styles are not text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # each entity decoded once, by the parser
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self.parts.append(" ")  # <p>, <br>, <li>...: words on either side stay apart

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """An HTML fragment (a description as read from the store) → plain text: tags dropped,
    entities decoded exactly once, runs of whitespace collapsed to one space."""
    if "<" not in fragment and "&" not in fragment:
        return " ".join(fragment.split())
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    return " ".join("".join(parser.parts).split())


def is_zero_date(value: object) -> bool:
    """True for MySQL's zero date/datetime (as text or bytes), which OpenCart uses for "unset"."""
    if isinstance(value, bytes | bytearray):
        value = bytes(value).decode("ascii", "replace")
    return isinstance(value, str) and (value == "" or value.startswith(ZERO_DATE))


def now() -> _dt.datetime:
    """Local time to the second: what MySQL's NOW() gives OpenCart for ``date_added``."""
    return _dt.datetime.now().replace(microsecond=0)


def utcnow() -> _dt.datetime:
    """Naive UTC to the second: the clock of jettui's own tables."""
    return _dt.datetime.now(_dt.UTC).replace(tzinfo=None, microsecond=0)
