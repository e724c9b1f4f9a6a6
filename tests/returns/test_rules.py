"""One test per completion and refund rule: bad input is refused before anything is sent, and
the message names the field (the form and the CLI show it next to what was typed)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jettui.jet import models
from jettui.services.return_rules import (
    AMOUNT_KEYS,
    RefundLineForm,
    ReturnForm,
    ReturnLineForm,
    check_refund_form,
    check_return_form,
    completion_body,
)

ITEM_1, ITEM_2, ORDER = "a" * 32, "b" * 32, "c" * 32
ORDER_DOC = {
    "merchant_order_id": ORDER,
    "order_items": [
        {"order_item_id": ITEM_1, "merchant_sku": "SKU-1", "request_order_quantity": 2,
         # per unit (jettui.jet.item_price): 20.00 each, 3.00 shipping + 0.30 its tax each,
         # 4.00 tax for the line: the buyer paid 40.00 + 4.00 + 6.00 + 0.60 for both units
         "item_price": {"base_price": 20.0, "item_tax": 4.0, "item_shipping_cost": 3.0,
                        "item_shipping_tax": 0.3}},
        {"order_item_id": ITEM_2, "merchant_sku": "SKU-2", "request_order_quantity": 1,
         "item_price": {"base_price": 10.0, "item_tax": 0, "item_shipping_cost": 0,
                        "item_shipping_tax": 0}},
    ],
}  # fmt: skip
RETURN_DOC = {
    "merchant_return_authorization_id": "d" * 32,
    "merchant_order_id": ORDER,
    "return_status": "created",
    "return_merchant_SKUs": [
        {"order_item_id": ITEM_1, "merchant_sku": "SKU-1", "return_quantity": 2,
         "reason": "Item arrived damaged - box intact",
         "requested_refund_amount": {"principal": 40.0, "tax": 4.0, "shipping_cost": 0,
                                     "shipping_tax": 0}},
    ],
}  # fmt: skip


def amounts(principal: str, tax: str, shipping_cost: str, shipping_tax: str) -> dict:
    values = (principal, tax, shipping_cost, shipping_tax)
    return {key: Decimal(v) for key, v in zip(AMOUNT_KEYS, values, strict=True)}


def refused(form: ReturnForm) -> list[str]:
    _lines, problems = check_return_form(RETURN_DOC, ORDER_DOC, form)
    return problems


def line(**values) -> ReturnForm:
    return ReturnForm(lines=[ReturnLineForm("SKU-1", **values)])


def test_default_refunds_every_returned_unit_at_what_was_paid_and_requested() -> None:
    lines, problems = check_return_form(RETURN_DOC, ORDER_DOC, ReturnForm())
    assert problems == []
    (only,) = lines
    assert (only.quantity_returned, only.refund_quantity) == (2, 2)
    # shipping was paid (6.00) but not requested (0): the default never exceeds the request
    assert only.amounts == amounts("40.00", "4.00", "0.00", "0.00")
    body = completion_body(RETURN_DOC, ReturnForm(), lines)
    assert models.validate_complete_return(body) == []
    assert body["items"][0]["refund_amount"]["principal"] == 40.0


def test_partial_quantity_defaults_to_that_share_of_the_price() -> None:
    lines, problems = check_return_form(RETURN_DOC, ORDER_DOC, line(refund_quantity=1))
    assert problems == []
    assert lines[0].amounts["principal"] == Decimal("20.00")
    assert lines[0].amounts["tax"] == Decimal("2.00")


def test_negative_amount_is_refused() -> None:
    assert refused(line(amounts={"principal": "-1"})) == [
        "lines[SKU-1].refund_amount.principal: must be at least 0 (got -1)"
    ]


def test_more_than_two_decimals_is_refused() -> None:
    assert refused(line(amounts={"tax": "1.005"})) == [
        "lines[SKU-1].refund_amount.tax: at most 2 decimals (got 1.005)"
    ]


def test_amount_that_is_not_a_number_is_refused() -> None:
    assert refused(line(amounts={"principal": "12,50"})) == [
        "lines[SKU-1].refund_amount.principal: must be a number (got '12,50')"
    ]


def test_more_than_the_buyer_paid_for_those_units_is_refused() -> None:
    problems = refused(line(refund_quantity=1, amounts={"principal": "30"}))
    assert problems == [
        "lines[SKU-1].refund_amount.principal: 30.00 is more than what is left of what the "
        f"buyer paid for order item {ITEM_1} (SKU-1) (20.00)"
    ]


def test_more_than_the_return_requested_is_refused() -> None:
    problems = refused(line(amounts={"shipping_cost": "1"}))  # paid 6.00, requested 0
    assert problems == [
        "lines[SKU-1].refund_amount.shipping_cost: 1.00 is more than what the return "
        "requested (0.00)"
    ]


def test_quantity_returned_above_the_return_is_refused() -> None:
    assert refused(line(quantity_returned=3)) == [
        "lines[SKU-1].total_quantity_returned: 3 is more than the 2 returned"
    ]


def test_refunded_quantity_above_the_returned_quantity_is_refused() -> None:
    assert refused(line(quantity_returned=1, refund_quantity=2)) == [
        "lines[SKU-1].order_return_refund_qty: 2 is more than the 1 returned"
    ]


def test_negative_quantity_is_refused() -> None:
    assert refused(line(refund_quantity=-1)) == [
        "lines[SKU-1].order_return_refund_qty: must be at least 0 (got -1)"
    ]


def test_sku_not_on_the_order_is_refused() -> None:
    problems = refused(ReturnForm(lines=[ReturnLineForm("NOPE", refund_quantity=1)]))
    assert problems == ["lines[NOPE].sku: 'NOPE' is not on this order"]


def test_sku_on_the_order_but_not_returned_is_refused() -> None:
    problems = refused(ReturnForm(lines=[ReturnLineForm("SKU-2", refund_quantity=1)]))
    assert problems == ["lines[SKU-2].sku: 'SKU-2' is not part of this return"]


def test_disputing_the_charge_needs_a_charge_feedback() -> None:
    problems = refused(ReturnForm(agree_to_return_charge=False))
    assert len(problems) == 1 and problems[0].startswith("return_charge_feedback: required")
    assert refused(ReturnForm(agree_to_return_charge=False, charge_feedback="fraud")) == []


def test_unknown_refund_feedback_is_refused() -> None:
    problems = refused(line(feedback="meh"))
    assert problems[0].startswith("lines[SKU-1].return_refund_feedback: 'meh' is not")


# --- merchant refunds -------------------------------------------------------------------------


def accounts_of(order, shipped, taken=None, amounts_taken=None) -> dict:
    """Line accounts of ``order``: ``{sku: units}`` shipped and already refunded."""
    from jettui.services.orders.account import LineAccount

    out = {}
    for item in order["order_items"]:
        sku, item_id = item["merchant_sku"], item["order_item_id"]
        out[item_id] = LineAccount(
            item_id, sku, ordered=item["request_order_quantity"], shipped=shipped.get(sku, 0),
            refunded=(taken or {}).get(sku, 0),
            amounts={**dict.fromkeys(AMOUNT_KEYS, Decimal(0)), **(amounts_taken or {}).get(sku, {})},
        )  # fmt: skip
    return out


def refund(lines, reason="Accidental order", feedback="Item damaged", shipped=None, taken=None):
    shipped = shipped if shipped is not None else {"SKU-1": 2, "SKU-2": 1}
    return check_refund_form(
        ORDER_DOC, lines, reason, feedback, accounts=accounts_of(ORDER_DOC, shipped, taken)
    )


def test_refund_defaults_to_what_was_paid_for_those_units() -> None:
    lines, problems = refund([RefundLineForm("SKU-1", 1)])
    assert problems == []
    assert lines[0].amounts == amounts("20.00", "2.00", "3.00", "0.30")
    body = {"items": [x.as_item("Accidental order", "Item damaged") for x in lines]}
    assert models.validate_refund(body) == []


def test_refund_of_more_units_than_shipped_minus_taken_is_refused() -> None:
    _lines, problems = refund([RefundLineForm("SKU-1", 2)], taken={"SKU-1": 1})
    assert problems == [
        f"items[SKU-1].quantity: 2 is more than the 1 left to refund on order item {ITEM_1} "
        "(SKU-1: 2 shipped, 1 already refunded)"
    ]


def test_refund_of_unshipped_units_is_refused() -> None:
    _lines, problems = refund([RefundLineForm("SKU-2", 1)], shipped={"SKU-1": 2})
    assert problems[0].startswith("items[SKU-2].quantity: 1 is more than the 0 left to refund")


def test_refund_quantity_must_be_a_positive_whole_number() -> None:
    assert refund([RefundLineForm("SKU-1", 0)])[1] == [
        "items[SKU-1].quantity: must be at least 1 (got 0)"
    ]
    assert refund([RefundLineForm("SKU-1", "two")])[1] == [
        "items[SKU-1].quantity: must be a whole number (got 'two')"
    ]


def test_refund_over_what_was_paid_is_refused() -> None:
    _lines, problems = refund([RefundLineForm("SKU-2", 1, {"principal": "10.01"})])
    assert problems == [
        "items[SKU-2].refund_amount.principal: 10.01 is more than what is left of what the "
        f"buyer paid for order item {ITEM_2} (SKU-2) (10.00)"
    ]


def test_refund_amount_with_three_decimals_or_negative_is_refused() -> None:
    _lines, problems = refund([RefundLineForm("SKU-2", 1, {"tax": "0.001", "principal": -2})])
    assert problems == [
        "items[SKU-2].refund_amount.principal: must be at least 0 (got -2)",
        "items[SKU-2].refund_amount.tax: at most 2 decimals (got 0.001)",
    ]


def test_refund_sku_not_on_the_order_is_refused() -> None:
    assert refund([RefundLineForm("NOPE", 1)])[1] == [
        "items[NOPE].sku: 'NOPE' is not on this order"
    ]


@pytest.mark.parametrize(
    ("reason", "feedback", "field"),
    [("because", None, "reason: "), ("Accidental order", "meh", "feedback: ")],
)
def test_refund_reason_and_feedback_must_be_jet_values(reason, feedback, field) -> None:
    problems = refund([RefundLineForm("SKU-1", 1)], reason=reason, feedback=feedback)[1]
    assert len(problems) == 1 and problems[0].startswith(field)


def test_refund_without_lines_is_refused() -> None:
    assert refund([])[1] == ["items: name at least one SKU and quantity to refund"]


# --- headless options -------------------------------------------------------------------------


def test_line_options_feed_the_same_rules() -> None:
    from jettui.services.return_rules import FormRefused, parse_line_options

    lines = parse_line_options(["SKU-1=1:12.50"])
    checked, problems = check_return_form(RETURN_DOC, ORDER_DOC, ReturnForm(lines=lines))
    assert problems == [] and checked[0].refund_quantity == 1
    assert checked[0].amounts["principal"] == Decimal("12.50")
    _checked, problems = check_return_form(
        RETURN_DOC, ORDER_DOC, ReturnForm(lines=[ReturnLineForm("SKU-1", refund_quantity="x")])
    )
    assert problems == ["lines[SKU-1].order_return_refund_qty: must be a whole number (got 'x')"]
    with pytest.raises(FormRefused, match=r"--line 'SKU-1=x': quantity: must be a whole number"):
        parse_line_options(["SKU-1=x"])  # the option's own text is named when it is typed


def test_option_not_in_the_expected_shape_names_the_option() -> None:
    from jettui.services.return_rules import FormRefused, parse_item_options, parse_line_options

    with pytest.raises(FormRefused, match=r"--line 'SKU-1': expected SKU=QTY\[:AMOUNT\]"):
        parse_line_options(["SKU-1"])
    with pytest.raises(FormRefused, match=r"--item 'A=': expected SKU=QTY"):
        parse_item_options(["A="])
    (item,) = parse_item_options(["Product 3-Red=2:9.99"])
    assert (item.sku, item.quantity, item.amounts) == ("Product 3-Red", "2", {"principal": "9.99"})
