"""Issue 19 item 5: a job that has never run is not "ok". `jettui status` (text, --json,
--nagios) says "never run" when no job has run yet, instead of "healthy, 6/6 jobs ok"."""

from __future__ import annotations

import json

import pytest

from jettui.services import status

from .conftest import T0, minutes, run
from .test_status import jettui_status


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch) -> None:
    monkeypatch.setattr(status, "clock", lambda: T0)


def test_no_job_has_run_yet(settings, db, capsys) -> None:
    code, out, _ = jettui_status(settings, capsys)
    assert out.splitlines()[0].endswith(": healthy, no job has run yet")
    assert "  fetch-orders    never run" in out
    assert "last ok never" not in out

    code, out, _ = jettui_status(settings, capsys, "--json")
    doc = json.loads(out)
    jobs = doc["jobs"]
    assert jobs and all(j["never_run"] and not j["ok"] for j in jobs)
    assert doc["jobs_ok"] == 0 and doc["jobs_never_run"] == len(jobs)

    code, out, _ = jettui_status(settings, capsys, "--nagios")
    assert f"0/{len(jobs)} jobs ok, {len(jobs)} never run" in out
    assert f"{len(jobs)}/{len(jobs)} jobs ok" not in out


def test_one_job_run_the_others_never(settings, db, capsys) -> None:
    run("fetch-orders", "ok", T0 - minutes(5))
    code, out, _ = jettui_status(settings, capsys, "--json")
    doc = json.loads(out)
    by_name = {j["job"]: j for j in doc["jobs"]}
    assert by_name["fetch-orders"]["ok"] and not by_name["fetch-orders"]["never_run"]
    others = [j for name, j in by_name.items() if name != "fetch-orders"]
    assert all(j["never_run"] and not j["ok"] for j in others)
    assert doc["jobs_ok"] == 1
    code, out, _ = jettui_status(settings, capsys, "--nagios")
    assert f"1/{len(by_name)} jobs ok, {len(others)} never run" in out
    code, out, _ = jettui_status(settings, capsys)
    assert f"healthy, {len(others)} job(s) never run: " in out.splitlines()[0]
