"""SIGKILL during the return mirror, ≥ 20 trials per backend: whatever moment the fetch dies,
the next fetch leaves exactly one OpenCart return per returned line (and one history row
each), never a duplicate, never a missing row.

Each trial generates a fresh two-line return on the sandbox, forks a child that runs
``fetch_returns`` with the mirror slowed down (so kills land inside it), kills it at a random
moment, then runs the fetch again in the test process and checks the rows."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import random
import signal
import time
from pathlib import Path
from typing import Any

from jettui.config import Settings
from jettui.services.returns import fetch_returns
from jettui.store.jet_tables import JetReturn
from jettui.store.opencart import Product, ProductOptionValue, Return, ReturnHistory
from tests.returns.support import generate_return, shipped_order
from tests.shop_support import CANON, IPHONE, upload_products

TRIALS = 20
STEP_SECONDS = 0.02  # added to each mirror step in the child


def _child(settings: Settings, steps: Path) -> None:
    """Runs in the forked process: its own connection, a slowed mirror (each step noted in
    ``steps``), one fetch."""
    from jettui.store import oc_returns
    from jettui.store.db import connect

    def slow(fn: Any) -> Any:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            with steps.open("a") as note:
                note.write(f"{fn.__name__}\n")
            time.sleep(STEP_SECONDS)
            return fn(*args, **kwargs)

        return wrapped

    oc_returns.reason_id = slow(oc_returns.reason_id)
    oc_returns._history_once = slow(oc_returns._history_once)
    db = connect(settings)
    asyncio.run(fetch_returns(settings, db))
    os._exit(0)


def _rows(rid: str) -> tuple[int, int, str | None]:
    returns = [r.return_id for r in Return.select().where(Return.comment.contains(rid))]
    history = ReturnHistory.select().where(
        ReturnHistory.return_id.in_(returns or [0]) & ReturnHistory.comment.contains(rid)
    )
    ledger = JetReturn.get_or_none(JetReturn.merchant_return_authorization_id == rid)
    return len(returns), history.count(), ledger.state if ledger else None


def _run_child(
    settings: Settings, steps: Path, kill_after: float | None, *, in_mirror: bool = False
) -> float:
    """Fork the child; SIGKILL it ``kill_after`` seconds after it starts (``in_mirror``: after
    its first mirror step). None: let it finish. Returns the seconds it ran."""
    started = time.monotonic()
    child = multiprocessing.get_context("fork").Process(target=_child, args=(settings, steps))
    child.start()
    if kill_after is not None:
        if in_mirror:
            while not steps.exists() and child.is_alive():
                time.sleep(0.002)
        time.sleep(kill_after)
        os.kill(child.pid, signal.SIGKILL)
    child.join(30)
    return time.monotonic() - started


def test_sigkill_during_the_mirror_never_duplicates_or_loses_a_row(
    oc_settings, oc_db, tmp_path
) -> None:
    settings = oc_settings

    # a fresh order per trial: enough stock for all of them
    Product.update(quantity=1000).where(Product.product_id.in_([CANON, IPHONE])).execute()
    ProductOptionValue.update(quantity=1000).where(ProductOptionValue.product_id == CANON).execute()
    skus = asyncio.run(upload_products(settings, oc_db))
    items = {skus["iphone"]: 2, skus["canon_blue"]: 1}
    # Jet returns a shipped unit once: every trial returns a fresh shipped order
    mid = asyncio.run(shipped_order(settings, oc_db, items))
    # calibrate: how long one whole fetch takes in the child
    rid = asyncio.run(generate_return(settings, mid))
    whole = _run_child(settings, tmp_path / "calibrate.txt", None)
    assert _rows(rid) == (2, 2, "mirrored")

    rng = random.Random(20261129)
    interrupted = 0  # trials killed inside the mirror (started, not finished)
    for trial in range(TRIALS):
        mid = asyncio.run(shipped_order(settings, oc_db, items))
        rid = asyncio.run(generate_return(settings, mid))
        steps = tmp_path / f"steps-{trial}.txt"
        if trial % 2:  # anywhere in the run
            _run_child(settings, steps, rng.uniform(0, whole))
        else:  # inside the mirror: 4 slowed steps
            _run_child(settings, steps, rng.uniform(0, 4 * STEP_SECONDS), in_mirror=True)
        returns, history, state = _rows(rid)
        if steps.exists() and state == "intent":
            interrupted += 1
        assert returns <= 2 and history <= returns, (trial, returns, history, state)
        report = asyncio.run(fetch_returns(settings, oc_db))
        assert not report.locked and not report.unreachable, report.summary
        assert _rows(rid) == (2, 2, "mirrored"), (trial, report.items)
        ledger = JetReturn.get(JetReturn.merchant_return_authorization_id == rid)
        ids = [r.return_id for r in Return.select().where(Return.comment.contains(rid))]
        assert sorted(ledger.return_ids) == sorted(ids)
    assert interrupted >= TRIALS // 4, f"only {interrupted} kill(s) landed inside the mirror"
    assert Return.select().count() == 2 * (TRIALS + 1)
