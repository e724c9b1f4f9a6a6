"""Fixtures for the command tests: a settings file in tmp_path (the shipped one, edited), a
runner for the command in a separate process, as cron runs it, and one in-process over
tests/shop_support.py's demo store with two products on Jet (the orders/returns/refunds
commands)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from jettui.cli import main
from jettui.config import Settings
from tests.shop_support import SECRET, shop  # noqa: F401 - the orders/returns commands' store

REPO = Path(__file__).parents[2]
SHIPPED = (REPO / "settings.yaml").read_text(encoding="utf-8")


@dataclass
class Ran:
    """A finished command: exit code, stdout, stderr's lines."""

    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.err.strip().splitlines()

    @property
    def rows(self) -> list[list[str]]:
        """The listing on stdout, without its header, split at tabs."""
        return [line.split("\t") for line in self.out.rstrip("\n").splitlines()[1:]]

    @property
    def document(self) -> dict[str, Any]:
        """The one JSON document on stdout (json.loads refuses a second one or trailing text)."""
        return json.loads(self.out)


WriteSettings = Callable[..., Path]


@pytest.fixture
def write_settings(tmp_path: Path) -> WriteSettings:
    """``write(**{old: new})`` → the shipped settings, edited, in tmp_path (the demo store and
    the sandbox state land there too)."""

    def write(**replacements: str) -> Path:
        text = SHIPPED
        for old, new in replacements.items():
            assert old in text, old
            text = text.replace(old, new)
        path = tmp_path / "settings.yaml"
        path.write_text(text, encoding="utf-8")
        path.chmod(0o600)
        return path

    return write


def run_jettui(
    config: Path, *args: str, timeout: float = 120, env: dict[str, str] | None = None
) -> Ran:
    """``python -m jettui.cli --config CONFIG ARGS`` in the settings' folder."""
    result = subprocess.run(
        [sys.executable, "-m", "jettui.cli", "--config", str(config), *args],
        cwd=config.parent,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
    )
    return Ran(result.returncode, result.stdout, result.stderr)


@pytest.fixture
def jettui(shop: Settings, capsys: pytest.CaptureFixture[str]) -> Callable[..., Ran]:  # noqa: F811
    """``jettui(*args)`` → Ran: the command in-process with ``--config`` of the ``shop``
    settings; the Jet secret never shows on stdout or stderr."""

    def run(*args: str) -> Ran:
        capsys.readouterr()
        code = main(["--config", str(shop.path), *args])
        captured = capsys.readouterr()
        assert SECRET not in captured.out + captured.err
        return Ran(code, captured.out, captured.err)

    return run
