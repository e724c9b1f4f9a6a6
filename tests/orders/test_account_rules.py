"""The line account's pure rules (jettui/services/orders/account.py): caps from what was paid
and already refunded, split refunds that add up to the whole, lines keyed by Jet's
order_item_id (one SKU on two items is two lines), units Jet's shipments and cancels leave on
each line, and the status an accepted refund may move an order to."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from jettui.services.orders.account import (
    Change,
    LineAccount,
    progress,
    refund_terms,
    status_after_refund,
)
from jettui.services.return_rules import (
    AMOUNT_KEYS,
    RefundLineForm,
    ReturnForm,
    ReturnLineForm,
    check_refund_form,
    check_return_form,
    paid_for_units,
)
from jettui.store.oc_orders import ShopContext

ITEM_A, ITEM_B, ITEM_C = "a" * 32, "b" * 32, "c" * 32
#: 2 units whose price and tax do not split evenly in cents (whatever the unit reading)
ODD = {"order_item_id": ITEM_A, "merchant_sku": "ODD", "request_order_quantity": 2,
       "item_price": {"base_price": 25.01, "item_tax": 0.03, "item_shipping_cost": 0.05,
                      "item_shipping_tax": 0.01}}  # fmt: skip
#: one SKU on two Jet items
TWIN_1 = {"order_item_id": ITEM_B, "merchant_sku": "TWIN", "request_order_quantity": 1,
          "item_price": {"base_price": 10.0, "item_tax": 1.0, "item_shipping_cost": 0,
                         "item_shipping_tax": 0}}  # fmt: skip
TWIN_2 = {**TWIN_1, "order_item_id": ITEM_C, "request_order_quantity": 1}
ORDER = {"merchant_order_id": "d" * 32, "order_items": [ODD, TWIN_1, TWIN_2]}


def shipped_accounts(**refunded: LineAccount) -> dict[str, LineAccount]:
    out = {
        i["order_item_id"]: LineAccount(
            i["order_item_id"],
            i["merchant_sku"],
            ordered=i["request_order_quantity"],
            shipped=i["request_order_quantity"],
        )  # fmt: skip
        for i in ORDER["order_items"]
    }
    return {**out, **refunded}


def after(account: LineAccount, units: int, amounts: dict[str, Decimal]) -> LineAccount:
    """``account`` once ``units`` were refunded for ``amounts`` (what Change adds)."""
    change = Change(account.order_item_id, refunded=units, amounts=amounts)
    total = {k: account.amounts[k] + change.amounts.get(k, Decimal(0)) for k in AMOUNT_KEYS}
    return LineAccount(
        account.order_item_id, account.merchant_sku, ordered=account.ordered,
        shipped=account.shipped, refunded=account.refunded + units, amounts=total,
    )  # fmt: skip


def test_split_refunds_add_up_exactly_to_what_was_paid() -> None:
    accounts = shipped_accounts()
    first, problems = check_refund_form(ORDER, [RefundLineForm("ODD", 1)], "Accidental order",
                                        None, accounts=accounts)  # fmt: skip
    assert problems == []
    accounts[ITEM_A] = after(accounts[ITEM_A], 1, first[0].amounts)
    second, problems = check_refund_form(ORDER, [RefundLineForm("ODD", 1)], "Accidental order",
                                         None, accounts=accounts)  # fmt: skip
    assert problems == []
    whole = paid_for_units(ODD, 2)
    for key in AMOUNT_KEYS:
        assert first[0].amounts[key] + second[0].amounts[key] == whole[key], key
    # the tax (a line total) splits unevenly: 0.02 + 0.01, never 0.02 + 0.02
    assert (first[0].amounts["tax"], second[0].amounts["tax"]) == (Decimal("0.02"), Decimal("0.01"))


def test_a_refund_above_what_is_left_names_the_line_and_the_amount_left() -> None:
    accounts = shipped_accounts()
    default, _cap = refund_terms(ODD, accounts[ITEM_A], 1)
    accounts[ITEM_A] = after(accounts[ITEM_A], 1, default)
    left = paid_for_units(ODD, 2)["tax"] - default["tax"]
    too_much = str(default["tax"])  # the first part again: one cent too many
    _lines, problems = check_refund_form(
        ORDER, [RefundLineForm("ODD", 1, {"tax": too_much})], "Accidental order", None,
        accounts=accounts,
    )  # fmt: skip
    assert problems == [
        f"items[ODD].refund_amount.tax: {too_much} is more than what is left of what the "
        f"buyer paid for order item {ITEM_A} (ODD) ({left:.2f})"
    ]
    _lines, problems = check_refund_form(
        ORDER, [RefundLineForm("ODD", 2)], "Accidental order", None, accounts=accounts
    )
    assert problems == [
        f"items[ODD].quantity: 2 is more than the 1 left to refund on order item {ITEM_A} "
        "(ODD: 2 shipped, 1 already refunded)"
    ]


def test_one_sku_on_two_items_is_two_lines() -> None:
    accounts = shipped_accounts()
    lines, problems = check_refund_form(
        ORDER, [RefundLineForm("TWIN", 2)], "Accidental order", None, accounts=accounts
    )
    assert problems == []
    assert [(x.order_item_id, x.quantity) for x in lines] == [(ITEM_B, 1), (ITEM_C, 1)]
    assert all(x.amounts["principal"] == paid_for_units(TWIN_1, 1)["principal"] for x in lines)
    _lines, problems = check_refund_form(
        ORDER, [RefundLineForm("TWIN", 1, {"principal": "5"})], "Accidental order", None,
        accounts=accounts,
    )  # fmt: skip
    assert problems == [
        f"items[TWIN].sku: 'TWIN' is on 2 lines of this order (order_item_id {ITEM_B}, "
        f"{ITEM_C}): name the line by its order_item_id to give amounts"
    ]
    lines, problems = check_refund_form(
        ORDER, [RefundLineForm(ITEM_C, 1, {"principal": "5"})], "Accidental order", None,
        accounts=accounts,
    )  # fmt: skip
    assert problems == [] and [(x.order_item_id, x.amounts["principal"]) for x in lines] == [
        (ITEM_C, Decimal("5.00"))
    ]


def test_shipments_by_sku_fill_the_items_of_that_sku_in_order() -> None:
    records = [{"alt_shipment_id": "s1", "state": "applied", "body": {"shipment_items": [
        {"merchant_sku": "TWIN", "response_shipment_sku_quantity": 1,
         "response_shipment_cancel_qty": 1},
        {"merchant_sku": "ODD", "response_shipment_sku_quantity": 1}]}},
        {"alt_shipment_id": "s2", "state": "sending", "body": {"shipment_items": [
            {"merchant_sku": "ODD", "response_shipment_sku_quantity": 1}]}}]  # fmt: skip
    assert progress(ORDER, records, "inprogress") == {
        ITEM_A: (1, 0),  # the message Jet has not confirmed does not count
        ITEM_B: (1, 0),
        ITEM_C: (0, 1),
    }
    # Jet cancels the rest: every unit still open is cancelled
    assert progress(ORDER, records, "cancelled")[ITEM_A] == (1, 1)


RETURN = {"merchant_order_id": ORDER["merchant_order_id"], "return_merchant_SKUs": [
    {"order_item_id": ITEM_B, "merchant_sku": "TWIN", "return_quantity": 1,
     "requested_refund_amount": {"principal": 10.0, "tax": 1.0, "shipping_cost": 0,
                                 "shipping_tax": 0}},
    {"order_item_id": ITEM_C, "merchant_sku": "TWIN", "return_quantity": 1,
     "requested_refund_amount": {"principal": 10.0, "tax": 1.0, "shipping_cost": 0,
                                 "shipping_tax": 0}}]}  # fmt: skip


def test_a_return_of_units_refunded_before_refunds_nothing_more_and_says_why() -> None:
    refunded = paid_for_units(TWIN_1, 1)
    accounts = shipped_accounts()
    accounts[ITEM_B] = after(accounts[ITEM_B], 1, refunded)
    lines, problems = check_return_form(RETURN, ORDER, ReturnForm(), accounts)
    assert problems == []
    by_item = {x.order_item_id: x for x in lines}
    assert (by_item[ITEM_B].quantity_returned, by_item[ITEM_B].refund_quantity) == (1, 0)
    assert set(by_item[ITEM_B].amounts.values()) == {Decimal("0.00")}
    assert by_item[ITEM_B].feedback == "other" and "already refunded" in by_item[ITEM_B].notes
    assert by_item[ITEM_C].refund_quantity == 1 and by_item[ITEM_C].amounts == refunded
    # asked for anyway: refused, naming the line and what is left
    form = ReturnForm(lines=[ReturnLineForm(ITEM_B, refund_quantity=1)])
    _lines, problems = check_return_form(RETURN, ORDER, form, accounts)
    assert problems == [
        f"lines[{ITEM_B}].order_return_refund_qty: 1 is more than the 0 left to refund on "
        f"order item {ITEM_B} (TWIN: 1 shipped, 1 already refunded)"
    ]
    form = ReturnForm(lines=[ReturnLineForm("TWIN", refund_quantity=1)])
    _lines, problems = check_return_form(RETURN, ORDER, form, accounts)
    assert problems[0].startswith("lines[TWIN].sku: 'TWIN' is on 2 lines of this return")


def test_an_accepted_refund_never_moves_the_order_where_opencart_restocks_kept_units() -> None:
    settings = SimpleNamespace(orders=SimpleNamespace(status_refunded=11))
    shop = ShopContext(processing_status=frozenset({1, 2, 3, 5, 12}),
                       complete_status=frozenset({3, 5}))  # fmt: skip
    done = [LineAccount(ITEM_A, "ODD", ordered=2, shipped=2, refunded=2)]
    part = [LineAccount(ITEM_A, "ODD", ordered=2, shipped=2, refunded=1)]
    # every unit refunded, 2 units still on the line (the buyer kept them): status kept
    status, why = status_after_refund(settings, shop, 5, done, {1: 2})  # type: ignore[arg-type]
    assert status == 5 and "OpenCart would restock the 2 unit(s)" in why
    # every unit back on the shelf (lines at 0): Refunded moves nothing
    assert status_after_refund(settings, shop, 5, done, {1: 0})[0] == 11  # type: ignore[arg-type]
    assert status_after_refund(settings, shop, 5, part, {1: 2})[0] == 5  # type: ignore[arg-type]
    # a Refunded status that holds stock may always be used
    holding = ShopContext(processing_status=frozenset({2, 11}), complete_status=frozenset({5}))
    assert status_after_refund(settings, holding, 5, done, {1: 2})[0] == 11  # type: ignore[arg-type]
