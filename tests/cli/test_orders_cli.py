"""`jettui orders list|show|acknowledge|retry|reject|ship` against the embedded sandbox and a
SQLite demo store: listings on stdout, every ship-form rule checked before sending (the field
named, exit 2), an order acknowledged past its deadline said and exit 1."""

from __future__ import annotations

import datetime as dt

from jettui.config import Settings
from tests.shop_support import place

SHIP = ["--carrier", "UPS", "--method", "UPS Ground", "--tracking", "1Z999AA10123456784"]


def test_list_ship_and_show_an_order(shop: Settings, jettui) -> None:
    ran = jettui("orders", "list")
    assert (ran.code, ran.out, ran.lines) == (0, "", ["0 orders"])

    jet_id = place(shop)
    assert jettui("cron", "fetch-orders").code == 0
    ran = jettui("orders", "list", "--status", "ready")
    [row] = ran.rows
    assert (row[0], row[3], row[4], row[5], row[10]) == (jet_id, "ready", "done", "3", "")
    assert row[9].endswith("min left to acknowledge")
    oc_order = row[2]

    ran = jettui("orders", "list", "--status", "shipped")
    assert ran.code == 2 and len(ran.lines) == 1
    assert "--status: 'shipped' is not one of" in ran.lines[0]

    ran = jettui("orders", "acknowledge")
    assert (ran.code, ran.lines) == (
        2,
        ["jettui: give --all or one or more Jet order ids (not both)"],
    )
    ran = jettui("orders", "acknowledge", "--all", "--json")
    assert ran.code == 0, ran.err
    assert [i["outcome"] for i in ran.document["items"]] == ["succeeded"]

    # every rule checked before sending: each problem names its field, exit 2, nothing sent
    ran = jettui("orders", "ship", jet_id, *SHIP, "--zip", "8404", "--ship", "NOPE=1", "--json")
    assert ran.code == 2
    problems = ran.document["problems"]
    assert any(p.startswith("zip: must be exactly 5 digits") for p in problems), problems
    assert any(p.startswith("lines[NOPE]: ") for p in problems), problems
    assert ran.lines[-1] == "jettui: shipment not sent (2 problems)"
    assert jettui("orders", "list", "--status", "acknowledged").rows[0][0] == jet_id

    ran = jettui("orders", "ship", jet_id, *SHIP, "--zip", "84047", "--cancel", "HRT-TM00002=1")
    assert ran.code == 0, ran.err
    ran = jettui("orders", "show", jet_id, "--json")
    lines = {line["merchant_sku"]: line for line in ran.document["order"]["lines"]}
    assert (lines["HRT-SWL00001"]["shipped"], lines["HRT-TM00002"]["cancelled"]) == (2, 1)
    assert ran.document["order"]["order_id"] == int(oc_order)
    text = jettui("orders", "show", jet_id).out
    assert f"merchant_order_id: {jet_id}" in text and "1Z999AA10123456784" in text

    ran = jettui("orders", "show", "no-such-order")
    assert ran.code == 2 and "no Jet order 'no-such-order'" in ran.lines[0]


def test_ship_options_and_unknown_orders_are_one_line(shop: Settings, jettui) -> None:
    ran = jettui("orders", "ship", "X", *SHIP, "--zip", "84047", "--ship", "A-1")
    assert ran.code == 2 and ran.lines == [
        "jettui: --ship: 'A-1' must be SKU=QUANTITY, e.g. --ship ABC-1=2"
    ]
    ran = jettui("orders", "ship", "X", *SHIP, "--zip", "84047", "--json")
    assert ran.code == 2 and "no Jet order 'X'" in ran.document["error"]


def test_acknowledging_past_the_deadline_says_so_and_exits_1(shop: Settings, jettui) -> None:
    from jettui.store.db import connect
    from jettui.store.jet_tables import JetOrder

    jet_id = place(shop)
    assert jettui("cron", "fetch-orders").code == 0
    db = connect(shop)
    hour_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    row = JetOrder.get(JetOrder.merchant_order_id == jet_id)  # ready an hour ago, as Jet says
    row.raw = {**row.raw, "order_ready_date": hour_ago.isoformat().replace("+00:00", "Z")}
    row.save()
    db.close()
    assert jettui("orders", "list").rows[0][9].startswith("LATE by")
    ran = jettui("orders", "acknowledge", jet_id)
    assert ran.code == 1
    assert "past its acknowledgement deadline" in ran.lines[0]


def test_a_held_order_is_listed_and_rejected(shop: Settings, jettui) -> None:
    import asyncio

    from tests.shop_support import list_on_jet

    asyncio.run(list_on_jet(shop, {"GHOST-1": 10.0}))
    jet_id = place(shop, [("GHOST-1", 1, 0)])
    assert jettui("cron", "fetch-orders").code == 1  # held: an item failed
    [row] = jettui("orders", "list", "--status", "held").rows
    assert row[0] == jet_id and "GHOST-1" in row[10]
    ran = jettui("orders", "retry", jet_id)  # still unknown: still held
    assert ran.code == 1 and "GHOST-1" in ran.err
    ran = jettui("orders", "reject", jet_id, "--json")
    assert ran.code == 0, ran.err
    assert jettui("orders", "list", "--status", "rejected").rows[0][0] == jet_id


