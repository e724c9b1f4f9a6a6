"""The whole slice on the real OpenCart 3.0.3.8 demo data (SQLite and MariaDB): products
uploaded, an order generated on the sandbox, imported, acknowledged and shipped through the
order services, a return generated on Jet, fetched into OpenCart's returns, completed with
partial amounts; merchant refunds polled to accepted and to rejected."""

from __future__ import annotations

import json
from decimal import Decimal

from jettui.services.refunds import create_refund, list_refunds, poll_refunds, refund_form_view
from jettui.services.return_rules import ReturnForm, ReturnLineForm, paid_for_units
from jettui.services.returns import (
    complete_return,
    completion_form_view,
    fetch_returns,
    list_returns,
)
from jettui.store.jet_tables import JetReturn
from jettui.store.opencart import Order, OrderHistory, Return, ReturnHistory
from tests.returns.support import (
    generate_return,
    jet_order_raw,
    jet_return,
    row_dicts,
    shipped_order,
)
from tests.shop_support import CANON, IPHONE, oc_order_id, upload_products


def counts() -> tuple[int, int, int]:
    return (Return.select().count(), ReturnHistory.select().count(), JetReturn.select().count())


async def test_return_fetched_once_and_completed_with_partial_amounts(oc_settings, oc_db) -> None:
    settings = oc_settings
    skus = await upload_products(settings, oc_db)
    iphone, canon = skus["iphone"], skus["canon_blue"]
    mid = await shipped_order(settings, oc_db, {iphone: 2, canon: 1})
    order_id = oc_order_id(mid)
    order = Order.get_by_id(order_id)
    rid = await generate_return(settings, mid)

    report = await fetch_returns(settings, oc_db)
    assert [(i.item, i.outcome) for i in report.items] == [(rid, "succeeded")], report.items
    rows = row_dicts(Return, Return.order_id == order_id)
    assert len(rows) == 2
    by_product = {r["product_id"]: r for r in rows}
    jet_items = {i["merchant_sku"]: i for i in (await jet_return(settings, rid))["items"]}
    for product_id, sku, name, model, qty in (
        (IPHONE, iphone, "iPhone", "product 11", 2),
        (CANON, canon, "Canon EOS 5D", "Product 3", 1),
    ):
        row = by_product[product_id]
        assert (row["order_id"], row["product"], row["model"], row["quantity"]) == (
            order_id, name, model, qty,
        )  # fmt: skip
        assert (row["firstname"], row["lastname"], row["email"], row["telephone"]) == (
            order.firstname, order.lastname, order.email, order.telephone,
        )  # fmt: skip
        assert row["customer_id"] == 0 and row["opened"] == 0
        assert row["return_status_id"] == 2 and row["return_action_id"] == 0
        assert row["date_ordered"] == order.date_added.date()
        assert row["return_reason_id"] > 0
        assert rid in row["comment"] and jet_items[sku]["reason"] in row["comment"]
    history = row_dicts(ReturnHistory, ReturnHistory.return_id.in_([r["return_id"] for r in rows]))
    assert len(history) == 2 and all(rid in h["comment"] for h in history)
    listed = list_returns(oc_db)
    assert listed[0]["return_id"] == rid and listed[0]["state"] == "mirrored"
    assert sorted(listed[0]["oc_return_ids"]) == sorted(r["return_id"] for r in rows)

    before = counts()
    again = await fetch_returns(settings, oc_db)
    assert [i for i in again.items if i.outcome != "unchanged"] == []
    assert counts() == before  # a second fetch writes nothing
    assert list_returns(oc_db)[0]["status"] == "inprogress"  # Jet moved it on once read

    view = completion_form_view(oc_db, rid)
    shown = {line["sku"]: line for line in view["lines"]}
    assert shown[iphone]["quantity_returned"] == 2
    assert shown[iphone]["default_refund"] == shown[iphone]["requested"]
    json.dumps(view)
    form = ReturnForm(
        lines=[ReturnLineForm(iphone, refund_quantity=1, amounts={"principal": "5.25"})],
        feedback="item damaged",
    )
    result = await complete_return(settings, oc_db, rid, form)
    assert result.outcome == "succeeded", result.reason

    sent = {i["merchant_sku"]: i for i in (await jet_return(settings, rid))["items"]}
    assert sent[iphone]["total_quantity_returned"] == 2
    assert sent[iphone]["order_return_refund_qty"] == 1
    assert sent[iphone]["refund_amount"] == {
        "principal": 5.25, "tax": 0.0, "shipping_cost": 0.0, "shipping_tax": 0.0,
    }  # fmt: skip
    assert sent[iphone]["return_refund_feedback"] == "item damaged"
    canon_item = next(i for i in jet_order_raw(mid)["order_items"] if i["merchant_sku"] == canon)
    paid = paid_for_units(canon_item, 1)
    assert sent[canon]["order_return_refund_qty"] == 1
    assert Decimal(str(sent[canon]["refund_amount"]["principal"])) == paid["principal"]

    rows = row_dicts(Return, Return.order_id == order_id)
    assert {(r["return_status_id"], r["return_action_id"]) for r in rows} == {(3, 1)}
    done = row_dicts(ReturnHistory, ReturnHistory.comment.contains("completed"))
    assert len(done) == 2 and {h["return_status_id"] for h in done} == {3}
    iphone_return = next(r["return_id"] for r in rows if r["product_id"] == IPHONE)
    comment = next(h["comment"] for h in done if h["return_id"] == iphone_return)
    assert "refunded 1 of 2 returned unit(s)" in comment and "principal 5.25" in comment
    (listed,) = list_returns(oc_db)
    assert listed["state"] == "completed" and listed["status"] == "completed by merchant"
    assert listed["buyer"] == f"{order.firstname} {order.lastname}"
    assert {line["sku"] for line in listed["lines"]} == {iphone, canon}
    json.dumps(listed)  # the panels' and `--json`'s read model


