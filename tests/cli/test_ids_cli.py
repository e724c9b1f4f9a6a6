"""Issue 19: every command taking an order or return id takes the full id, the Jet reference
id or an unambiguous prefix (services/ids.py); `refunds create --json` names the refund's id
and the order's; `returns reject`; `--line SKU=0` needs its feedback; a cancel-only `orders
ship` needs no parcel fields; `orders ship` takes the form's dates and return location."""

from __future__ import annotations

import asyncio

from jettui.config import Settings
from jettui.store.db import connect
from tests.shop_support import place

SHIP = [
    "--carrier",
    "UPS",
    "--method",
    "UPS Ground",
    "--tracking",
    "1Z999AA10123456784",
    "--zip",
    "84047",
]


def fetched(shop: Settings, jettui, count: int = 1) -> list[str]:
    ids = [place(shop) for _ in range(count)]
    assert jettui("cron", "fetch-orders").code == 0
    return ids


def fake_orders(shop: Settings, *ids: str) -> None:
    """Orders jettui recorded but never imported (enough to be named, ambiguously)."""
    from jettui.store.jet_tables import JetOrder

    db = connect(shop)
    for n, merchant_order_id in enumerate(ids):
        JetOrder.create(merchant_order_id=merchant_order_id, reference_order_id=f"9{n:011d}")
    db.close()


def test_orders_take_a_prefix_the_reference_id_and_refuse_an_ambiguous_one(
    shop: Settings, jettui
) -> None:
    [jet_id] = fetched(shop, jettui)
    [row] = jettui("orders", "list").rows
    reference = row[1]
    assert reference and reference != jet_id

    for given in (jet_id, jet_id[:9], jet_id[:9] + "…", reference, reference[:7]):
        ran = jettui("orders", "show", given, "--json")
        assert ran.code == 0, (given, ran.err)
        assert ran.document["order"]["merchant_order_id"] == jet_id

    fake_orders(shop, "feedbeef0001", "feedbeef0002")
    ran = jettui("orders", "show", "feedbeef", "--json")
    assert ran.code == 2
    assert ran.document["error"] == (
        "'feedbeef' is the start of 2 Jet order ids (feedbeef0001, feedbeef0002): give more of it"
    )
    assert len(ran.lines) == 1
    assert jettui("orders", "show", "feedbeef0002", "--json").code == 0  # a full id is exact
    ran = jettui("orders", "show", "zzz", "--json")
    assert (
        ran.code == 2
        and ran.document["error"] == "no Jet order 'zzz' in jettui: fetch orders first"
    )

    # acknowledge and ship by prefix and by reference id
    ran = jettui("orders", "acknowledge", jet_id[:10], "--json")
    assert ran.code == 0, ran.err
    assert [i["merchant_order_id"] for i in ran.document["items"]] == [jet_id]
    ran = jettui("orders", "ship", reference, *SHIP, "--json")
    assert ran.code == 0, ran.err
    assert ran.document["merchant_order_id"] == jet_id

    # refunds create by prefix: the refund's own id under refund_id, the order's under its name
    ran = jettui("refunds", "create", jet_id[:9], "--item", "HRT-SWL00001=1:10.00",
                 "--reason", "Unwanted gift", "--json")  # fmt: skip
    assert ran.code == 0, ran.err
    result = ran.document["result"]
    assert result["merchant_order_id"] == jet_id
    assert result["refund_id"].startswith("jt-") and result["refund_id"] == result["alt_refund_id"]
    assert result["refund_authorization_id"] and result["outcome"] == "succeeded"
    [refund] = jettui("refunds", "list").rows
    assert (refund[0], refund[1], refund[3]) == (result["refund_id"], jet_id, "10.00")

    # the logs filter takes the same ids
    ran = jettui("logs", "--order", reference, "--json")
    assert ran.code == 0 and ran.document["events"]
    assert all(jet_id in (e["ref"] + e["message"]) for e in ran.document["events"])
    ran = jettui("logs", "--order", "feedbeef", "--json")
    assert ran.code == 2 and "is the start of 2 Jet order ids" in ran.document["error"]


def _returned(shop: Settings, jettui) -> tuple[str, str]:
    from jettui.jet.connect import open_jet_client

    [jet_id] = fetched(shop, jettui)
    assert jettui("orders", "acknowledge", jet_id).code == 0
    assert jettui("orders", "ship", jet_id, *SHIP).code == 0

    async def generate() -> None:
        async with open_jet_client(shop) as jet:
            await jet.generate_return(jet_id)

    asyncio.run(generate())
    assert jettui("cron", "fetch-returns").code == 0
    [row] = jettui("returns", "list").rows
    return jet_id, row[0]


