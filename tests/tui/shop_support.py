"""Shared by the orders/returns panel tests: settings over a SQLite demo store (40 products,
seed 7) and the embedded sandbox with its state in a file, two demo products listed on Jet,
and small readers of what the panels show."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from textual.worker import WorkerCancelled

from jettui.config import Settings, load_settings
from jettui.tui.app import JettuiApp
from jettui.tui.screens.base import GridTable
from tests.orders.import_support import list_on_jet

SECRET = "jetsecret-orders-ui-7731"
SETTINGS = f"""\
jet:
  api_url: sandbox
  api_user: jetuser
  api_secret: {SECRET}
  fulfillment_node_id: node-1
  max_retries: 0
store:
  database: sqlite:///demo-store.db
orders:
  customer_email: jet-buyers@example.com
  hold_problem_orders: true
returns:
  address1: 6909 South State Street
  city: Midvale
  state: UT
  postcode: "84047"
sandbox:
  state_file: sandbox-state.db
  review_delay_seconds: 0
  order_every_seconds: 0
"""
PRICES = {"HRT-SWL00001": 65.99, "HRT-TM00002": 32.0}  # demo store products 1 and 2


@pytest.fixture
def shop_settings(tmp_path: Path) -> Settings:
    from jettui.store.demo import build_demo_store

    path = tmp_path / "settings.yaml"
    path.write_text(SETTINGS, encoding="utf-8")
    path.chmod(0o600)
    settings = load_settings(path)
    build_demo_store(settings, products=40, seed=7)
    asyncio.run(list_on_jet(settings, PRICES))
    return settings


async def settle(pilot: Any) -> None:
    for _ in range(5):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            pass
        await pilot.pause()


def grid_rows(app: JettuiApp) -> list[tuple[str, ...]]:
    table = app.screen.query_one(GridTable)
    return [tuple(cells) for _, cells in table.source.fetch("", None, False, 0, 50)]


def notes(app: JettuiApp) -> str:
    return "\n".join(n.message for n in app._notifications)
