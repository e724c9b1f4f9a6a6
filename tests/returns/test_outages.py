"""Bad input and bad luck: a refund whose answer is lost after Jet applied it is never sent a
second time; a return for an order jettui never imported waits (listed with the reason) and is
mirrored once the order is there; rejecting and disputing; restock once; the cron job."""

from __future__ import annotations

import httpx
import pytest

from jettui.jet.connect import open_jet_client
from jettui.jet.once import ANSWER_LOST
from jettui.services.jobs import run_job
from jettui.services.refunds import create_refund, list_refunds, poll_refunds
from jettui.services.return_rules import FormRefused
from jettui.services.returns import complete_return, fetch_returns, list_returns, reject_return
from jettui.store.jet_tables import JetOrder
from jettui.store.opencart import OrderHistory, Return, ReturnHistory, ReturnStatus
from tests.returns.support import generate_return, jet_return, shipped_order
from tests.shop_support import (
    CANON,
    CANON_BLUE,
    IPHONE,
    NODE,
    RETURN_ACTION,
    oc_order_id,
    product_qty,
    upload_products,
    value_qty,
    write_settings,
)


class LoseAnswer(httpx.AsyncBaseTransport):
    """Forwards every request; when armed, the next matching request (``match``: method and a
    path fragment) reaches the sandbox, which applies it, and then the client sees a read
    timeout instead of the answer."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.armed = False
        self.match = ("POST", "/refunds/")
        self.matched = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        method, fragment = self.match
        if request.method == method and fragment in request.url.path:
            self.matched += 1
            if self.armed:
                self.armed = False
                await response.aread()
                raise httpx.ReadTimeout("answer lost", request=request)
        return response


@pytest.fixture
def lose_answer(monkeypatch) -> LoseAnswer:
    import jettui.jet.sandbox as sandbox

    holder: dict[str, LoseAnswer] = {}
    real = sandbox.sandbox_transport

    def transport(settings):
        if "t" not in holder:
            holder["t"] = LoseAnswer(real(settings))
        return holder["t"]

    monkeypatch.setattr(sandbox, "sandbox_transport", transport)

    class Lazy:
        def __getattr__(self, name):
            return getattr(holder["t"], name)

        def __setattr__(self, name, value):
            setattr(holder["t"], name, value)

    return Lazy()  # type: ignore[return-value]


async def jet_refunds_of(settings, merchant_order_id: str) -> list[dict]:
    async with open_jet_client(settings) as jet:
        found = []
        for status in ("created", "processing", "accepted", "rejected"):
            for refund_id in await jet.list_refunds(status):
                detail = await jet.get_refund(refund_id)
                if detail["merchant_order_id"] == merchant_order_id:
                    found.append(detail)
        return found


async def test_refund_cut_after_it_left_is_not_refunded_twice(oc_settings, oc_db, lose_answer):
    settings = oc_settings
    iphone = (await upload_products(settings, oc_db))["iphone"]
    mid = await shipped_order(settings, oc_db, {iphone: 2})
    lose_answer.armed = True
    result = await create_refund(settings, oc_db, mid, {iphone: 1}, "Accidental order")
    # looked up by its alt_refund_id at once: Jet has it, so it is not sent again
    assert result.outcome == "succeeded", result.reason
    assert ANSWER_LOST in result.reason
    (listed,) = list_refunds(oc_db)
    assert (listed["state"], listed["may_have_applied"]) == ("sent", False)
    # the units it took are counted: asking again for all of them is refused
    with pytest.raises(FormRefused, match=r"items\[product 11\]\.quantity: 2 is more than the 1"):
        await create_refund(settings, oc_db, mid, {iphone: 2}, "Accidental order")

    for _ in range(4):
        await poll_refunds(settings, oc_db)  # looks it up by alt_refund_id, then polls it
    (listed,) = list_refunds(oc_db)
    assert (listed["state"], listed["status"], listed["may_have_applied"]) == (
        "final", "accepted", False,
    )  # fmt: skip
    on_jet = await jet_refunds_of(settings, mid)
    assert [r["alt_refund_id"] for r in on_jet] == [listed["alt_refund_id"]]
    assert on_jet[0]["refund_authorization_id"] == listed["refund_authorization_id"]
    assert lose_answer.matched == 1  # POSTed once, never again
    comments = [
        h.comment for h in OrderHistory.select().where(OrderHistory.order_id == oc_order_id(mid))
    ]
    assert sum("Jet refund" in c for c in comments) == 1


async def test_return_of_an_order_jettui_never_imported_waits(oc_settings, oc_db) -> None:
    settings = oc_settings
    iphone = (await upload_products(settings, oc_db))["iphone"]
    # an order handled entirely outside jettui (acknowledged and shipped on Jet's portal)
    async with open_jet_client(settings) as jet:
        body = {"fulfillment_node": NODE, "items": [{"sku": iphone, "order_quantity": 1}]}
        [foreign] = await jet.generate_orders(body, 1)
        order = await jet.get_order(foreign)
        await jet.acknowledge(foreign, {"acknowledgement_status": "accepted", "order_items": [
            {"order_item_id": i["order_item_id"],
             "order_item_acknowledgement_status": "fulfillable"}
            for i in order["order_items"]]})  # fmt: skip
        when = "2026-11-29T10:00:00.0000000-07:00"
        await jet.ship(foreign, {"shipments": [{
            "alt_shipment_id": "portal-1", "shipment_tracking_number": "1Z12342452342",
            "response_shipment_date": when, "response_shipment_method": "UPS Ground",
            "expected_delivery_date": when, "ship_from_zip_code": "84047",
            "carrier_pick_up_date": when, "carrier": "UPS",
            "shipment_items": [{"merchant_sku": iphone, "response_shipment_sku_quantity": 1}],
        }]})  # fmt: skip
    foreign_return = await generate_return(settings, foreign)
    # and one jettui imported, whose import has not finished yet
    mid = await shipped_order(settings, oc_db, {iphone: 1})
    JetOrder.update(state="intent").where(JetOrder.merchant_order_id == mid).execute()
    mine = await generate_return(settings, mid)

    report = await fetch_returns(settings, oc_db)
    outcomes = {i.item: (str(i.outcome), i.reason) for i in report.items}
    assert outcomes[foreign_return] == (
        "not attempted",
        f"order {foreign} was never imported by jettui: not mirrored, retried on the next fetch",
    )
    assert outcomes[mine][0] == "not attempted" and "import intent" in outcomes[mine][1]
    assert report.exit_code == 1
    assert Return.select().count() == 0
    waiting = {r["return_id"]: r for r in list_returns(oc_db)}
    assert waiting[foreign_return]["state"] == "waiting"
    assert "never imported" in waiting[foreign_return]["error"]

    JetOrder.update(state="done").where(JetOrder.merchant_order_id == mid).execute()
    report = await fetch_returns(settings, oc_db)  # both read again: Jet moved them on already
    outcomes = {i.item: str(i.outcome) for i in report.items}
    assert outcomes == {foreign_return: "not attempted", mine: "succeeded"}
    assert Return.select().where(Return.order_id == oc_order_id(mid)).count() == 1


async def test_reject_disputes_the_charge_and_marks_the_returns_rejected(oc_settings, oc_db):
    settings = oc_settings
    iphone = (await upload_products(settings, oc_db))["iphone"]
    mid = await shipped_order(settings, oc_db, {iphone: 1})
    rid = await generate_return(settings, mid)
    await fetch_returns(settings, oc_db)
    with pytest.raises(FormRefused, match="return_charge_feedback: 'because' is not one of"):
        await reject_return(
            settings, oc_db, rid, "Returned outside window", charge_feedback="because"
        )
    result = await reject_return(
        settings, oc_db, rid, "Returned outside window", charge_feedback="returnedOutsideWindow"
    )
    assert result.outcome == "succeeded"
    sent = await jet_return(settings, rid)
    assert sent["return_status"] == "completed by merchant"
    assert sent["agree_to_return_charge"] is False
    assert sent["return_charge_feedback"] == "returnedOutsideWindow"
    (item,) = sent["items"]
    assert (
        item["order_return_refund_qty"] == 0
        and item["return_refund_feedback"] == "Returned outside window"
    )
    assert set(item["refund_amount"].values()) == {0}
    (row,) = Return.select().where(Return.order_id == oc_order_id(mid))
    status = ReturnStatus.get(ReturnStatus.return_status_id == row.return_status_id)
    assert status.name == "Rejected" and row.return_action_id == 0


async def test_restock_puts_returned_units_back_once(tmp_path, oc_database) -> None:
    from jettui.store.db import connect, ensure_jet_tables

    settings = write_settings(tmp_path, oc_database, returns=RETURN_ACTION + "  restock: true\n")
    db = connect(settings)
    try:
        ensure_jet_tables(db)
        skus = await upload_products(settings, db)
        mid = await shipped_order(settings, db, {skus["iphone"]: 2, skus["canon_blue"]: 1})
        rid = await generate_return(settings, mid)
        await fetch_returns(settings, db)
        before = product_qty(IPHONE), product_qty(CANON), value_qty(CANON_BLUE)
        assert (await complete_return(settings, db, rid)).outcome == "succeeded"
        after = product_qty(IPHONE), product_qty(CANON), value_qty(CANON_BLUE)
        assert after == (before[0] + 2, before[1] + 1, before[2] + 1)
        again = await complete_return(settings, db, rid)
        assert again.outcome == "unchanged"
        assert (product_qty(IPHONE), product_qty(CANON), value_qty(CANON_BLUE)) == after
        done = ReturnHistory.select().where(ReturnHistory.comment.contains("completed"))
        assert len(done) == 2 and all("units restocked" in h.comment for h in done)
    finally:
        db.close()


async def test_cron_job_mirrors_returns_and_polls_refunds(oc_settings, oc_db) -> None:
    settings = oc_settings
    iphone = (await upload_products(settings, oc_db))["iphone"]
    mid = await shipped_order(settings, oc_db, {iphone: 2})
    rid = await generate_return(settings, mid)
    outcome = await run_job(settings, oc_db, "fetch-returns", trigger="test")
    assert (outcome.result, outcome.items_ok) == ("ok", 1), outcome.message
    assert "returns: 1 succeeded" in outcome.message
    assert {r["return_id"] for r in list_returns(oc_db)} == {rid}
    outcome = await run_job(settings, oc_db, "fetch-returns", trigger="test")
    assert outcome.result == "ok" and outcome.items_ok == 0


async def test_completion_whose_answer_was_lost_is_finished_not_resent(
    oc_settings, oc_db, lose_answer
) -> None:
    settings = oc_settings
    iphone = (await upload_products(settings, oc_db))["iphone"]
    mid = await shipped_order(settings, oc_db, {iphone: 2})
    rid = await generate_return(settings, mid)
    await fetch_returns(settings, oc_db)
    lose_answer.match = ("PUT", "/complete")
    lose_answer.armed = True
    result = await complete_return(settings, oc_db, rid)  # looked up at once: Jet has it
    assert result.outcome == "succeeded" and ANSWER_LOST in result.reason, result.reason
    assert (await jet_return(settings, rid))["return_status"] == "completed by merchant"
    assert lose_answer.matched == 1  # the completion was not sent again
    again = await complete_return(settings, oc_db, rid)
    assert again.outcome == "unchanged"
    rows = list(Return.select().where(Return.order_id == oc_order_id(mid)))
    assert [(r.return_status_id, r.return_action_id) for r in rows] == [(3, 1)]
    assert list_returns(oc_db)[0]["state"] == "completed"


async def test_completion_is_never_retried_blindly_after_a_lost_answer(
    oc_settings, oc_db, lose_answer
) -> None:
    """Even with retries allowed, the client does not resend the PUT (not safe to repeat):
    the completion is looked up, found, and recorded as completed, not as refused."""
    from dataclasses import replace

    settings = replace(oc_settings, jet=replace(oc_settings.jet, max_retries=1))
    iphone = (await upload_products(settings, oc_db))["iphone"]
    mid = await shipped_order(settings, oc_db, {iphone: 1})
    rid = await generate_return(settings, mid)
    await fetch_returns(settings, oc_db)
    lose_answer.match = ("PUT", "/complete")
    lose_answer.armed = True
    result = await complete_return(settings, oc_db, rid)
    assert result.outcome == "succeeded" and ANSWER_LOST in result.reason
    assert lose_answer.matched == 1  # sent once, looked up, never resent
    assert list_returns(oc_db)[0]["state"] == "completed"


async def test_return_completed_on_jets_portal_is_mirrored_not_resent(oc_settings, oc_db):
    settings = oc_settings
    iphone = (await upload_products(settings, oc_db))["iphone"]
    mid = await shipped_order(settings, oc_db, {iphone: 1})
    rid = await generate_return(settings, mid)
    await fetch_returns(settings, oc_db)
    (item,) = (await jet_return(settings, rid))["items"]
    async with open_jet_client(settings) as jet:
        await jet.complete_return(rid, {
            "merchant_order_id": mid, "agree_to_return_charge": True,
            "items": [{"order_item_id": item["order_item_id"], "total_quantity_returned": 1,
                       "order_return_refund_qty": 1, "return_refund_feedback": "item damaged",
                       "refund_amount": {"principal": 3.5, "tax": 0, "shipping_cost": 0,
                                         "shipping_tax": 0}}],
        })  # fmt: skip
    result = await complete_return(settings, oc_db, rid)
    assert result.outcome == "succeeded" and "already completed on Jet" in result.reason
    (row,) = Return.select().where(Return.order_id == oc_order_id(mid))
    assert (row.return_status_id, row.return_action_id) == (3, 1)
    (done,) = ReturnHistory.select().where(ReturnHistory.comment.contains("completed"))
    assert "principal 3.50" in done.comment
