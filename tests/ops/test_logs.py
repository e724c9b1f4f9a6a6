"""Logs that explain and stay bounded: Jet call bodies (redacted, truncated with their size),
`jettui logs` filters, the rotating log file, pruning after log.keep_days, quiet `cron due`."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from pathlib import Path

import pytest

from jettui.cli import main
from jettui.jet.errors import JetNotFound
from jettui.services import logs
from jettui.services.jet_session import open_logged_client, shown_body
from jettui.store.jet_tables import JetEvent, JetFile, JetJobRun, JetProduct, log_event
from jettui.store.text import utcnow

from .conftest import SECRET, T0, run


@pytest.fixture(autouse=True)
def no_file_log_left() -> None:
    """Each test starts and ends without a log file handler (main installs one per run)."""
    yield
    for handler in list(logs.history.handlers):
        if isinstance(handler, logging.FileHandler):
            logs.remove_file_log(handler)


def jettui(settings, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--config", str(settings.path), *args])
    out = capsys.readouterr()
    assert SECRET not in out.out + out.err
    return code, out.out, out.err


PRODUCT = {
    "product_title": "Ops test product",
    "brand": "Ops",
    "standard_product_codes": [
        {"standard_product_code": "719236005030", "standard_product_code_type": "UPC"}
    ],
    "multipack_quantity": 1,
    "product_description": "A long description. " * 20,
    "main_image_url": "https://example.com/img/test.png",
    "shipping_weight_pounds": 1.5,
}


async def _calls(settings, db) -> None:
    async with open_logged_client(settings, db) as jet:
        await jet.put_sku("OPS-1", PRODUCT)
        await jet.get_sku("OPS-1")
        with pytest.raises(JetNotFound):
            await jet.get_sku("OPS-NOPE")


def test_jet_calls_keep_bodies_redacted_and_truncated(make_settings) -> None:
    settings = make_settings(log="  body_bytes: 120\n")
    from jettui.store.db import open_store

    db = open_store(settings)
    asyncio.run(_calls(settings, db))
    rows = {
        r.message.split(" →")[0]: r.detail for r in JetEvent.select().where(JetEvent.kind == "api")
    }
    token = rows["POST /token"]
    assert token["request_body"] == '{"user":"jetuser","pass":"***"}'
    assert '"id_token":"***"' in token["response_body"]
    put = rows["PUT /merchant-skus/OPS-1"]
    assert put["request_bytes"] > 300
    assert put["request_body"].endswith(f"… (truncated: {put['request_bytes']} bytes)")
    assert len(put["request_body"]) < 170
    assert rows["GET /merchant-skus/OPS-1"] is None  # a successful read: its line says it all
    refused = rows["GET /merchant-skus/OPS-NOPE"]  # a failure keeps what Jet said
    assert "not found" in refused["response_body"].lower()
    assert SECRET not in json.dumps(list(rows.values()))
    db.close()


def test_shown_body_forms() -> None:
    assert shown_body(b"", 10) is None
    assert shown_body(b"\x1f\x8b\x08\x00binary\xff", 10) == "<11 bytes, not text>"
    assert shown_body(b"Authorization: Bearer abc.def", 100) == "Authorization: Bearer ***"
    assert shown_body(b'{"api_key": "k", "n": [1, 2]}', 100) == '{"api_key":"***","n":[1,2]}'


def test_logs_command_filters_by_sku_order_job_level_and_time(settings, db, capsys) -> None:
    now = utcnow()
    log_event("api", "PUT /merchant-skus/A1 → 201", ref="/merchant-skus/A1")
    log_event("api", "PUT /merchant-skus/A10 → 201", ref="/merchant-skus/A10")
    log_event("product", "A1 uploaded", ref="A1")
    log_event("order", "order O-7 imported", ref="O-7")
    log_event(
        "api", "PUT /orders/O-7/acknowledge → 400", ref="/orders/O-7/acknowledge", level="warning"
    )
    log_event("job", "sync: failed", ref="sync", level="error")
    JetEvent.create(
        kind="job", ref="sync", message="sync: ok long ago", time=now - dt.timedelta(days=3)
    )

    def messages(*args: str) -> list[str]:
        code, out, _ = jettui(settings, capsys, "logs", "--json", *args)
        assert code == 0
        return [row["message"] for row in json.loads(out)["events"]]

    assert messages("--sku", "A1") == ["PUT /merchant-skus/A1 → 201", "A1 uploaded"]
    assert messages("--order", "O-7") == ["order O-7 imported", "PUT /orders/O-7/acknowledge → 400"]
    assert messages("--job", "sync") == ["sync: ok long ago", "sync: failed"]
    assert messages("--job", "sync", "--since", "1d") == ["sync: failed"]
    assert messages("--level", "warning") == ["PUT /orders/O-7/acknowledge → 400", "sync: failed"]
    code, out, _ = jettui(settings, capsys, "logs", "--sku", "A1")
    assert out.splitlines()[-1].endswith("info    product  A1 uploaded")
    code, _, err = jettui(settings, capsys, "logs", "--since", "yesterday")
    assert code == 2 and "--since: 'yesterday' is not a time" in err


def test_headless_runs_write_a_rotating_log_file(make_settings, capsys, tmp_path: Path) -> None:
    settings = make_settings(log="  file: logs/jettui.log\n  max_bytes: 2000\n  backup_count: 2\n")
    path = Path(settings.log.file)
    assert path == tmp_path / "logs" / "jettui.log"
    for _ in range(6):  # each `cron all` writes its Jet calls and outcomes: well over 2000 bytes
        assert jettui(settings, capsys, "cron", "all")[0] == 0
    names = sorted(p.name for p in path.parent.iterdir())
    assert names == ["jettui.log", "jettui.log.1", "jettui.log.2"]  # backup_count old files
    for file in path.parent.iterdir():
        text = file.read_text(encoding="utf-8")
        assert file.stat().st_size <= 2000 + 500  # rotated before a record goes over
        assert SECRET not in text
    text = path.read_text(encoding="utf-8") + (path.parent / "jettui.log.1").read_text()
    assert "jettui.history: cron product-status: ok" in text
    assert "api /token: POST /token → 200" in text and '"pass":"***"' in text


def test_log_file_is_off_by_default(settings, db, capsys, tmp_path: Path) -> None:
    assert jettui(settings, capsys, "cron", "all")[0] == 0
    assert not list(tmp_path.rglob("*.log"))


def test_prune_removes_what_is_older_than_keep_days(settings, db) -> None:
    old, recent = T0 - dt.timedelta(days=31), T0 - dt.timedelta(days=29)
    for when in (old, recent):
        JetEvent.create(kind="api", message=f"call at {when}", time=when)
        run("sync", "ok", when)
        JetFile.create(file_type="Price", payload={"sku": {"price": 1}}, created_at=when)
    JetJobRun.create(job="sync", started_at=old, result="running")  # still running: kept
    report = logs.prune(settings, T0)
    assert (report.events, report.runs, report.file_contents) == (1, 1, 1)
    assert [e.time for e in JetEvent.select()] == [recent]
    assert sorted(r.result for r in JetJobRun.select()) == ["ok", "running"]
    files = {f.created_at: f for f in JetFile.select()}
    assert files[old].payload is None and files[recent].payload == {"sku": {"price": 1}}
    assert JetFile.select().count() == 2  # the rows (status, error counts) stay


def test_prune_runs_at_most_hourly(settings, db) -> None:
    JetEvent.create(kind="api", message="old", time=T0 - dt.timedelta(days=40))
    first = logs.prune_if_due(settings, T0)
    assert first is not None and first.events == 1
    JetEvent.create(kind="api", message="old again", time=T0 - dt.timedelta(days=40))
    assert logs.prune_if_due(settings, T0 + dt.timedelta(minutes=59)) is None
    again = logs.prune_if_due(settings, T0 + dt.timedelta(minutes=61))
    assert again is not None and again.events == 1


def test_scheduled_jobs_prune(settings, db, capsys) -> None:
    JetEvent.create(kind="api", message="ancient", time=utcnow() - dt.timedelta(days=45))
    run("sync", "ok", utcnow() - dt.timedelta(days=45))
    assert jettui(settings, capsys, "cron", "due")[0] == 0
    assert not JetEvent.select().where(JetEvent.message == "ancient").exists()
    assert (
        JetJobRun.select().where(JetJobRun.started_at < utcnow() - dt.timedelta(days=40)).count()
        == 0
    )
    assert JetEvent.select().where(JetEvent.ref == "prune").count() == 1


def test_cron_due_prints_nothing_when_every_job_went_well(settings, db, capsys) -> None:
    code, out, err = jettui(settings, capsys, "cron", "due")
    assert code == 0
    assert out == "" and err == ""
    assert JetJobRun.select().count() >= 2  # jobs did run (fetch-orders, fetch-errors...)


def test_cron_due_prints_one_line_per_failure_and_everything_with_v(settings, db, capsys) -> None:
    JetProduct.create(product_id=9001, merchant_sku="ops-missing", sent_at=utcnow())
    JetProduct.create(product_id=9002, merchant_sku="ops-missing-2", sent_at=utcnow())
    code, out, err = jettui(settings, capsys, "cron", "due")
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("product-status: failed, ")
    assert "; first: ops-missing: not on Jet" in lines[0] and "(+1 more, -v lists them)" in lines[0]
    JetJobRun.delete().execute()  # everything due again
    code, _, err = jettui(settings, capsys, "cron", "due", "-v")
    assert code == 1
    assert "fetch-errors: ok, " in err
    assert "  ops-missing-2: not on Jet" in err


def test_cron_due_json_is_unchanged(settings, db, capsys) -> None:
    code, out, _ = jettui(settings, capsys, "cron", "due", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["job"] == "due" and len(doc["outcomes"]) == 6
