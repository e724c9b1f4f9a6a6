"""Database and URL credentials never reach a screen, a log or an error line (issue 7, item 10).

Redaction works on the parsed URL (userinfo and password options), not by searching the
password's text: searching masked a one-letter password inside words ("o***encart") and
missed passwords whose unencoded "/" or "@" made the URL parse differently.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jettui.cli import main
from jettui.config import load_settings, redact_url, scrub_secrets
from jettui.store.db import open_database
from jettui.store.errors import StoreError
from jettui.urls import restore_masked, url_secrets

PW = "S3cr3t-Pw"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("mysql://shop:pw@db.local:3306/oc", "mysql://shop:***@db.local:3306/oc"),
        ("mysql://shop:S3cr/t99@db.local/oc", "mysql://shop:***@db.local/oc"),
        ("mysql://user:Pz@Q:9k/TT7@host/opencart", "mysql://user:***@host/opencart"),
        (
            f"mysql://shop@db.local/oc?charset=utf8&password={PW}",
            "mysql://shop@db.local/oc?charset=utf8&password=***",
        ),
        (f"mysql://shop@db.local/oc?passwd={PW}", "mysql://shop@db.local/oc?passwd=***"),
        ("http://user:PASS@host/api", "http://user:***@host/api"),
        ("mysql://u:p@[::1/opencart", "mysql://u:***@[::1/opencart"),
        (f"mysql://shop:{PW}@db.local:99999/oc", "mysql://shop:***@db.local:99999/oc"),
        ("mysql://shop:p%2Fw@db.local/oc", "mysql://shop:***@db.local/oc"),
        ("sqlite:////tmp/shop@home/x.db", "sqlite:////tmp/shop@home/x.db"),
        ("sqlite:///demo-store.db", "sqlite:///demo-store.db"),
    ],
    ids=[
        "plain", "unencoded-slash", "at-and-colon", "password-option", "passwd-option",
        "http-userinfo", "unclosed-ipv6", "bad-port", "percent-encoded", "sqlite-at",
        "sqlite-relative",
    ],
)  # fmt: skip
def test_redact_url_hides_every_form_of_password(url: str, shown: str) -> None:
    assert redact_url(url) == shown
    for secret in ("S3cr/t99", "Pz@Q:9k/TT7", PW, "PASS", "p%2Fw", "p/w"):
        if secret in url or secret == "p/w" and "p%2Fw" in url:
            assert secret not in redact_url(url)


def test_url_secrets_are_what_the_parser_found() -> None:
    assert url_secrets("mysql://user:Pz@Q:9k/TT7@host/db") == ["user:Pz@Q:9k/TT7", "Pz@Q:9k/TT7"]
    assert url_secrets("mysql://shop:p%40ss@h/db") == ["p%40ss", "p@ss"]
    assert url_secrets(f"mysql://h/db?password={PW}&charset=utf8") == [PW]
    assert url_secrets("mysql://shop@h/db") == []


def test_a_one_letter_password_is_not_masked_inside_words(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("store:\n  database: mysql://opencart:o@127.0.0.1:1/opencart\n")
    path.chmod(0o600)
    settings = load_settings(path)
    line = "cannot open opencart: Connection refused for 'opencart' (password o)"
    assert scrub_secrets(line, settings) == (
        "cannot open opencart: Connection refused for 'opencart' (password ***)"
    )
    assert settings.store.database_display == "mysql://opencart:***@127.0.0.1:1/opencart"


def test_store_error_lines_carry_no_password() -> None:
    for url in (
        "mysql://opencart:o@127.0.0.1:1/opencart",  # refused at once: nothing listens on 1
        f"mysql://opencart:{PW}@127.0.0.1:1/opencart",
        f"mysql://opencart@127.0.0.1:1/opencart?password={PW}",
        "mysql://opencart:Pz@Q:9k/TT7@127.0.0.1:1/opencart",
        f"mysql://opencart:{PW}@[::1/opencart",
    ):
        with pytest.raises(StoreError) as caught:
            open_database(url)
        line = str(caught.value)
        assert "\n" not in line
        for secret in (PW, "Pz@Q", "9k/TT7"):
            assert secret not in line, line
        assert "***" not in line.replace(":***@", "").replace("=***", ""), line  # no o***encart
        assert "opencart" in line


def test_a_password_option_warns_about_the_file_permissions(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(f"store:\n  database: mysql://shop@127.0.0.1/oc?password={PW}\n")
    path.chmod(0o644)
    assert any("chmod 600" in w for w in load_settings(path).warnings)
    path.chmod(0o600)
    assert load_settings(path).warnings == ()


def test_an_edited_masked_url_keeps_the_stored_password() -> None:
    stored = f"mysql://shop:{PW}@db.local:3306/oc?password={PW}"
    edited = "mysql://shop:***@db2.local:3306/oc?password=***"
    assert restore_masked(edited, stored) == f"mysql://shop:{PW}@db2.local:3306/oc?password={PW}"
    assert restore_masked("mysql://shop:new@db2/oc", stored) == "mysql://shop:new@db2/oc"


# --- config show / config check ------------------------------------------------------------


def _settings_file(tmp_path: Path, database: str, api_url: str = "sandbox") -> str:
    path = tmp_path / "settings.yaml"
    path.write_text(
        f"jet:\n  api_url: {api_url}\n  api_secret: jetsecret-x1\n"
        f"store:\n  database: {database}\nsandbox:\n  state_file: ':memory:'\n"
    )
    path.chmod(0o600)
    return str(path)


@pytest.mark.parametrize("command", ["show", "check"])
@pytest.mark.parametrize(
    "database",
    [
        f"mysql://opencart:{PW}@127.0.0.1:1/opencart",
        f"mysql://opencart@127.0.0.1:1/opencart?password={PW}",
        "mysql://opencart:Pz@Q:9k/TT7@127.0.0.1:1/opencart",
        f"mysql://opencart:{PW}/x@127.0.0.1:1/opencart",
    ],
    ids=["userinfo", "password-option", "at-and-colon", "unencoded-slash"],
)
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_config_commands_never_print_the_database_password(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    database: str,
    as_json: bool,
) -> None:
    monkeypatch.delenv("JETTUI_JET_API_SECRET", raising=False)
    config = _settings_file(tmp_path, database)
    code = main(["--config", config, "config", command, *(["--json"] if as_json else [])])
    out, err = capsys.readouterr()
    for secret in (PW, "Pz@Q", "9k/TT7", "jetsecret-x1"):
        assert secret not in out + err
    assert code in (0, 2, 3)
    if as_json and out.strip():
        json.loads(out)


def test_credentials_in_the_jet_url_are_refused_without_showing_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _settings_file(tmp_path, "sqlite:///demo-store.db", "http://user:PASS@host/api")
    assert main(["--config", config, "config", "check"]) == 2
    err = capsys.readouterr().err
    assert "PASS" not in err
    assert "jet.api_url: 'http://user:***@host/api' must not hold a user name or password" in err
