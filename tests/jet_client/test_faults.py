"""Under injected faults (20 % 500s, every 7th call a 429, 2-second tokens) a 1,000-SKU bulk
upload and 200 acknowledgements still all complete, through retries and token refreshes
(acknowledgements, not safe to repeat, through send_once: looked up after each 500)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import replace

from jettui.config import Settings
from jettui.jet.bulk import upload_bulk
from jettui.jet.connect import open_jet_client
from jettui.jet.once import Looked, send_once

from . import payloads

ORDERS = 200
SKUS = 1000


async def test_bulk_and_acknowledgements_survive_faults(
    sandbox_settings: Callable[..., Settings], ci_figures: Callable[[str], None]
) -> None:
    clean = sandbox_settings()
    async with open_jet_client(clean) as jet:  # setup without faults, same state file
        await jet.put_sku("fault-sku", payloads.product())
        await jet.put_price("fault-sku", payloads.price())
        await jet.put_inventory("fault-sku", payloads.inventory(10_000))
        for _ in range(ORDERS // 100):
            await jet.generate_orders(payloads.generate("fault-sku"), count=100)

    faulty = sandbox_settings(error_rate=0.2, rate_limit_every=7, token_lifetime_seconds=2)
    # More retries than the default 4: at ~30 % failed attempts, 5 attempts would lose a few of
    # these ~1,500 calls. Retry-After ("1") is honoured but capped to keep the test short.
    faulty = replace(faulty, jet=replace(faulty.jet, max_retries=10))
    started = time.monotonic()
    async with open_jet_client(faulty, backoff_base=0.005, retry_after_cap=0.05) as jet:
        entries = {
            f"fault-bulk-{i:04d}": payloads.product(f"Fault product {i}") for i in range(SKUS)
        }
        result = await upload_bulk(jet, "MerchantSKUs", entries, poll_interval=0.01)

        ready = await jet.list_orders("ready")
        assert len(ready) == ORDERS

        async def acknowledge(order_id: str) -> None:
            order = await jet.get_order(order_id)
            ids = [i["order_item_id"] for i in order["order_items"]]

            async def on_jet() -> Looked:  # not safe to repeat: looked up after a 500
                return Looked((await jet.get_order(order_id))["status"] == "acknowledged")

            once = await send_once(
                lambda: jet.acknowledge(order_id, payloads.ack(ids)), on_jet, resends=10
            )
            assert once.applied, once.note

        await asyncio.gather(*(acknowledge(o) for o in ready))
        await asyncio.sleep(max(0.0, 1.2 - (time.monotonic() - started)))  # outlive one token
        acknowledged = await jet.list_orders("acknowledged")
        stats = jet.stats

    ci_figures(
        f"fault run: {stats.calls} calls, {stats.retries} retries, {stats.server_errors} 500s, "
        f"{stats.rate_limited} 429s, {stats.token_refreshes} token fetches "
        f"in {time.monotonic() - started:.1f} s"
    )
    assert [f.status for f in result.files] == ["Processed successfully"]
    assert len(result.succeeded) == SKUS
    assert sorted(acknowledged) == sorted(ready)
    assert stats.retries > 50 and stats.server_errors > 20 and stats.rate_limited > 20
    assert stats.token_refreshes >= 2
