"""The shared runtime under product actions: a Jet outage mid-fan-out stops every worker before
the report is returned (each SKU reported once, nothing written later), and the ``products``
lock is refreshed while an action outlasts its TTL."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from jettui.jet.client import JetClient
from jettui.jet.errors import JetUnreachable
from jettui.services.catalog import run_action, validate_products
from jettui.services.catalog.actions import link_rows, run
from jettui.store.jet_tables import JetProduct, acquire_lock, lock_holder
from jettui.store.text import utcnow
from tests.catalog.conftest import map_all_categories

IDS = list(range(1, 13))  # 12 demo products: 18 SKUs (two have three option children)


def link_as_uploaded(settings: Any, ids: list[int]) -> list[str]:
    """JetProduct rows as an earlier upload leaves them; the SKUs, in order."""
    skus = []
    for check in validate_products(settings, ids):
        assert check.ok, check.errors
        for x in check.listings:
            JetProduct.create(
                product_id=x.product_id,
                product_option_value_id=x.option_value_id,
                merchant_sku=x.sku,
                parent_sku=x.parent_sku,
                sent_at=utcnow(),
                status="Available",
            )
            skus.append(x.sku)
    return skus


class Outage:
    """``JetClient.archive``: the first ``ok`` calls succeed after ``delay`` s, later ones find
    Jet unreachable at once. Records what happens after ``returned`` is set."""

    def __init__(self, ok: int, delay: float) -> None:
        self.ok, self.delay = ok, delay
        self.calls = 0
        self.returned = False
        self.late: list[str] = []  # Jet calls or store writes after run_action returned

    async def archive(self, client: JetClient, sku: str, archived: bool = True) -> None:
        if self.returned:
            self.late.append(f"archive {sku}")
        self.calls += 1
        if self.calls > self.ok:
            raise JetUnreachable(method="PUT", path=f"/merchant-skus/{sku}/status/archive")
        await asyncio.sleep(self.delay)


async def test_outage_mid_archive_reports_each_sku_once_and_nothing_after(
    settings, db, monkeypatch: pytest.MonkeyPatch
) -> None:
    map_all_categories()
    skus = link_as_uploaded(settings, IDS)
    assert len(skus) == 18 and settings.jet.concurrency == 4
    outage = Outage(ok=6, delay=0.05)

    async def archive(self: JetClient, sku: str, archived: bool = True) -> None:
        await outage.archive(self, sku, archived)

    real_update = link_rows.update_link

    def update(sku: str, values: dict[str, Any]) -> None:
        if outage.returned:
            outage.late.append(f"store write {sku}")
        real_update(sku, values)

    monkeypatch.setattr(JetClient, "archive", archive)
    monkeypatch.setattr(link_rows, "update_link", update)

    report = await run_action(settings, db, "archive", IDS)
    outage.returned = True
    reported = [(i.item, str(i.outcome)) for i in report.items]
    await asyncio.sleep(0.3)  # workers left running would finish (and report) now

    assert outage.late == []
    assert [(i.item, str(i.outcome)) for i in report.items] == reported
    assert sorted(i.item for i in report.items) == sorted(skus)  # each SKU exactly once
    assert report.exit_code == 3 and report.unreachable
    outcomes = {i.item: i for i in report.items}
    succeeded = [s for s, i in outcomes.items() if i.outcome == "succeeded"]
    assert 0 < len(succeeded) <= 6
    for item in outcomes.values():
        if item.outcome != "succeeded":
            assert item.outcome == "not attempted"
            assert item.reason.startswith("Jet unreachable: ")
            assert isinstance(item.error, JetUnreachable)  # the exception, not only its text
    archived = {p.merchant_sku for p in JetProduct.select().where(JetProduct.is_archived)}
    assert archived == set(succeeded)  # the store says what the report says
    assert lock_holder("products") is None


async def test_products_lock_is_refreshed_while_an_action_outlasts_its_ttl(
    settings, db, monkeypatch: pytest.MonkeyPatch
) -> None:
    map_all_categories()
    link_as_uploaded(settings, [1])  # one SKU

    async def archive(self: JetClient, sku: str, archived: bool = True) -> None:
        await asyncio.sleep(4.0)  # a slow Jet: twice the lock's TTL

    monkeypatch.setattr(JetClient, "archive", archive)
    monkeypatch.setattr(run, "LOCK_TTL_SECONDS", 2.0)

    async def intruder() -> bool:
        await asyncio.sleep(3.0)  # past the TTL: taken over, unless it was refreshed
        return await asyncio.to_thread(acquire_lock, "products", "elsewhere:1:other", 600)

    action = asyncio.create_task(run_action(settings, db, "archive", [1]))
    took_it = await intruder()
    report = await action
    assert not took_it
    assert report.exit_code == 0, report.summary
    assert lock_holder("products") is None  # released at the end
