"""`jettui demo` and `jettui sandbox` from the command line."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from jettui.cli import main

REPO = Path(__file__).parents[2]


def settings_in(tmp_path: Path) -> Path:
    path = tmp_path / "settings.yaml"
    path.write_text((REPO / "settings.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_demo_builds_the_requested_number_of_products(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = settings_in(tmp_path)
    assert main(["--config", str(path), "demo", "--products", "250", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["products"] == 250
    with sqlite3.connect(tmp_path / "demo-store.db") as db:
        assert db.execute("SELECT COUNT(*) FROM oc_product").fetchone()[0] == 250
        specials = db.execute("SELECT COUNT(*) FROM oc_product_special").fetchone()[0]
    assert report["specials"] == specials > 0 and report["option_products"] > 0


def test_demo_stops_at_a_million_products_before_touching_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = settings_in(tmp_path)
    assert main(["--config", str(path), "demo", "--products", "1000001"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["jettui: --products: at most 1,000,000"]
    assert not (tmp_path / "demo-store.db").exists()


def test_demo_refuses_a_real_store_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = settings_in(tmp_path)
    with sqlite3.connect(tmp_path / "demo-store.db") as db:
        db.execute("CREATE TABLE oc_product (product_id INTEGER PRIMARY KEY, model TEXT)")
        db.execute("INSERT INTO oc_product VALUES (7, 'MY-REAL-PRODUCT')")
    assert main(["--config", str(path), "demo", "--products", "10"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not a jettui demo store" in err[0]
    with sqlite3.connect(tmp_path / "demo-store.db") as db:
        assert db.execute("SELECT model FROM oc_product").fetchall() == [("MY-REAL-PRODUCT",)]


def test_sandbox_serves_the_api_over_http(tmp_path: Path) -> None:
    path = settings_in(tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "jettui.cli", "--config", str(path), "sandbox", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}/api"
        deadline = time.monotonic() + 20
        while True:
            try:
                answer = httpx.post(f"{base}/token", json={"user": "jetuser", "pass": "jetsecret"})
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "sandbox did not start"
                time.sleep(0.2)
        assert answer.status_code == 200
        token = answer.json()["id_token"]
        check = httpx.get(f"{base}/authcheck", headers={"Authorization": f"Bearer {token}"})
        assert check.json() == "This message is authorized."
        refused = httpx.post(f"{base}/token", json={"user": "jetuser", "pass": "wrong"})
        assert refused.status_code == 400
        assert (tmp_path / "sandbox-state.db").exists()  # state lives beside the settings
    finally:
        server.terminate()
        server.wait(timeout=10)