def test_an_order_cancelled_in_the_admin_ships_only_with_the_flag(shop: Settings, jettui) -> None:
    from jettui.store.db import connect
    from jettui.store.oc_orders import add_order_history, shop_context

    jet_id = place(shop, [("HRT-SWL00001", 1, 0), ("HRT-SWL00001", 1, 0)])  # one SKU, two items
    assert jettui("cron", "fetch-orders").code == 0
    assert jettui("orders", "acknowledge", jet_id).code == 0
    [row] = jettui("orders", "list").rows
    assert row[10] == ""
    db = connect(shop)
    add_order_history(int(row[2]), shop.orders.status_cancelled, "", shop=shop_context(shop))
    db.close()
    reason = f"cancelled in the OpenCart admin: OpenCart order {row[2]} is 'Canceled'"
    assert jettui("orders", "list").rows[0][10].startswith(reason)  # said on the order

    ran = jettui("orders", "ship", jet_id, *SHIP, "--zip", "84047")
    assert ran.code == 2 and ran.lines[0].startswith(f"jettui: order: {reason}")
    assert "--confirm-admin-change" in ran.lines[0] and len(ran.lines) == 2
    text = jettui("orders", "show", jet_id).out
    assert f"admin_change: {reason}" in text
    assert "line HRT-SWL00001#1: 1 ordered, 0 shipped" in text
    assert "line HRT-SWL00001#2: 1 ordered, 0 shipped" in text

    ran = jettui("orders", "ship", jet_id, *SHIP, "--zip", "84047", "--confirm-admin-change")
    assert ran.code == 0, ran.err
    assert (
        "2 unit(s) shipped (UPS, 1Z999AA10123456784); nothing open (OpenCart order"
        in (ran.lines[0])
    )
    [row] = jettui("orders", "list").rows
    assert (row[3], row[10]) == ("complete", "")


def test_a_ready_order_is_cancelled_whole_or_not_at_all(shop: Settings, jettui) -> None:
    """Before the acknowledgement only every unit may be cancelled (the extension's reject):
    a part is refused naming the field, exit 2, nothing sent; the whole order goes."""
    jet_id = place(shop)  # 2 × HRT-SWL00001 + 1 × HRT-TM00002
    assert jettui("cron", "fetch-orders").code == 0
    cancel_one = ("--cancel", "HRT-SWL00001=1", "--ship", "HRT-SWL00001=0")
    ran = jettui("orders", "ship", jet_id, *SHIP, "--zip", "84047", *cancel_one, "--json")
    assert ran.code == 2
    assert ran.document["problems"] == [
        "lines: the order is not acknowledged: only all 3 unit(s) may be cancelled (a reject); "
        "acknowledge it before cancelling part of it"
    ]
    assert jettui("orders", "list", "--status", "ready").rows[0][0] == jet_id  # nothing sent
    everything = ("--cancel", "HRT-SWL00001=2", "--cancel", "HRT-TM00002=1",
                  "--ship", "HRT-SWL00001=0")  # fmt: skip
    ran = jettui("orders", "ship", jet_id, *SHIP, "--zip", "84047", *everything)
    assert ran.code == 0, ran.err
    lines = jettui("orders", "show", jet_id, "--json").document["order"]["lines"]
    assert sorted((line["merchant_sku"], line["cancelled"]) for line in lines) == [
        ("HRT-SWL00001", 2),
        ("HRT-TM00002", 1),
    ]


def test_a_tracking_number_with_spaces_or_not_the_carriers_format_is_refused(
    shop: Settings, jettui
) -> None:
    """The ship form's tracking rule (services/orders/ship_form.py) is the CLI's too: exit 2,
    the field named, nothing sent."""
    jet_id = place(shop)
    assert jettui("cron", "fetch-orders").code == 0
    assert jettui("orders", "acknowledge", "--all").code == 0
    base = ["--carrier", "UPS", "--method", "UPS Ground", "--zip", "84047", "--json"]
    ran = jettui("orders", "ship", jet_id, *base, "--tracking", "1Z999AA1 0123456784")
    assert ran.code == 2
    assert ran.document["problems"] == [
        "tracking_number: must have no spaces (got '1Z999AA1 0123456784')"
    ]
    ran = jettui("orders", "ship", jet_id, *base, "--tracking", "5")
    assert ran.code == 2
    [problem] = ran.document["problems"]
    assert problem.startswith("tracking_number: not a UPS tracking number")
    assert jettui("orders", "list", "--status", "acknowledged").rows[0][0] == jet_id  # unsent
