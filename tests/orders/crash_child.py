"""Run by the crash test in a subprocess: ``python crash_child.py SETTINGS K [lock]``.

Runs ``fetch_orders`` and SIGKILLs its own process right after the K-th SQL statement the
store executed (any thread), i.e. after the database applied it and before jettui learnt
the answer: the worst moment for an import. ``K`` 0 = no kill. Prints the report's summary.
With ``lock`` it goes through the job runner instead and prints the outcome's exit code.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading

import peewee as pw


def install_kill_switch(after: int) -> None:
    if after <= 0:
        return
    original = pw.Database.execute_sql
    count = 0
    guard = threading.Lock()

    def execute_sql(self, sql, params=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal count
        cursor = original(self, sql, params, *args, **kwargs)
        with guard:
            count += 1
            if count >= after:
                os.kill(os.getpid(), signal.SIGKILL)
        return cursor

    pw.Database.execute_sql = execute_sql  # type: ignore[method-assign]


def main() -> int:
    from jettui.config import load_settings
    from jettui.services.orders.importer import fetch_orders
    from jettui.store.db import connect, ensure_jet_tables

    settings = load_settings(sys.argv[1])
    install_kill_switch(int(sys.argv[2]))
    db = connect(settings)
    ensure_jet_tables(db)
    if len(sys.argv) > 3:
        from jettui.services.jobs import run_job

        outcome = asyncio.run(run_job(settings, db, "fetch-orders", trigger="test"))
        print(outcome.result, outcome.items_ok, flush=True)
        return outcome.exit_code
    report = asyncio.run(fetch_orders(settings, db))
    print(report.summary, flush=True)
    return int(report.exit_code)


if __name__ == "__main__":
    sys.exit(main())
