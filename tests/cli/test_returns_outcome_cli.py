"""Issue 19 item 3: `jettui returns list` says how each completed return ended (refunded,
partly, rejected) and the amount it actually refunded; before, a rejected return read like a
refunded one ("completed by merchant", the requested amount)."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from jettui.config import Settings

from .test_returns_cli import shipped


def _returns(shop: Settings, jet_ids: list[str]) -> None:
    from jettui.jet.connect import open_jet_client

    async def generate() -> None:
        async with open_jet_client(shop) as jet:
            for jet_id in jet_ids:
                await jet.generate_return(jet_id)

    asyncio.run(generate())


def _reject(shop: Settings, return_id: str) -> None:
    from jettui.services.returns.completion import reject_return
    from jettui.store.db import open_store

    db = open_store(shop)
    try:
        result = asyncio.run(reject_return(shop, db, return_id, "Returned outside window"))
    finally:
        db.close()
    assert not result.is_problem, result.line


def test_list_shows_the_outcome_and_the_amount_refunded(shop: Settings, jettui) -> None:
    orders = shipped(shop, jettui, 3)
    _returns(shop, orders)
    assert jettui("cron", "fetch-returns").code == 0
    listed = jettui("returns", "list", "--json").document["returns"]
    by_order = {row["merchant_order_id"]: row for row in listed}
    assert [by_order[o]["outcome"] for o in orders] == [None, None, None]  # open
    full, part, rejected = (by_order[o]["return_id"] for o in orders)

    assert jettui("returns", "complete", full).code == 0  # every unit, what the buyer paid
    sku = by_order[orders[1]]["lines"][0]["sku"]
    assert jettui("returns", "complete", part, "--line", f"{sku}=1:1.25").code == 0
    _reject(shop, rejected)

    listed = jettui("returns", "list", "--json").document["returns"]
    by_id = {row["return_id"]: row for row in listed}
    assert by_id[full]["outcome"] == "refunded"
    assert Decimal(by_id[full]["refunded_total"]) > 0
    assert by_id[part]["outcome"] == "partly"
    assert Decimal(by_id[part]["refunded_total"]) < Decimal(by_id[part]["requested_total"])
    assert by_id[rejected]["outcome"] == "rejected"
    assert by_id[rejected]["refunded_total"] == "0.00"
    assert by_id[rejected]["requested_total"] != "0.00"  # what Jet asked, not what was paid

    rows = {row[0]: row for row in jettui("returns", "list").rows}
    assert rows[rejected][-2:] == ["rejected", "0.00"]
    assert rows[part][-2:] == ["partly", by_id[part]["refunded_total"]]