async def poll_until_final(settings, db, rounds: int = 5) -> list:
    results = []
    for _ in range(rounds):
        results = await poll_refunds(settings, db)
        if not results:
            break
    return list_refunds(db)


async def test_refunds_polled_to_accepted_and_to_rejected(oc_settings, oc_db) -> None:
    settings = oc_settings
    skus = await upload_products(settings, oc_db)
    iphone = skus["iphone"]
    mid = await shipped_order(settings, oc_db, {iphone: 2})
    order_id = oc_order_id(mid)
    status_before = Order.get_by_id(order_id).order_status_id

    view = await refund_form_view(settings, oc_db, mid)
    (line,) = view["lines"]
    assert (line["sku"], line["shipped"], line["taken"], line["refundable"]) == (iphone, 2, 0, 2)
    first = await create_refund(settings, oc_db, mid, {iphone: 1}, "Accidental order")
    assert first.outcome == "succeeded", first.reason
    refunds = await poll_until_final(settings, oc_db)
    assert [(r["status"], r["state"]) for r in refunds] == [("accepted", "final")]
    history = row_dicts(OrderHistory, OrderHistory.order_id == order_id)
    assert history[-1]["order_status_id"] == status_before  # part of the order: status kept
    assert "Jet refund" in history[-1]["comment"] and "1 x product 11" in history[-1]["comment"]

    line = (await refund_form_view(settings, oc_db, mid))["lines"][0]
    assert (line["taken"], line["refundable"]) == (1, 1)
    second = await create_refund(settings, oc_db, mid, {iphone: 1}, "Accidental order",
                                 "Item damaged")  # fmt: skip
    assert second.outcome == "succeeded", second.reason
    await poll_until_final(settings, oc_db)
    order = Order.get_by_id(order_id)
    # every unit refunded, but the buyer keeps them: moving to Refunded (11, outside OpenCart's
    # stock statuses) would restock them, so the order keeps its status and says why
    assert order.order_status_id == status_before
    assert (
        "keeps its status"
        in row_dicts(OrderHistory, OrderHistory.order_id == order_id)[-1]["comment"]
    )
    assert (
        OrderHistory.select().where(OrderHistory.order_id == order_id).count() == len(history) + 1
    )

    # a refund made outside jettui (Jet's portal) takes a unit jettui does not know about:
    mid2 = await shipped_order(settings, oc_db, {iphone: 2})
    from jettui.jet.connect import open_jet_client

    raw = jet_order_raw(mid2)
    item = raw["order_items"][0]
    async with open_jet_client(settings) as jet:
        await jet.create_refund(mid2, "portal-1", {"items": [{
            "order_item_id": item["order_item_id"], "total_quantity_returned": 1,
            "order_return_refund_qty": 1, "refund_reason": "Accidental order",
            "refund_feedback": "Refunded minus shipping cost",
            "refund_amount": {"principal": 1.0, "tax": 0, "shipping_cost": 0, "shipping_tax": 0},
        }]})  # fmt: skip
    history2 = OrderHistory.select().where(OrderHistory.order_id == oc_order_id(mid2)).count()
    third = await create_refund(settings, oc_db, mid2, {iphone: 2}, "Accidental order")
    assert third.outcome == "succeeded"
    refunds = await poll_until_final(settings, oc_db)
    rejected = next(r for r in refunds if r["merchant_order_id"] == mid2)
    assert rejected["status"] == "rejected"
    assert rejected["error"] == "rejected - refund conflicts with returns policy"
    assert (
        OrderHistory.select().where(OrderHistory.order_id == oc_order_id(mid2)).count() == history2
    )
    json.dumps(list_refunds(oc_db))  # the panels' and `--json`'s read model
