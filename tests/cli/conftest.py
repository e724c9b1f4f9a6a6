"""Fixtures for the command tests: a settings file in tmp_path (the shipped one, edited) and a
runner for the command in a separate process, as cron runs it."""

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

from .orders_support import jettui, shop  # noqa: F401 - fixtures of the orders/returns commands

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
