"""Standard product codes (UPC, EAN, GTIN-14, ISBN-10, ISBN-13) and ASINs.

Check digits are verified with python-stdnum (``stdnum.ean`` covers UPC-A, EAN-13 and GTIN-14;
``stdnum.isbn`` covers ISBN-10 and ISBN-13).
"""

from __future__ import annotations

import re

from stdnum import ean, isbn
from stdnum.exceptions import ValidationError

from jettui.jet.enums import CODE_TYPES

_ASIN = re.compile(r"^[A-Za-z0-9]{10}$")
_ISBN10 = re.compile(r"^\d{9}[\dXx]$")


def check_code_format(code: object, code_type: object) -> str | None:
    """Type, characters and length only (what Jet refuses outright); None when fine."""
    if not isinstance(code, str) or not code:
        return "must be a non-empty string"
    if code_type == "ASIN":
        return None if _ASIN.match(code) else f"ASIN '{code}' must be exactly 10 letters or digits"
    if code_type not in CODE_TYPES:
        return f"type '{code_type}' is not one of {', '.join(CODE_TYPES)}"
    want = CODE_TYPES[code_type]
    pattern_ok = (
        _ISBN10.match(code) if code_type == "ISBN-10" else code.isascii() and code.isdigit()
    )
    if not pattern_ok or len(code) != want:
        return f"{code_type} '{code}' must be exactly {want} digits (got {len(code)} characters)"
    if code_type == "ISBN-13" and not code.startswith(("978", "979")):
        return f"ISBN-13 '{code}' must start with 978 or 979"
    return None


def check_product_code(code: object, code_type: object) -> str | None:
    """None when ``code`` is a valid ``code_type`` code (check digit included), else why not.

    ``code_type`` is one of UPC, EAN, ISBN-10, ISBN-13, GTIN-14, or ASIN.
    """
    problem = check_code_format(code, code_type)
    if problem or code_type == "ASIN":
        return problem
    # check_code_format accepted them, so both are strings (narrowed here for the type checker)
    if not isinstance(code, str) or not isinstance(code_type, str):
        return problem
    module = isbn if code_type.startswith("ISBN") else ean
    try:
        module.validate(code)
    except ValidationError:
        return (
            f"{code_type} '{code}' has a wrong check digit (expected {_expected(code, code_type)})"
        )
    return None


def _expected(code: str, code_type: str) -> str:
    body = code[:-1]
    if code_type == "ISBN-10":
        check = (11 - sum((10 - i) * int(d) for i, d in enumerate(body)) % 11) % 11
        return "X" if check == 10 else str(check)
    return ean.calc_check_digit(body)


def guess_code_type(code: str) -> str | None:
    """The most likely code type for ``code``, or None when it fits none."""
    code = (code or "").strip()
    if code.isascii() and code.isdigit():
        if len(code) == 13:
            return "ISBN-13" if code.startswith(("978", "979")) else "EAN"
        if len(code) == 10:
            return "ISBN-10"
        return {12: "UPC", 14: "GTIN-14"}.get(len(code))
    if _ISBN10.match(code):
        return "ISBN-10"
    if _ASIN.match(code):
        return "ASIN"
    return None
