"""Run by the account crash trials in a subprocess:
``python account_crash_child.py SETTINGS K complete RETURN_ID`` or
``python account_crash_child.py SETTINGS K refund ORDER_ID SKU QTY``.

``complete`` completes the Jet return (its default form: refunds, restock); ``refund`` creates a
merchant refund of QTY units of SKU and polls it until Jet accepts it. The process SIGKILLs
itself right after the K-th SQL statement the store executed (tests/orders/crash_child.py's
switch), i.e. after the database applied it and before jettui learnt the answer. ``K`` 0 = no
kill: prints how many statements the whole run took."""

from __future__ import annotations

import asyncio
import sys

import peewee as pw


def count_statements() -> list[int]:
    counter = [0]
    original = pw.Database.execute_sql

    def execute_sql(self, sql, params=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        counter[0] += 1
        return original(self, sql, params, *args, **kwargs)

    pw.Database.execute_sql = execute_sql  # type: ignore[method-assign]
    return counter


async def run(settings, db, mode: str, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    if mode == "complete":
        from jettui.services.returns import complete_return

        await complete_return(settings, db, args[0])
        return
    from jettui.services.refunds import create_refund, poll_refunds

    await create_refund(settings, db, args[0], {args[1]: int(args[2])}, "Package never arrived",
                        "Items not received")  # fmt: skip
    for _ in range(5):
        await poll_refunds(settings, db)


def main() -> int:
    from jettui.config import load_settings
    from jettui.store.db import connect, ensure_jet_tables
    from tests.orders.crash_child import install_kill_switch

    settings = load_settings(sys.argv[1])
    kill_after = int(sys.argv[2])
    db = connect(settings)
    ensure_jet_tables(db)
    counter = count_statements()
    install_kill_switch(kill_after)
    asyncio.run(run(settings, db, sys.argv[3], sys.argv[4:]))
    print(counter[0], flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
