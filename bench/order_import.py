"""Benchmark the order import against the bare sequential Jet calls, on the HTTP sandbox.

    python bench/order_import.py [--orders 1000] [--database sqlite|mysql://...]

Serves the sandbox in a child process (bench/sandbox_server.py; state in a temp dir) and
builds a demo store (SQLite by default; ``--database mysql://...`` for a MariaDB OpenCart
database with the demo built into it). Then, in the same run:

1. the sequential floor: ``--orders`` ready orders are handled by bare client calls with
   concurrency 1 and no database — GET the ready list, GET each order, PUT each
   acknowledgement;
2. the import: as many new ready orders are fetched, written to the store (OpenCart order,
   lines, options, totals, history, stock, ledger) and acknowledged by ``fetch_orders`` with
   ``orders.auto_acknowledge`` and ``jet.concurrency`` workers.

Prints both times and the ratio import/floor (target ≤ 1.0), and for each phase the CPU this
process used and the CPU the whole machine used (``/proc/stat``: this process, the sandbox
server and the database server, and anything else running): on a machine of N cores a phase
can't take less than (machine CPU) / N, and this process (one interpreter) not less than its
own CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import peewee as pw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.sandbox_server import api_url, free_port, sandbox_server  # noqa: E402
from jettui.config import Settings, load_settings  # noqa: E402
from jettui.jet.client import JetClient  # noqa: E402
from jettui.store.errors import StoreError  # noqa: E402

SETTINGS = """\
jet:
  api_url: {api_url}
  api_user: benchuser
  api_secret: bench-secret
  fulfillment_node_id: node-1
  concurrency: {concurrency}
  max_retries: 2
sandbox:
  state_file: {state}
  review_delay_seconds: 0
  order_every_seconds: 0
store:
  database: {database}
orders:
  auto_acknowledge: true
log:
  enabled: {log}
