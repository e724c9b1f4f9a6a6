"""Crash tally of the order import: SIGKILL it at random points, many times, and count.

    python bench/order_crash.py [--trials 100] [--orders 200] [--database sqlite|mysql://...]

Each trial places ``--orders`` new orders on the embedded sandbox, starts the import in a
child process (tests/orders/crash_child.py) that SIGKILLs itself right after a random SQL
statement, then runs the import to the end in this process and checks every Jet order so far:
exactly one OpenCart order, all its lines, options, totals (adding up) and one history row,
acknowledged, no half-written order left, stock of products and option values exact.
Prints the tally (trials, runs killed, problems found). The store is the jettui demo store
(SQLite in a temp dir by default; ``--database mysql://.../empty_db`` builds it there).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jettui.config import Settings, load_settings  # noqa: E402

SETTINGS = """\
jet:
  api_url: sandbox
  api_user: benchuser
  api_secret: bench-secret
  fulfillment_node_id: node-1
  max_retries: 0
sandbox:
  state_file: {state}
  review_delay_seconds: 0
  order_every_seconds: 0
store:
  database: {database}
orders:
  auto_acknowledge: true
"""
CHILD = ROOT / "tests" / "orders" / "crash_child.py"
PRODUCTS = 6  # demo products sold (simple products and option children)
STATEMENTS_PER_ORDER = 8  # about what an import runs per order (so most kill points fall inside)


def prepare(settings: Settings) -> dict[str, tuple[int, int]]:
    """Demo store, everything in stock; links for a few products and option values."""
    from jettui.store.db import connect, ensure_jet_tables
    from jettui.store.demo import build_demo_store
    from jettui.store.jet_tables import JetProduct
    from jettui.store.opencart import Product, ProductOption, ProductOptionValue

    build_demo_store(settings, products=40, seed=11)
    db = connect(settings)
    try:
        ensure_jet_tables(db)
        Product.update(quantity=10_000_000, status=1, subtract=1).execute()
        ProductOptionValue.update(quantity=10_000_000, subtract=1).execute()
        skus: dict[str, tuple[int, int]] = {}
        # simple products only: a configurable one's parent cannot be sold (issue 18), so an
        # order for it is rejected and every trial would count it as a problem
        with_options = ProductOption.select(ProductOption.product_id)
        simple = Product.select().where(Product.product_id.not_in(with_options))
        for product in simple.order_by(Product.product_id).limit(PRODUCTS):
            skus[f"CRASH-{product.product_id}"] = (product.product_id, 0)
        for value in (
            ProductOptionValue.select()
            .order_by(ProductOptionValue.product_option_value_id)
            .limit(PRODUCTS)
        ):
            skus[f"CRASH-V{value.product_option_value_id}"] = (
                value.product_id,
                value.product_option_value_id,
            )
        for sku, (product_id, value_id) in skus.items():
            JetProduct.create(
                product_id=product_id, product_option_value_id=value_id, merchant_sku=sku
            )
        return skus
    finally:
        db.close()


async def list_on_jet(settings: Settings, skus: list[str]) -> None:
    from jettui.jet.connect import open_jet_client

    async with open_jet_client(settings) as jet:
        for i, sku in enumerate(skus):
            price = 10.0 + i
            await jet.put_sku(
                sku,
                {
                    "product_title": f"Crash {sku}",
                    "jet_browse_node_id": 4000188,
                    "brand": "Bench",
                    "standard_product_codes": [
                        {
                            "standard_product_code": "719236005030",
                            "standard_product_code_type": "UPC",
                        }
                    ],
                    "multipack_quantity": 1,
                    "main_image_url": "https://example.com/crash.png",
                    "shipping_weight_pounds": 1.0,
                },
            )
            await jet.put_price(
                sku,
                {
                    "price": price,
                    "fulfillment_nodes": [
                        {"fulfillment_node_id": "node-1", "fulfillment_node_price": price}
                    ],
                },
            )


async def place(settings: Settings, skus: list[str], rng: random.Random, count: int) -> list:
    from jettui.jet.connect import open_jet_client

    shapes = []
    async with open_jet_client(settings) as jet:
        for start in range(0, count, 50):
            n = min(50, count - start)
            picked = rng.sample(skus, k=rng.randint(1, 3))
            shape = [(sku, rng.randint(1, 3)) for sku in picked]
            items = [{"sku": sku, "order_quantity": qty} for sku, qty in shape]
            await jet.generate_orders({"fulfillment_node": "node-1", "items": items}, count=n)
            shapes += [shape] * n
    return shapes


def _ledger_ids() -> set[str]:
    from jettui.store.jet_tables import JetOrder

    return {mid for (mid,) in JetOrder.select(JetOrder.merchant_order_id).tuples()}


def kill_child(settings_path: Path, kill_after: int) -> int:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    result = subprocess.run(
        [sys.executable, str(CHILD), str(settings_path), str(kill_after)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode not in (-9, 0, 1):
        raise SystemExit(f"child failed ({result.returncode}): {result.stderr[-2000:]}")
    return result.returncode


async def run(settings_path: Path, trials: int, orders: int, seed: int) -> int:
    from jettui.services.orders.importer import fetch_orders
    from jettui.store.db import connect
    from tests.orders.crash_check import expected_stock, import_problems, stock_now

    settings = load_settings(settings_path)
    sku_map = await asyncio.to_thread(prepare, settings)
    await list_on_jet(settings, list(sku_map))
    db = connect(settings)
    rng = random.Random(seed)
    initial = stock_now(sku_map)
    shapes: list = []
    killed = clean_exits = problem_trials = 0
    problems_seen: list[str] = []
    started = time.perf_counter()
    try:
        for trial in range(1, trials + 1):
            seen = _ledger_ids()
            shapes += await place(settings, list(sku_map), rng, orders)
            code = await asyncio.to_thread(
                kill_child, settings_path, rng.randint(1, orders * STATEMENTS_PER_ORDER)
            )
            killed += code == -9
            clean_exits += code != -9
            report = await fetch_orders(settings, db)
            new = _ledger_ids() - seen  # these in detail; the counts cover every order
            problems = list(import_problems(sku_map, len(shapes), only=new))
            if report.exit_code != 0:
                problems.append(f"completing run: {report.summary}")
            if stock_now(sku_map) != expected_stock(initial, sku_map, shapes):
                problems.append("stock differs from the orders placed")
            if problems:
                problem_trials += 1
                problems_seen += problems[:3]
            print(f"trial {trial}/{trials}: {'killed' if code == -9 else 'ran to the end'}; "
                  f"{len(problems)} problem(s)", flush=True)  # fmt: skip
        final = import_problems(sku_map, len(shapes))  # every order once more, in detail
        if final:
            problem_trials += 1
            problems_seen += final[:3]
    finally:
        db.close()
    print(
        f"\n{trials} trials of {orders} orders ({len(shapes)} orders) in "
        f"{time.perf_counter() - started:.0f} s: {killed} runs killed, {clean_exits} ended "
        f"before their kill point; {problem_trials} trial(s) with problems"
    )
    for line in problems_seen[:20]:
        print(f"  {line}")
    return 1 if problem_trials else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--database", default="sqlite", help="sqlite (temp file) or a mysql URL")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jettui-crash-") as tmp:
        database = args.database
        if database == "sqlite":
            database = f"sqlite:///{Path(tmp) / 'store.db'}"
        path = Path(tmp) / "settings.yaml"
        path.write_text(SETTINGS.format(state=Path(tmp) / "state.db", database=database))
        path.chmod(0o600)
        sys.exit(asyncio.run(run(path, args.trials, args.orders, args.seed)))


if __name__ == "__main__":
    main()
