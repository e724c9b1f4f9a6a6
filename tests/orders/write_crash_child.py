"""Run by the write-crash trials in a subprocess:
``python write_crash_child.py SETTINGS COMMAND TARGET KILL``.

COMMAND is one of ``ship`` (TARGET: merchant_order_id; every open unit shipped),
``acknowledge`` (TARGET: merchant_order_id), ``complete`` (TARGET: return id) and ``refund``
(TARGET: ``merchant_order_id=sku``; one unit). KILL is ``sql:K`` (SIGKILL right after the K-th
SQL statement the store executed) or ``answer`` (SIGKILL right after Jet answered the write,
before jettui recorded anything of it). Prints the command's result; exit 0 when not killed.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from typing import Any

from tests.orders.crash_child import install_kill_switch

WRITES = {"ship": "ship", "acknowledge": "acknowledge", "complete": "complete_return",
          "refund": "create_refund"}  # fmt: skip


def kill_after_answer(command: str) -> None:
    """The client's write method, killing the process once Jet answered it."""
    from jettui.jet.client import JetClient

    name = WRITES[command]
    real = getattr(JetClient, name)

    async def write_then_die(self: Any, *args: Any, **kwargs: Any) -> Any:
        await real(self, *args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)

    setattr(JetClient, name, write_then_die)


async def run(settings: Any, db: Any, command: str, target: str) -> str:
    if command == "ship":
        from jettui.services.orders.shipping import ship_headless

        result = await ship_headless(settings, db, target, carrier="UPS", method="UPS Ground",
                                     tracking="1ZCRASH00010000000", zip="84047")  # fmt: skip
        return f"{result.outcome} {result.reason}"
    if command == "acknowledge":
        from jettui.services.orders.acknowledge import acknowledge_orders

        return (await acknowledge_orders(settings, db, [target])).summary
    if command == "complete":
        from jettui.services.returns import complete_return

        result = await complete_return(settings, db, target)
        return f"{result.outcome} {result.reason}"
    from jettui.services.refunds import create_refund

    mid, sku = target.split("=", 1)
    result = await create_refund(settings, db, mid, {sku: 1}, "Accidental order", "Item damaged")
    return f"{result.outcome} {result.reason}"


def main() -> int:
    from jettui.config import load_settings
    from jettui.store.db import connect, ensure_jet_tables

    settings_path, command, target, kill = sys.argv[1:5]
    settings = load_settings(settings_path)
    db = connect(settings)
    ensure_jet_tables(db)
    if kill == "answer":
        kill_after_answer(command)
    elif kill == "count":  # how many statements the command runs (to spread the kill points)
        import peewee as pw

        original, seen = pw.Database.execute_sql, []

        def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
            seen.append(1)
            return original(self, *args, **kwargs)

        pw.Database.execute_sql = counted  # type: ignore[method-assign]
        asyncio.run(run(settings, db, command, target))
        print(f"statements {len(seen)}", flush=True)
        return 0
    else:
        install_kill_switch(int(kill.split(":", 1)[1]))
    print(asyncio.run(run(settings, db, command, target)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
