"""Fixtures for the job tests: a settings file in tmp_path over a small SQLite demo store (or a
fresh OpenCart database on the test MariaDB), the embedded sandbox with its state in a file (so
the test's own client and the job's client see the same Jet), and helpers that put SKUs on that
Jet and link them in jettui's product table.

The MariaDB helpers are the store tests' own (tests/store/conftest.py), loaded by path: that
folder is not a package, and its fixtures must not be registered twice.
"""

from __future__ import annotations

from typing import Any

import pytest

from jettui.config import Settings
from jettui.jet.connect import open_jet_client
from tests.jet_client.payloads import inventory, price, product
from tests.service_support import MakeSettings, override, settings_maker

SECRET = "jetsecret-jobs-5518"
DEMO_PRODUCTS = 5
NODE = "node-1"


CRON = {
    "fetch_orders": 10,
    "fetch_errors": 10,
    "fetch_returns": 30,
    "acknowledge": 30,
    "product_status": 20,
    "sync": 0,  # these tests are about the status jobs; tests/catalog covers sync
}


def settings_yaml(
    database: str = "sqlite:///demo-store.db",
    *,
    jet: str = "",
    sandbox: str = "",
    cron: dict[str, int] | None = None,
) -> str:
    minutes = "".join(f"  {key}: {value}\n" for key, value in {**CRON, **(cron or {})}.items())
    jet_defaults = f"""\
  api_url: sandbox
  api_user: jetuser
  api_secret: {SECRET}
  fulfillment_node_id: {NODE}
  max_retries: 0
  concurrency: 3
"""
    sandbox_defaults = """\
  state_file: sandbox-state.db
  review_delay_seconds: 0
  order_every_seconds: 0
"""
    return f"""\
jet:
{override(jet_defaults, jet)}store:
  database: {database}
cron:
{minutes}sandbox:
{override(sandbox_defaults, sandbox)}"""


#: jobs these tests treat as "not available yet": they are about the runner and the status jobs;
#: tests/orders and tests/returns run the order and return jobs
LATER_JOBS = ("fetch-orders", "acknowledge", "fetch-returns")


@pytest.fixture(autouse=True)
def order_and_return_jobs_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    """The runner's "not available yet" path, kept under test now that every job has a body."""
    from jettui.services.jobs import JOBS, Job

    for name in LATER_JOBS:
        monkeypatch.setitem(JOBS, name, Job(name, JOBS[name].setting))


@pytest.fixture
def make_settings(settings_from_yaml: Any) -> MakeSettings:
    """``make(database, **options)`` → Settings over a small SQLite demo store."""
    return settings_maker(settings_from_yaml, settings_yaml, demo_products=DEMO_PRODUCTS, seed=3)


@pytest.fixture
def settings(make_settings: MakeSettings) -> Settings:
    return make_settings()


# --- Jet and store helpers ----------------------------------------------------------------


async def put_on_jet(settings: Settings, listed: list[str], *, bare: tuple[str, ...] = ()) -> None:
    """``listed`` SKUs with price and inventory (Available on the sandbox, no review delay);
    ``bare`` ones without a price (Missing Listing Data)."""
    async with open_jet_client(settings) as jet:
        for sku in listed:
            await jet.put_sku(sku, product(f"Listed {sku}"))
            await jet.put_price(sku, price(12.5))
            await jet.put_inventory(sku, inventory(7))
        for sku in bare:
            await jet.put_sku(sku, product(f"Bare {sku}"))


async def jet_view(settings: Settings, sku: str) -> dict[str, Any]:
    async with open_jet_client(settings) as jet:
        return await jet.get_sku(sku)


def link_products(skus: list[str], **values: Any) -> None:
    """An uploaded JetProduct row per SKU (product ids 9001...; no OpenCart row needed for
    status). ``sent_at=None`` makes rows never uploaded (Jet data saved before an upload)."""
    from jettui.store.jet_tables import JetProduct
    from jettui.store.text import utcnow

    values.setdefault("sent_at", utcnow())
    start = 9001 + JetProduct.select().count()
    for i, sku in enumerate(skus):
        JetProduct.create(product_id=start + i, merchant_sku=sku, **values)


def products() -> dict[str, Any]:
    from jettui.store.jet_tables import JetProduct

    return {p.merchant_sku: p for p in JetProduct.select()}


def job_runs(job: str | None = None) -> list[Any]:
    from jettui.store.jet_tables import JetJobRun

    query = JetJobRun.select().order_by(JetJobRun.id)
    if job:
        query = query.where(JetJobRun.job == job)
    return list(query)
