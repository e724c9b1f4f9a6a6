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
from pathlib import Path

import pytest

from jettui.config import Settings
from jettui.services.orders.importer import fetch_orders
from jettui.store.jet_tables import JetOrder
from jettui.store.opencart import (
    Product,
    ProductOptionValue,
)
from tests.orders.crash_check import expected_stock, import_problems, stock_now
from tests.shop_support import (
    link_skus,
    list_on_jet,
    place_order,
    write_settings,
)

pytestmark = pytest.mark.slow

CHILD = Path(__file__).with_name("crash_child.py")
TRIALS = int(os.environ.get("JETTUI_CRASH_TRIALS", "20"))
ORDERS = int(os.environ.get("JETTUI_CRASH_ORDERS", "50"))
#: order shapes: (sku, quantity) per item; SKU → (product_id, option value id or 0)
SHAPES = [
    [("product 11", 1)],
    [("CANON-RED", 2)],
    [("product 11", 1), ("CINEMA-SMALL", 2), ("Product 6", 1)],
    [("CANON-RED", 1), ("CANON-BLUE", 2)],  # one product on two lines
]
SKU = {
    "product 11": (40, 0),
    "CANON-RED": (30, 15),
    "CANON-BLUE": (30, 16),
    "CINEMA-SMALL": (42, 5),
    "Product 6": (33, 0),
}
STATEMENTS_PER_ORDER = 20  # roughly what one order costs (ledger, rows, stock, history, ack)


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


async def stocked_store(folder: Path, database: str) -> tuple[Settings, dict[str, int]]:
    """Settings with ``orders.auto_acknowledge``, the SKUs linked and listed on Jet, and stock
    too deep to run out over the trials; the settings and the stock before any order."""
    settings = write_settings(folder, database, "  auto_acknowledge: true\n")
    link_skus()
    link_skus({"CANON-BLUE": (30, 16)})
    await list_on_jet(settings)
    await list_on_jet(settings, {"CANON-BLUE": 97.0})
    Product.update(quantity=100_000).where(Product.product_id.in_([30, 33, 40, 42])).execute()
    ProductOptionValue.update(quantity=100_000).where(
        ProductOptionValue.product_option_value_id.in_([5, 15, 16])
    ).execute()
    return settings, stock_now(SKU)


async def test_sigkill_at_random_points_never_doubles_or_loses(oc_database, tmp_path, oc_db):
    settings, initial = await stocked_store(tmp_path, oc_database)
    settings_path = settings.path
    rng = random.Random(int(os.environ.get("JETTUI_CRASH_SEED", "8")))
    placed: list[list[tuple[str, int]]] = []
    killed = 0
    for _trial in range(TRIALS):
        seen = {mid for (mid,) in JetOrder.select(JetOrder.merchant_order_id).tuples()}
        placed += await place_batch(settings, rng, ORDERS)
        kill_after = rng.randint(1, ORDERS * STATEMENTS_PER_ORDER)
        result = await asyncio.to_thread(run_child, settings_path, kill_after)
        killed += result.returncode == -9
        assert result.returncode in (-9, 0, 1), result.stderr[-2000:]
        report = await fetch_orders(settings, oc_db)
        assert report.exit_code == 0, report.summary
        new = {mid for (mid,) in JetOrder.select(JetOrder.merchant_order_id).tuples()} - seen
        assert import_problems(SKU, len(placed), only=new) == []
        assert stock_now(SKU) == expected_stock(initial, SKU, placed)
    assert killed >= TRIALS // 2, f"only {killed} of {TRIALS} runs were killed"
    assert import_problems(SKU, len(placed)) == []  # every order once more, in detail


async def test_four_concurrent_fetches_write_each_order_once(oc_database, tmp_path, oc_db):
    settings, initial = await stocked_store(tmp_path, oc_database)
    settings_path = settings.path
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
    assert import_problems(SKU, len(placed)) == []
    assert stock_now(SKU) == expected_stock(initial, SKU, placed)


async def test_database_going_away_mid_import_is_finished_by_the_next_run(
    oc_database, tmp_path, oc_db, monkeypatch
):
    """The connection is lost right after the server applied a random statement ("lost
    connection during query"): the run stops as unreachable; the next one completes it."""
    import peewee as pw

    settings, initial = await stocked_store(tmp_path, oc_database)
    rng = random.Random(5)
    placed: list[list[tuple[str, int]]] = []
    original = pw.Database.execute_sql
    broke = trials = 0
    # at least 12 trials, more (up to 24) until 3 of them lost the connection: where the random
    # statement falls depends on how the import's tasks interleave on a loaded machine
    while trials < 12 or (broke < 3 and trials < 24):
        trials += 1
        placed += await place_batch(settings, rng, 10)
        fail_at = rng.randint(1, 10 * STATEMENTS_PER_ORDER)
        calls = 0

        def flaky(self, sql, params=None, *args, fail_at=fail_at, **kwargs):  # type: ignore[no-untyped-def]
            nonlocal calls
            cursor = original(self, sql, params, *args, **kwargs)
            calls += 1
            if calls == fail_at:
                raise pw.OperationalError(2013, "Lost connection to MySQL server during query")
            return cursor

        monkeypatch.setattr(pw.Database, "execute_sql", flaky)
        broken = await fetch_orders(settings, oc_db)
        monkeypatch.setattr(pw.Database, "execute_sql", original)
        assert broken.exit_code in (0, 1, 3), broken.summary
        broke += broken.exit_code == 3
        report = await fetch_orders(settings, oc_db)
        assert report.exit_code == 0, report.summary
        assert import_problems(SKU, len(placed)) == []
        assert stock_now(SKU) == expected_stock(initial, SKU, placed)
    assert broke >= 3, f"the connection was lost in only {broke} of {trials} runs"
