"""Benchmark ``products upload --all`` and ``products sync --all``: SKUs/s, peak memory,
and the per-SKU floor.

    python bench/catalog_upload.py                # 10k and 100k demo products
    python bench/catalog_upload.py 10000          # one size

The Jet sandbox is served over HTTP in its own process (``jettui.jet.sandbox.serve`` on a free
loopback port), so the measured process is jettui alone. Each size builds a fresh demo store;
the upload, then a sync --all (every price moved by 1 first, so each SKU's Price and Inventory
go out), each run in a fresh Python process: "peak MB" is that action's own high-water mark
(``ru_maxrss``). Client-side speed is given two ways: "check SKUs/s" over the checking stage
(read the store, build and validate every payload, plan the links), and "CPU SKUs/s", the SKUs
over the jettui process's whole CPU time (checking, JSON, gzip, HTTP, recording results: all
the client's work, none of the waiting). The other stages mostly wait for the sandbox. The
per-SKU floor is what the same SKUs cost sent one by one (PUT merchant-skus + price + inventory
per SKU, ``jet.concurrency`` at a time), measured on a sample after the upload; the ratio says
how much the bulk files save. The machine's other load moves every figure: run it twice.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.sandbox_server import SERVER_SETTINGS, api_url, free_port, sandbox_server  # noqa: E402

DEFAULT_SIZES = (10_000, 100_000)
FLOOR_SAMPLE = 300  # SKUs sent one by one for the per-SKU floor
JET_NODE = 4000188  # a leaf of the sandbox taxonomy
CLIENT = """\
jet:
  api_url: {api}
  api_user: benchuser
  api_secret: bench-secret
  fulfillment_node_id: node-1
  concurrency: 4
store:
  database: sqlite:///{store}
  url: https://shop.example.com/
log:
  enabled: false
