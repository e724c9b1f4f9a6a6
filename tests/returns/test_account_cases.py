"""Issue 15's cases 1, 2, 3, 4 and 8 on the real OpenCart 3.0.3.8 demo (SQLite and MariaDB):
money and stock add up after the order, through the line accounts.

Each test asserts the stock of the products and of the Canon's option value, and the dollars the
sandbox recorded as refunded on Jet's side (accepted refunds and completed returns), before and
after; then does what a merchant does next in the admin — OpenCart's own status change through
jettui's port of addOrderHistory — and asserts it moves exactly what the order's lines still
hold: Complete moves nothing, Canceled puts back exactly the units still out, so that no unit is
ever restocked twice (stock ends where it was before the order)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jettui.config import Settings
from jettui.jet.connect import open_jet_client
from jettui.services.orders import account
from jettui.services.orders.shipping import form_from_options, order_view, ship_order
from jettui.services.orders.status import mirror_statuses
from jettui.services.refunds import create_refund, list_refunds, poll_refunds
from jettui.services.return_rules import FormRefused
from jettui.services.returns import complete_return, fetch_returns
from jettui.store.jet_tables import JetOrder
from jettui.store.oc_orders import add_order_history, shop_context
from jettui.store.opencart import ReturnHistory
from tests.orders.ship_support import (
    generate,
    history,
    import_and_acknowledge,
    line_quantities,
    oc_status,
    stock,
    totals,
)
from tests.returns.support import generate_return, jet_return, shipped_order
from tests.shop_support import (
    IPHONE,
    RETURN_ACTION,
    oc_order_id,
    upload_products,
    write_settings,
)

PROCESSING, SHIPPED, COMPLETE, CANCELED = 2, 3, 5, 7  # the demo's ids (the default mapping)
IPHONE_PRICE = Decimal("101.00")  # tests/shop_support.py's upload lists the iPhone at 101


@pytest.fixture
def restock_settings(oc_database: str, tmp_path: Path) -> Settings:
    return write_settings(tmp_path, oc_database, returns=RETURN_ACTION + "  restock: true\n")


def jet_refunded(settings: Settings, merchant_order_id: str) -> Decimal:
    """Dollars the sandbox holds as refunded for the order: refunds it accepts (or will: no
    policy conflict) and completed returns."""
    from jettui.jet.sandbox.db import StateDB

    db = StateDB(settings.sandbox.state_file)
    try:
        items = [
            i
            for r in db.all("refund")
            if r["merchant_order_id"] == merchant_order_id and not r.get("_conflicts")
            for i in r["items"]
        ]
        items += [
            i
            for r in db.all("return")
            if r["merchant_order_id"] == merchant_order_id
            and r["return_status"] == "completed by merchant"
            for i in r.get("items", [])
        ]
    finally:
        db.close()
    return sum(
        (Decimal(str(v)) for i in items for v in (i.get("refund_amount") or {}).values()),
        Decimal("0.00"),
    ).quantize(Decimal("0.01"))


async def refund_accepted(settings: Settings, db: Any, mid: str, items: dict, reason: str) -> None:
    result = await create_refund(settings, db, mid, items, reason, "Items not received")
    assert result.outcome == "succeeded", result.reason
    for _ in range(5):
        if not await poll_refunds(settings, db):
            break
    assert [r["status"] for r in list_refunds(db) if r["merchant_order_id"] == mid][0] == (
        "accepted"
    )


def merchant_sets(settings: Settings, order_id: int, status: int) -> None:
    """What the admin does: OpenCart's addOrderHistory (jettui's port of it)."""
    add_order_history(order_id, status, "set by the merchant", shop=shop_context(settings))


def moved(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before[k] for k in before if after[k] != before[k]}


async def returned_and_mirrored(settings: Settings, db: Any, mid: str) -> str:
    rid = await generate_return(settings, mid)
    report = await fetch_returns(settings, db)
    assert [i.outcome for i in report.items if i.item == rid] == ["succeeded"], report.items
    return rid


# --- case 1: a refund never puts back stock that did not come back -----------------------------


async def test_case1_a_refund_of_kept_units_leaves_stock_and_status(oc_settings, oc_db) -> None:
    settings = oc_settings
    iphone = (await upload_products(settings, oc_db))["iphone"]
    before = stock()
    mid = await shipped_order(settings, oc_db, {iphone: 2})
    order_id = oc_order_id(mid)
    sold = stock()
    assert moved(before, sold) == {"iphone": -2}
    assert oc_status(order_id) == COMPLETE and jet_refunded(settings, mid) == 0

    await refund_accepted(settings, oc_db, mid, {iphone: 2}, "Package never arrived")
    assert jet_refunded(settings, mid) == 2 * IPHONE_PRICE
    assert stock() == sold  # the buyer kept them (or they are lost): nothing back
    assert oc_status(order_id) == COMPLETE  # not Refunded (11): OpenCart would restock them
    status, comment = history(order_id)[-1]
    assert status == COMPLETE and "accepted" in comment and "keeps its status" in comment
    (line,) = account.accounts(mid).values()
    assert (line.shipped, line.refunded, line.kept, line.restocked) == (2, 2, 2, 0)
    assert line.amounts["principal"] == 2 * IPHONE_PRICE

    with pytest.raises(FormRefused, match="1 is more than the 0 left to refund on order item"):
        await create_refund(settings, oc_db, mid, {iphone: 1}, "Package never arrived")
    assert jet_refunded(settings, mid) == 2 * IPHONE_PRICE  # nothing sent

    merchant_sets(settings, order_id, PROCESSING)
    merchant_sets(settings, order_id, COMPLETE)
    assert stock() == sold  # between stock-holding statuses: nothing moves
    merchant_sets(settings, order_id, CANCELED)
    assert stock() == before  # the 2 units on the line, once


async def test_case1_return_with_restock_then_refunds_put_back_each_unit_once(
    restock_settings, oc_db
) -> None:
    settings = restock_settings
    iphone = (await upload_products(settings, oc_db))["iphone"]
    before = stock()
    mid = await shipped_order(settings, oc_db, {iphone: 2})
    order_id = oc_order_id(mid)
    rid = await returned_and_mirrored(settings, oc_db, mid)
    result = await complete_return(settings, oc_db, rid)
    assert result.outcome == "succeeded", result.reason
    assert stock() == before  # both units back, once
    assert line_quantities(order_id) == {IPHONE: 0}
    assert jet_refunded(settings, mid) == 2 * IPHONE_PRICE

    for _ in range(2):  # "refund 1, then the other": nothing is left to refund
        with pytest.raises(FormRefused, match="0 left to refund"):
            await create_refund(settings, oc_db, mid, {iphone: 1}, "No longer want this item")
    assert stock() == before and jet_refunded(settings, mid) == 2 * IPHONE_PRICE
    merchant_sets(settings, order_id, CANCELED)
    assert stock() == before  # the lines hold nothing: OpenCart restocks nothing more


# --- case 2: a return never refunds what a refund already paid --------------------------------


async def test_case2_a_return_of_refunded_units_refunds_nothing_more(
    restock_settings, oc_db
) -> None:
    settings = restock_settings
    iphone = (await upload_products(settings, oc_db))["iphone"]
    before = stock()
    mid = await shipped_order(settings, oc_db, {iphone: 2})
    order_id = oc_order_id(mid)
    await refund_accepted(settings, oc_db, mid, {iphone: 2}, "No longer want this item")
    assert jet_refunded(settings, mid) == 2 * IPHONE_PRICE
    sold = stock()
    assert moved(before, sold) == {"iphone": -2}

    # the buyer sends them back anyway: the fetch mirrors the return and, every unit being
    # refunded already, completes it with nothing refunded (never left open)
    rid = await generate_return(settings, mid)
    report = await fetch_returns(settings, oc_db)
    assert [(i.item, i.outcome) for i in report.items] == [(rid, "succeeded")] * 2
    assert "every returned unit was already refunded" in report.items[1].reason
    assert (await fetch_returns(settings, oc_db)).items == []  # once
    (item,) = (await jet_return(settings, rid))["items"]
    assert (item["total_quantity_returned"], item["order_return_refund_qty"]) == (2, 0)
    assert set(item["refund_amount"].values()) == {0}
    assert item["return_refund_feedback"] == "other" and "already refunded" in item["notes"]
    assert jet_refunded(settings, mid) == 2 * IPHONE_PRICE  # $202 on a $202 order, not $404
    assert stock() == before  # the units did come back: restocked once
    (line,) = account.accounts(mid).values()
    assert (line.refunded, line.returned, line.restocked, line.kept) == (2, 2, 2, 0)

    merchant_sets(settings, order_id, COMPLETE)
    merchant_sets(settings, order_id, CANCELED)
    assert stock() == before


# --- case 3: a Jet cancel after a partial shipment restocks only the unshipped units -----------


async def test_case3_jet_cancel_after_partial_shipment(oc_settings, oc_db) -> None:
    settings = oc_settings
    skus = await upload_products(settings, oc_db)
    blue = skus["canon_blue"]
    before = stock()
    mid = await generate(settings, [(blue, 3, 0)])
    await import_and_acknowledge(settings, oc_db, [mid])
    order_id = oc_order_id(mid)
    form = form_from_options(await order_view(oc_db, mid), settings, carrier="UPS",
                             method="UPS Ground", tracking="1Z0000000000000003", zip="84047",
                             ship={blue: 2})  # fmt: skip
    assert (await ship_order(settings, oc_db, mid, form)).outcome == "succeeded"
    shipped = stock()
    assert moved(before, shipped) == {"canon": -3, "canon_blue": -3}
    assert oc_status(order_id) == SHIPPED

    sums_before = totals(order_id)
    # Jet cancels the rest (a manual cancel to complete), read by the fetch job
    row = JetOrder.get(JetOrder.merchant_order_id == mid)
    row.status = "complete"
    row.raw = {**row.raw, "status": "complete",
               "exception_state": "exception - jet manual canceled to complete state"}  # fmt: skip
    row.save()
    mirrored = mirror_statuses(settings)
    assert [(m.jet_status, m.status_id) for m in mirrored] == [("cancelled", COMPLETE)]
    assert moved(shipped, stock()) == {"canon": 1, "canon_blue": 1}  # the unshipped unit only
    assert oc_status(order_id) == COMPLETE  # the 2 shipped units stay sold
    assert line_quantities(order_id) == {30: 2}
    sums = totals(order_id)  # the admin's invoice: the 2 units sold, totals adding up
    assert sums["sub_total"] == pytest.approx(2 * sums_before["sub_total"] / 3)
    assert sums["total"] == sums["order"] == pytest.approx(sums["sub_total"] + sums["shipping"])
    assert "1 cancelled unit(s) back in stock" in history(order_id)[-1][1]
    assert mirror_statuses(settings) == []  # once
    assert jet_refunded(settings, mid) == 0

    after = stock()
    merchant_sets(settings, order_id, COMPLETE)
    assert stock() == after
    merchant_sets(settings, order_id, CANCELED)
    assert stock() == before  # the 2 units still on the line, once


async def test_case3_shipped_and_cancelled_elsewhere_restocks_the_cancelled_units(
    oc_settings, oc_db
) -> None:
    settings = oc_settings
    iphone = (await upload_products(settings, oc_db))["iphone"]
    before = stock()
    mid = await generate(settings, [(iphone, 3, 0)])
    await import_and_acknowledge(settings, oc_db, [mid])
    order_id = oc_order_id(mid)
    body = {"shipments": [{"alt_shipment_id": "other-tool-1", "shipment_tracking_number": "X1",
            "response_shipment_date": "2026-11-29T10:00:00.0000000Z",
            "response_shipment_method": "UPS Ground",
            "expected_delivery_date": "2026-12-02T10:00:00.0000000Z", "ship_from_zip_code": "84047",
            "carrier_pick_up_date": "2026-11-29T10:00:00.0000000Z", "carrier": "UPS",
            "shipment_items": [{"merchant_sku": iphone, "response_shipment_sku_quantity": 2,
                                "response_shipment_cancel_qty": 1}]}]}  # fmt: skip
    async with open_jet_client(settings) as jet:
        await jet.ship(mid, body)
        raw = await jet.get_order(mid)
    assert raw["status"] == "complete"
    row = JetOrder.get(JetOrder.merchant_order_id == mid)
    row.status, row.raw = raw["status"], raw
    row.save()
    imported = stock()
    mirrored = mirror_statuses(settings)
    assert [(m.jet_status, m.status_id) for m in mirrored] == [("complete", COMPLETE)]
    assert moved(imported, stock()) == {"iphone": 1}  # the unit cancelled elsewhere
    assert line_quantities(order_id) == {IPHONE: 2}
    assert mirror_statuses(settings) == [] and moved(imported, stock()) == {"iphone": 1}
    merchant_sets(settings, order_id, CANCELED)
    assert stock() == before


# --- case 4: a return is restocked once, never for units the buyer keeps ------------------------


def set_jet_return(settings: Settings, return_id: str, **values: Any) -> None:
    """Change a return in the sandbox's state file (what Jet's return would say)."""
    from jettui.jet.sandbox.db import StateDB

    db = StateDB(settings.sandbox.state_file)
    try:
        doc = db.get("return", return_id)
        doc.update(values)
        with db.transaction():
            db.put("return", return_id, doc, doc["_created"])
    finally:
        db.close()


@pytest.mark.parametrize("without_return", [False, True])
async def test_case4_return_restock_once_and_never_for_kept_units(
    restock_settings, oc_db, without_return: bool
) -> None:
    settings = restock_settings
    skus = await upload_products(settings, oc_db)
    iphone, blue = skus["iphone"], skus["canon_blue"]
    before = stock()
    mid = await shipped_order(settings, oc_db, {iphone: 2, blue: 1})
    order_id = oc_order_id(mid)
    sold = stock()
    rid = await generate_return(settings, mid)
    set_jet_return(settings, rid, refund_without_return=without_return)
    await fetch_returns(settings, oc_db)
    result = await complete_return(settings, oc_db, rid)
    assert result.outcome == "succeeded", result.reason
    paid = jet_refunded(settings, mid)
    assert paid > 0
    if without_return:
        assert stock() == sold  # the buyer keeps the units: nothing restocked
        assert {(a.kept, a.restocked) for a in account.accounts(mid).values()} == {(2, 0), (1, 0)}
        comments = [h.comment for h in ReturnHistory.select() if "completed" in h.comment]
        assert comments and all("the buyer keeps the units" in c for c in comments)
    else:
        assert stock() == before  # every returned unit back, product and option value
        assert line_quantities(order_id) == {IPHONE: 0, 30: 0}
    # completing again, and settling again, moves nothing more
    assert (await complete_return(settings, oc_db, rid)).outcome == "unchanged"
    assert account.settle_lines(mid, shop_context(settings)) == {}
    assert stock() == (sold if without_return else before)
    assert jet_refunded(settings, mid) == paid
    merchant_sets(settings, order_id, CANCELED)
    assert stock() == before  # what was still out comes back, once


# --- case 8: one SKU on two Jet items is two lines ----------------------------------------------


def ship_on_jet(settings: Settings, merchant_order_id: str, sku: str, units: int) -> None:
    """Jet ships ``units`` of ``sku`` from another tool (the sandbox's own ship keys its tally
    by SKU, so an order with the SKU on two items is shipped in its state file)."""
    from jettui.jet.sandbox.db import StateDB

    db = StateDB(settings.sandbox.state_file)
    try:
        doc = db.get("order", merchant_order_id)
        doc["_done"] = {sku: {"shipped": units, "cancelled": 0}}
        doc["shipments"] = [{"alt_shipment_id": "other-tool", "shipment_id": "s" * 32,
                             "shipment_tracking_number": "X8", "carrier": "UPS",
                             "shipment_items": [{"merchant_sku": sku,
                                                 "response_shipment_sku_quantity": units}]}]  # fmt: skip
        doc["status"], doc["has_shipments"] = "complete", True
        with db.transaction():
            db.put("order", merchant_order_id, doc, doc["_created"])
    finally:
        db.close()


def put_jet_return(settings: Settings, merchant_order_id: str, lines: list[dict]) -> str:
    """A return of one unit per Jet item in ``lines`` written into the sandbox's state."""
    from jettui.jet.dates import new_jet_id
    from jettui.jet.sandbox.db import StateDB

    return_id = new_jet_id()
    items = [{"order_item_id": i["order_item_id"], "merchant_sku": i["merchant_sku"],
              "merchant_sku_title": i["product_title"], "reason": "No longer want this item",
              "return_quantity": 1,
              "requested_refund_amount": {"principal": float(IPHONE_PRICE), "tax": 0,
                                          "shipping_cost": 0, "shipping_tax": 0}}
             for i in lines]  # fmt: skip
    db = StateDB(settings.sandbox.state_file)
    try:
        with db.transaction():
            db.put("return", return_id, {
                "merchant_return_authorization_id": return_id,
                "reference_return_authorization_id": "123456789012",
                "merchant_order_id": merchant_order_id, "reference_order_id": "1",
                "return_date": "2026-11-29T10:00:00.0000000Z", "return_status": "created",
                "shipping_carrier": "UPS", "tracking_number": "1Z1", "refund_without_return": False,
                "merchant_return_charge": 0, "return_merchant_SKUs": items, "_created": 0.0,
            }, 0.0)  # fmt: skip
    finally:
        db.close()
    return return_id


