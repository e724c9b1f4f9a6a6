"""files/uploaded is not safe to repeat (Jet refuses a second registration of an upload URL):
with the SHIPPED default ``max_retries`` and lost answers, a registration whose answer was lost
is looked up by its jet_file_id and never sent twice; one refused before it was applied (a 500)
is sent again. Upload and sync report every SKU as Jet has it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from jettui.config import JetSettings, Settings
from jettui.jet.once import ANSWER_LOST
from jettui.jet.sandbox.orders import Sandbox
from jettui.services.catalog import run_action
from tests.catalog.conftest import map_all_categories

IDS = [2, 3, 5, 7]


def strict(settings: Settings) -> Settings:
    return replace(
        settings,
        jet=replace(settings.jet, max_retries=JetSettings().max_retries),
        sandbox=replace(settings.sandbox, lost_answer_rate=0.2),
    )


def registered_files(settings: Settings) -> list[dict]:
    sandbox = Sandbox(settings)
    try:
        return [d for d in sandbox.db.all("file") if d.get("received")]
    finally:
        sandbox.db.close()


@pytest.mark.parametrize("way", ["applied-answer-lost", "not-applied-500"])
async def test_upload_and_sync_register_each_file_once(settings, db, way: str) -> None:
    from jettui.jet.bulk import BulkFileResult

    map_all_categories()
    faulty = strict(settings)
    sandbox = Sandbox(faulty)
    try:
        for _file in ("MerchantSKUs", "Price", "Inventory"):
            if way == "applied-answer-lost":
                sandbox.lose_next_answers("POST", "/files/uploaded", kind="dropped")
            else:
                sandbox.fail_next_calls("POST", "/files/uploaded")
    finally:
        sandbox.db.close()
    notes: list[str] = []
    real = BulkFileResult.__setattr__

    def spy(self: BulkFileResult, name: str, value: object) -> None:
        if name == "note" and value:
            notes.append(str(value))
        real(self, name, value)

    BulkFileResult.__setattr__ = spy  # type: ignore[method-assign,assignment]
    try:
        upload = await run_action(faulty, db, "upload", IDS)
        sync = await run_action(faulty, db, "sync", IDS)
    finally:
        BulkFileResult.__setattr__ = real  # type: ignore[method-assign]
    assert upload.exit_code == 0, [i.line for i in upload.items]
    assert sync.exit_code == 0, [i.line for i in sync.items]
    assert {str(i.outcome) for i in upload.items} <= {"succeeded", "unchanged"}
    files = registered_files(faulty)
    names = [f["file_name"] for f in files]
    assert len(names) == len(set(names))  # each file registered once, none refused as a repeat
    assert {f["file_type"] for f in files} >= {"MerchantSKUs", "Price", "Inventory"}
    lost = [e for e in Sandbox(faulty).lost_answers() if e["path"].endswith("files/uploaded")]
    if way == "applied-answer-lost":
        assert len(lost) >= 3 and notes.count(ANSWER_LOST) == len(lost)
    on_jet = Sandbox(faulty)
    try:
        listed = {d["merchant_sku"]: d for d in on_jet.db.all("sku")}
    finally:
        on_jet.db.close()
    succeeded = {i.item for i in upload.items if str(i.outcome) == "succeeded"}
    assert succeeded and succeeded <= set(listed)  # every SKU reported sent is on Jet
    assert all(listed[sku].get("price") for sku in succeeded)  # the Price file too
