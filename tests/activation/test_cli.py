"""`jettui activate`: exit codes 0/1/2/3/75 and the --json document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jettui.cli import main
from jettui.services.activation import LOCK_NAME
from jettui.store.jet_tables import acquire_lock

from .conftest import SECRET


def run(settings, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict, str]:
    code = main(["--config", str(settings.path), "activate", *args, "--json"])
    out = capsys.readouterr()
    assert SECRET not in out.out + out.err
    return code, json.loads(out.out), out.err


def test_all_then_status(settings, capsys) -> None:
    code, doc, err = run(settings, capsys, "all")
    assert code == 0, err
    assert doc["ok"] is True and doc["failed"] == [] and doc["target"] == "sandbox"
    assert [s["step"] for s in doc["steps"]] == ["product", "order", "return"]
    for step in doc["steps"]:
        assert step["outcome"] == "ok"
        assert set(step) == {"step", "outcome", "message", "ids", "started_at", "finished_at"}
    assert doc["steps"][2]["ids"]["order_id"] == doc["steps"][1]["ids"]["order_id"]
    assert "Return API: ok" in err  # the human summary goes to stderr

    code, status, err = run(settings, capsys, "status")
    assert code == 0 and status["ok"] is True and status["running"] is None
    by_step = {s["step"]: s for s in status["steps"]}
    assert by_step["order"]["state"] == "done"
    assert by_step["order"]["last"]["ids"] == doc["steps"][1]["ids"]
    assert by_step["return"]["label"].startswith("done at ")
    assert "product: done at" in err


def test_status_before_anything_ran(settings, capsys) -> None:
    code, status, _ = run(settings, capsys, "status")
    assert code == 0 and status["ok"] is False
    assert [s["state"] for s in status["steps"]] == ["not run"] * 3


def test_failed_step_is_exit_1_and_listed(make_settings, capsys) -> None:
    settings = make_settings(sandbox="  error_rate: 1.0\n")
    code, doc, err = run(settings, capsys, "all")
    assert code == 1
    assert doc["ok"] is False and doc["failed"] == ["product", "order", "return"]
    assert [s["outcome"] for s in doc["steps"]] == ["failed", "skipped", "skipped"]
    assert "Product API: FAILED" in err and "HTTP 500" in err


def test_lock_held_is_exit_75(settings, db, capsys) -> None:
    assert acquire_lock(LOCK_NAME, "cron-box:42:activation", 60)
    code, doc, err = run(settings, capsys, "product")
    assert code == 75
    assert doc["ok"] is False and "cron-box:42" in doc["error"] and "nothing done" in err


def test_unreachable_jet_is_exit_3(make_settings, capsys) -> None:
    settings = make_settings(jet="  api_url: http://127.0.0.1:9/api\n  timeout_seconds: 2\n")
    code, doc, err = run(settings, capsys, "product")
    assert code == 3, err
    assert doc["steps"][0]["outcome"] == "failed" and "unreachable" in doc["steps"][0]["message"]


def test_live_order_step_needs_yes(make_settings, capsys) -> None:
    settings = make_settings(jet="  api_url: http://127.0.0.1:9/api\n")
    code, doc, err = run(settings, capsys, "order")
    assert code == 2
    assert "really cancels" in doc["error"] and "--yes" in err


def test_unreachable_store_is_exit_3(make_settings, capsys, tmp_path: Path) -> None:
    settings = make_settings(database="mysql://jettui:pw-not-shown@127.0.0.1:9/opencart")
    code, doc, err = run(settings, capsys, "status")
    assert code == 3 and doc["ok"] is False
    assert "pw-not-shown" not in err + json.dumps(doc)


def test_status_without_json_is_the_result_on_stdout(settings, capsys) -> None:
    """Issue 19: `activate status` printed its result on stderr only (pipes got nothing)."""
    code = main(["--config", str(settings.path), "activate", "status"])
    out = capsys.readouterr()
    assert code == 0
    assert [line.split(":")[0] for line in out.out.splitlines()] == ["product", "order", "return"]
    assert "not run" in out.out and "not run" not in out.err
