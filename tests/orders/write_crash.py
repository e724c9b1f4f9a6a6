"""SIGKILL trials of the writes to Jet that are not safe to repeat (the test and
bench/write_crash.py): ``orders ship``, ``orders acknowledge``, ``returns complete`` and
``refunds create`` killed at a random SQL statement or right after Jet's answer; then one more
run (the cron jobs, which settle unconfirmed writes first) and a check that Jet and OpenCart
agree on every order and that no write was applied twice."""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from jettui.config import Settings

CHILD = Path(__file__).with_name("write_crash_child.py")
COMMANDS = ("ship", "acknowledge", "complete", "refund")
ITEMS = [("product 11", 2, 0), ("Product 6", 1, 0)]  # two simple products (iPhone, Samsung)
SHIP_TRACKING = "1ZCRASH00010000000"
#: statements each command runs on SQLite when not killed (the child's "count" mode): a kill
#: point is drawn among them, so every statement, before and after the write, can be the last
SQL_STATEMENTS = {"ship": 53, "acknowledge": 10, "complete": 23, "refund": 17}


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_child(settings: Settings, command: str, target: str, kill: str) -> int:
    done = _child(settings, command, target, kill)
    return done.returncode


def _child(settings: Settings, command: str, target: str, kill: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, str(CHILD), str(settings.path), command, target, kill],
        env=child_env(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if done.returncode not in (0, -9):
        raise AssertionError(f"{command} {target} {kill}: {done.stderr[-2000:]}")
    return done


async def prepare(settings: Settings, db: Any, trials: int) -> dict[str, list[str]]:
    """``trials`` targets per command: orders imported (acknowledge), acknowledged (ship),
    shipped with a return fetched (complete) and shipped (refund)."""
    from jettui.jet.connect import open_jet_client
    from jettui.services.orders.acknowledge import acknowledge_orders
    from jettui.services.orders.importer import fetch_orders
    from jettui.services.orders.shipping import ship_headless
    from jettui.services.returns import fetch_returns
    from jettui.store.opencart import Product
    from tests.shop_support import link_skus, list_on_jet, place_order

    link_skus()
    await list_on_jet(settings)
    Product.update(quantity=100_000).where(Product.product_id.in_([33, 40])).execute()
    ids: list[str] = []
    while len(ids) < 4 * trials:
        ids += await place_order(settings, ITEMS, count=min(100, 4 * trials - len(ids)))
    report = await fetch_orders(settings, db)
    assert report.exit_code == 0, report.summary
    groups = {c: ids[i * trials : (i + 1) * trials] for i, c in enumerate(COMMANDS)}
    acked = [m for c in ("ship", "complete", "refund") for m in groups[c]]
    assert (await acknowledge_orders(settings, db, acked)).exit_code == 0
    for mid in groups["complete"] + groups["refund"]:
        result = await ship_headless(settings, db, mid, carrier="UPS", method="UPS Ground",
                                     tracking="1ZSETUP00000000000", zip="84047")  # fmt: skip
        assert result.outcome == "succeeded", result.reason
    async with open_jet_client(settings) as jet:
        returns = [await jet.generate_return(mid) for mid in groups["complete"]]
    assert (await fetch_returns(settings, db)).exit_code == 0
    groups["complete"] = returns
    groups["refund"] = [f"{mid}=product 11" for mid in groups["refund"]]
    return groups


async def fresh_import(settings: Settings, db: Any) -> str:
    """A new order, imported (not acknowledged)."""
    from jettui.services.orders.importer import fetch_orders
    from tests.shop_support import place_order

    [mid] = await place_order(settings, ITEMS)
    assert (await fetch_orders(settings, db)).exit_code == 0
    return mid


async def one_more_run(settings: Settings, db: Any) -> None:
    """What the next cron run does (each job settles unconfirmed writes first)."""
    from jettui.services.jobs import run_job

    for job in ("fetch-orders", "acknowledge", "fetch-returns"):
        outcome = await run_job(settings, db, job, trigger="test")
        assert outcome.result in ("ok", "partial"), outcome.message


async def trials(settings: Settings, db: Any, count: int, seed: int) -> dict[str, Counter]:
    """``count`` killed runs per command; returns per command: runs killed, by kill point,
    and the problems found (each a string)."""
    rng = random.Random(seed)
    groups = await prepare(settings, db, count)
    tally: dict[str, Counter] = {c: Counter() for c in COMMANDS}
    problems: list[str] = []
    for command in COMMANDS:
        for n, target in enumerate(groups[command]):
            if command == "acknowledge":  # each cron run acknowledges every imported order
                target = await fresh_import(settings, db)
            kill = "answer" if n % 2 else f"sql:{rng.randint(1, SQL_STATEMENTS[command])}"
            code = await asyncio.to_thread(run_child, settings, command, target, kill)
            tally[command]["killed" if code == -9 else "finished"] += 1
            tally[command][f"kill at {kill.split(':')[0]}"] += 1
            await one_more_run(settings, db)
            found = await agree(settings, command, target)
            tally[command]["problems"] += len(found)
            problems += found
    if problems:
        raise AssertionError("\n".join(problems[:20]))
    return tally


async def agree(settings: Settings, command: str, target: str) -> list[str]:
    """Every way jettui, OpenCart and Jet disagree about the target of ``command``."""
    from jettui.jet.connect import open_jet_client

    async with open_jet_client(settings) as jet:
        if command == "complete":
            return _return_problems(target, await jet.get_return(target))
        mid = target.split("=", 1)[0]
        order = await jet.get_order(mid)
        if command == "refund":
            return await _refund_problems(jet, mid)
    if command == "acknowledge":
        return _ack_problems(mid, order)
    return _ship_problems(mid, order)


def _ack_problems(mid: str, order: dict[str, Any]) -> list[str]:
    from jettui.store.jet_tables import JetOrder

    row = JetOrder.get(JetOrder.merchant_order_id == mid)
    if order.get("acknowledgement_status") != row.acknowledgement_status:
        return [f"ack {mid}: Jet {order.get('acknowledgement_status')}, "
                f"jettui {row.acknowledgement_status}"]  # fmt: skip
    return []


def _ship_problems(mid: str, order: dict[str, Any]) -> list[str]:
    from jettui.store.jet_tables import JetOrder
    from jettui.store.opencart import Order, OrderHistory

    row = JetOrder.get(JetOrder.merchant_order_id == mid)
    alts = [s["alt_shipment_id"] for s in order.get("shipments") or []]
    ours = {r["alt_shipment_id"]: r["state"] for r in row.shipments or []}
    problems = []
    if len(alts) != len(set(alts)):
        problems.append(f"ship {mid}: a message applied twice on Jet: {alts}")
    if set(alts) != set(ours) or set(ours.values()) - {"applied"}:
        problems.append(f"ship {mid}: Jet {alts}, jettui {ours}")
    status = Order.select(Order.order_status_id).where(Order.order_id == row.order_id).scalar()
    want = 5 if order["status"] == "complete" else 2  # the whole order ships in one message
    if status != want:
        problems.append(f"ship {mid}: Jet {order['status']}, OpenCart status {status}")
    comments = [h.comment for h in OrderHistory.select().where(
        OrderHistory.order_id == row.order_id)]  # fmt: skip
    if sum(SHIP_TRACKING in c for c in comments) != len(alts):
        problems.append(f"ship {mid}: {len(alts)} message(s) on Jet, OpenCart history "
                        f"{sum(SHIP_TRACKING in c for c in comments)}")  # fmt: skip
    return problems


def _return_problems(rid: str, detail: dict[str, Any]) -> list[str]:
    from jettui.store.jet_tables import JetReturn
    from jettui.store.opencart import Return, ReturnHistory

    row = JetReturn.get(JetReturn.merchant_return_authorization_id == rid)
    on_jet = detail.get("return_status") == "completed by merchant"
    problems = []
    if on_jet != (row.state == "completed"):
        problems.append(f"return {rid}: Jet {detail.get('return_status')}, jettui {row.state}")
    for return_id in row.return_ids or []:
        status = Return.select(Return.return_status_id).where(
            Return.return_id == return_id).scalar()  # fmt: skip
        written = (
            ReturnHistory.select()
            .where(
                (ReturnHistory.return_id == return_id) & ReturnHistory.comment.contains("refunded")
            )
            .count()
        )
        if (status == 3) != on_jet or written != int(on_jet):
            problems.append(f"return {rid}: OpenCart return {return_id} status {status}, "
                            f"{written} completion row(s); Jet completed: {on_jet}")  # fmt: skip
    return problems


async def _refund_problems(jet: Any, mid: str) -> list[str]:
    from jettui.store.jet_tables import JetRefund

    ours = {r.refund_id: r for r in JetRefund.select().where(JetRefund.merchant_order_id == mid)}
    seen: dict[str, str] = {}  # refund_authorization_id → alt (a read may move it to the next list)
    for status in ("created", "processing", "accepted", "rejected"):
        for refund_id in await jet.list_refunds(status):
            detail = await jet.get_refund(refund_id)
            if detail.get("merchant_order_id") == mid:
                seen[refund_id] = detail["alt_refund_id"]
    found = list(seen.values())
    problems = []
    if len(found) > 1:
        problems.append(f"refund {mid}: {len(found)} refunds on Jet {found}")
    live = {alt for alt, r in ours.items() if r.state != "failed"}
    if set(found) != live or any(ours[a].state in ("intent", "unknown") for a in live):
        problems.append(f"refund {mid}: Jet {found}, jettui "
                        f"{ {a: r.state for a, r in ours.items()} }")  # fmt: skip
    return problems
