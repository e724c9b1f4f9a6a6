"""`config check` names the orders.status_* ids the shop's oc_order_status does not have, and
warns when orders.status_refunded is a status in which OpenCart restocks the order."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _check(tmp_path: Path, extra: str) -> subprocess.CompletedProcess[str]:
    text = (REPO / "settings.yaml").read_text(encoding="utf-8")
    text = text.replace("  status_refunded: 11", f"  status_refunded: {extra}")
    path = tmp_path / "settings.yaml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return subprocess.run(
        [sys.executable, "-m", "jettui.cli", "--config", str(path), "config", "check", "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )


def test_a_status_id_the_shop_lacks_is_named_and_exits_2(tmp_path: Path) -> None:
    done = _check(tmp_path, "42")
    assert done.returncode == 2, done.stderr
    assert "orders.status_refunded: order status 42 does not exist in oc_order_status" in (
        done.stderr
    )
    document = json.loads(done.stdout)
    assert document["store"]["order_status_problems"] == [
        "orders.status_refunded: order status 42 does not exist in oc_order_status"
    ]


def test_the_demo_ids_all_exist(tmp_path: Path) -> None:
    done = _check(tmp_path, "11")
    assert done.returncode == 0, done.stderr
    assert "order status" not in done.stderr
    # Refunded (11) exists, but OpenCart restocks every line of an order moved there
    assert "orders.status_refunded: status 11 is outside the shop's processing and complete" in (
        " ".join(json.loads(done.stdout)["store"]["warnings"])
    )


def test_a_refunded_status_that_holds_stock_is_not_warned_about(tmp_path: Path) -> None:
    done = _check(tmp_path, "5")  # Complete: a stock-holding status
    assert done.returncode == 0, done.stderr
    assert "orders.status_refunded" not in done.stdout + done.stderr
