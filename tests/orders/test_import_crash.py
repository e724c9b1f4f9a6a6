"""Crash safety of the order import: SIGKILL it at random points (right after a random SQL
statement) in 20 trials of 50 orders each; after every trial's next run, each Jet order is
exactly one complete OpenCart order and stock is exact. Then 4 concurrent fetches: no
duplicate, the ones that find the lock taken did nothing. On SQLite and MariaDB."""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from jettui.services.orders.importer import fetch_orders
from jettui.store.jet_tables import JetOrder
from jettui.store.opencart import (
    Order,
    OrderHistory,
    OrderOption,
    OrderProduct,
    OrderTotal,
    Product,
    ProductOptionValue,
)
from tests.orders.import_support import (
    BACKENDS,
    link_skus,
    list_on_jet,
    place_order,
    product_qty,
    value_qty,
    write_settings,
)

pytestmark = [
    pytest.mark.parametrize("oc_database", BACKENDS, indirect=True),
    pytest.mark.slow,
]

CHILD = Path(__file__).with_name("crash_child.py")
TRIALS = int(os.environ.get("JETTUI_CRASH_TRIALS", "20"))
ORDERS = int(os.environ.get("JETTUI_CRASH_ORDERS", "50"))
#: order shapes: (sku, quantity) per item; SKU → (product_id, option value id or 0)
SHAPES = [
    [("product 11", 1)],
    [("CANON-RED", 2)],
    [("product 11", 1), ("CINEMA-SMALL", 2), ("Product 3", 1)],
    [("CANON-RED", 1), ("Product 3", 2)],  # one product on two lines
]
SKU = {"product 11": (40, 0), "CANON-RED": (30, 15), "CINEMA-SMALL": (42, 5), "Product 3": (30, 0)}
STATEMENTS_PER_ORDER = 30  # roughly what one order costs (ledger, rows, stock, history, ack)


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_child(settings_path: Path, kill_after: int, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(CHILD), str(settings_path), str(kill_after), *extra],
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


async def place_batch(settings, rng: random.Random, count: int) -> list[list[tuple[str, int]]]:
    shapes = [rng.choice(SHAPES) for _ in range(count)]
    for shape in {tuple(s) for s in shapes}:
        n = sum(1 for s in shapes if tuple(s) == shape)
        for start in range(0, n, 100):
            await place_order(
                settings, [(sku, qty, 0) for sku, qty in shape], count=min(100, n - start)
            )
    return shapes


def expected_stock(initial: dict[str, int], shapes: list[list[tuple[str, int]]]) -> dict[str, int]:
    taken: Counter[str] = Counter()
    for shape in shapes:
        for sku, qty in shape:
            product_id, value_id = SKU[sku]
            taken[f"p{product_id}"] += qty
            if value_id:
                taken[f"v{value_id}"] += qty
    return {key: initial[key] - taken[key] for key in initial}


def stock() -> dict[str, int]:
    return {
        "p40": product_qty(40),
        "p30": product_qty(30),
        "p42": product_qty(42),
        "v15": value_qty(15),
        "v5": value_qty(5),
    }


def check_every_order_once(expected_orders: int) -> None:
    """One complete OpenCart order per Jet order; nothing half-written left behind."""
    rows = list(JetOrder.select())
    assert len(rows) == expected_orders
    assert Counter(r.state for r in rows) == {"done": expected_orders}
    assert Order.select().where(Order.order_status_id == 0).count() == 0  # no half order
    marked = Counter()
    for order in Order.select(Order.order_id, Order.comment, Order.total, Order.order_status_id):
        marked[order.comment.rsplit("Jet order id ", 1)[-1].rstrip(")")] += 1
    assert set(marked.values()) == {1}, "an OpenCart order written twice"
    for row in rows:
        order = Order.get_by_id(row.order_id)
        assert row.merchant_order_id in order.comment and order.order_status_id == 2
        items = [i for i in row.raw["order_items"]]
        lines = list(
            OrderProduct.select()
            .where(OrderProduct.order_id == row.order_id)
            .order_by(OrderProduct.order_product_id)
        )
        assert [(x.product_id, x.quantity) for x in lines] == [
            (SKU[i["merchant_sku"]][0], i["request_order_quantity"]) for i in items
        ]
        options = OrderOption.select().where(OrderOption.order_id == row.order_id).count()
        assert options == sum(1 for i in items if SKU[i["merchant_sku"]][1])
        totals = {
            t.code: t.value for t in OrderTotal.select().where(OrderTotal.order_id == row.order_id)
        }
        assert set(totals) == {"sub_total", "shipping", "total"}
        assert totals["total"] == totals["sub_total"] + totals["shipping"] == order.total
        assert totals["sub_total"] == sum((x.total for x in lines), Decimal(0))
        history = OrderHistory.select().where(OrderHistory.order_id == row.order_id)
        assert [h.order_status_id for h in history] == [2]
        assert row.acknowledgement_status == "accepted"


async def test_sigkill_at_random_points_never_doubles_or_loses(oc_database, tmp_path, oc_db):
    settings = write_settings(tmp_path, oc_database, "  auto_acknowledge: true\n")
    settings_path = tmp_path / "settings.yaml"
    link_skus()
    await list_on_jet(settings)
    Product.update(quantity=100_000).where(Product.product_id.in_([30, 40, 42])).execute()
    ProductOptionValue.update(quantity=100_000).where(
        ProductOptionValue.product_option_value_id.in_([5, 15])
    ).execute()
    initial = stock()
    rng = random.Random(int(os.environ.get("JETTUI_CRASH_SEED", "8")))
    placed: list[list[tuple[str, int]]] = []
    killed = 0
    for _trial in range(TRIALS):
        placed += await place_batch(settings, rng, ORDERS)
        kill_after = rng.randint(1, ORDERS * STATEMENTS_PER_ORDER)
        result = await asyncio.to_thread(run_child, settings_path, kill_after)
        killed += result.returncode == -9
        assert result.returncode in (-9, 0, 1), result.stderr[-2000:]
        report = await fetch_orders(settings, oc_db)
        assert report.exit_code == 0, report.summary
        check_every_order_once(len(placed))
        assert stock() == expected_stock(initial, placed)
    assert killed >= TRIALS // 2, f"only {killed} of {TRIALS} runs were killed"


async def test_four_concurrent_fetches_write_each_order_once(oc_database, tmp_path, oc_db):
    settings = write_settings(tmp_path, oc_database, "  auto_acknowledge: true\n")
    settings_path = tmp_path / "settings.yaml"
    link_skus()
    await list_on_jet(settings)
    Product.update(quantity=100_000).where(Product.product_id.in_([30, 40, 42])).execute()
    ProductOptionValue.update(quantity=100_000).where(
        ProductOptionValue.product_option_value_id.in_([5, 15])
    ).execute()
    initial = stock()
    placed = await place_batch(settings, random.Random(3), ORDERS)
    results = await asyncio.gather(
        *(asyncio.to_thread(run_child, settings_path, 0, "job") for _ in range(4))
    )
    codes = sorted(r.returncode for r in results)
    assert codes[0] == 0 and set(codes) <= {0, 75}, [r.stdout + r.stderr[-500:] for r in results]
    for r in results:
        if r.returncode == 75:
            assert r.stdout.split()[:2] == ["locked", "0"]  # did nothing
    # a run that started after the first finished found nothing left to do: still one each
    check_every_order_once(len(placed))
    assert stock() == expected_stock(initial, placed)
