"""Shared by the orders/returns/refunds command tests: settings over a SQLite demo store (40
products, seed 7) and the embedded sandbox with its state in a file; two demo products listed
on Jet; the command run in-process with its exit code, stdout and stderr."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from jettui.cli import main
from jettui.config import Settings, load_settings
from tests.orders.import_support import list_on_jet, place_order

SECRET = "jetsecret-orders-cli-4410"
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
ITEMS = [("HRT-SWL00001", 2, 0), ("HRT-TM00002", 1, 0)]


@dataclass
class Ran:
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
        return json.loads(self.out)


@pytest.fixture
def shop(tmp_path: Path) -> Settings:
    from jettui.store.demo import build_demo_store

    path = tmp_path / "settings.yaml"
    path.write_text(SETTINGS, encoding="utf-8")
    path.chmod(0o600)
    settings = load_settings(path)
    build_demo_store(settings, products=40, seed=7)
    asyncio.run(list_on_jet(settings, PRICES))
    return settings


@pytest.fixture
def jettui(shop: Settings, capsys: pytest.CaptureFixture[str]):
    """``jettui(*args)`` → Ran: the command with ``--config`` of the ``shop`` settings."""

    def run(*args: str) -> Ran:
        capsys.readouterr()
        code = main(["--config", str(shop.path), *args])
        captured = capsys.readouterr()
        assert SECRET not in captured.out + captured.err
        return Ran(code, captured.out, captured.err)

    return run


def place(settings: Settings, items: list[tuple[str, int, int]] = ITEMS) -> str:
    [jet_id] = asyncio.run(place_order(settings, items))
    return jet_id
