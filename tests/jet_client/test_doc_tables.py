"""The validators (shared by the client and the sandbox) hold the bodies of the write endpoints
to docs/jet-api.md as written: the tables are read from the doc itself, so a field the doc
marks as required that a validator lets through fails here (as ``refund_feedback`` did).

- Table 2.1a (merchant SKU): its Required column. "yes" = refused without it, naming it;
  except where the entry itself says what Jet does with a missing value (a sub-status such as
  "Missing image"): accepted and flagged with that sub-status. "yes, unless ..." is the
  identification rule (codes, an ASIN, or brand + mfr_part_number).
- Tables 2.4b, 2.4c, 2.5b (acknowledge, shipped, complete return): the ``// required`` and
  ``// optional`` notes of their request bodies.
- Section 2.6 (refund): the body in its table; ``name?`` is optional, every other required.

The complete bodies are the doc's own samples (section 5) where it has one; each passes, each
with one required field removed is refused naming that field, and each without an optional one
passes. The sandbox refuses such a body with HTTP 400 (one sample per endpoint over HTTP)."""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from jettui.jet import models
from jettui.jet.sandbox.cases import VALID

# docs/jet-api.md lives in the shared folder: $JETTUI_SHARED (.ci/run sets it), beside the
# OpenCart install SQL the tests load, or beside the checkout (../shared/docs, further up for a
# git worktree); missing, the test fails loudly rather than skip
_FOUND = [
    *([Path(os.environ["JETTUI_SHARED"]) / "docs/jet-api.md"] if "JETTUI_SHARED" in os.environ else []),
    *([Path(os.environ["JETTUI_OPENCART_SQL"]).parent.parent / "docs/jet-api.md"]
      if "JETTUI_OPENCART_SQL" in os.environ else []),
    *(p / "shared/docs/jet-api.md" for p in Path(__file__).parents),
]  # fmt: skip
DOC = next((p for p in _FOUND if p.exists()), _FOUND[-1])
TEXT = DOC.read_text(encoding="utf-8")  # missing: fails loudly rather than skip


# --- reading the doc ---------------------------------------------------------------------------


def section(start: str) -> str:
    """The doc from the line that starts with ``start`` on."""
    at = TEXT.index(start)
    return TEXT[at:]


def sku_table() -> dict[str, str]:
    """Table 2.1a: ``{field: its Required cell}`` (a row may name several fields)."""
    rows: dict[str, str] = {}
    lines = section("**Table 2.1a").splitlines()[1:]
    for line in lines:
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        for name in re.findall(r"`([A-Za-z_0-9]+)`", cells[0]):
            rows[name] = cells[2]
    return rows


def code_block_markers(title: str) -> tuple[set[str], set[str]]:
    """The request body after ``title``: fields noted ``// required`` and ``// optional`` (the
    note is about the last key on its line)."""
    block = section(title).split("```", 2)[1]
    required, optional = set(), set()
    for line in block.splitlines():
        code, _, note = line.partition("//")
        keys = re.findall(r'"([A-Za-z_0-9]+)"\s*:', code)
        if not keys:
            continue
        word = note.strip().split(";")[0].split(" ")[0].lower()
        if word == "required":
            required.add(keys[-1])
        elif word == "optional":
            optional.add(keys[-1])
    return required, optional


def refund_fields() -> tuple[set[str], set[str]]:
    """Section 2.6's POST body: item fields (with the refund_amount parts) required / optional."""
    row = next(line for line in section("### 2.6").splitlines() if line.startswith("| POST"))
    inner = row[row.index('{"items": [ {') + len('{"items": [ {') : row.index("} ]}")]
    parts = re.sub(r"\{([^}]*)\}", lambda m: "," + m.group(1), inner)  # amount's parts as fields
    names = [n.strip() for n in parts.replace(" ", ",").split(",") if n.strip()]
    required = {n for n in names if not n.endswith("?")}
    optional = {n.rstrip("?") for n in names if n.endswith("?")}
    return required, optional


