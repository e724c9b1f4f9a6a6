"""Refund and return caps read Jet's money per unit (issue 15, case 7), on SQLite and MariaDB
with OpenCart 3.0.3.8's demo data: an order of 2 iPhones at 101.00 each (4.00 tax for the line,
5.00 shipping and 0.40 shipping tax per unit, as Jet sends them) is refundable up to 202.00 +
4.00 + 10.00 + 0.80; the sandbox, reading Jet's order the same way, accepts exactly that."""

from __future__ import annotations

from typing import Any

import pytest

from jettui.jet.connect import open_jet_client
from jettui.services.orders.acknowledge import acknowledge_orders
from jettui.services.orders.importer import fetch_orders
from jettui.services.orders.shipping import default_form, order_view, ship_order
from jettui.services.refunds import create_refund, poll_refunds, refund_form_view
from jettui.services.return_rules import FormRefused, RefundLineForm, ReturnForm
from jettui.services.returns import complete_return, completion_form_view, fetch_returns
from tests.returns.support import generate_return, jet_return
from tests.shop_support import edit_jet_order, link_skus, list_on_jet, place_order

SKU = "product 11"  # the demo's iPhone, listed at 101.00
PER_UNIT = {"base_price": 101.0, "item_tax": 4.0, "item_shipping_cost": 5.0,
            "item_shipping_tax": 0.4}  # fmt: skip
TWO_UNITS = {"principal": 202.0, "tax": 4.0, "shipping_cost": 10.0, "shipping_tax": 0.8}


def as_text(amounts: dict[str, float]) -> dict[str, str]:
    return {k: f"{v:.2f}" for k, v in amounts.items()}


async def shipped_two_units(settings, db) -> str:
    """2 iPhones ordered on Jet with per-unit money, imported, acknowledged and shipped."""
    link_skus()
    await list_on_jet(settings)
    [mid] = await place_order(settings, [(SKU, 2, 0)])

    def money(doc: dict[str, Any]) -> None:
        doc["order_items"][0]["item_price"] = dict(PER_UNIT)

    edit_jet_order(settings, mid, money)
    report = await fetch_orders(settings, db)
    assert report.exit_code == 0, report.summary
    await acknowledge_orders(settings, db, [mid])
    form = default_form(await order_view(db, mid), settings)
    form.tracking_number = "1Z999AA10123456784"
    result = await ship_order(settings, db, mid, form)
    assert result.outcome == "succeeded", result.reason
    return mid


async def test_refund_of_two_units_defaults_to_and_is_capped_at_twice_the_unit(
    oc_settings, oc_db
) -> None:
    settings = oc_settings
    mid = await shipped_two_units(settings, oc_db)

    [line] = (await refund_form_view(settings, oc_db, mid))["lines"]
    assert (line["refundable"], line["default_amounts"]) == (2, as_text(TWO_UNITS))
    over = RefundLineForm(SKU, 2, {"principal": "202.01"})
    with pytest.raises(FormRefused, match=r"202\.01 is more than what is left of what the buyer "
                       r"paid for order item \w+ \(product 11\) \(202\.00\)"):  # fmt: skip
        await create_refund(settings, oc_db, mid, [over], "Accidental order")

    result = await create_refund(settings, oc_db, mid, {SKU: 2}, "Accidental order")
    assert result.outcome == "succeeded", result.reason
    for _ in range(3):
        await poll_refunds(settings, oc_db)
    async with open_jet_client(settings) as jet:
        refund = await jet.get_refund(result.detail["refund_authorization_id"])
    assert refund["refund_status"] == "accepted"  # within what Jet says the buyer paid
    [sent] = refund["items"]
    assert (sent["order_return_refund_qty"], sent["refund_amount"]) == (2, TWO_UNITS)


async def test_return_of_two_units_refunds_twice_the_unit(oc_settings, oc_db) -> None:
    settings = oc_settings
    mid = await shipped_two_units(settings, oc_db)
    rid = await generate_return(settings, mid)
    [asked] = (await jet_return(settings, rid))["return_merchant_SKUs"]
    assert (asked["return_quantity"], asked["requested_refund_amount"]["principal"]) == (2, 202.0)
    report = await fetch_returns(settings, oc_db)
    assert [i.outcome for i in report.items] == ["succeeded"], report.items

    [shown] = completion_form_view(oc_db, rid)["lines"]
    assert shown["paid"] == as_text(TWO_UNITS)
    assert shown["default_refund"]["principal"] == "202.00"
    result = await complete_return(settings, oc_db, rid, ReturnForm())
    assert result.outcome == "succeeded", result.reason
    [sent] = (await jet_return(settings, rid))["items"]
    assert (sent["order_return_refund_qty"], sent["refund_amount"]["principal"]) == (2, 202.0)
