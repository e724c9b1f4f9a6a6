"""The headless command contract of design.md: names, exit codes, --json, no Textual import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from jettui.cli import main

REPO = Path(__file__).parents[2]


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jettui.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in (
        "config",
        "demo",
        "cron",
        "products",
        "orders",
        "returns",
        "refunds",
        "sandbox",
    ):
        assert command in result.stdout


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["cron", "hourly"], "invalid choice"),
        (["products", "publish"], "invalid choice"),
        (
            [
                "orders",
                "ship",
                "X",
                "--carrier",
                "UPS",
                "--method",
                "m",
                "--tracking",
                "t",
                "--zip",
                "84047",
                "--ship",
                "sku",
            ],
            "--ship: 'sku' must be SKU=QUANTITY",
        ),
        # the parcel options are the ship rules' business (a cancel-only message has none,
        # issue 19); the order id is still argparse's
        (["orders", "ship", "--carrier", "UPS"], "required"),
        (["demo", "--products", "zero"], "not a whole number"),
        (["sandbox", "--port", "70000"], "at most 65535"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_usage_is_exit_2_with_one_line(argv: list[str], fragment: str) -> None:
    result = run(*argv)
    assert result.returncode == 2
    assert fragment in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_headless_commands_never_import_textual(tmp_path: Path) -> None:
    settings = tmp_path / "settings.yaml"  # the demo store and sandbox state land in tmp_path
    settings.write_text((REPO / "settings.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    code = (
        "import sys\n"
        "from jettui.cli import main\n"
        f"main(['--config', {str(settings)!r}, 'config', 'check', '--json'])\n"
        f"main(['--config', {str(settings)!r}, 'cron', 'due'])\n"
        f"main(['--config', {str(settings)!r}, 'demo', '--products', '5'])\n"
        f"main(['--config', {str(settings)!r}, 'products', 'upload', '--all', '--dry-run'])\n"
        f"main(['--config', {str(settings)!r}, 'categories', 'list', '--json'])\n"
        f"main(['--config', {str(settings)!r}, 'activate', 'status'])\n"
        f"main(['--config', {str(settings)!r}, 'config', 'show'])\n"
        f"main(['--config', {str(settings)!r}, 'cron', 'bogus', '--json'])\n"
        "assert not [m for m in sys.modules if m.startswith('textual')], 'textual imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr


def test_config_show_json_masks_secrets(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(REPO / "settings.yaml"), "config", "show", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["settings"]["jet"]["api_secret"] == "********"
    assert document["settings"]["returns"]["state"] == "UT"


def test_cron_choices_are_the_registered_jobs() -> None:
    """The parser names the jobs without importing the job registry (start-up): the two
    lists must not drift apart."""
    from jettui.cli.cron import JOBS
    from jettui.services.jobs import JOBS as REGISTERED

    assert tuple(REGISTERED) == JOBS
