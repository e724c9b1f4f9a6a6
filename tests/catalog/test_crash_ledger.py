"""A crash right after Jet registered the first MerchantSKUs file (issue 7, item 7): the file and
its SKUs were recorded before Jet heard of them ("sent, unconfirmed"), the next run settles
them, and ``fetch-errors`` follows the file."""

from __future__ import annotations

from typing import Any

import pytest

from jettui.jet.client import JetClient
from jettui.services import file_status
from jettui.services.catalog import run_action
from jettui.services.catalog.ledger import REGISTERING, UNCONFIRMED
from tests.catalog.conftest import jet_products, map_all_categories

IDS = [2, 3, 5]


class Crash(BaseException):
    """Stands for SIGKILL: nothing after it runs."""


async def _crash(settings: Any, db: Any, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    real = JetClient.notify_uploaded

    async def notify_uploaded(self: Any, url: str, file_type: str, file_name: str) -> Any:
        answer = await real(self, url, file_type, file_name)
        if file_type == "MerchantSKUs":
            raise Crash("killed while Jet processes the file")
        return answer

    with monkeypatch.context() as patch:
        patch.setattr(JetClient, "notify_uploaded", notify_uploaded)
        with pytest.raises(Crash):
            await run_action(settings, db, "upload", IDS)
    planned = await run_action(settings, db, "upload", IDS, dry_run=True)
    return {i.item for i in planned.items}


async def test_the_file_and_its_skus_are_recorded_before_jet_registers_them(
    settings, db, monkeypatch
) -> None:
    from jettui.store.jet_tables import JetFile

    map_all_categories()
    skus = await _crash(settings, db, monkeypatch)
    (row,) = JetFile.select()
    assert (row.file_type, row.status) == ("MerchantSKUs", REGISTERING)
    assert row.jet_file_id and set(row.payload) == skus
    rows = jet_products()
    assert set(rows) == skus  # was: none, "never uploaded" for status and archive
    assert {r.status for r in rows.values()} == {UNCONFIRMED}
    assert all(r.sent_at is not None for r in rows.values())
    # fetch-errors follows the file: its errors will reach Rejected files
    assert [f.jet_file_id for f in file_status._pending_files()] == [row.jet_file_id]


async def test_the_next_run_settles_what_the_crash_left(settings, db, monkeypatch) -> None:
    from jettui.store.jet_tables import JetFile

    map_all_categories()
    skus = await _crash(settings, db, monkeypatch)
    report = await run_action(settings, db, "status", IDS)
    assert {i.item for i in report.items} == skus
    assert {str(i.outcome) for i in report.items} == {"succeeded"}, [i.line for i in report.items]
    rows = jet_products()
    assert UNCONFIRMED not in {r.status for r in rows.values()}
    first = JetFile.select().order_by(JetFile.id).first()
    assert first.status.startswith("Processed")

    upload = await run_action(settings, db, "upload", IDS)
    assert upload.exit_code == 0, upload.summary
    assert all(r.sent_hash for r in jet_products().values())  # price + inventory sent too


async def test_a_sku_jet_refuses_in_the_file_is_not_left_unconfirmed(
    settings, db, monkeypatch
) -> None:
    from jettui.jet.sandbox import engine

    map_all_categories()
    real = engine.SandboxCore.put_product

    def put_product(self: Any, sku: str, body: Any) -> None:
        if sku == "ACM-WB00002":
            raise engine.ApiError(400, "brand: not accepted for this category")
        real(self, sku, body)

    monkeypatch.setattr(engine.SandboxCore, "put_product", put_product)
    report = await run_action(settings, db, "upload", [2, 3])
    outcomes = {i.item: (str(i.outcome), i.reason) for i in report.items}
    assert outcomes["ACM-WB00002"][0] == "failed"
    assert "not accepted for this category" in outcomes["ACM-WB00002"][1]
    assert outcomes["BRW-CK00003"][0] == "succeeded"
    rows = jet_products()
    assert (rows["ACM-WB00002"].status, rows["ACM-WB00002"].sent_at) == ("Not Uploaded", None)
    assert rows["BRW-CK00003"].status == "Uploaded"
