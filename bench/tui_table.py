"""Measure BulkTable over ProductSource on a 50k-product SQLite demo store.

    python bench/tui_table.py [--products 50000] [--db /tmp/jettui-bench.db] [--rebuild]

Prints first paint, filter keystroke latency (median/p95), `a` on every row, page-down
latency, the raw query times behind them, and memory. Runs headless at 80x24.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult

from jettui.config import Settings
from jettui.services.listing import ProductSource
from jettui.store import db as store_db
from jettui.store.demo import build_demo_store
from jettui.tui.widgets.bulk_table import BulkTable


class BenchApp(App[None]):
    def __init__(self, source: ProductSource) -> None:
        super().__init__()
        self.source = source

    def compose(self) -> ComposeResult:
        yield BulkTable(self.source)

    def on_mount(self) -> None:
        self.query_one(BulkTable).focus()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


async def wait_until(pilot, condition, timeout: float = 30.0) -> float:
    """Poll the app until `condition()` holds and the screen has repainted."""
    start = time.perf_counter()
    while not condition():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(0.001)
    await repainted(pilot.app)
    return time.perf_counter() - start


async def repainted(app: App) -> None:
    """Wait until the screen has no widget waiting for a repaint (the frame was written)."""
    await asyncio.sleep(0)
    while app.screen._dirty_widgets:
        await asyncio.sleep(0.001)


def send_key(app: App, key: str) -> None:
    """Deliver a key as the terminal driver does. `pilot.press` would add ~60 ms of
    idle-waiting per key, which is the test harness, not the widget."""
    character = {"space": " ", "slash": "/"}.get(key, key if len(key) == 1 else None)
    app._driver.send_message(events.Key(key, character))


def settled(table: BulkTable) -> bool:
    """Count known, the cursor's page loaded and no fetch in flight."""
    if table.row_count is None or table._pending or table._counting:
        return False
    return table.row_count == 0 or table.cursor_id is not None


def query_times(source: ProductSource) -> None:
    print("raw queries (median of 5):")
    cases = [
        ("count, no filter", lambda: source.count("")),
        ("count, filter 'cast'", lambda: source.count("cast")),
        ("count, filter 'zzzq' (no match)", lambda: source.count("zzzq")),
        ("fetch first 100, filter 'cast'", lambda: source.fetch("cast", None, False, 0, 100)),
        ("fetch 100 at offset 25k by name", lambda: source.fetch("", "name", False, 25000, 100)),
        ("fetch 100 by category (subquery)", lambda: source.fetch("", "category", True, 0, 100)),
        ("ids, no filter (50k)", lambda: source.ids("")),
    ]
    for label, call in cases:
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            call()
            runs.append(time.perf_counter() - start)
        print(f"  {label:38} {ms(statistics.median(runs))}")


async def measure(source: ProductSource) -> None:
    app = BenchApp(source)
    start = time.perf_counter()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(BulkTable)
        await wait_until(pilot, lambda: settled(table))
        print(f"first paint ({table.row_count:,} rows):      {ms(time.perf_counter() - start)}")

        shown, counted = [], []
        await pilot.press("slash")
        for char in "cast iron":
            before = table._generation
            t0 = time.perf_counter()
            send_key(app, "space" if char == " " else char)
            await wait_until(pilot, lambda b=before: table._generation > b and not table._pending)
            shown.append(time.perf_counter() - t0)
            await wait_until(pilot, lambda: settled(table))
            counted.append(time.perf_counter() - t0)
        await pilot.press("enter")
        for label, runs in (("rows on screen", shown), ("exact count shown", counted)):
            print(
                f"filter keystroke, {label:17} median {ms(statistics.median(runs))}, "
                f"p95 {ms(statistics.quantiles(runs, n=20, method='inclusive')[-1])}, max {ms(max(runs))}"
            )
        print(f"  ({len(shown)} characters typed, 'cast iron' -> {table.row_count:,} rows)")
        table.filter_text = ""
        await wait_until(pilot, lambda: settled(table) and table.row_count > 1000)

        t0 = time.perf_counter()
        send_key(app, "a")
        await wait_until(pilot, lambda: len(table.selected) == table.row_count)
        print(f"`a` selects all {len(table.selected):,}:      {ms(time.perf_counter() - t0)}")

        page_downs = []
        for _ in range(15):
            target = table.cursor_row + table._visible_rows()
            t0 = time.perf_counter()
            send_key(app, "pagedown")
            await wait_until(pilot, lambda t=target: table.cursor_row == t and settled(table))
            page_downs.append(time.perf_counter() - t0)
        print(
            f"page-down (15 presses):           median {ms(statistics.median(page_downs))}"
            f", max {ms(max(page_downs))}"
        )
        t0 = time.perf_counter()
        send_key(app, "end")
        last = table.row_count - 1
        await wait_until(pilot, lambda: table.cursor_row == last and settled(table))
        print(f"end (jump to row {table.cursor_row + 1:,}):      {ms(time.perf_counter() - t0)}")
        await pilot.press("s", "s")  # product id, model
        t0 = time.perf_counter()
        send_key(app, "s")  # name
        await wait_until(pilot, lambda: settled(table) and table.sort_key == "name")
        print(f"sort by name (s):                 {ms(time.perf_counter() - t0)}")
        selection = sys.getsizeof(table.selected) / 2**20
        cached = sum(len(table._pages.get(key) or ()) for key in table._pages.keys())  # noqa: SIM118 (LRUCache)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"memory: max RSS {rss:.0f} MiB; selection set of 50k ids {selection:.1f} MiB;"
        f" {cached:,} rows cached"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=50000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/jettui-bench-50k.db"))
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    url = f"sqlite:///{args.db.resolve()}"
    if args.rebuild or not args.db.exists():
        stats = build_demo_store(url, products=args.products)
        print(f"built demo store: {stats.products:,} products in {stats.seconds:.1f} s")
    settings = Settings()
    settings = replace(settings, store=replace(settings.store, database=url))
    db = store_db.connect(settings)
    source = ProductSource(db, settings.store.language_id, settings.store.store_id)
    query_times(source)
    asyncio.run(measure(source))


if __name__ == "__main__":
    main()
