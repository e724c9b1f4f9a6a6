"""Every malformed settings file: exit 2, exactly one clear line naming the problem, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from jettui.cli import main

BASE = (Path(__file__).parents[2] / "settings.yaml").read_text(encoding="utf-8")


def with_line(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


# (case id, settings text, fragment the single error line must contain)
CASES: list[tuple[str, str, str]] = [
    ("not-yaml", "jet: [unclosed\n", "not valid YAML at line"),
    ("tab-indent", "jet:\n\tapi_user: x\n", "not valid YAML"),
    ("top-level-list", "- jet\n- store\n", "must be a mapping of sections"),
    ("top-level-text", "hello\n", "must be a mapping of sections"),
    (
        "unknown-section",
        BASE + "jett:\n  api_user: x\n",
        "unknown section 'jett' (did you mean 'jet'?)",
    ),
    (
        "unknown-key-typo",
        with_line("  api_user: jetuser", "  api_usr: jetuser"),
        "unknown setting 'jet.api_usr' (did you mean 'api_user'?)",
    ),
    (
        "unknown-key",
        with_line("  store_id: 0", "  store_id: 0\n  colour: blue"),
        "unknown setting 'store.colour'",
    ),
    (
        "section-is-list",
        with_line("log:\n  enabled: true", "log:\n  - enabled"),
        "log: must be a mapping",
    ),
    ("section-is-scalar", with_line("log:\n  enabled: true", "log: yes"), "log: must be a mapping"),
    (
        "bad-url-scheme",
        with_line("  api_url: sandbox ", "  api_url: ftp://jet.example/api "),
        "jet.api_url",
    ),
    (
        "bad-url-no-host",
        with_line("  api_url: sandbox ", "  api_url: https:///api "),
        "has no valid host",
    ),
    (
        "bad-url-port",
        with_line("  api_url: sandbox ", "  api_url: http://127.0.0.1:99999/api "),
        "not a valid URL",
    ),
    (
        "bad-url-words",
        with_line("  api_url: sandbox ", "  api_url: merchant api "),
        "must start with http",
    ),
    (
        "empty-api-user",
        with_line("  api_user: jetuser", '  api_user: ""'),
        "jet.api_user: must not be empty",
    ),
    (
        "empty-node",
        with_line("  fulfillment_node_id: node-1", '  fulfillment_node_id: ""'),
        "jet.fulfillment_node_id",
    ),
    (
        "bad-email",
        with_line("  email: merchant@example.com", "  email: merchant.example.com"),
        "jet.email",
    ),
    (
        "secret-as-list",
        with_line("  api_secret: jetsecret", "  api_secret: [a, b]"),
        "jet.api_secret: must be text",
    ),
    (
        "secret-and-file",
        with_line("  api_secret: jetsecret", "  api_secret: jetsecret\n  api_secret_file: s.txt"),
        "not both",
    ),
    (
        "timeout-text",
        with_line("  timeout_seconds: 30", "  timeout_seconds: soon"),
        "jet.timeout_seconds: must be a number",
    ),
    (
        "concurrency-zero",
        with_line("  concurrency: 4 ", "  concurrency: 0 "),
        "jet.concurrency: must be at least 1",
    ),
    (
        "retries-float",
        with_line("  max_retries: 4", "  max_retries: 2.5"),
        "jet.max_retries: must be a whole number",
    ),
    (
        "db-scheme",
        with_line("  database: sqlite:///demo-store.db", "  database: postgres://x@h/db"),
        "must start with sqlite:/// or mysql://",
    ),
    (
        "db-no-name",
        with_line("  database: sqlite:///demo-store.db", "  database: mysql://u:p@127.0.0.1:3306/"),
        "needs a database name",
    ),
    (
        "prefix-bad",
        with_line("  table_prefix: oc_", "  table_prefix: oc-;drop"),
        "store.table_prefix",
    ),
    (
        "store-id-text",
        with_line("  store_id: 0", "  store_id: main"),
        "store.store_id: must be a whole number",
    ),
    (
        "store-id-negative",
        with_line("  store_id: 0", "  store_id: -1"),
        "store.store_id: must not be negative",
    ),
    ("language-zero", with_line("  language_id: 1", "  language_id: 0"), "store.language_id"),
    (
        "increment-type",
        with_line("  increment_type: percent", "  increment_type: percentage"),
        "must be fixed or percent",
    ),
    (
        "increment-text",
        with_line("  increment_amount: 0 ", "  increment_amount: ten "),
        "pricing.increment_amount: must be a number",
    ),
    (
        "increment-minus-100",
        with_line("  increment_amount: 0 ", "  increment_amount: -100 "),
        "above -100",
    ),
    (
        "auto-ack-text",
        with_line("  auto_acknowledge: false", "  auto_acknowledge: sometimes"),
        "must be true or false",
    ),
    (
        "auto-ack-int",
        with_line("  auto_acknowledge: false", "  auto_acknowledge: 1"),
        "must be true or false",
    ),
    (
        "ack-negative",
        with_line("  acknowledge_within_minutes: 15", "  acknowledge_within_minutes: -5"),
        "must not be negative",
    ),
    (
        "customer-email",
        with_line("  customer_email: jet-orders@example.com", "  customer_email: nobody"),
        "orders.customer_email",
    ),
    (
        "state-name",
        with_line("  state: UT ", "  state: Utah "),
        "'Utah' is not a US state ISO code",
    ),
    ("state-lower", with_line("  state: UT ", "  state: ut "), "returns.state"),
    ("state-unknown", with_line("  state: UT ", "  state: ZZ "), "returns.state"),
    (
        "postcode-short",
        with_line('  postcode: "84047"', '  postcode: "8404"'),
        "must be exactly 5 digits",
    ),
    (
        "postcode-zip4",
        with_line('  postcode: "84047"', '  postcode: "84047-1234"'),
        "must be exactly 5 digits",
    ),
    (
        "postcode-unquoted",
        with_line('  postcode: "84047"', "  postcode: 84047"),
        "put it in quotes",
    ),
    (
        "address-empty",
        with_line("  address1: 6909 South State Street", '  address1: ""'),
        "returns.address1",
    ),
    (
        "cron-negative",
        with_line("  fetch_orders: 10", "  fetch_orders: -10"),
        "cron.fetch_orders: must not be negative",
    ),
    (
        "cron-text",
        with_line("  fetch_returns: 30", "  fetch_returns: hourly"),
        "cron.fetch_returns: must be a whole number",
    ),
    (
        "cron-bool",
        with_line("  product_status: 20", "  product_status: true"),
        "cron.product_status: must be a whole number",
    ),
    ("log-enabled-text", with_line("  enabled: true", "  enabled: verbose"), "log.enabled"),
    (
        "sandbox-error-rate",
        with_line("  error_rate: 0 ", "  error_rate: 1.5 "),
        "sandbox.error_rate: must be between 0 and 1",
    ),
    ("sandbox-latency", with_line("  latency_ms: 0", "  latency_ms: -1"), "sandbox.latency_ms"),
    (
        "secret-file-missing",
        with_line("  api_secret: jetsecret", "  api_secret_file: missing-secret.txt"),
        "cannot read",
    ),
]


def test_there_are_at_least_30_cases() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize(("text", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_settings_exit_2_with_one_clear_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    fragment: str,
) -> None:
    monkeypatch.delenv("JETTUI_JET_API_SECRET", raising=False)
    path = tmp_path / "settings.yaml"
    path.write_text(text, encoding="utf-8")
    code = main(["--config", str(path), "config", "check"])
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert code == 2
    assert len(lines) == 1, captured.err
    assert fragment in lines[0]
    assert "Traceback" not in captured.err + captured.out
    assert "jetsecret" not in captured.err + captured.out


def test_json_report_lists_the_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    path = tmp_path / "settings.yaml"
    path.write_text(with_line('  postcode: "84047"', '  postcode: "1"'), encoding="utf-8")
    code = main(["--config", str(path), "config", "check", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 2
    assert report["ok"] is False
    assert report["settings"]["ok"] is False
    assert any("returns.postcode" in p for p in report["settings"]["problems"])


def test_several_problems_give_one_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = with_line("  state: UT ", "  state: Utah ").replace('postcode: "84047"', 'postcode: "1"')
    path = tmp_path / "settings.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["--config", str(path), "config", "show"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2
    assert "returns.state" in lines[0] and "returns.postcode" in lines[1]


def test_missing_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(tmp_path / "nope.yaml"), "config", "check"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no such settings file" in err[0]
