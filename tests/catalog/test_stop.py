"""Stopping an upload between parts: the part in flight is sent and recorded in full, the rest
is left untouched and reported not attempted, and `status` warns until the next complete run."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from jettui.services.catalog import run_action
from jettui.services.catalog.actions import run
from jettui.services.catalog.actions.stop import StopToken, unfinished_runs
from jettui.services.status import JetHealth, Severity, evaluate, read_facts
from tests.catalog.conftest import jet_products, map_all_categories

FIRST_PART = [1, 2, 3]


async def _upload_stopped_after_the_first_part(settings: Any, db: Any, monkeypatch: Any) -> Any:
    monkeypatch.setattr(run, "STREAM_PRODUCTS", 3)
    token = StopToken()

    def stage(text: str) -> None:  # the first part is under way: ask to stop
        token.request()

    return await run_action(settings, db, "upload", list(range(1, 11)), stage=stage, stop=token)


async def test_stop_after_the_first_part_leaves_the_rest_untouched(
    settings, db, monkeypatch
) -> None:
    from jettui.store.opencart import Product

    map_all_categories()
    report = await _upload_stopped_after_the_first_part(settings, db, monkeypatch)

    first_skus = {p.sku for p in Product.select().where(Product.product_id.in_(FIRST_PART))}
    rows = jet_products()
    sent = {sku for sku, row in rows.items() if row.sent_hash}
    assert first_skus <= sent  # the part in flight: sent and recorded (price too)
    by_outcome: dict[str, set[str]] = {}
    for item in report.items:
        by_outcome.setdefault(str(item.outcome), set()).add(item.item)
    left = by_outcome["not attempted"]
    assert left and not (left & sent)  # the rest: nothing on Jet, nothing recorded
    assert all(sku not in rows for sku in left)
    done = len(report.items) - len(left)
    assert report.stopped == (
        f"stopped: {done} of {len(report.items)} SKUs sent; {len(left)} left — run upload again"
    )
    assert report.stopped in report.summary
    assert report.as_dict()["stopped"] == report.stopped
    assert report.exit_code == 1


async def test_status_warns_after_a_stop_until_the_next_complete_run(
    settings, db, monkeypatch
) -> None:
    map_all_categories()
    report = await _upload_stopped_after_the_first_part(settings, db, monkeypatch)
    left = report.count("not attempted")  # type: ignore[arg-type]
    now = _dt.datetime(2030, 1, 1)

    facts = read_facts(settings, now)
    (problem,) = [
        p for p in evaluate(settings, facts, JetHealth(False), now) if p.rule == "run-stopped"
    ]
    assert problem.severity == Severity.WARNING
    assert f"with {left} SKU(s) left unfinished" in problem.message

    again = await run_action(settings, db, "upload", list(range(1, 11)))
    assert again.stopped is None
    assert unfinished_runs(now) == []


def test_a_run_gone_without_its_end_is_interrupted_until_a_complete_run(settings, db) -> None:
    """A second ctrl+c or a kill: the start event has no end and no run holds the lock."""
    from jettui.services.catalog.actions.stop import record_end, record_start
    from jettui.store.jet_tables import acquire_lock, release_lock

    now = _dt.datetime(2030, 1, 1)
    record_start("upload", 1194)
    acquire_lock("products", "host:1", 600)  # still running: nothing to say yet
    assert unfinished_runs(now) == []
    release_lock("products", "host:1")
    (run_left,) = unfinished_runs(now)
    assert run_left.left is None
    assert run_left.text.startswith("products upload of 1,194 product(s) interrupted at ")
    facts = read_facts(settings, now)
    assert any("interrupted" in p.message for p in evaluate(settings, facts, JetHealth(False), now))

    record_end("upload", None, 1194, 0)
    assert unfinished_runs(now) == []
