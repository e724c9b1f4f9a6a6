"""`jettui refunds create` and `jettui returns complete` against the embedded sandbox (strict:
it refuses a refund without refund_feedback, docs/jet-api.md 2.6): a refund given only a reason
sends the feedback that reason implies and says so; numbers typed on the command line are
checked like every field (an exponent, NaN, inf, a negative, 3 decimals, a huge quantity: one
line naming the option, exit 2, nothing sent — never "unexpected error")."""

from __future__ import annotations

import asyncio

import pytest

from jettui.config import Settings
from tests.cli.test_returns_cli import shipped

SKU = "HRT-SWL00001"


def feedback_on_jet(settings: Settings, refund_authorization_id: str) -> list[str]:
    """Each item's refund_feedback as the sandbox holds the refund."""
    from jettui.jet.connect import open_jet_client

    async def read() -> dict:
        async with open_jet_client(settings) as jet:
            return await jet.get_refund(refund_authorization_id)

    return [str(item.get("refund_feedback")) for item in asyncio.run(read())["items"]]


def test_a_refund_with_only_a_reason_sends_the_implied_feedback_and_says_so(
    shop: Settings, jettui
) -> None:
    [jet_id] = shipped(shop, jettui, 1)
    ran = jettui("refunds", "create", jet_id, "--item", f"{SKU}=1",
                 "--reason", "No longer want this item")  # fmt: skip
    assert ran.code == 0, ran.err
    assert "feedback 'Refunded minus shipping cost' (from the reason)" in ran.lines[0]
    ran = jettui("refunds", "create", jet_id, "--item", f"{SKU}=1",
                 "--reason", "Item arrived damaged - box damaged", "--json")  # fmt: skip
    assert ran.code == 0, ran.err
    result = ran.document["result"]
    assert (result["feedback"], result["feedback_source"]) == ("Item damaged", "from the reason")
    rows = jettui("refunds", "list", "--json").document["refunds"]
    on_jet = {r["feedback"]: feedback_on_jet(shop, r["refund_authorization_id"]) for r in rows}
    assert on_jet == {
        "Item damaged": ["Item damaged"],
        "Refunded minus shipping cost": ["Refunded minus shipping cost"],
    }


def test_a_given_feedback_is_sent_as_given(shop: Settings, jettui) -> None:
    [jet_id] = shipped(shop, jettui, 1)
    ran = jettui("refunds", "create", jet_id, "--item", f"{SKU}=1",
                 "--reason", "No longer want this item", "--feedback", "Restocking fee")  # fmt: skip
    assert ran.code == 0, ran.err
    assert "feedback 'Restocking fee' (given)" in ran.lines[0]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (f"{SKU}=1:1e400", "amount: must be a number (got '1e400')"),
        (f"{SKU}=1:NaN", "amount: must be a number (got 'NaN')"),
        (f"{SKU}=1:inf", "amount: must be a number (got 'inf')"),
        (f"{SKU}=1:-1", "amount: must be at least 0 (got -1)"),
        (f"{SKU}=1:1.234", "amount: at most 2 decimals (got 1.234)"),
        (f"{SKU}=1:99999999", "amount: at most 7 digits before the point (got 99999999)"),
        (f"{SKU}=1e400", "quantity: must be a whole number (got '1e400')"),
        (f"{SKU}=-1", "quantity: must be at least"),
        (f"{SKU}=" + "9" * 5000, "quantity: must be at most 999999"),
        (f"{SKU}=99999999999999999999", "quantity: must be at most 999999"),
    ],
)
def test_numbers_on_the_command_line_are_checked_naming_the_option(
    shop: Settings, jettui, value: str, problem: str
) -> None:
    for command in (
        ("refunds", "create", "any-order", "--item", value, "--reason", "Unwanted gift"),
        ("returns", "complete", "any-return", "--line", value),
    ):
        ran = jettui(*command)
        option = command[3]
        assert ran.code == 2, (command, ran.err)
        assert ran.lines[0].startswith(f"jettui: {option} '{value}': {problem}"), ran.lines
        assert "unexpected error" not in ran.err and "Traceback" not in ran.err
    assert jettui("refunds", "list").out == ""  # nothing recorded, nothing sent


def test_an_amount_above_what_is_refundable_is_a_field_error(shop: Settings, jettui) -> None:
    [jet_id] = shipped(shop, jettui, 1)
    ran = jettui("refunds", "create", jet_id, "--item", f"{SKU}=1:1000.00",
                 "--reason", "Unwanted gift")  # fmt: skip
    assert ran.code == 2
    assert ran.lines[0].startswith(f"jettui: items[{SKU}].refund_amount.principal: 1000.00 is more")
    assert jettui("refunds", "list").out == ""
