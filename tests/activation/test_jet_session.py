"""open_logged_client: what one Jet call looks like in the event log, and when it is logged."""

from __future__ import annotations

import logging
import subprocess
import sys
from typing import Any

import pytest

from jettui.services.jet_session import call_event, open_logged_client
from tests.service_support import events


@pytest.mark.parametrize(
    ("detail", "message", "level"),
    [
        (
            {"method": "PUT", "path": "merchant-skus/test_product", "status": 201,
             "duration_ms": 12.4, "attempt": 1},
            "PUT /merchant-skus/test_product → 201 in 12 ms",
            "info",
        ),
        (
            {"method": "GET", "path": "orders/ready", "status": 200, "duration_ms": 3,
             "attempt": 2},
            "GET /orders/ready → 200 in 3 ms (attempt 2)",
            "warning",
        ),
        (
            {"method": "GET", "path": "taxonomy/nodes/9", "status": 404, "duration_ms": 1,
             "attempt": 1},
            "GET /taxonomy/nodes/9 → 404 in 1 ms",
            "warning",
        ),
        (
            {"method": "PUT", "path": "orders/x/shipped", "status": 503, "duration_ms": 5,
             "attempt": 1},
            "PUT /orders/x/shipped → 503 in 5 ms",
            "error",
        ),
        (
            {"method": "GET", "path": "authcheck", "status": None, "duration_ms": 1000,
             "attempt": 1, "error": "ConnectError"},
            "GET /authcheck → ConnectError in 1000 ms",
            "error",
        ),
    ],
)  # fmt: skip
def test_one_call_one_line(detail: dict, message: str, level: str) -> None:
    row = call_event("call", detail)
    assert (row["kind"], row["message"], row["level"]) == ("api", message, level)


def test_retries_are_warnings() -> None:
    row = call_event("retry", {"method": "GET", "path": "orders/ready", "reason": "HTTP 500",
                               "wait_seconds": 0.5})  # fmt: skip
    assert row["level"] == "warning"
    assert row["message"] == "GET /orders/ready: HTTP 500, retrying in 0.5 s"


async def test_rows_are_written_when_the_block_ends(settings, db) -> None:
    async with open_logged_client(settings, db) as jet:
        assert await jet.authcheck()
    messages = [e.message for e in events("api")]
    assert messages[0].startswith("POST /token → 200")
    assert messages[1].startswith("Jet token obtained")
    assert messages[2].startswith("GET /authcheck → 200 in ")


def test_headless_activate_never_imports_textual(settings) -> None:
    code = (
        "import sys; from jettui.cli import main; "
        f"rc = main(['--config', {str(settings.path)!r}, 'activate', 'status']); "
        "assert 'textual' not in sys.modules, 'textual imported'; sys.exit(rc)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


async def test_a_store_gone_away_costs_one_log_line_not_a_traceback_per_batch(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import peewee as pw

    from jettui.services.jet_session import EventWriter

    class DeadStore:
        async def run(self, fn: Any, *args: Any) -> Any:
            raise pw.OperationalError(2003, "Can't connect to MySQL server")

    writer = EventWriter(DeadStore())  # type: ignore[arg-type]
    caplog.set_level(logging.WARNING, logger="jettui.services")
    for batch in range(3):
        writer.hook("call", {"method": "GET", "path": f"/x/{batch}", "status": 200})
        await writer.flush()
    records = [r for r in caplog.records if r.name == "jettui.services"]
    assert len(records) == 1 and records[0].exc_info is None
    assert "Can't connect" in records[0].getMessage() and writer.lost == 3


async def test_a_busy_run_writes_its_log_rows_in_a_few_batches_and_flush_writes_them_at_once() -> (
    None
):
    import asyncio
    import time

    from jettui.services.jet_session import EventWriter

    class CountingStore:
        def __init__(self) -> None:
            self.batches: list[int] = []

        async def run(self, fn: Any, rows: list[Any]) -> None:
            self.batches.append(len(rows))

    store = CountingStore()
    writer = EventWriter(store)  # type: ignore[arg-type]
    for n in range(1200):  # an import's calls arrive a few at a time
        writer.hook("call", {"method": "GET", "path": f"orders/withoutShipmentDetail/{n}",
                             "status": 200, "duration_ms": 1, "attempt": 1})  # fmt: skip
        if n % 3 == 0:
            await asyncio.sleep(0)
    started = time.monotonic()
    await writer.flush()
    assert time.monotonic() - started < EventWriter.WAIT_SECONDS  # flush does not wait
    assert sum(store.batches) == 1200  # nothing lost
    assert len(store.batches) <= 4, store.batches  # not one statement per call or two