async def test_case8_one_sku_on_two_items_is_refunded_and_restocked_per_line(
    restock_settings, oc_db
) -> None:
    settings = restock_settings
    iphone = (await upload_products(settings, oc_db))["iphone"]
    before = stock()
    mid = await generate(settings, [(iphone, 1, 0), (iphone, 1, 0)])
    await import_and_acknowledge(settings, oc_db, [mid])
    order_id = oc_order_id(mid)
    assert sorted(line_quantities_all(order_id)) == [1, 1]  # two OpenCart lines
    from jettui.store.jet_tables import JetOrderLine
    from jettui.store.opencart import OrderProduct

    # the import wrote one account per Jet item, each on its own OpenCart line
    written = [r.order_product_id for r in JetOrderLine.select().where(
        JetOrderLine.merchant_order_id == mid)]  # fmt: skip
    lines = [r.order_product_id for r in OrderProduct.select().where(
        OrderProduct.order_id == order_id)]  # fmt: skip
    assert len(written) == 2 and sorted(written) == sorted(lines)
    ship_on_jet(settings, mid, iphone, 2)
    async with open_jet_client(settings) as jet:
        raw = await jet.get_order(mid)
    row = JetOrder.get(JetOrder.merchant_order_id == mid)
    row.status, row.raw = raw["status"], raw
    row.save()
    mirror_statuses(settings)
    assert oc_status(order_id) == COMPLETE
    sold = stock()
    assert moved(before, sold) == {"iphone": -2}
    lines = account.accounts(mid)
    assert [(a.ordered, a.shipped) for a in lines.values()] == [(1, 1), (1, 1)]

    # a refund of one unit of the SKU takes the first line; the return of both lines then
    # refunds the second only, and puts back both units (one per line)
    await refund_accepted(settings, oc_db, mid, {iphone: 1}, "No longer want this item")
    first, second = raw["order_items"]
    assert {a.order_item_id: a.refunded for a in account.accounts(mid).values()} == {
        first["order_item_id"]: 1, second["order_item_id"]: 0,
    }  # fmt: skip
    rid = put_jet_return(settings, mid, [first, second])
    await fetch_returns(settings, oc_db)
    result = await complete_return(settings, oc_db, rid)
    assert result.outcome == "succeeded", result.reason
    sent = {i["order_item_id"]: i for i in (await jet_return(settings, rid))["items"]}
    assert sent[first["order_item_id"]]["order_return_refund_qty"] == 0
    assert sent[second["order_item_id"]]["order_return_refund_qty"] == 1
    assert jet_refunded(settings, mid) == 2 * IPHONE_PRICE  # each unit refunded once
    assert stock() == before  # both units back: both lines restocked
    assert sorted(line_quantities_all(order_id)) == [0, 0]
    with pytest.raises(FormRefused, match="0 left to refund"):
        await create_refund(settings, oc_db, mid, {second["order_item_id"]: 1}, "Unwanted gift")
    merchant_sets(settings, order_id, CANCELED)
    assert stock() == before


