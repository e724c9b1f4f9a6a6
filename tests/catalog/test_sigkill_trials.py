"""SIGKILL during ``products upload --all`` (issue 7): ten trials, half of them killed while Jet
processes the first MerchantSKUs file. After each kill, jettui must already know every file
Jet registered; after a re-run its records match the sandbox's state exactly.

The sandbox's state is a file shared by the killed process, the re-run and this test."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jettui.config import load_settings
from jettui.jet.sandbox.orders import Sandbox
from tests.catalog.conftest import DEMO_PRODUCTS, settings_yaml

# (trials, of which killed as soon as Jet has registered the first MerchantSKUs file)
TRIALS = {"sqlite": (10, 5), "mariadb": (4, 2)}
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _upload(settings_path: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "jettui.cli", "--config", str(settings_path)]
    return subprocess.Popen(
        [*command, "products", "upload", "--all", "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _registered_files(sandbox: Sandbox) -> list[dict[str, Any]]:
    return [d for d in sandbox.db.all("file") if d.get("received")]


def _kill_when(proc: subprocess.Popen[bytes], sandbox: Sandbox, delay: float | None) -> str:
    """SIGKILL after ``delay`` seconds, or (None) once the first file is registered."""
    try:
        return _kill(proc, sandbox, delay)
    finally:
        proc.wait()  # reaped, as cron's shell would: the lock's holder is seen dead


def _kill(proc: subprocess.Popen[bytes], sandbox: Sandbox, delay: float | None) -> str:
    deadline = time.monotonic() + 60
    start = time.monotonic()
    while proc.poll() is None and time.monotonic() < deadline:
        if delay is None:
            files = _registered_files(sandbox)
            if files and "errors" not in files[0]:  # registered, not processed yet
                proc.kill()
                return "killed during the first file's processing"
        elif time.monotonic() - start >= delay:
            proc.kill()
            return f"killed after {delay:.1f} s"
        time.sleep(0.02)
    proc.kill()
    return "finished before the kill"


def _prepare_mariadb(folder: Path, databases: list[str]) -> Any:
    """A fresh OpenCart 3.0.3.8 database, every product given a valid UPC."""
    from jettui.store.db import connect, ensure_jet_tables
    from jettui.store.opencart import Product
    from tests.catalog.conftest import map_all_categories
    from tests.catalog.test_integrity import upc
    from tests.conftest import store_helpers

    name = store_helpers.load_mariadb(store_helpers.opencart_sql_path(), "oc_")
    databases.append(name)
    folder.mkdir()
    path = folder / "settings.yaml"
    path.write_text(settings_yaml(store_helpers._mysql_url(name)), encoding="utf-8")
    path.chmod(0o600)
    settings = load_settings(path)
    db = connect(settings)
    ensure_jet_tables(db)
    map_all_categories()
    for (pid,) in Product.select(Product.product_id).tuples():
        Product.update(upc=upc(4200000000 + pid)).where(Product.product_id == pid).execute()
    db.close()
    return settings


def _prepare(folder: Path, template: Path | None) -> Any:
    from jettui.store.db import connect, ensure_jet_tables
    from tests.catalog.conftest import map_all_categories

    folder.mkdir()
    path = folder / "settings.yaml"
    path.write_text(settings_yaml("sqlite:///demo-store.db"), encoding="utf-8")
    path.chmod(0o600)
    settings = load_settings(path)
    if template is None:
        from jettui.store.demo import build_demo_store

        build_demo_store(settings, products=DEMO_PRODUCTS, seed=5)
        db = connect(settings)
        ensure_jet_tables(db)
        map_all_categories()
        db.close()
    else:
        shutil.copy(template, folder / "demo-store.db")
    return settings


def _jettui_records(settings: Any) -> tuple[dict[str, Any], set[str]]:
    from jettui.store.db import connect
    from jettui.store.jet_tables import JetFile, JetProduct

    db = connect(settings)
    try:
        rows = {r.merchant_sku: r for r in JetProduct.select()}
        files = {f.jet_file_id for f in JetFile.select() if f.jet_file_id}
    finally:
        db.close()
    return rows, files


@pytest.fixture(params=["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)])
def backend(request) -> Iterator[tuple[str, list[str]]]:
    databases: list[str] = []
    if request.param == "mariadb":
        request.getfixturevalue("mariadb_url")  # skips (or fails in CI) without the server
    yield request.param, databases
    from tests.conftest import store_helpers

    for name in databases:
        store_helpers.drop_mariadb(name)


def test_sigkill_during_upload_then_rerun_matches_the_sandbox(tmp_path, backend) -> None:
    kind, databases = backend
    trials, first_file_trials = TRIALS[kind]
    rng = random.Random(7)
    template: Path | None = None
    seen: list[str] = []
    for trial in range(trials):
        folder = tmp_path / f"trial-{trial}"
        if kind == "mariadb":
            settings = _prepare_mariadb(folder, databases)
        else:
            settings = _prepare(folder, template)
            template = template or folder / "demo-store.db"
        sandbox = Sandbox(settings)
        delay = None if trial < first_file_trials else rng.uniform(0.3, 8.0)

        how = _kill_when(_upload(folder / "settings.yaml"), sandbox, delay)
        seen.append(how)
        # Already after the kill: every file Jet registered is in jet_file (Rejected files
        # can show its errors), and no SKU Jet may have is "never uploaded".
        rows, files = _jettui_records(settings)
        registered = _registered_files(sandbox)
        assert {d["jet_file_id"] for d in registered} <= files, (trial, how)
        for doc in registered:
            if doc["file_type"] == "MerchantSKUs":
                for sku in doc["blob"]:
                    assert rows[sku].sent_at is not None, (trial, how, sku)

        rerun = _upload(folder / "settings.yaml")
        out, err = rerun.communicate(timeout=300)
        assert rerun.returncode in (0, 1), (trial, how, err.decode()[-2000:])
        rows, files = _jettui_records(settings)
        on_jet = {d["merchant_sku"]: d for d in sandbox.db.all("sku")}
        uploaded = {
            sku
            for sku, r in rows.items()
            if r.sent_at is not None and r.product_option_value_id >= 0
        }
        assert on_jet and uploaded == set(on_jet), (trial, how)
        assert not [r for r in rows.values() if r.status == "Sent, unconfirmed"], (trial, how)
        assert all(rows[s].sent_hash for s in uploaded), (trial, how)  # price + inventory too
        assert {d["jet_file_id"] for d in _registered_files(sandbox)} <= files, (trial, how)
        assert not any(d.get("is_archived") for d in on_jet.values())
    assert seen.count("killed during the first file's processing") >= first_file_trials - 1, seen