"""
DEMO_PRODUCTS = 40
SKUS = 8  # demo products sold on Jet
BATCH = 100  # orders per generate call (the sandbox's maximum)


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy (all cores, ``/proc/stat``); 0 elsewhere."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except OSError:
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


@dataclass
class Phase:
    """One measured phase: wall time, this process's CPU, the machine's CPU."""

    wall: float = 0.0
    own_cpu: float = 0.0
    machine_cpu: float = 0.0

    def __enter__(self) -> Phase:
        self._start = (time.perf_counter(), time.process_time(), machine_busy())
        return self

    def __exit__(self, *_exc: object) -> None:
        wall, own, machine = self._start
        self.wall = time.perf_counter() - wall
        self.own_cpu = time.process_time() - own
        self.machine_cpu = machine_busy() - machine

    def said(self, name: str) -> str:
        cores = os.cpu_count() or 1
        return (
            f"{name}: {self.wall:.2f} s; CPU: this process {self.own_cpu:.2f} s, the machine "
            f"{self.machine_cpu:.2f} s of {cores} × {self.wall:.2f} s"
        )


def prepare_store(settings: Settings) -> list[str]:
    """Demo store with every product in stock; the first SKUS simple products linked as Jet
    SKUs."""
    from jettui.store.db import connect, ensure_jet_tables
    from jettui.store.demo import build_demo_store
    from jettui.store.jet_tables import JetProduct
    from jettui.store.opencart import Product, ProductOption, ProductOptionValue

    build_demo_store(settings, products=DEMO_PRODUCTS, seed=11)
    db = connect(settings)
    try:
        ensure_jet_tables(db)
        Product.update(quantity=1_000_000, status=1).execute()
        ProductOptionValue.update(quantity=1_000_000).execute()
        skus = []
        # simple products only: a configurable one's parent cannot be sold (issue 18)
        with_options = ProductOption.select(ProductOption.product_id)
        simple = Product.select().where(Product.product_id.not_in(with_options))
        for product in simple.order_by(Product.product_id).limit(SKUS):
            sku = f"BENCH-{product.product_id}"
            JetProduct.create(product_id=product.product_id, merchant_sku=sku)
            skus.append(sku)
        return skus
    finally:
        db.close()


def listing(sku: str) -> dict:
    return {
        "product_title": f"Bench {sku}",
        "jet_browse_node_id": 4000188,
        "brand": "Bench",
        "standard_product_codes": [
            {"standard_product_code": "719236005030", "standard_product_code_type": "UPC"}
        ],
        "multipack_quantity": 1,
        "main_image_url": "https://example.com/bench.png",
        "shipping_weight_pounds": 1.0,
    }


async def list_skus(jet: JetClient, skus: list[str]) -> None:
    for i, sku in enumerate(skus):
        price = 10.0 + i
        await jet.put_sku(sku, listing(sku))
        await jet.put_price(
            sku,
            {
                "price": price,
                "fulfillment_nodes": [
                    {"fulfillment_node_id": "node-1", "fulfillment_node_price": price}
                ],
            },
        )


async def generate(jet: JetClient, skus: list[str], count: int) -> list[str]:
    ids: list[str] = []
    for n, start in enumerate(range(0, count, BATCH)):
        a, b = skus[n % len(skus)], skus[(n + 3) % len(skus)]
        items = [{"sku": a, "order_quantity": 1 + n % 3}]
        if n % 2:
            items.append({"sku": b, "order_quantity": 1})
        body = {"fulfillment_node": "node-1", "items": items}
        ids += await jet.generate_orders(body, count=min(BATCH, count - start))
    return ids


def accepted(order: dict) -> dict:
    return {
        "acknowledgement_status": "accepted",
        "order_items": [
            {
                "order_item_acknowledgement_status": "fulfillable",
                "order_item_id": i["order_item_id"],
            }
            for i in order["order_items"]
        ],
    }


async def sequential_floor(settings: Settings) -> tuple[float, int]:
    """GET the list, GET each order, PUT each acknowledgement: concurrency 1, no database."""
    jet_settings = replace(settings.jet, concurrency=1)
    async with JetClient(jet_settings) as jet:
        await jet.authcheck()  # the token is not part of the measurement
        with Phase() as phase:
            ids = await jet.list_orders("ready")
            for mid in ids:
                order = await jet.get_order(mid)
                await jet.acknowledge(mid, accepted(order))
        print(phase.said("floor "))
        return phase.wall, len(ids)


async def import_run(settings: Settings) -> tuple[float, object]:
    from jettui.services.orders.importer import fetch_orders
    from jettui.store.db import connect

    db = connect(settings)
    try:
        async with JetClient(settings.jet) as jet:
            await jet.authcheck()  # warm the sandbox the same way as the floor
        # loaded by the run when it finishes shipments: loading modules is the process's
        # start, not importing orders (the floor's client is loaded before it is timed too)
        import jettui.services.orders.shipping  # noqa: F401

        with Phase() as phase:
            report = await fetch_orders(settings, db)
        print(phase.said("import"))
        return phase.wall, report
    finally:
        db.close()


STEP = ["starting"]  # what the bench is doing, for a one-line error


async def run(settings: Settings, orders: int) -> int:
    from jettui.store.db import connect
    from jettui.store.jet_tables import JetOrder

    STEP[0] = "building the demo store"
    skus = await asyncio.to_thread(prepare_store, settings)
    STEP[0] = "measuring the floor and the import"
    async with JetClient(settings.jet) as jet:
        await list_skus(jet, skus)
        await generate(jet, skus, orders)
    floor, floor_count = await sequential_floor(settings)
    async with JetClient(settings.jet) as jet:
        await generate(jet, skus, orders)
    elapsed, report = await import_run(settings)
    STEP[0] = "counting the imported orders"
    db = connect(settings)
    try:
        imported = (
            JetOrder.select()
            .where((JetOrder.state == "done") & (JetOrder.acknowledgement_status == "accepted"))
            .count()
        )
    finally:
        db.close()
    print(f"store: {settings.store.database_display}; jet.concurrency {settings.jet.concurrency}")
    print(f"sequential floor: {floor_count} orders in {floor:.2f} s (list, GET each, PUT ack each)")
    print(f"import:           {imported} orders in {elapsed:.2f} s ({report.summary})")
    print(f"ratio import/floor: {elapsed / floor:.2f} (target <= 1.0)")
    reasons: dict[str, int] = {}
    for item in getattr(report, "problems", []):
        reasons[item.reason[:120]] = reasons.get(item.reason[:120], 0) + 1
    for reason, count in sorted(reasons.items(), key=lambda kv: -kv[1])[:3]:
        print(f"  {count} failed: {reason}")
    return 0 if imported == orders and floor_count == orders else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--database", default="sqlite", help="sqlite (temp file) or a mysql URL")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--no-log", action="store_true", help="do not write every Jet call to the event log"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jettui-orders-bench-") as tmp:
        port = free_port()
        base_url = api_url(port)
        database = args.database
        if database == "sqlite":
            database = f"sqlite:///{Path(tmp) / 'store.db'}"
        common = {
            "state": Path(tmp) / "state.db",
            "database": database,
            "concurrency": args.concurrency,
            "log": "false" if args.no_log else "true",
        }
        server_path = Path(tmp) / "sandbox.yaml"
        server_path.write_text(SETTINGS.format(api_url="sandbox", **common))
        client_path = Path(tmp) / "settings.yaml"
        client_path.write_text(SETTINGS.format(api_url=base_url, **common))
        settings = load_settings(client_path)
        with sandbox_server(server_path, port):
            try:
                code = asyncio.run(run(settings, args.orders))
            except (pw.DatabaseError, StoreError) as error:
                first = str(error).splitlines()[0] if str(error) else ""
                where = settings.store.database_display
                sys.exit(f"{STEP[0]} failed on {where}: {type(error).__name__}: {first}")
    sys.exit(code)


if __name__ == "__main__":
    main()
