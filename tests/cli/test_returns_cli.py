"""`jettui returns list|complete` and `jettui refunds create|list` against the embedded
sandbox and a SQLite demo store: listings on stdout, every rule checked before sending (the
field named, exit 2), a return completed with partial amounts, a refund polled to accepted."""

from __future__ import annotations

import asyncio

from jettui.config import Settings
from tests.shop_support import place

SHIP = [
    "--carrier",
    "UPS",
    "--method",
    "UPS Ground",
    "--tracking",
    "1Z0001000000000000",
    "--zip",
    "84047",
]


def shipped(shop: Settings, jettui, count: int) -> list[str]:
    """``count`` orders (2 + 1 units) fetched, acknowledged and shipped with the commands."""
    ids = [place(shop) for _ in range(count)]
    assert jettui("cron", "fetch-orders").code == 0
    assert jettui("orders", "acknowledge", *ids).code == 0
    for jet_id in ids:
        ran = jettui("orders", "ship", jet_id, *SHIP)
        assert ran.code == 0, ran.err
    return ids


def test_list_and_complete_a_return(shop: Settings, jettui) -> None:
    from jettui.jet.connect import open_jet_client

    [jet_id] = shipped(shop, jettui, 1)

    async def generate() -> None:
        async with open_jet_client(shop) as jet:
            await jet.generate_return(jet_id)

    asyncio.run(generate())
    assert jettui("returns", "list").out == ""
    assert jettui("cron", "fetch-returns").code == 0
    [row] = jettui("returns", "list").rows
    return_id = row[0]
    assert (row[1], row[4]) == (jet_id, "created") and row[3] != ""  # OpenCart return ids

    ran = jettui("returns", "complete", return_id, "--line", "HRT-SWL00001=1:999", "--json")
    assert ran.code == 2
    [problem] = ran.document["problems"]
    assert problem.startswith("lines[HRT-SWL00001].refund_amount.principal: 999.00 is more")
    ran = jettui("returns", "complete", return_id, "--line", "HRT-SWL00001")
    assert ran.code == 2 and "--line 'HRT-SWL00001': expected SKU=QTY[:AMOUNT]" in ran.lines[0]
    ran = jettui("returns", "complete", return_id, "--line", "HRT-SWL00001=x")
    assert ran.code == 2
    assert "--line 'HRT-SWL00001=x': quantity: must be a whole number" in ran.lines[0]
    assert jettui("returns", "list").rows[0][4] == "created"  # nothing was sent

    ran = jettui("returns", "complete", return_id, "--line", "HRT-SWL00001=1:20.00",
                 "--feedback", "Item damaged", "--json")  # fmt: skip
    assert ran.code == 0, ran.err
    assert jettui("returns", "list").rows[0][4] == "completed by merchant"
    ran = jettui("returns", "complete", "no-such-return")
    assert ran.code == 2 and len(ran.lines) == 1


def test_create_list_and_poll_a_refund(shop: Settings, jettui) -> None:
    [jet_id] = shipped(shop, jettui, 1)
    ran = jettui("refunds", "create", jet_id, "--item", "HRT-SWL00001=5", "--reason", "bogus",
                 "--json")  # fmt: skip
    assert ran.code == 2
    problems = ran.document["problems"]
    assert any(p.startswith("reason: 'bogus' is not a Jet refund reason") for p in problems)
    assert any(p.startswith("items[HRT-SWL00001].quantity: 5 is more than") for p in problems)
    assert jettui("refunds", "list").out == ""  # nothing recorded, nothing sent

    ran = jettui("refunds", "create", jet_id, "--item", "HRT-SWL00001=1",
                 "--reason", "Unwanted gift", "--feedback", "Item damaged")  # fmt: skip
    assert ran.code == 0, ran.err
    [row] = jettui("refunds", "list").rows
    assert (row[1], row[2], row[3]) == (jet_id, "HRT-SWL00001×1", "65.99")
    states = []
    for _ in range(3):  # the fetch-returns job polls refund states until final
        assert jettui("cron", "fetch-returns").code == 0
        states.append(jettui("refunds", "list", "--json").document["refunds"][0]["status"])
        if states[-1] == "accepted":
            break
    assert states[-1] == "accepted", states
