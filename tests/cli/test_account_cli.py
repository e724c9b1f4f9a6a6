"""`jettui refunds create` and `jettui returns complete` asking more than is left on a Jet
order line: refused before anything is sent, the line and what is left named, exit 2."""

from __future__ import annotations

import asyncio

from jettui.config import Settings
from tests.cli.test_returns_cli import shipped


def test_more_than_is_left_is_refused_naming_the_line_and_what_is_left(
    shop: Settings, jettui
) -> None:
    from jettui.jet.connect import open_jet_client

    [jet_id] = shipped(shop, jettui, 1)
    ran = jettui("refunds", "create", jet_id, "--item", "HRT-SWL00001=2", "--reason",
                 "Unwanted gift", "--feedback", "Item damaged")  # fmt: skip
    assert ran.code == 0, ran.err
    refunds_before = jettui("refunds", "list").rows

    ran = jettui("refunds", "create", jet_id, "--item", "HRT-SWL00001=1", "--reason",
                 "Unwanted gift", "--feedback", "Item damaged", "--json")  # fmt: skip
    assert ran.code == 2
    [problem] = ran.document["problems"]
    assert problem.startswith("items[HRT-SWL00001].quantity: 1 is more than the 0 left to "
                              "refund on order item ")  # fmt: skip
    assert problem.endswith("(HRT-SWL00001: 2 shipped, 2 already refunded)")
    ran = jettui("refunds", "create", jet_id, "--item", "HRT-TM00002=1:32.01", "--reason",
                 "Unwanted gift", "--feedback", "Item damaged", "--json")  # fmt: skip
    assert ran.code == 2
    [problem] = ran.document["problems"]
    assert problem.startswith("items[HRT-TM00002].refund_amount.principal: 32.01 is more than "
                              "what is left of what the buyer paid for order item ")  # fmt: skip
    assert problem.endswith("(HRT-TM00002) (32.00)")
    assert jettui("refunds", "list").rows == refunds_before  # nothing recorded, nothing sent

    async def generate() -> None:
        async with open_jet_client(shop) as jet:
            await jet.generate_return(jet_id)

    asyncio.run(generate())
    assert jettui("cron", "fetch-returns").code == 0
    [row] = jettui("returns", "list").rows
    ran = jettui("returns", "complete", row[0], "--line", "HRT-SWL00001=1", "--json")
    assert ran.code == 2
    [problem] = ran.document["problems"]
    assert problem.startswith("lines[HRT-SWL00001].order_return_refund_qty: 1 is more than the "
                              "0 left to refund on order item ")  # fmt: skip
    assert jettui("returns", "list").rows[0][4] == "created"  # nothing was sent
    # the default completion refunds the other line only, and says why for the refunded one
    ran = jettui("returns", "complete", row[0], "--json")
    assert ran.code == 0, ran.err
    assert jettui("returns", "list").rows[0][4] == "completed by merchant"

    # `orders show` lists each line's account: units and the dollars refunded
    ran = jettui("orders", "show", jet_id, "--json")
    assert ran.code == 0, ran.err
    lines = {a["merchant_sku"]: a for a in ran.document["order"]["account"]}
    assert {k: lines["HRT-SWL00001"][k] for k in ("ordered", "shipped", "returned", "refunded",
                                                  "refundable", "refunded_dollars")} == {
        "ordered": 2, "shipped": 2, "returned": 2, "refunded": 2, "refundable": 0,
        "refunded_dollars": "131.98",
    }  # fmt: skip
    assert (lines["HRT-TM00002"]["refunded"], lines["HRT-TM00002"]["refunded_dollars"]) == (
        1, "32.00",
    )  # fmt: skip
    text = jettui("orders", "show", jet_id).out
    assert "account HRT-SWL00001 (item " in text
    # back from the buyer (returns.restock is off here): no longer kept, not restocked
    assert ("2 ordered, 2 shipped, 0 cancelled, 2 returned, 0 restocked, 0 kept, 2 refunded "
            "(0 refundable); refunded 131.98 (principal 131.98)") in text  # fmt: skip