def test_returns_reject_and_a_zero_line_needs_its_feedback(shop: Settings, jettui) -> None:
    _jet_id, return_id = _returned(shop, jettui)

    ran = jettui("returns", "complete", return_id[:8], "--line", "HRT-SWL00001=0", "--json")
    assert ran.code == 2
    [problem] = ran.document["problems"]
    assert problem.startswith("--line HRT-SWL00001=0: refunds nothing: give --feedback")
    assert "jettui returns reject RETURN_ID --reason FEEDBACK" in problem
    assert jettui("returns", "list").rows[0][4] == "created"  # nothing sent

    ran = jettui("returns", "reject", return_id[:8], "--reason", "Nope", "--json")
    assert ran.code == 2
    assert any(p.startswith("return_refund_feedback: 'Nope' is not a Jet refund feedback")
               for p in ran.document["problems"])  # fmt: skip

    ran = jettui("returns", "reject", return_id[:8], "--reason", "Returned outside window",
                 "--json")  # fmt: skip
    assert ran.code == 0, ran.err
    assert ran.document["result"]["return_id"] == return_id
    [row] = jettui("returns", "list", "--json").document["returns"]
    assert row["status"] == "completed by merchant"


def test_a_cancel_only_shipment_needs_no_carrier_tracking_or_zip(shop: Settings, jettui) -> None:
    from jettui.store.jet_tables import JetOrder

    [jet_id] = fetched(shop, jettui)
    assert jettui("orders", "acknowledge", jet_id).code == 0
    ran = jettui("orders", "ship", jet_id[:9], "--cancel", "HRT-TM00002=1", "--json")
    assert ran.code == 0, ran.err
    lines = jettui("orders", "show", jet_id, "--json").document["order"]["lines"]
    assert {line["merchant_sku"]: (line["shipped"], line["cancelled"]) for line in lines} == {
        "HRT-SWL00001": (0, 0),  # nothing else shipped: a cancel-only message
        "HRT-TM00002": (0, 1),
    }
    db = connect(shop)
    [record] = JetOrder.get(JetOrder.merchant_order_id == jet_id).shipments
    db.close()
    assert sorted(record["body"]) == ["alt_shipment_id", "shipment_items"]  # as Jet's clients
    # with --ship naming zero units, the same
    ran = jettui("orders", "ship", jet_id, "--cancel", "HRT-SWL00001=1", "--ship",
                 "HRT-SWL00001=0", "--json")  # fmt: skip
    assert ran.code == 0, ran.err
    # units that ship still need every parcel field, each named
    ran = jettui("orders", "ship", jet_id, "--json")
    assert ran.code == 2
    fields = {p.split(":")[0] for p in ran.document["problems"]}
    assert {"tracking_number", "carrier", "method", "zip"} <= fields


def test_ship_takes_the_forms_dates_and_return_location(shop: Settings, jettui) -> None:
    from jettui.store.jet_tables import JetOrder

    [jet_id] = fetched(shop, jettui)
    assert jettui("orders", "acknowledge", jet_id).code == 0
    ran = jettui("orders", "ship", jet_id, *SHIP, "--delivery-date", "2020-01-01", "--rma", "R1",
                 "--json")  # fmt: skip
    assert ran.code == 2
    problems = ran.document["problems"]
    assert "expected_delivery_date: must not be before the carrier pick up date" in problems
    assert "rma_number: only goes with a return location: give one, or leave it empty" in problems
    ran = jettui("orders", "ship", jet_id, *SHIP, "--return-city", "Sandy", "--return-state",
                 "ut", "--rma", "R1", "--days-to-return", "x", "--json")  # fmt: skip
    assert ran.code == 2
    assert any(p.startswith("days_to_return: must be a whole number") for p in
               ran.document["problems"])  # fmt: skip

    ran = jettui("orders", "ship", jet_id, *SHIP, "--shipment-date", "2030-03-01T10:00Z",
                 "--pickup-date", "2030-03-01T12:00Z", "--delivery-date", "2030-03-04",
                 "--return-location", "--return-address1", "1 Dock Rd", "--return-city", "Sandy",
                 "--return-state", "ut", "--return-zip", "84070", "--rma", "RMA-77",
                 "--days-to-return", "30", "--json")  # fmt: skip
    assert ran.code == 0, ran.err
    db = connect(shop)
    [record] = JetOrder.get(JetOrder.merchant_order_id == jet_id).shipments
    db.close()
    body = record["body"]
    assert body["response_shipment_date"].startswith("2030-03-01T10:00")
    assert body["carrier_pick_up_date"].startswith("2030-03-01T12:00")
    assert body["expected_delivery_date"].startswith("2030-03-04")
    item = body["shipment_items"][0]
    assert (item["RMA_number"], item["days_to_return"]) == ("RMA-77", 30)
    assert item["return_location"]["address1"] == "1 Dock Rd"
    assert (item["return_location"]["state"], item["return_location"]["zip_code"]) == (
        "UT",
        "84070",
    )