def line_quantities_all(order_id: int) -> list[int]:
    from jettui.store.opencart import OrderProduct

    rows = OrderProduct.select().where(OrderProduct.order_id == order_id)
    return [int(r.quantity) for r in rows]


# --- orders imported before the accounts existed ------------------------------------------------


async def test_an_order_imported_by_an_older_jettui_gets_its_accounts_on_first_use(
    oc_settings, oc_db
) -> None:
    from jettui.store.jet_tables import JetOrderLine, JetSchemaVersion, ensure_jet_tables

    settings = oc_settings
    iphone = (await upload_products(settings, oc_db))["iphone"]
    mid = await shipped_order(settings, oc_db, {iphone: 2})
    await refund_accepted(settings, oc_db, mid, {iphone: 1}, "No longer want this item")
    # the database as jettui 6 left it: no account table (migration 7 adds it, empty)
    oc_db.drop_tables([JetOrderLine])
    JetSchemaVersion.delete().where(JetSchemaVersion.version >= 7).execute()
    assert ensure_jet_tables(oc_db) >= 7
    assert JetOrderLine.select().count() == 0

    (line,) = account.accounts(mid).values()  # made from the order, its shipments and refunds
    assert (line.ordered, line.shipped, line.refunded, line.kept) == (2, 2, 1, 1)
    assert line.amounts["principal"] == IPHONE_PRICE
    with pytest.raises(FormRefused, match="2 is more than the 1 left to refund"):
        await create_refund(settings, oc_db, mid, {iphone: 2}, "No longer want this item")
