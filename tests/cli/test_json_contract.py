"""With --json, exactly one JSON document on stdout in every case, one line per failure on
stderr and never a traceback (issue 7 item 8): usage errors, bad settings, a store that is
missing or goes away mid-run, Jet unreachable, Ctrl+C (exit 130)."""

from __future__ import annotations

import json
import logging
import signal
import sqlite3
import subprocess
import sys
import time

import peewee as pw
import pytest

from jettui.cli import main

from .conftest import REPO, WriteSettings, run_jettui

MYSQL_GONE = (2003, "Can't connect to MySQL server on '127.0.0.1' ([Errno 111] Connection refused)")


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["cron", "hourly", "--json"], "invalid choice"),
        (["products", "upload", "--all", "SKU-1", "--json"], "give --all or one or more SKUs"),
        (["products", "upload", "SKU-1", "--all", "--json"], "give --all or one or more SKUs"),
        (["categories", "map", "2", "--node", str(2**64), "--json"], "an id is a whole number"),
        (["orders", "acknowledge", "--json"], "give --all or one or more Jet order ids"),
        (["orders", "list", "--status", "gone", "--json"], "--status: 'gone' is not one of"),
    ],
)
def test_usage_errors_print_one_document(
    write_settings: WriteSettings, argv: list[str], fragment: str
) -> None:
    ran = run_jettui(write_settings(), *argv)
    assert ran.code == 2
    assert ran.document["ok"] is False and ran.document["exit_code"] == 2
    assert fragment in ran.document["error"]
    assert len(ran.lines) == 1 and fragment in ran.lines[0]


@pytest.mark.parametrize("command", [("cron", "due"), ("categories", "list"), ("config", "show")])
def test_bad_settings_print_one_document(
    write_settings: WriteSettings, command: tuple[str, ...]
) -> None:
    config = write_settings(**{"  timeout_seconds: 30": "  timeout_seconds: soon"})
    ran = run_jettui(config, *command, "--json")
    assert ran.code == 2
    assert ran.document["exit_code"] == 2 and "timeout_seconds" in ran.document["error"]
    assert len(ran.lines) == 1 and "Traceback" not in ran.err


def test_missing_store_is_exit_3_with_one_document(write_settings: WriteSettings) -> None:
    config = write_settings(**{"sqlite:///demo-store.db": "sqlite:///no/such/folder/store.db"})
    ran = run_jettui(config, "cron", "due", "--json")
    assert ran.code == 3
    assert ran.document == {
        "ok": False,
        "job": "due",
        "error": ran.lines[0].removeprefix("jettui: "),
        "exit_code": 3,
    }
    assert "no folder" in ran.lines[0] and len(ran.lines) == 1


def test_jet_unreachable_is_exit_3_with_one_document(write_settings: WriteSettings) -> None:
    config = write_settings(
        **{
            "api_url: sandbox ": "api_url: http://127.0.0.1:9/api ",
            "max_retries: 4": "max_retries: 0",
        }
    )
    assert run_jettui(config, "demo", "--products", "5").code == 0
    ran = run_jettui(config, "categories", "taxonomy", "--refresh", "--json")
    assert ran.code == 3
    assert ran.document["exit_code"] == 3 and "taxonomy not refreshed" in ran.document["error"]
    assert len(ran.lines) == 1 and "Traceback" not in ran.err
    assert "jetsecret" not in ran.out + ran.err


def test_store_gone_mid_run_reports_what_is_known_in_one_line(
    write_settings: WriteSettings,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The database drops out while products are being uploaded: exit 3, one readable line
    (not PyMySQL's raw tuple), the event logger's repeated failures as one line without a
    traceback, and the document says how far the run got."""
    from jettui.services import catalog

    config = write_settings()
    assert main(["--config", str(config), "demo", "--products", "5"]) == 0
    capsys.readouterr()

    async def store_goes_away(settings, db, action, ids, *, dry_run, progress, **_options):
        progress(2, 5)
        log = logging.getLogger("jettui.services")
        for _ in range(9):  # the event writer retries each batch and logs each failure
            try:
                raise pw.OperationalError(*MYSQL_GONE)
            except pw.OperationalError:
                log.exception("could not write %d event(s) to the store", 3)
        raise pw.OperationalError(*MYSQL_GONE)

    monkeypatch.setattr(catalog, "run_action", store_goes_away)
    with sqlite3.connect(config.parent / "demo-store.db") as conn:
        (sku,) = conn.execute("SELECT sku FROM oc_product ORDER BY product_id LIMIT 1").fetchone()
    conn.close()
    code = main(["--config", str(config), "products", "upload", sku, "--json"])
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    lines = captured.err.strip().splitlines()

    assert code == 3
    assert document["exit_code"] == 3 and document["ok"] is False
    assert document["action"] == "upload" and document["progress"] == {"done": 2, "total": 5}
    assert document["error"] == (
        "store unreachable: Can't connect to MySQL server on '127.0.0.1' "
        "([Errno 111] Connection refused) (MySQL error 2003)"
    )
    assert "Traceback" not in captured.err
    assert len(lines) == 2, lines
    assert lines[0].startswith("jettui: error: could not write 3 event(s) to the store: ")
    assert "2003" in lines[0]
    assert lines[1] == "jettui: " + document["error"]


def test_ctrl_c_is_exit_130_and_still_one_document(write_settings: WriteSettings) -> None:
    """SIGINT while the taxonomy is being fetched (slow sandbox): exit 130, one document
    saying what was asked and that it was interrupted, one line, no traceback."""
    config = write_settings(**{"  latency_ms: 0": "  latency_ms: 400"})
    assert run_jettui(config, "demo", "--products", "5").code == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "jettui.cli", "--config", str(config), "categories", "taxonomy",
         "--refresh", "--json"],
        cwd=config.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    time.sleep(3)  # started, store opened, Jet calls in flight
    assert process.poll() is None, process.communicate()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)

    assert process.returncode == 130, err
    document = json.loads(out)
    assert document == {
        "ok": False,
        "action": "taxonomy",
        "search": None,
        "error": "interrupted",
        "exit_code": 130,
    }
    assert err.strip().splitlines() == ["jettui: interrupted"]
