"""Fixtures for the operations tests: a settings file over a small SQLite demo store with
jettui's tables, the embedded sandbox, and helpers that write the rows the health rules read
(job runs, orders, locks, files) at times the test chooses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from jettui.config import Settings
from tests.service_support import MakeSettings, settings_maker

SECRET = "jetsecret-ops-7731"
T0 = dt.datetime(2026, 3, 2, 12, 0, 0)  # the tests' "now" (naive UTC)


def settings_yaml(
    database: str = "sqlite:///demo-store.db",
    log: str = "",
    cron: str = "",
    api_url: str = "sandbox",
) -> str:
    return f"""\
jet:
  api_url: {api_url}
  api_user: jetuser
  api_secret: {SECRET}
  fulfillment_node_id: node-1
  max_retries: 0
store:
  database: {database}
orders:
  acknowledge_within_minutes: 15
cron:
  fetch_orders: 10
  fetch_errors: 10
  fetch_returns: 0
  acknowledge: 0
  product_status: 20
  sync: 0
{cron}log:
  enabled: true
  unreachable_alert_minutes: 30
{log}sandbox:
  state_file: sandbox-state.db
  review_delay_seconds: 0
  order_every_seconds: 0
"""


@pytest.fixture
def make_settings(settings_from_yaml: Any) -> MakeSettings:
    """``make(**options)`` → Settings over a small SQLite demo store."""
    return settings_maker(settings_from_yaml, settings_yaml, demo_products=5, seed=3)


@pytest.fixture
def settings(make_settings: MakeSettings) -> Settings:
    return make_settings()


@pytest.fixture
def db(settings: Settings) -> Iterator[Any]:
    from jettui.store.db import open_store

    database = open_store(settings)
    yield database
    if not database.is_closed():
        database.close()


def run(job: str, result: str, started: dt.datetime, message: str = "") -> None:
    """A finished job run, as the runner records it."""
    from jettui.store.jet_tables import JetJobRun

    JetJobRun.create(
        job=job,
        started_at=started,
        finished_at=started + dt.timedelta(seconds=5),
        result=result,
        message=message or result,
    )


def order(
    mid: str,
    placed: dt.datetime,
    *,
    status: str = "ready",
    acknowledged: bool = False,
    ship_by: dt.datetime | None = None,
) -> None:
    from jettui.store.jet_tables import JetOrder

    JetOrder.create(
        merchant_order_id=mid,
        status=status,
        state="done",
        order_placed_date=placed,
        ship_by=ship_by,
        acknowledgement_status="accepted" if acknowledged else None,
    )


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)
