"""SIGKILL trials of the line accounts' money and stock moves, on SQLite and MariaDB: a return
completion (its refunds, the restock of the returned units) and a merchant refund from creation
to Jet's acceptance, killed right after a random SQL statement; after one more run (what the
merchant's next command or the next cron run does) Jet and OpenCart agree: the return is
completed once, each returned unit restocked exactly once (products and option value), each
refund applied on Jet once and counted once on the accounts, one history row, and no stock
moved by a refund of units the buyer kept.

``JETTUI_ACCOUNT_CRASH_TRIALS`` sets the trials per test (default 20); bench/account_crash.py
runs more and prints the tally."""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jettui.config import Settings
from jettui.services.orders import account
from jettui.services.refunds import create_refund, list_refunds, poll_refunds
from jettui.services.returns import complete_return
from jettui.store.jet_tables import JetRefund, JetReturn
from jettui.store.opencart import OrderHistory, Product, ProductOptionValue, Return, ReturnHistory
from tests.orders.ship_support import oc_status, stock
from tests.returns.support import jet_return, shipped_order
from tests.returns.test_account_cases import (
    COMPLETE,
    IPHONE_PRICE,
    jet_refunded,
    returned_and_mirrored,
)
from tests.shop_support import (
    CANON,
    CANON_BLUE,
    IPHONE,
    RETURN_ACTION,
    oc_order_id,
    upload_products,
)
from tests.shop_support import write_settings as write_shop_settings

pytestmark = pytest.mark.slow