def samples(title: str) -> list[dict[str, Any]]:
    """The JSON objects of the sample block after ``title`` (section 5), in order."""
    block = section(title).split("```json", 1)[1].split("```", 1)[0]
    decoder, out, at = json.JSONDecoder(), [], 0
    while (at := _next_brace(block, at)) >= 0:
        value, at = decoder.raw_decode(block, at)
        out.append(value)
    return out


def _next_brace(text: str, at: int) -> int:
    return text.find("{", at)


def without(body: Any, key: str) -> Any:
    """A copy of ``body`` with the first ``key`` found (depth first) removed; KeyError if none."""
    copied = copy.deepcopy(body)
    if not _drop(copied, key):
        raise KeyError(key)
    return copied


def _drop(node: Any, key: str) -> bool:
    if isinstance(node, dict):
        if key in node:
            del node[key]
            return True
        return any(_drop(v, key) for v in node.values())
    if isinstance(node, list):
        return any(_drop(v, key) for v in node)
    return False


def names_missing(problems: list[str], key: str) -> bool:
    return any(re.search(rf"(^|[.\]]){re.escape(key)}: is required", p) for p in problems)


# --- the bodies ----------------------------------------------------------------------------------

SKU_SAMPLE = samples("**5.1 PUT /merchant-skus")[0]
ACK_SAMPLE, SHIP_SAMPLE, CANCEL_SAMPLE = samples("**5.6 Acknowledge, then ship")
RETURN_SAMPLE = samples("**5.8 Complete return")[0]
REFUND_BODY = VALID["validate_refund"]  # the doc shows no refund sample: every field of 2.6

WRITE_BODIES = [  # (table title, validator, complete body)
    ("**Table 2.4b", models.validate_acknowledge, ACK_SAMPLE),
    ("**Table 2.4c", models.validate_shipped, SHIP_SAMPLE),
    ("**Table 2.5b", models.validate_complete_return, RETURN_SAMPLE),
]


def test_the_doc_samples_pass() -> None:
    assert models.validate_merchant_sku(SKU_SAMPLE) == []
    assert models.validate_acknowledge(ACK_SAMPLE) == []
    assert models.validate_shipped(SHIP_SAMPLE) == []
    assert models.validate_shipped(CANCEL_SAMPLE) == []
    assert models.validate_complete_return(RETURN_SAMPLE) == []
    assert models.validate_refund(REFUND_BODY) == []


# --- table 2.1a ----------------------------------------------------------------------------------

SKU_TABLE = sku_table()
SKU_REQUIRED = {f for f, cell in SKU_TABLE.items() if cell.lower().startswith("yes")}
SKU_FLAGGED = {f: re.search(r'gives "([^"]+)"', SKU_TABLE[f]) for f in SKU_REQUIRED}
SKU_ALTERNATIVES = {f for f in SKU_REQUIRED if SKU_TABLE[f].lower().startswith("yes, unless")}


def test_table_2_1a_is_read_whole() -> None:
    assert len(SKU_TABLE) >= 35 and set(SKU_TABLE) <= set(models.MERCHANT_SKU_SPEC)
    assert {"product_title", "brand", "multipack_quantity"} <= SKU_REQUIRED
    assert {"standard_product_codes"} == SKU_ALTERNATIVES


def test_the_sku_validator_requires_exactly_what_table_2_1a_requires() -> None:
    refused = {f for f in SKU_REQUIRED if not SKU_FLAGGED[f] and f not in SKU_ALTERNATIVES}
    spec_required = {f for f, (_check, required) in models.MERCHANT_SKU_SPEC.items() if required}
    assert spec_required == refused


