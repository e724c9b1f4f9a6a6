"""`jettui cron JOB [--json]`: exit codes 0/1/2/3/75, one JSON document, human lines on stderr."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from jettui.cli import main
from jettui.services.jobs import JOBS
from jettui.store.jet_tables import acquire_lock

from .conftest import SECRET, job_runs, link_products, put_on_jet

OUTCOME_KEYS = {
    "job",
    "result",
    "message",
    "trigger",
    "items_ok",
    "items_failed",
    "failures",
    "started_at",
    "finished_at",
    "seconds",
    "run_id",
}


def cron(settings, capsys, *args: str, json_out: bool = True) -> tuple[int, dict | None, str]:
    argv = ["--config", str(settings.path), "cron", *args] + (["--json"] if json_out else [])
    code = main(argv)
    out = capsys.readouterr()
    assert SECRET not in out.out + out.err
    return code, json.loads(out.out) if json_out else None, out.err


def test_due_json_shape_and_human_lines(settings, capsys) -> None:
    code, doc, err = cron(settings, capsys, "due")
    assert code == 0, err
    assert set(doc) == {"ok", "job", "exit_code", "outcomes"}
    assert doc["ok"] is True and doc["job"] == "due" and doc["exit_code"] == 0
    assert [o["job"] for o in doc["outcomes"]] == list(JOBS)
    for outcome in doc["outcomes"]:
        assert set(outcome) == OUTCOME_KEYS
    results = {o["job"]: o["result"] for o in doc["outcomes"]}
    assert results == {
        "fetch-orders": "unavailable",
        "acknowledge": "unavailable",
        "fetch-errors": "ok",
        "fetch-returns": "unavailable",
        "product-status": "ok",
        "sync": "skipped",  # off (interval 0) in these settings
    }
    assert all(o["trigger"] == "cron" for o in doc["outcomes"])
    status = next(o for o in doc["outcomes"] if o["job"] == "product-status")
    assert status["run_id"] == job_runs("product-status")[0].id
    assert status["started_at"].endswith("+00:00")
    assert "fetch-orders: not available yet" in err
    assert "product-status: ok, 0 checked, 0 failed in " in err

    code, doc, err = cron(settings, capsys, "due")
    assert code == 0
    assert "product-status: not due until " in err


def test_failed_items_are_exit_1_and_listed_in_jets_words(settings, db, capsys) -> None:
    import asyncio

    asyncio.run(put_on_jet(settings, ["cli-1"]))
    link_products(["cli-1", "cli-missing"])
    code, _, err = cron(settings, capsys, "product-status", json_out=False)
    assert code == 1
    lines = err.strip().splitlines()
    assert lines[0].startswith("product-status: partial, 2 checked, 1 failed in ")
    assert lines[1].startswith("  cli-missing: not on Jet: ")
    assert "merchant SKU 'cli-missing' not found" in lines[1]

    code, doc, _ = cron(settings, capsys, "all")
    assert code == 1 and doc["ok"] is False and doc["exit_code"] == 1
    [status] = [o for o in doc["outcomes"] if o["job"] == "product-status"]
    assert status["failures"][0]["item"] == "cli-missing"


def test_job_not_available_yet_is_exit_2(settings, capsys) -> None:
    code, doc, err = cron(settings, capsys, "fetch-orders")
    assert code == 2
    assert doc == {
        "ok": False,
        "job": "fetch-orders",
        "error": "'cron fetch-orders' is not available yet",
        "exit_code": 2,
    }
    assert err.strip() == "jettui: 'cron fetch-orders' is not available yet"


def test_lock_held_is_exit_75(settings, db, capsys) -> None:
    assert acquire_lock("job:fetch-errors", "cron-box:77:job:fetch-errors", 600)
    code, doc, err = cron(settings, capsys, "fetch-errors")
    assert code == 75
    [outcome] = doc["outcomes"]
    assert outcome["result"] == "locked" and "cron-box:77" in outcome["message"]
    assert "nothing done" in err
    assert job_runs() == []


def test_unreachable_jet_is_exit_3(make_settings, capsys) -> None:
    settings = make_settings(jet="  api_url: http://127.0.0.1:9/api\n  timeout_seconds: 2\n")
    from jettui.store.db import connect, ensure_jet_tables

    db = connect(settings)
    ensure_jet_tables(db)
    link_products(["far-away"])
    code, doc, err = cron(settings, capsys, "product-status")
    assert code == 3, err
    assert doc["outcomes"][0]["result"] == "unreachable"
    assert [r.result for r in job_runs("product-status")] == ["unreachable"]
    db.close()


def test_unreachable_store_is_exit_3_without_the_password(make_settings, capsys) -> None:
    settings = make_settings(database="mysql://jettui:pw-not-shown@127.0.0.1:9/opencart")
    code, doc, err = cron(settings, capsys, "due")
    assert code == 3 and doc["ok"] is False
    assert "pw-not-shown" not in err + json.dumps(doc)


def test_headless_cron_never_imports_textual(settings) -> None:
    code = (
        "import sys\n"
        "from jettui.cli import main\n"
        f"code = main(['--config', {str(settings.path)!r}, 'cron', 'all', '--json'])\n"
        "assert code == 0, code\n"
        "assert not [m for m in sys.modules if m.startswith('textual')], 'textual imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ok"] is True


@pytest.mark.parametrize("job", ["hourly", "fetch_orders"])
def test_unknown_job_is_exit_2(settings, job: str, capsys) -> None:
    assert main(["--config", str(settings.path), "cron", job]) == 2
    assert "invalid choice" in capsys.readouterr().err
