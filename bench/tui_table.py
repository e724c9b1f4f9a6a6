"""Measure BulkTable over ProductSource on a demo store (SQLite file or MariaDB database).

    python bench/tui_table.py [--products 50000] [--database URL | --db FILE] [--rebuild]

The demo store is built first when the database holds no demo store of that size (an empty
MariaDB database is fine: `--database mysql://user:pass@host:port/jettui_bench`).
Prints the machine's load, first paint, the search index's load time, filter keystroke
latency (median/p95), `a` on every row, page-down, a jump to the middle row by name, price
and status, each column's sort, the raw query times behind them, and memory. Runs
headless at 80x24. A database error ends it with one line naming the store and the step.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import peewee as pw
from textual import events
from textual.app import App, ComposeResult

from jettui.config import Settings
from jettui.services.listing import ProductSource
from jettui.store import db as store_db
from jettui.store.demo import DemoRefused, build_demo_store
from jettui.store.errors import StoreError
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


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} ({os.cpu_count()} cores)"


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def query_times(source: ProductSource) -> None:
    """After the grid run: the same source, index and sort orders loaded."""
    from jettui.services.listing import KeysetSource

    total = source.count("")
    middle = total // 2

    def cold_count(text: str):
        def call() -> None:
            source._index.forget_recent()  # no narrowing from an earlier filter
            source.count(text)

        return call

    def database_jump(sort_key: str | None):
        def call() -> None:  # the database path the grid uses until the orders are loaded
            source.forget_anchors()
            source._counts[""] = total
            page = KeysetSource._page_ids(source, "", sort_key, False, middle, 100)
            source.rows_of([row_id for row_id, _ in page])

        return call

    print("raw queries (median of 5):")
    cases = [
        ("count, no filter", lambda: source.count("")),
        ("count, filter 'cast' (cold)", cold_count("cast")),
        ("count, filter 'c' (cold)", cold_count("c")),
        ("count, filter 'zzzq' (cold, no match)", cold_count("zzzq")),
        ("fetch first 100, filter 'cast'", lambda: source.fetch("cast", None, False, 0, 100)),
        ("fetch 100 at row 50,000 by name, 'cast'",
         lambda: source.fetch("cast", "name", False, 50_000, 100)),
        (f"page at row {middle:,} by name", lambda: source.fetch("", "name", False, middle, 100)),
        (f"page at row {middle:,} by price", lambda: source.fetch("", "price", False, middle, 100)),
        (f"page at row {middle:,} by status",
         lambda: source.fetch("", "jet_status", False, middle, 100)),
        ("first 100 by category", lambda: source.fetch("", "category", True, 0, 100)),
        (f"ids, no filter ({total:,})", lambda: source.ids("")),
        (f"database only: jump to row {middle:,} by id", database_jump(None)),
        (f"database only: jump to row {middle:,} by name", database_jump("name")),
        (f"database only: jump to row {middle:,} by price", database_jump("price")),
    ]  # fmt: skip
    for label, call in cases:
        runs = [timed(call) for _ in range(5 if "database only" not in label else 1)]
        print(f"  {label:46} {ms(statistics.median(runs))}")


def freshness(source: ProductSource) -> None:
    """The data check the grid runs every CHECK_SECONDS (SQLite: also after a commit)."""
    median = statistics.median(timed(source._data_mark) for _ in range(5))
    line = f"freshness check: {ms(median).strip()} (every {source.CHECK_SECONDS:.0f} s"
    if source._watch is not None:
        source._watch.forget()  # as after a commit: the summary is read
        line += f"; {ms(timed(source._data_mark)).strip()} after a commit"
    print(line + ")")


async def measure(source: ProductSource) -> None:
    app = BenchApp(source)
    start = time.perf_counter()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(BulkTable)
        await wait_until(pilot, lambda: table.cursor_id is not None and not table._pending)
        print(f"first paint (rows, 'counting…'):  {ms(time.perf_counter() - start)}")
        await wait_until(pilot, lambda: settled(table), timeout=120)
        total = table.row_count
        print(f"exact count shown ({total:,} rows): {ms(time.perf_counter() - start)}")
        await wait_until(pilot, source.index_ready, timeout=900)
        print(f"search index ready after:         {ms(time.perf_counter() - start)}")
        await wait_until(pilot, source.orders_ready, timeout=1800)
        print(f"every sort order ready after:     {ms(time.perf_counter() - start)}")

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
        await wait_until(pilot, lambda: settled(table) and table.row_count == total)

        t0 = time.perf_counter()
        send_key(app, "a")
        await wait_until(pilot, lambda: len(table.selected) == table.row_count)
        print(f"`a` selects all {len(table.selected):,}:      {ms(time.perf_counter() - t0)}")

        page_downs = []
        for _ in range(15):
            target = min(table.cursor_row + table._visible_rows(), total - 1)
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
        selection = sys.getsizeof(table.selected) / 2**20
        table.clear_selection()
        await pilot.press("home")
        await wait_until(pilot, lambda: settled(table))
        while True:  # `s` cycles through the columns shown: time each sort's first screen
            before = table.sort_key
            t0 = time.perf_counter()
            send_key(app, "s")
            await wait_until(pilot, lambda b=before: table.sort_key != b and settled(table))
            if table.sort_key is None:
                break
            sorted_by = table.sort_key
            print(f"sort by {sorted_by + ' (s):':25} {ms(time.perf_counter() - t0)}")
            if sorted_by in ("name", "price", "jet_status"):
                middle = table.row_count // 2
                t0 = time.perf_counter()
                table._move_cursor(middle)  # a scrollbar drag to the middle
                await wait_until(pilot, lambda m=middle: table.cursor_row == m and settled(table))
                print(f"  jump to row {middle:,}:           {ms(time.perf_counter() - t0)}")
                await pilot.press("home")
                await wait_until(pilot, lambda: settled(table))
        cached = sum(len(table._pages.get(key) or ()) for key in table._pages.keys())  # noqa: SIM118 (LRUCache)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"memory: max RSS {rss:.0f} MiB; selection set of every id {selection:.1f} MiB;"
        f" {cached:,} rows cached"
    )


def demo_products(url: str) -> int | None:
    """Products of the demo store at `url`; None when it holds no demo store."""
    from jettui.store.demo import DEMO, _as_settings, _inspect, _inspect_sqlite, _sqlite_path

    settings = _as_settings(url)
    path = _sqlite_path(url)
    try:
        if path is not None:
            state = _inspect_sqlite(path, settings.store.table_prefix)
        else:
            db = store_db.connect(settings)
            state = _inspect(db, settings.store.table_prefix, settings.store.database_display)
            db.close()
    except Exception:
        return None
    if state != DEMO:
        return None
    db = store_db.connect(settings)
    try:
        return db.execute_sql(
            f"SELECT COUNT(*) FROM {settings.store.table_prefix}product"
        ).fetchone()[0]
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=50000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/jettui-bench-50k.db"))
    parser.add_argument("--database", help="store URL (sqlite:///file or mysql://...)")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    url = args.database or f"sqlite:///{args.db.resolve()}"
    settings = Settings()
    settings = replace(settings, store=replace(settings.store, database=url))
    where = settings.store.database_display
    print(f"{where}: {load()}")
    step = "building the demo store"
    try:
        if args.rebuild or demo_products(url) != args.products:
            stats = build_demo_store(url, products=args.products)
            print(f"built demo store: {stats.products:,} products in {stats.seconds:.1f} s")
        step = "measuring the product grid"
        db = store_db.connect(settings)
        store = settings.store

        source = ProductSource(db, store.language_id, store.store_id)
        asyncio.run(measure(source))
        query_times(source)
        freshness(source)
    except (pw.DatabaseError, StoreError, DemoRefused) as error:
        first = str(error).splitlines()[0] if str(error) else ""
        sys.exit(f"{step} failed on {where}: {type(error).__name__}: {first}")
    print(f"{where}: {load()}")


if __name__ == "__main__":
    main()
