"""Benchmark the Jet client against the HTTP sandbox on a free loopback port.

    python bench/jet_client.py [--calls 500] [--skus 10000]

Starts ``jettui.jet.sandbox.serve`` in a child process (state file in a temp dir), then measures
single-SKU calls per second (PUT price) and SKUs per second for a bulk MerchantSKUs upload, each
with concurrency 1 and the default concurrency. Loopback only; stops the server by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.sandbox_server import SERVER_SETTINGS, sandbox_server  # noqa: E402
from jettui.config import Settings, load_settings  # noqa: E402
from jettui.jet.bulk import upload_bulk  # noqa: E402
from jettui.jet.client import JetClient  # noqa: E402

BULK_FILE_SKUS = 2500  # split the bulk upload so concurrency has files to overlap


def product(i: int) -> dict:
    body = 10**10 + i  # 11 digits + the check digit = a UPC-A
    digits = [int(d) for d in f"{body:011d}"]
    check = (10 - (3 * sum(digits[0::2]) + sum(digits[1::2])) % 10) % 10
    return {
        "product_title": f"Bench product {i}",
        "jet_browse_node_id": 4000188,
        "brand": "Bench",
        "standard_product_codes": [
            {"standard_product_code": f"{body:011d}{check}", "standard_product_code_type": "UPC"}
        ],
        "multipack_quantity": 1,
        "main_image_url": "https://example.com/bench.png",
        "shipping_weight_pounds": 1.0,
    }


async def single_calls(client: JetClient, calls: int, tag: str) -> float:
    sku = f"bench-{tag}"
    await client.put_sku(sku, product(0))
    started = time.perf_counter()
    await asyncio.gather(*(client.put_price(sku, {"price": 10 + i % 100}) for i in range(calls)))
    return calls / (time.perf_counter() - started)


async def bulk(client: JetClient, skus: int, tag: str) -> float:
    entries = {f"bulk-{tag}-{i}": product(i) for i in range(skus)}
    started = time.perf_counter()
    result = await upload_bulk(client, "MerchantSKUs", entries, poll_interval=0.05, timeout=300)
    elapsed = time.perf_counter() - started
    if len(result.succeeded) != skus:
        failures = [f.failure for f in result.files if f.failure]
        raise SystemExit(f"bulk upload incomplete: {len(result.succeeded)}/{skus} {failures}")
    return skus / elapsed


async def client_overhead(settings: Settings, calls: int) -> float:
    """PUT price calls/s against a transport that answers at once: the client's own cost
    (validation, JSON, auth header, semaphore, httpx), without any server."""

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/token"):
            return httpx.Response(200, json={"id_token": "t", "expires_on": "2099-01-01T00:00:00Z"})
        return httpx.Response(201)

    jet = replace(settings.jet, api_url="http://overhead.invalid/api")
    async with JetClient(jet, transport=httpx.MockTransport(answer)) as client:
        started = time.perf_counter()
        await asyncio.gather(
            *(client.put_price("sku", {"price": 10 + i % 100}) for i in range(calls))
        )
        return calls / (time.perf_counter() - started)


async def run(base_url: str, settings_path: Path, calls: int, skus: int) -> None:
    settings = load_settings(settings_path)
    overhead = await client_overhead(settings, calls * 4)
    print(f"client alone (no server): {overhead:.0f} PUT price calls/s")
    default = settings.jet.concurrency
    print(f"sandbox at {base_url}; {calls} PUT price calls; {skus}-SKU bulk upload")
    print(f"{'concurrency':>11}  {'PUT price calls/s':>18}  {'bulk SKUs/s':>12}  retries")
    for concurrency in (1, default):
        jet = replace(
            settings.jet, api_url=base_url, concurrency=concurrency, bulk_max_skus=BULK_FILE_SKUS
        )
        async with JetClient(jet) as client:
            rate = await single_calls(client, calls, f"c{concurrency}")
            sku_rate = await bulk(client, skus, f"c{concurrency}")
            print(f"{concurrency:>11}  {rate:>18.0f}  {sku_rate:>12.0f}  {client.stats.retries}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--skus", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jettui-bench-") as tmp:
        path = Path(tmp) / "settings.yaml"
        path.write_text(
            SERVER_SETTINGS.format(state=Path(tmp) / "state.db", store=Path(tmp) / "s.db")
        )
        with sandbox_server(path, seconds=20.0) as base_url:
            asyncio.run(run(base_url, path, args.calls, args.skus))


if __name__ == "__main__":
    main()