@pytest.mark.parametrize("field", sorted(SKU_REQUIRED))
def test_a_sku_without_a_required_field_is_refused_or_flagged_as_the_doc_says(field: str) -> None:
    body = without(SKU_SAMPLE, field)
    problems = models.validate_merchant_sku(body)
    flagged = SKU_FLAGGED[field]
    if flagged:  # the doc says what Jet does instead: accepted, with that sub-status
        assert problems == []
        assert flagged.group(1) in models.listing_sub_statuses(body)
    elif field in SKU_ALTERNATIVES:
        assert any(p.startswith(f"{field}: give at least one code") for p in problems)
        assert models.validate_merchant_sku({**body, "ASIN": "B00TEST123"}) == []
    else:
        assert names_missing(problems, field), problems


@pytest.mark.parametrize(
    "field", sorted(f for f, cell in SKU_TABLE.items() if cell.lower().startswith("no"))
)
def test_a_sku_without_an_optional_field_passes(field: str) -> None:
    body = {k: v for k, v in SKU_SAMPLE.items() if k != field}
    assert models.validate_merchant_sku(body) == []


# --- tables 2.4b, 2.4c, 2.5b and section 2.6 -----------------------------------------------------


def marked_cases() -> list[tuple[str, Any, Any, str, bool]]:
    cases = []
    for title, validate, body in WRITE_BODIES:
        required, optional = code_block_markers(title)
        assert required, title  # the block was found and read
        cases += [(title, validate, body, f, True) for f in sorted(required)]
        cases += [(title, validate, body, f, False) for f in sorted(optional)]
    required, optional = refund_fields()
    cases += [("2.6", models.validate_refund, REFUND_BODY, f, True) for f in sorted(required)]
    cases += [("2.6", models.validate_refund, REFUND_BODY, f, False) for f in sorted(optional)]
    return cases


def test_the_refund_body_is_read_from_section_2_6() -> None:
    required, optional = refund_fields()
    assert {"refund_feedback", "refund_reason", "order_item_id", "principal"} <= required
    assert optional == {"alt_order_item_id", "notes"}
    item_required = {f for f, (_c, req) in models.REFUND_ITEM_SPEC.items() if req}
    amount_required = {f for f, (_c, req) in models.AMOUNT_SPEC.items() if req}
    assert item_required | amount_required | {"refund_amount"} == required | {"refund_amount"}


@pytest.mark.parametrize(
    ("title", "validate", "body", "field", "required"),
    marked_cases(),
    ids=lambda v: v.strip("*") if isinstance(v, str) else ("required" if v is True else None),
)
def test_each_documented_field_is_required_or_optional_as_marked(
    title: str, validate: Any, body: dict, field: str, required: bool
) -> None:
    try:
        missing = without(body, field)
    except KeyError:  # an optional field the sample leaves out: the sample passing shows it
        assert not required, f"{title}: the complete body has no {field}"
        return
    problems = validate(missing)
    if required:
        assert names_missing(problems, field), (title, field, problems)
    else:
        assert problems == [], (title, field, problems)


# --- the sandbox applies the same rules over HTTP ------------------------------------------------


async def test_the_sandbox_refuses_a_refund_without_refund_feedback_with_400() -> None:
    from tests.jet_sandbox.conftest import jet_for, make_settings
    from tests.jet_sandbox.test_returns_refunds import refund_body, shipped

    jet = jet_for(make_settings())
    await jet.login()
    order = await shipped(jet, qty=2)
    body = refund_body(order, 1, 5.0)
    r = await jet.c.post(
        f"/refunds/{order['merchant_order_id']}/r-1", json=without(body, "refund_feedback")
    )
    assert r.status_code == 400 and "items[0].refund_feedback: is required" in r.text
    r = await jet.c.post(f"/refunds/{order['merchant_order_id']}/r-1", json=body)
    assert r.status_code == 200, r.text
    untitled = without(SKU_SAMPLE, "product_title")
    r = await jet.c.put("/merchant-skus/untitled", json=untitled)
    assert r.status_code == 400 and "product_title: is required" in r.text
