"""Text from outside (Jet, the store) is text: made safe before it reaches a terminal or a
TSV/CSV cell.

A buyer name holding ``\\x1b]0;PWNED\\x07\\x1b[2J`` would retitle and clear the merchant's
terminal, a tab would shift a TSV row's columns, and a right-to-left override (U+202E) would
show a different text than the one stored. :func:`safe_text` is the one function every
printer uses (``cli/output.py`` runs every line through it; the listings run every cell):

- whitespace controls (TAB, LF, CR, VT, FF, the file/group/record/unit separators, NEL,
  U+2028/U+2029) become one space, runs of spaces one space, ends trimmed — one line, one
  cell (``keep_tabs`` keeps TAB as a column separator and leaves spaces alone: a whole
  printed line whose cells are already safe);
- every other control character (C0, DEL, C1: ESC of the ANSI/OSC sequences included) and the
  bidirectional controls (U+061C, U+200E/U+200F, U+202A–U+202E, U+2066–U+2069) are written as
  their escape (``\\x1b``, ``\\u202e``): visible, inert, and nothing is silently lost.

``--json`` keeps the original text: ``json.dumps`` (``ensure_ascii``) writes every control and
non-ASCII character as a ``\\uXXXX`` escape, so the document stays valid JSON, reaches the
terminal inert, and a program reading it gets exactly what Jet or the store holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_WHITESPACE_CONTROLS = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029"
_SPACES = str.maketrans(dict.fromkeys(_WHITESPACE_CONTROLS, " "))
_UNSAFE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{BIDI_CONTROLS}\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(value: object, *, keep_tabs: bool = False) -> str:
    """``value`` as inert text for a terminal or a TSV/CSV cell (see the module's rules);
    None is ""."""
    text = "" if value is None else str(value)
    if keep_tabs:
        return "\t".join(_UNSAFE.sub(_escape, part) for part in text.split("\t"))
    text = " ".join(filter(None, text.translate(_SPACES).split(" ")))
    return _UNSAFE.sub(_escape, text)


def tsv_row(fields: Iterable[object]) -> str:
    """One TSV row of ``fields``, each made safe (no tab or newline can leave its cell)."""
    return "\t".join(safe_text(field) for field in fields)
