"""Fixtures for the dashboard tests: a settings file and a small demo store in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from jettui.config import Settings, load_settings
from jettui.tui.app import JettuiApp
from tests.shop_support import shop  # noqa: F401 - the orders/returns panel tests' store

from .orders_data import frozen_clock  # noqa: F401 - fixture of the orders/returns panel tests

# Deterministic on any machine: the demo store's file name shows in the header, the sandbox
# state file (an absolute path once resolved) is kept out of the form's first screen.
SETTINGS_YAML = """\
# test settings (comments must survive a save)
jet:
  api_url: sandbox
  email: merchant@example.com
  api_user: jetuser
  api_secret: jetsecret-test-1234
  fulfillment_node_id: node-1
store:
  database: sqlite:///demo-store.db
  table_prefix: oc_
pricing:
  increment_type: percent
  increment_amount: 0
returns:
  address1: 6909 South State Street
  city: Midvale
  state: UT
  postcode: "84047"   # five digits
sandbox:
  state_file: ":memory:"
tui:
  theme: jettui
"""

TRUECOLOUR = {"COLORTERM": "truecolor", "TERM": "xterm-256color"}
DEMO_PRODUCTS = 40


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    path = tmp_path / "settings.yaml"
    path.write_text(SETTINGS_YAML, encoding="utf-8")
    path.chmod(0o600)
    return path


@pytest.fixture
def settings(settings_path: Path) -> Settings:
    return load_settings(settings_path)


@pytest.fixture
def demo_settings(settings: Settings) -> Settings:
    """The settings with a small demo store built at their database."""
    from jettui.store.demo import build_demo_store

    build_demo_store(settings, products=DEMO_PRODUCTS, seed=7)
    return settings


def make_app(settings: Settings, theme: str | None = None) -> JettuiApp:
    app = JettuiApp(settings, environ=TRUECOLOUR)
    if theme:
        app.theme = theme
    return app


async def settle(pilot) -> None:
    """Let workers (store queries) finish and their results paint."""
    app = pilot.app
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()
