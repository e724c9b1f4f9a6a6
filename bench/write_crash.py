"""Crash tally of the writes to Jet that are not safe to repeat: ``orders ship``,
``orders acknowledge``, ``returns complete`` and ``refunds create``, each SIGKILLed at a random
SQL statement or right after Jet's answer, then one more cron run, then a check that Jet and
OpenCart agree and no write was applied twice (tests/orders/write_crash.py).

    python bench/write_crash.py [--trials 100] [--database sqlite|mariadb]

The store is OpenCart 3.0's demo data (JETTUI_OPENCART_SQL, as the tests use it) in a temp
SQLite file, or a fresh database on the test MariaDB (JETTUI_TEST_MYSQL_URL; dropped after).
Prints the tally per command.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


async def main_async(trials: int, database: str, seed: int) -> int:
    from jettui.store.db import connect, ensure_jet_tables
    from tests.conftest import store_helpers
    from tests.orders.write_crash import COMMANDS
    from tests.orders.write_crash import trials as run_trials
    from tests.shop_support import RETURN_ACTION, write_settings

    sql = store_helpers.opencart_sql_path()
    mariadb = None
    with tempfile.TemporaryDirectory(prefix="jettui-write-crash-") as tmp:
        folder = Path(tmp)
        if database == "sqlite":
            path = folder / "opencart.db"
            store_helpers.build_sqlite(path, sql, "oc_").close()
            database = f"sqlite:///{path}"
        else:
            mariadb = store_helpers.load_mariadb(sql, "oc_")
            database = store_helpers._mysql_url(mariadb)
        settings = write_settings(folder, database, returns=RETURN_ACTION)
        db = connect(settings)
        ensure_jet_tables(db)
        started = time.monotonic()
        try:
            tally = await run_trials(settings, db, trials, seed)
        except AssertionError as exc:
            print(f"PROBLEMS:\n{exc}")
            return 1
        finally:
            db.close()
            if mariadb:
                store_helpers.drop_mariadb(mariadb)
        print(f"{'command':>12} {'trials':>6} {'killed':>6} {'at sql':>6} {'at answer':>9} "
              f"{'problems':>8}")  # fmt: skip
        for c in COMMANDS:
            t = tally[c]
            print(f"{c:>12} {t['killed'] + t['finished']:>6} {t['killed']:>6} "
                  f"{t['kill at sql']:>6} {t['kill at answer']:>9} {t['problems']:>8}")  # fmt: skip
        print(f"{time.monotonic() - started:.0f} s")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100, help="per command")
    parser.add_argument("--database", default="sqlite", choices=("sqlite", "mariadb"))
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    return asyncio.run(main_async(args.trials, args.database, args.seed))


if __name__ == "__main__":
    raise SystemExit(main())