"""


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _map_everything() -> None:
    from jettui.store.jet_tables import JetCategory, JetTaxonomyNode
    from jettui.store.opencart import Category

    JetTaxonomyNode.create(
        jet_node_id=JET_NODE,
        name="Bench node",
        is_leaf=True,
        attributes=[{"attribute_id": 119, "variant": True}],
    )
    for category in Category.select(Category.category_id):
        JetCategory.create(category_id=category.category_id, jet_node_id=JET_NODE)


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _measure(settings_path: Path, action: str) -> dict:
    """One action (``upload`` or ``sync``) on every mapped product, as ``--all`` does."""
    from jettui.config import load_settings
    from jettui.services.catalog import resolve_products, run_action
    from jettui.store.db import connect, ensure_jet_tables

    settings = load_settings(settings_path)
    db = connect(settings)
    ensure_jet_tables(db)
    if action == "upload":
        _map_everything()
    else:  # every price moved since the upload: sync sends a Price and Inventory for each SKU
        from jettui.store.opencart import Product

        Product.update(price=Product.price + 1).execute()
    ids = resolve_products(settings, all_mapped=True)
    before = _rss_mb()
    stages: list[tuple[str, float]] = []
    cpu, started = _cpu_s(), time.perf_counter()
    report = await run_action(
        settings, db, action, ids, stage=lambda s: stages.append((s, time.perf_counter()))
    )
    seconds, cpu = time.perf_counter() - started, _cpu_s() - cpu
    peak = _rss_mb()
    skus = len(report.items)
    marks = [*stages, ("end", time.perf_counter())]
    durations: dict[str, float] = {}
    for i, (name, at) in enumerate(marks[:-1]):  # "checking (part 2 of 4)" → "checking"
        key = name.split(" (part ")[0]
        durations[key] = round(durations.get(key, 0.0) + marks[i + 1][1] - at, 2)
    floor = await _per_sku_floor(settings, ids) if action == "upload" else 0.0
    db.close()
    return {
        "action": action,
        "products": len(ids),
        "skus": skus,
        "summary": report.summary,
        "seconds": round(seconds, 1),
        "skus_per_s": round(skus / seconds),
        "checking_skus_per_s": round(skus / durations["checking"]),
        "cpu_s": round(cpu, 1),
        "cpu_skus_per_s": round(skus / cpu),
        "stages_s": durations,
        "before_mb": round(before),
        "peak_mb": round(peak),
        "floor_skus_per_s": round(floor),
    }


async def _per_sku_floor(settings, product_ids) -> float:
    """SKUs/s sent one by one (3 calls per SKU) for a sample of the SKUs just uploaded."""
    from jettui.jet.connect import open_jet_client
    from jettui.services.catalog import validate_products
    from jettui.services.runtime import fan_out

    ids = product_ids[: FLOOR_SAMPLE // 2]
    listings = [x for c in validate_products(settings, ids) if c.ok for x in c.listings]
    listings = listings[:FLOOR_SAMPLE]

    async with open_jet_client(settings) as jet:

        async def one(listing) -> None:
            await jet.put_sku(listing.sku, listing.product)
            await jet.put_price(listing.sku, listing.price)
            await jet.put_inventory(listing.sku, listing.inventory)

        started = time.perf_counter()
        await fan_out(listings, one, concurrency=settings.jet.concurrency)
        return len(listings) / (time.perf_counter() - started)


def child(tmp: Path, products: int) -> None:
    """One size: build the store, serve the sandbox, then upload and sync --all, each in a
    fresh process of its own (its peak RSS is its own)."""
    from jettui.config import load_settings
    from jettui.store.demo import build_demo_store

    store = tmp / f"store-{products}.db"
    server_yaml, client_yaml = tmp / f"server-{products}.yaml", tmp / f"client-{products}.yaml"
    server_yaml.write_text(SERVER_SETTINGS.format(state=tmp / f"state-{products}.db", store=store))
    port = free_port()
    api = api_url(port)
    client_yaml.write_text(CLIENT.format(api=api, store=store))
    build_demo_store(load_settings(client_yaml), products=products, seed=7)
    with sandbox_server(server_yaml, port):
        for action in ("upload", "sync"):
            done = subprocess.run(
                [sys.executable, __file__, "--measure", str(client_yaml), action],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            if done.returncode:
                raise SystemExit(f"{action} failed\n{done.stderr[-2000:]}")
            print(done.stdout.strip().splitlines()[-1], flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(DEFAULT_SIZES))
    parser.add_argument("--child", nargs=2, metavar=("DIR", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--measure", nargs=2, metavar=("YAML", "ACTION"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(asyncio.run(_measure(Path(args.measure[0]), args.measure[1]))))
        return 0
    if args.child:
        child(Path(args.child[0]), int(args.child[1]))
        return 0
    print(f"{'action':>6} {'products':>8} {'SKUs':>7} {'wall s':>7} {'SKUs/s':>7} "
          f"{'check SKUs/s':>12} {'CPU s':>6} {'CPU SKUs/s':>10} {'peak MB':>8} "
          f"{'floor SKUs/s':>12} {'ratio':>6}")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="jettui-bench-") as tmp:
        for size in args.sizes:
            done = subprocess.run(
                [sys.executable, __file__, "--child", tmp, str(size)],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            if done.returncode:
                print(f"{size}: failed\n{done.stderr[-2000:]}")
                return 1
            floor = 0
            for line in done.stdout.strip().splitlines():
                r = json.loads(line)
                floor = r["floor_skus_per_s"] or floor
                ratio = f"{r['skus_per_s'] / floor:>5.1f}x" if floor else "     -"
                print(f"{r['action']:>6} {r['products']:>8} {r['skus']:>7} {r['seconds']:>7} "
                      f"{r['skus_per_s']:>7} {r['checking_skus_per_s']:>12} {r['cpu_s']:>6} "
                      f"{r['cpu_skus_per_s']:>10} {r['peak_mb']:>8} {floor:>12} {ratio}")  # fmt: skip
                print(f"         {r['summary']}; stages (s): {r['stages_s']}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
