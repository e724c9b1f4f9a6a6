"""The soak of issue 16 in CI (bench/soak.py at full size, about a minute here): 200 orders x 3
lines on the HTTP sandbox with lost_answer_rate 0.3 and error_rate 0.1, a 500-product upload and
a sync; every order imported, acknowledged, shipped (a third in two parts) once per message, a
third returned and completed once, a tenth refunded once, the catalog reports matching the
sandbox's records SKU by SKU. The tally is printed (pytest -s)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bench.soak import run

pytestmark = pytest.mark.slow

WALL_LIMIT_SECONDS = 120.0


async def test_soak_200_orders_with_lost_answers_and_errors(tmp_path: Path) -> None:
    started = time.monotonic()
    tally = await run(tmp_path, orders=200, products=500, lost=0.3, errors=0.1, seed=16)
    print("\n".join(tally.lines()))
    assert tally.problems == []
    counts = tally.counts
    assert counts["orders placed"] == counts["OpenCart orders written"] == 200
    assert counts["shipped messages on Jet"] == counts["shipped messages sent"] > 200
    assert counts["returns completed on Jet"] == counts["returns completed"] == 67
    assert counts["refunds on Jet"] == counts["refunds created"] == 20
    for write in ("acknowledge", "shipped", "complete", "refunds"):
        assert counts[f"lost answers (Jet applied): {write}"] > 0  # the faults were felt
    assert time.monotonic() - started < WALL_LIMIT_SECONDS
