"""Every order, return and refund write that is not safe to repeat, against the strict sandbox
with the SHIPPED default ``max_retries`` and a non-zero ``lost_answer_rate``: once where Jet
applies the write and the answer is lost, once where Jet answers 500 before applying it. Each
time Jet and OpenCart end in the right state, the write is applied exactly once, and the report
says what happened ("applied (answer lost, confirmed by lookup)" when it was)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from jettui.config import JetSettings, Settings
from jettui.jet.once import ANSWER_LOST
from jettui.jet.sandbox.orders import Sandbox
from jettui.services.orders.acknowledge import acknowledge_orders
from jettui.services.orders.importer import fetch_orders
from jettui.services.orders.shipping import form_from_options, order_view, ship_order
from jettui.services.refunds import create_refund, list_refunds
from jettui.services.results import Outcome
from jettui.services.returns import complete_return, fetch_returns
from jettui.store.jet_tables import JetOrder, JetReturn
from tests.orders.ship_support import history, oc_status
from tests.returns.support import generate_return, jet_return
from tests.shop_support import IPHONE_SKU, jet_order, oc_order_id, place_order, upload_products

PROCESSING, SHIPPED, COMPLETE = 2, 3, 5
WAYS = ["applied-answer-lost", "not-applied-500"]


def strict(settings: Settings, rate: float = 0.2) -> Settings:
    """The shipped default max_retries and lost answers at ``rate`` (on top of the planned)."""
    assert JetSettings().max_retries > 0
    return replace(
        settings,
        jet=replace(settings.jet, max_retries=JetSettings().max_retries),
        sandbox=replace(settings.sandbox, lost_answer_rate=rate),
    )


def plan(settings: Settings, way: str, method: str, path: str) -> None:
    """The next ``method`` call on ``path``: applied and its answer lost, or 500 before."""
    sandbox = Sandbox(settings)
    try:
        if way == "applied-answer-lost":
            sandbox.lose_next_answers(method, path, kind="504")
        else:
            sandbox.fail_next_calls(method, path)
    finally:
        sandbox.db.close()


def lost(settings: Settings, path: str) -> int:
    sandbox = Sandbox(settings)
    try:
        return sum(path in e["path"] for e in sandbox.lost_answers())
    finally:
        sandbox.db.close()


def note_ok(reason: str, way: str, lost_here: int) -> None:
    """The report says the answer was lost exactly when one was."""
    assert (ANSWER_LOST in reason) == (lost_here > 0), reason


@pytest.mark.parametrize("way", WAYS)
async def test_acknowledge_and_ship_are_applied_once(oc_settings, oc_db, way: str) -> None:
    await upload_products(oc_settings, oc_db)
    [mid] = await place_order(oc_settings, [(IPHONE_SKU, 3, 0)])
    assert not [i for i in (await fetch_orders(oc_settings, oc_db)).items if i.is_problem]
    settings = strict(oc_settings)

    plan(settings, way, "PUT", "/acknowledge")
    report = await acknowledge_orders(settings, oc_db, [mid])
    [item] = report.items
    assert item.outcome == Outcome.SUCCEEDED, item.reason
    note_ok(item.reason, way, lost(settings, "/acknowledge"))
    assert (await jet_order(settings, mid))["status"] == "acknowledged"
    assert JetOrder.get(JetOrder.merchant_order_id == mid).acknowledgement_status == "accepted"

    order_id = oc_order_id(mid)
    plan(settings, way, "PUT", "/shipped")
    view = await order_view(oc_db, mid)
    form = form_from_options(view, settings, carrier="UPS", method="UPS Ground",
                             tracking="1ZONCE000000000000", zip="84047", ship={IPHONE_SKU: 2})  # fmt: skip
    result = await ship_order(settings, oc_db, mid, form)
    assert result.outcome == Outcome.SUCCEEDED, result.reason
    note_ok(result.reason, way, lost(settings, "/shipped"))
    jet = await jet_order(settings, mid)
    assert [s["alt_shipment_id"] for s in jet["shipments"]] == [form.alt_shipment_id]
    assert jet["status"] == "inprogress"
    assert oc_status(order_id) == SHIPPED
    assert sum("1ZONCE000000000000" in c for _, c in history(order_id)) == 1
    records = JetOrder.get(JetOrder.merchant_order_id == mid).shipments
    assert [r["state"] for r in records] == ["applied"]


@pytest.mark.parametrize("way", WAYS)
async def test_return_completion_and_refund_are_applied_once(oc_settings, oc_db, way: str) -> None:
    from tests.returns.support import shipped_order

    await upload_products(oc_settings, oc_db)
    mid = await shipped_order(oc_settings, oc_db, {IPHONE_SKU: 3})
    rid = await generate_return(oc_settings, mid)
    await fetch_returns(oc_settings, oc_db)
    settings = strict(oc_settings)

    plan(settings, way, "PUT", "/complete")
    result = await complete_return(settings, oc_db, rid)
    assert result.outcome == Outcome.SUCCEEDED, result.reason
    note_ok(result.reason, way, lost(settings, "/complete"))
    assert (await jet_return(settings, rid))["return_status"] == "completed by merchant"
    assert JetReturn.get(JetReturn.merchant_return_authorization_id == rid).state == "completed"

    # a second order, refunded (a return took every unit of the first)
    mid2 = await shipped_order(oc_settings, oc_db, {IPHONE_SKU: 2})
    plan(settings, way, "POST", "/refunds/")
    result = await create_refund(settings, oc_db, mid2, {IPHONE_SKU: 1}, "Accidental order",
                                 "Item damaged")  # fmt: skip
    assert result.outcome == Outcome.SUCCEEDED, result.reason
    note_ok(result.reason, way, lost(settings, "/refunds/"))
    on_jet = await refunds_on_jet(settings, mid2)
    assert [r["alt_refund_id"] for r in on_jet] == [result.detail["alt_refund_id"]]
    [row] = [r for r in list_refunds(oc_db) if r["merchant_order_id"] == mid2]
    assert row["state"] == "sent" and row["refund_authorization_id"] == on_jet[0]["id"]


async def refunds_on_jet(settings: Settings, merchant_order_id: str) -> list[dict[str, Any]]:
    sandbox = Sandbox(settings)
    try:
        docs = [d for d in sandbox.db.all("refund") if d["merchant_order_id"] == merchant_order_id]
    finally:
        sandbox.db.close()
    return [{"alt_refund_id": d["alt_refund_id"], "id": d["refund_authorization_id"]}
            for d in docs]  # fmt: skip
