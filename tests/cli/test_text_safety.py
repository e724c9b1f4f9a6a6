"""Issue 19 item 16: text from Jet or the store is text. `jettui.text_safety.safe_text` is the
one function that makes it inert for a terminal or a TSV cell; every CLI printer uses it, and
--json keeps the original text escaped by JSON."""

from __future__ import annotations

import json

import pytest

from jettui.config import Settings
from jettui.store.db import connect
from jettui.text_safety import safe_text, tsv_row
from tests.shop_support import place

HOSTILE = "\x1b]0;PWNED\x07\x1b[2J\x1b[31mEve\tEvil\nSmith\u202emoc.live\x7f\x9b1m"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain  words ", "plain words"),
        ("tab\there\nnew\r\nline\x0bvt\x0cff\u2028ls\x85nel", "tab here new line vt ff ls nel"),
        ("nul\x00bel\x07bs\x08esc\x1bdel\x7f", "nul\\x00bel\\x07bs\\x08esc\\x1bdel\\x7f"),
        ("c1\x80\x9b\x9d\x9f", "c1\\x80\\x9b\\x9d\\x9f"),
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        (
            "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",
            "\\x1b]8;;http://x\\x1b\\link\\x1b]8;;\\x1b\\",
        ),
        ("a\u202ab\u202bc\u202cd\u202de\u202ef", "a\\u202ab\\u202bc\\u202cd\\u202de\\u202ef"),
        (
            "\u2066i\u2067j\u2068k\u2069\u200e\u200f\u061c",
            "\\u2066i\\u2067j\\u2068k\\u2069\\u200e\\u200f\\u061c",
        ),  # fmt: skip
        ("Zoë Łukasz 東京 🙂 [b]not markup[/b]", "Zoë Łukasz 東京 🙂 [b]not markup[/b]"),
        (None, ""),
        (12.5, "12.5"),
    ],
)
def test_safe_text_makes_controls_escapes_and_bidi_visible_and_inert(text, shown) -> None:
    assert safe_text(text) == shown
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in safe_text(text))


def test_a_tsv_row_keeps_its_columns_whatever_the_cells_hold() -> None:
    row = tsv_row(["id-1", HOSTILE, None, 3])
    assert row.split("\t") == ["id-1", safe_text(HOSTILE), "", "3"]
    assert "\x1b" not in row and "\n" not in row and "\u202e" not in row
    # keep_tabs: a printed line keeps its column separators, its other controls escaped
    assert safe_text("a\tb\x1b[2Jc", keep_tabs=True) == "a\tb\\x1b[2Jc"


def _hostile_order(shop: Settings, jettui) -> str:
    from jettui.store.jet_tables import JetOrder

    jet_id = place(shop)
    assert jettui("cron", "fetch-orders").code == 0
    db = connect(shop)
    row = JetOrder.get(JetOrder.merchant_order_id == jet_id)
    raw = dict(row.raw)
    raw["buyer"] = {**(raw.get("buyer") or {}), "name": HOSTILE}
    shipping = dict(raw.get("shipping_to") or {})
    shipping["recipient"] = {**(shipping.get("recipient") or {}), "name": HOSTILE}
    shipping["address"] = {**(shipping.get("address") or {}), "address1": "1 Main\tSt\n#2"}
    raw["shipping_to"] = shipping
    row.raw = raw
    row.save()
    db.close()
    return jet_id


def _inert(text: str, *, tabs: bool = False) -> None:
    for bad in ("\x1b", "\x07", "\x7f", "\x9b", "\u202e", "\r"):
        assert bad not in text, repr(bad)
    if not tabs:
        assert "\t" not in text


def test_orders_show_and_list_print_a_hostile_buyer_name_inert(shop: Settings, jettui) -> None:
    jet_id = _hostile_order(shop, jettui)
    shown = safe_text(HOSTILE)

    ran = jettui("orders", "list")
    assert ran.code == 0
    _inert(ran.out, tabs=True)
    [row] = ran.rows
    assert len(row) == 11 and row[0] == jet_id and row[7] == shown  # columns intact

    ran = jettui("orders", "show", jet_id)
    assert ran.code == 0
    _inert(ran.out)
    lines = ran.out.splitlines()
    assert f"buyer: {shown}" in lines
    assert any(line.startswith("ship_to: name: " + shown) for line in lines)
    assert any("address1: 1 Main St #2" in line for line in lines)  # no raw tab or newline

    # --json: valid JSON, the original text (escaped by JSON: nothing raw on the terminal)
    ran = jettui("orders", "show", jet_id, "--json")
    _inert(ran.out)
    assert "\\u001b]0;PWNED\\u0007" in ran.out
    assert ran.document["order"]["buyer"] == HOSTILE
    document = json.loads(jettui("orders", "list", "--json").out)
    assert document["orders"][0]["buyer"] == HOSTILE
