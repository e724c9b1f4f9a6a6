"""`jettui config check`: settings, then the store and Jet, reported part by part (0 / 2 / 3)."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from jettui.cli import main

REPO = Path(__file__).parents[2]
MYSQL_BASE = os.environ.get("JETTUI_TEST_MYSQL_URL", "mysql://opencart:opencart@127.0.0.1:33306/")


def settings_file(tmp_path: Path, **replacements: str) -> Path:
    text = (REPO / "settings.yaml").read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "settings.yaml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def mariadb_url(database: str = "opencart") -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(MYSQL_BASE)
    try:
        socket.create_connection((parts.hostname, parts.port or 3306), timeout=1).close()
    except OSError:
        if os.environ.get("CI"):
            pytest.fail(f"MariaDB is not reachable at {parts.hostname}:{parts.port} in CI")
        pytest.skip("MariaDB not running (start ../shared/opencart/start-mariadb.sh)")
    return MYSQL_BASE.rstrip("/") + "/" + database


def check(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, str]:
    code = main(["--config", str(path), "config", "check", "--json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def test_embedded_demo_checks_green(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report, err = check(settings_file(tmp_path), capsys)
    assert code == 0, err
    assert report["ok"] and report["store"]["ok"] and report["jet"]["ok"]
    assert report["store"]["product_count"] >= 200  # the demo store was created on first use
    assert "token obtained" in report["jet"]["message"]
    assert "jetsecret" not in err + json.dumps(report)


def test_wrong_jet_secret_is_exit_3_and_never_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = settings_file(tmp_path)
    monkeypatch.setenv("JETTUI_JET_API_SECRET", "not-the-sandbox-secret")
    # The sandbox accepts only the credentials of the settings it was started with: serve it
    # with the real ones over an in-process transport, and let the client use the wrong ones.
    from dataclasses import replace

    import jettui.jet.connect as connect
    from jettui.config import Secret, load_settings
    from jettui.jet.sandbox import sandbox_transport

    real = load_settings(path)
    real = replace(real, jet=replace(real.jet, api_secret=Secret("jetsecret")))
    original = connect.open_jet_client

    def wrong_secret_client(settings, *args, **kwargs):
        from jettui.jet.client import JetClient

        return JetClient(
            settings, transport=sandbox_transport(real), base_url="http://sandbox.jettui/api"
        )

    monkeypatch.setattr(connect, "open_jet_client", wrong_secret_client)
    code, report, err = check(path, capsys)
    monkeypatch.setattr(connect, "open_jet_client", original)
    assert code == 3
    assert report["store"]["ok"] and not report["jet"]["ok"]
    assert "not-the-sandbox-secret" not in err + json.dumps(report)


def test_unreachable_jet_url_is_exit_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:  # a loopback port with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    path = settings_file(
        tmp_path,
        **{
            "api_url: sandbox ": f"api_url: http://127.0.0.1:{port}/api ",
            "max_retries: 4": "max_retries: 0",
        },
    )
    code, report, err = check(path, capsys)
    assert code == 3
    assert not report["jet"]["ok"]
    assert f"127.0.0.1:{port}" in report["jet"]["message"]


@pytest.mark.mariadb
def test_real_opencart_on_mariadb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = settings_file(tmp_path, **{"sqlite:///demo-store.db": mariadb_url()})
    code, report, err = check(path, capsys)
    assert code == 0, err
    assert report["store"]["backend"] == "mysql"
    assert report["store"]["product_count"] >= 19
    assert "opencart:opencart" not in err + json.dumps(report)  # the DB password is masked


@pytest.mark.mariadb
def test_wrong_prefix_names_the_prefix_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = settings_file(
        tmp_path,
        **{"sqlite:///demo-store.db": mariadb_url(), "table_prefix: oc_": "table_prefix: shop_"},
    )
    code, report, err = check(path, capsys)
    assert code == 3
    assert "shop_product" in report["store"]["message"]
    assert "'oc_'" in report["store"]["message"]


@pytest.mark.mariadb
def test_wrong_db_password_is_exit_3_and_masked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = mariadb_url().replace("opencart:opencart@", "opencart:Wr0ngPassw0rd@")
    code, report, err = check(settings_file(tmp_path, **{"sqlite:///demo-store.db": url}), capsys)
    assert code == 3
    assert "Wr0ngPassw0rd" not in err + json.dumps(report)
