"""`jettui status`: every health rule and exit code, with the clock where each test puts it.

The clock is :func:`jettui.services.status.clock`, replaced by the test; rows are written with
times relative to it (T0)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

import pytest

from jettui.cli import main
from jettui.config import load_settings
from jettui.services import status
from jettui.services.status import JetHealth, Severity, StoreFacts, evaluate
from jettui.store.jet_tables import JetFile, JetLock

from .conftest import SECRET, T0, minutes, order, run, settings_yaml


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch) -> None:
    monkeypatch.setattr(status, "clock", lambda: T0)


def jettui_status(settings, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--config", str(settings.path), "status", "--no-jet", *args])
    out = capsys.readouterr()
    assert SECRET not in out.out + out.err
    return code, out.out, out.err


def rules(settings, capsys) -> dict[str, str]:
    code, out, _ = jettui_status(settings, capsys, "--json")
    doc = json.loads(out)
    assert code == doc["exit_code"] == (1 if doc["problems"] else 0)
    return {p["rule"]: p["severity"] for p in doc["problems"]}


def test_healthy_store_exits_0_in_every_form(settings, db, capsys) -> None:
    run("fetch-orders", "ok", T0 - minutes(5))
    order("ACKED", T0 - minutes(60), status="acknowledged", acknowledged=True)
    code, out, _ = jettui_status(settings, capsys)
    assert code == 0
    assert out.startswith("jettui status at 2026-03-02 12:00 UTC: healthy")
    assert "fetch-orders    last ok 2026-03-02 11:55" in out
    code, out, _ = jettui_status(settings, capsys, "--nagios")
    assert code == 0
    assert out.startswith("JETTUI OK - 0 order(s) waiting for acknowledgement")
    assert out.count("\n") == 1


def test_missed_acknowledgement_deadline_is_critical(settings, db, capsys) -> None:
    order("LATE-1", T0 - minutes(16))  # deadline 11:59: missed a minute ago
    assert rules(settings, capsys) == {"ack-missed": "critical"}
    code, out, _ = jettui_status(settings, capsys, "--nagios")
    assert code == 2
    assert out.startswith(
        "JETTUI CRITICAL - acknowledgement deadline missed for order LATE-1 (2026-03-02 11:59 UTC)"
    )
    assert "unacknowledged=1" in out


def test_deadline_within_five_minutes_warns_and_six_does_not(settings, db, capsys) -> None:
    order("SOON", T0 - minutes(10))  # deadline in 5 minutes
    order("LATER", T0 - minutes(9))  # deadline in 6 minutes
    code, out, _ = jettui_status(settings, capsys, "--nagios")
    assert code == 1
    assert out.startswith("JETTUI WARNING - order SOON must be acknowledged within 5m")
    assert "LATER" not in out
    code, out, _ = jettui_status(settings, capsys)
    assert code == 1
    assert "Orders: 2 waiting for acknowledgement (nearest deadline 2026-03-02 12:05 UTC)" in out


def test_orders_no_longer_owed_an_acknowledgement_are_not_counted(settings, db, capsys) -> None:
    order("DONE", T0 - minutes(60), status="acknowledged", acknowledged=True)
    order("SHIPPED", T0 - minutes(60), status="complete", acknowledged=True)
    assert rules(settings, capsys) == {}


def test_job_failing_three_runs_in_a_row_needs_a_person(settings, db, capsys) -> None:
    for n, result in enumerate(["ok", "failed", "failed"]):
        run("product-status", result, T0 - minutes(60 - n * 20), message=f"boom {n}")
    assert rules(settings, capsys) == {}  # two in a row: not yet
    run("product-status", "failed", T0 - minutes(1), message="Jet answered 400: bad sku")
    assert rules(settings, capsys) == {"job-failing": "warning"}
    code, out, _ = jettui_status(settings, capsys)
    assert "WARNING  product-status failed 3 runs in a row: Jet answered 400: bad sku" in out
    assert "product-status  last ok 2026-03-02 11:00" in out
    assert "3 failure(s) since: Jet answered 400: bad sku" in out
    run("product-status", "ok", T0)
    assert rules(settings, capsys) == {}


def test_lock_held_past_its_expiry_is_stale(settings, db, capsys) -> None:
    JetLock.create(
        name="job:sync",
        holder="host:99:sync",
        acquired_at=T0 - minutes(40),
        expires_at=T0 + minutes(1),
    )
    assert rules(settings, capsys) == {}  # still within its TTL: a run in progress
    JetLock.update(expires_at=T0 - minutes(1)).execute()
    assert rules(settings, capsys) == {"stale-lock": "warning"}
    code, out, _ = jettui_status(settings, capsys)
    assert "Locks past their expiry: job:sync (host:99:sync)" in out


def test_unreachable_longer_than_the_setting_is_critical(settings, db, capsys, monkeypatch) -> None:
    reason = "Jet unreachable (ConnectError) after 1 attempt(s)"
    run("fetch-orders", "ok", T0 - minutes(50))
    run("fetch-orders", "unreachable", T0 - minutes(29), message=reason)
    run("product-status", "unreachable", T0 - minutes(10), message=reason)
    assert rules(settings, capsys) == {}  # 29 minutes < unreachable_alert_minutes (30)
    monkeypatch.setattr(status, "clock", lambda: T0 + minutes(2))
    assert rules(settings, capsys) == {"unreachable": "critical"}
    code, out, _ = jettui_status(settings, capsys, "--nagios")
    assert code == 2
    assert "Jet or the store unreachable since 2026-03-02 11:31 UTC (31m): " + reason in out
    run("fetch-orders", "ok", T0 + minutes(1))  # back: the outage is over
    assert rules(settings, capsys) == {}


def test_store_that_cannot_be_read_exits_3(capsys, tmp_path) -> None:
    path = tmp_path / "elsewhere.yaml"
    path.write_text(settings_yaml(database="sqlite:///missing.db"), encoding="utf-8")
    path.chmod(0o600)
    settings = load_settings(path)
    code, out, err = jettui_status(settings, capsys)
    assert code == 3
    assert "the store cannot be read: no SQLite store at" in err
    code, out, _ = jettui_status(settings, capsys, "--nagios")
    assert code == 2
    assert out.startswith("JETTUI CRITICAL - the store cannot be read")
    code, out, _ = jettui_status(settings, capsys, "--json")
    assert code == 3 and json.loads(out)["healthy"] is False


def test_store_without_jettui_tables_exits_3(settings, db, capsys) -> None:
    db.execute_sql("DROP TABLE oc_jet_job_run")  # an OpenCart store jettui's tables are not in
    db.close()
    code, _, err = jettui_status(settings, capsys)
    assert code == 3
    assert "jettui's tables are missing" in err


def test_jet_refusing_the_credentials_is_critical(settings) -> None:
    refused = JetHealth(True, False, "Jet refused the API user 'jetuser' and secret", refused=True)
    problems = evaluate(settings, StoreFacts(), refused, T0)
    assert [(p.rule, p.severity) for p in problems] == [("jet-refused", Severity.CRITICAL)]


def test_jet_check_reports_the_token_expiry(settings, db) -> None:
    health = asyncio.run(status.check_jet(settings, T0))
    assert health.reachable and health.token_expires_at is not None
    lifetime = health.token_expires_at - T0
    assert dt.timedelta(hours=9) < lifetime <= dt.timedelta(hours=10)  # sandbox: 36000 s


def test_facts_listed_without_being_problems(settings, db, capsys) -> None:
    order("SHIPLATE", T0 - minutes(600), status="acknowledged", acknowledged=True,
          ship_by=T0 - minutes(30))  # fmt: skip
    JetFile.create(
        jet_file_id="F-OLD", file_type="Price", error_count=2, created_at=T0 - minutes(90)
    )
    JetFile.create(
        jet_file_id="F-NEW", file_type="Price", error_count=0, created_at=T0 - minutes(30)
    )
    JetFile.create(
        jet_file_id="F-INV", file_type="Inventory", error_count=3, created_at=T0 - minutes(20)
    )
    code, out, _ = jettui_status(settings, capsys, "--json")
    doc = json.loads(out)
    assert code == 0 and doc["healthy"] is True
    assert doc["orders"]["past_ship_by"] == 1
    assert doc["orders"]["late"][0]["merchant_order_id"] == "SHIPLATE"
    assert [f["jet_file_id"] for f in doc["error_files"]] == ["F-INV"]  # F-OLD was resubmitted
    assert doc["jet"]["checked"] is False


def test_last_success_and_failures_since_reach_back_past_recent_runs(settings, db, capsys) -> None:
    run("sync", "ok", T0 - minutes(24 * 60 * 3))  # three days ago
    for n in range(60, 0, -1):  # an hour of failures each hour since
        run("sync", "unreachable", T0 - minutes(60 * n), message="Jet unreachable (ConnectError)")
    code, out, _ = jettui_status(settings, capsys, "--json")
    sync = next(j for j in json.loads(out)["jobs"] if j["job"] == "sync")
    assert sync["last_ok"] == "2026-02-27T12:00:00+00:00"
    assert sync["failures_since"] == 60
    assert sync["last_error"] == "Jet unreachable (ConnectError)"


def test_jet_down_now_counts_from_the_last_run_that_reached_it(settings) -> None:
    down = JetHealth(True, False, "POST token: Jet unreachable (ConnectError)")
    facts = StoreFacts(last_reached=T0 - minutes(29))
    assert evaluate(settings, facts, down, T0) == []  # 29 minutes < 30
    facts = StoreFacts(last_reached=T0 - minutes(31))
    [problem] = evaluate(settings, facts, down, T0)
    assert (problem.rule, problem.severity) == ("unreachable", Severity.CRITICAL)
    assert problem.message == (
        "Jet or the store unreachable since 2026-03-02 11:29 UTC (31m): "
        "POST token: Jet unreachable (ConnectError)"
    )
    [never] = evaluate(settings, StoreFacts(), down, T0)  # no run ever reached Jet
    assert (never.rule, never.severity) == ("unreachable", Severity.WARNING)
    up = JetHealth(True, True, "token obtained")
    old_outage = StoreFacts(unreachable_since=T0 - minutes(90), unreachable_reason="down")
    assert evaluate(settings, old_outage, up, T0) == []  # Jet answers now: the outage is over


def test_jet_not_answering_the_check_with_no_run_history_warns(make_settings, capsys) -> None:
    settings = make_settings(api_url="http://127.0.0.1:9/api")  # nothing listens there
    from jettui.store.db import open_store

    open_store(settings).close()
    code = main(["--config", str(settings.path), "status", "--nagios"])
    out = capsys.readouterr().out
    assert code == 1
    assert out.startswith("JETTUI WARNING - Jet not reachable and no job run has reached it yet")


def test_a_write_left_unconfirmed_for_minutes_warns_naming_the_order(settings, db, capsys) -> None:
    from jettui.store.jet_tables import JetOrder, JetRefund

    order("SHIPPING", T0 - minutes(60), status="acknowledged", acknowledged=True)
    sending = {"alt_shipment_id": "jettui-s1", "state": "sending", "body": {},
               "recorded_at": (T0 - minutes(3)).isoformat()}  # fmt: skip
    JetOrder.update(shipments=[sending]).execute()
    assert rules(settings, capsys) == {}  # a few minutes: the next cron run looks it up
    sending["recorded_at"] = (T0 - minutes(6)).isoformat()
    JetOrder.update(shipments=[sending]).execute()
    assert rules(settings, capsys) == {"unconfirmed-write": "warning"}
    code, out, _ = jettui_status(settings, capsys, "--nagios")
    assert code == 1
    assert out.startswith(
        "JETTUI WARNING - order SHIPPING: shipment jettui-s1 not confirmed by Jet for over 5m"
    )
    JetOrder.update(shipments=[{**sending, "state": "applied"}]).execute()
    JetRefund.create(refund_id="jt-r1", merchant_order_id="REFUNDED", order_id=1,
                     state="unknown", status="created", items=[], amount=1, reason="r",
                     updated_at=T0 - minutes(30))  # fmt: skip
    code, out, _ = jettui_status(settings, capsys)
    assert "order REFUNDED: refund jt-r1 not confirmed by Jet" in out
