"""The one rule for "Jet refused this item" (docs/architecture.md): a failed ItemResult with
Jet's words, never raised and never an outage; and the one report's exit codes and JSON."""

from __future__ import annotations

from jettui.errors import ExitCode
from jettui.jet.client import JetClient
from jettui.jet.errors import JetValidationError
from jettui.services.orders.importer import reject_order
from jettui.services.results import Outcome
from jettui.services.returns import ReturnsReport, complete_return, fetch_returns
from jettui.store.jet_tables import JetOrder, JetReturn
from tests.returns.support import generate_return, jet_return, shipped_order
from tests.shop_support import upload_products


async def test_a_completion_jet_refuses_is_a_failed_result_and_can_be_sent_again(
    oc_settings, oc_db, monkeypatch
) -> None:
    settings = oc_settings
    iphone = (await upload_products(settings, oc_db))["iphone"]
    mid = await shipped_order(settings, oc_db, {iphone: 1})
    rid = await generate_return(settings, mid)
    await fetch_returns(settings, oc_db)

    async def refuse(self, return_id, body):
        raise JetValidationError(status=400, messages=["items: refused for the test"])

    monkeypatch.setattr(JetClient, "complete_return", refuse)
    refused = await complete_return(settings, oc_db, rid)  # not raised
    assert refused.outcome == Outcome.FAILED
    assert "refused for the test" in refused.reason
    assert (await jet_return(settings, rid))["return_status"] != "completed by merchant"
    assert JetReturn.get(JetReturn.merchant_return_authorization_id == rid).state == "mirrored"

    monkeypatch.undo()  # Jet takes it now: the refused try counted nothing
    done = await complete_return(settings, oc_db, rid)
    assert done.outcome == Outcome.SUCCEEDED, done.reason
    assert (await jet_return(settings, rid))["return_status"] == "completed by merchant"


async def test_rejecting_an_order_jet_does_not_know_is_a_failed_item_not_an_outage(
    oc_settings, oc_db
) -> None:
    JetOrder.create(merchant_order_id="NOT-ON-JET", status="ready", state="held", error="x")
    report = await reject_order(oc_settings, oc_db, "NOT-ON-JET")
    assert report.unreachable is None and report.locked is None
    (item,) = report.items
    assert item.outcome == Outcome.FAILED and "not found on Jet" in item.reason
    assert report.exit_code == ExitCode.PARTIAL


def test_one_report_says_locked_and_unreachable_with_exit_codes() -> None:
    locked = ReturnsReport(locked="lock returns is held by host:1")
    assert locked.exit_code == ExitCode.LOCKED == 75
    assert locked.summary == "lock returns is held by host:1; nothing done"
    stopped = ReturnsReport(unreachable="store unreachable: gone")
    stopped.add("R-1", Outcome.SUCCEEDED, "mirrored")
    assert stopped.exit_code == ExitCode.UNREACHABLE == 3
    assert stopped.as_dict() == {
        "ok": False,
        "exit_code": 3,
        "summary": "1 succeeded; stopped: store unreachable: gone",
        "items": [{"return_id": "R-1", "outcome": "succeeded", "reason": "mirrored"}],
    }
    assert ReturnsReport().as_dict()["exit_code"] == 0 and ReturnsReport().locked is None