CHILD = Path(__file__).with_name("account_crash_child.py")
TRIALS = int(os.environ.get("JETTUI_ACCOUNT_CRASH_TRIALS", "20"))
SEED = int(os.environ.get("JETTUI_ACCOUNT_CRASH_SEED", "15"))


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_child(settings: Settings, kill_after: int, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(CHILD), str(settings.path), str(kill_after), *args],
        env=child_env(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip


async def deep_stock(folder: Path, database: str, db: Any) -> tuple[Settings, dict[str, str]]:
    settings = write_shop_settings(folder, database, returns=RETURN_ACTION + "  restock: true\n")
    Product.update(quantity=100_000).where(Product.product_id.in_([CANON, IPHONE])).execute()
    ProductOptionValue.update(quantity=100_000).where(
        ProductOptionValue.product_option_value_id == CANON_BLUE
    ).execute()
    return settings, await upload_products(settings, db)


# --- return completion and restock --------------------------------------------------------------


async def return_problems(settings: Settings, mid: str, rid: str, sold: dict[str, int]) -> list:
    """Everything that differs from "completed once, each unit back once, refunded once"."""
    problems = []
    row = JetReturn.get(JetReturn.merchant_return_authorization_id == rid)
    if row.state != "completed":
        problems.append(f"ledger {row.state}")
    detail = await jet_return(settings, rid)
    if detail["return_status"] != "completed by merchant":
        problems.append(f"Jet: {detail['return_status']}")
    units = {i["order_item_id"]: i["return_quantity"] for i in detail["items"]}
    want = {"iphone": sold["iphone"] + 2, "canon": sold["canon"] + 1,
            "canon_blue": sold["canon_blue"] + 1}  # fmt: skip
    if stock() != want:
        problems.append(f"stock {stock()} != {want}")
    for line in account.accounts(mid).values():
        counts = (line.refunded, line.returned, line.restocked)
        if counts != (units[line.order_item_id],) * 3:
            problems.append(f"account {line.merchant_sku}: {counts}")
    paid = jet_refunded(settings, mid)
    booked = sum(
        (v for a in account.accounts(mid).values() for v in a.amounts.values()), Decimal(0)
    )
    requested = sum(
        (Decimal(str(i["requested_refund_amount"]["principal"])) for i in detail["items"]),
        Decimal(0),
    )
    if not paid or paid != requested or booked != paid:
        problems.append(f"dollars: Jet {paid}, accounts {booked}")
    for oc_return in row.return_ids or []:
        done = ReturnHistory.select().where(
            (ReturnHistory.return_id == oc_return) & ReturnHistory.comment.contains("completed")
        )
        status = Return.get_by_id(oc_return).return_status_id
        if done.count() != 1 or status != 3:
            problems.append(f"OpenCart return {oc_return}: status {status}, {done.count()} rows")
    return problems


async def test_sigkill_during_return_completion_and_restock(oc_database, tmp_path, oc_db) -> None:
    settings, skus = await deep_stock(tmp_path, oc_database, oc_db)
    items = {skus["iphone"]: 2, skus["canon_blue"]: 1}
    mid = await shipped_order(settings, oc_db, items)
    sold = stock()
    rid = await returned_and_mirrored(settings, oc_db, mid)
    calibrate = await asyncio.to_thread(run_child, settings, 0, "complete", rid)
    assert calibrate.returncode == 0, calibrate.stderr[-2000:]
    statements = int(calibrate.stdout.split()[-1])
    assert await return_problems(settings, mid, rid, sold) == []
    rng = random.Random(SEED)
    killed = 0
    for trial in range(TRIALS):
        mid = await shipped_order(settings, oc_db, items)
        sold = stock()
        rid = await returned_and_mirrored(settings, oc_db, mid)
        ran = await asyncio.to_thread(
            run_child, settings, rng.randint(1, statements), "complete", rid
        )
        killed += ran.returncode == -9
        assert ran.returncode in (-9, 0), ran.stderr[-2000:]
        result = await complete_return(settings, oc_db, rid)  # the next run finishes it
        assert result.outcome in ("succeeded", "unchanged"), (trial, result.reason)
        assert await return_problems(settings, mid, rid, sold) == [], trial
    assert killed >= TRIALS // 2, f"only {killed} of {TRIALS} runs were killed"
    print(f"return completion: {TRIALS} trials, {killed} killed, 0 problems")


# --- refund from creation to acceptance ---------------------------------------------------------


def refund_problems(settings: Settings, mid: str, sold: dict[str, int]) -> list[str]:
    from jettui.jet.sandbox.db import StateDB

    problems = []
    state = StateDB(settings.sandbox.state_file)
    try:
        on_jet = [r for r in state.all("refund") if r["merchant_order_id"] == mid]
    finally:
        state.close()
    if len(on_jet) != 1:
        problems.append(f"{len(on_jet)} refunds on Jet")
    rows = [r for r in list_refunds(None) if r["merchant_order_id"] == mid]
    if [(r["status"], r["state"]) for r in rows] != [("accepted", "final")]:
        problems.append(f"ledger {[(r['status'], r['state']) for r in rows]}")
    (line,) = account.accounts(mid).values()
    if (line.refunded, line.kept, line.amounts["principal"]) != (2, 2, 2 * IPHONE_PRICE):
        problems.append(f"account {line.refunded}, {line.kept}, {line.amounts['principal']}")
    if jet_refunded(settings, mid) != 2 * IPHONE_PRICE:
        problems.append(f"Jet dollars {jet_refunded(settings, mid)}")
    order_id = oc_order_id(mid)
    alt = rows[0]["alt_refund_id"] if rows else "?"
    written = OrderHistory.select().where(
        (OrderHistory.order_id == order_id) & OrderHistory.comment.contains(f"(alt {alt})")
    )
    if written.count() != 1:
        problems.append(f"{written.count()} history rows")
    if stock() != sold or oc_status(order_id) != COMPLETE:
        problems.append(f"stock {stock()} (sold {sold}), status {oc_status(order_id)}")
    return problems


async def test_sigkill_during_refund_creation_and_acceptance(oc_database, tmp_path, oc_db) -> None:
    settings, skus = await deep_stock(tmp_path, oc_database, oc_db)
    iphone = skus["iphone"]
    mid = await shipped_order(settings, oc_db, {iphone: 2})
    sold = stock()
    calibrate = await asyncio.to_thread(run_child, settings, 0, "refund", mid, iphone, "2")
    assert calibrate.returncode == 0, calibrate.stderr[-2000:]
    statements = int(calibrate.stdout.split()[-1])
    assert refund_problems(settings, mid, sold) == []
    rng = random.Random(SEED + 1)
    killed = 0
    for trial in range(TRIALS):
        mid = await shipped_order(settings, oc_db, {iphone: 2})
        sold = stock()
        ran = await asyncio.to_thread(
            run_child, settings, rng.randint(1, statements), "refund", mid, iphone, "2"
        )
        killed += ran.returncode == -9
        assert ran.returncode in (-9, 0), ran.stderr[-2000:]
        if not JetRefund.select().where(JetRefund.merchant_order_id == mid).exists():
            # killed before the refund was recorded: the merchant runs the command again
            result = await create_refund(settings, oc_db, mid, {iphone: 2}, "Package never arrived")
            assert result.outcome == "succeeded", result.reason
        for _ in range(6):  # the next fetch-returns runs settle it
            await poll_refunds(settings, oc_db)
        assert refund_problems(settings, mid, sold) == [], trial
    assert killed >= TRIALS // 2, f"only {killed} of {TRIALS} runs were killed"
    print(f"refund acceptance: {TRIALS} trials, {killed} killed, 0 problems")
