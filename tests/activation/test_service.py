"""The Runway steps against the in-process sandbox: what Jet ends up holding, what the store
records, the event log, failures with Jet's words, resuming, the lock and live protection."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from jettui.config import Settings
from jettui.jet.connect import open_jet_client
from jettui.services import activation
from jettui.services.activation import ConfirmationRequired, activation_status, run_activation
from jettui.store.errors import LockBusy
from jettui.store.jet_tables import acquire_lock, lock_holder
from tests.service_support import events

from .conftest import SECRET, sandbox_tokens


async def jet_view(settings: Settings, ids: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """What the sandbox now holds for the SKU, orders and return the run reported."""
    async with open_jet_client(settings) as jet:
        return {
            "sku": await jet.get_sku(activation.TEST_SKU),
            "cancel": await jet.get_order(ids["order"]["cancel_order_id"]),
            "order": await jet.get_order(ids["order"]["order_id"]),
            "return": await jet.get_return(ids["return"]["return_id"]),
        }


async def test_all_steps_leave_jet_in_the_runway_state(settings: Settings, db) -> None:
    seen: list[tuple[str, str]] = []
    results = await run_activation(settings, db, ["all"], progress=lambda s, m: seen.append((s, m)))

    assert [(r.step, r.outcome) for r in results] == [
        ("product", "ok"),
        ("order", "ok"),
        ("return", "ok"),
    ], [r.message for r in results]
    ids = {r.step: r.ids for r in results}
    jet = await jet_view(settings, ids)

    sku = jet["sku"]
    assert sku["price"] == 38.0
    assert sku["inventory_by_fulfillment_node"] == [
        {"fulfillment_node_id": "node-1", "quantity": 20}
    ]
    assert sku["standard_product_codes"][0]["standard_product_code"] == "719236005030"
    # complete listing: under review, then (review delay 0.3 s, stock 20) available
    assert ids["product"]["status"] in ("Under Jet Review", "Available for Purchase")
    assert sku["status"] in ("Under Jet Review", "Available for Purchase"), sku["sub_status"]

    cancel = jet["cancel"]
    assert cancel["jet_requested_directed_cancel"] is True
    assert cancel["status"] == "complete"
    assert cancel["shipments"][0]["shipment_items"][0]["response_shipment_cancel_qty"] == 1

    order = jet["order"]
    assert order["status"] == "complete" and order["acknowledgement_status"] == "accepted"
    shipment = order["shipments"][0]
    assert shipment["ship_from_zip_code"] == settings.returns.postcode
    assert shipment["shipment_tracking_number"]
    line = shipment["shipment_items"][0]
    assert line["response_shipment_sku_quantity"] == 1
    assert line["days_to_return"] == 30 and line["RMA_number"]
    assert line["return_location"]["city"] == "Midvale"

    ret = jet["return"]
    assert ret["return_status"] == "completed by merchant"
    assert ret["merchant_order_id"] == order["merchant_order_id"]
    assert ret["agree_to_return_charge"] is True
    assert ret["items"][0]["return_refund_feedback"] == "item damaged"

    # progress went step by step, in Runway order
    order_of_steps = list(dict.fromkeys(step for step, _ in seen))
    assert order_of_steps == ["product", "order", "return"]
    assert any("acknowledging order" in m for _, m in seen)

    states = await asyncio.to_thread(activation_status)
    assert all(state.label.startswith("done at ") for state in states.values())
    assert states["order"].last.ids == ids["order"]


async def test_event_log_has_one_row_per_call_and_no_secret(settings: Settings, db) -> None:
    await run_activation(settings, db, ["product"])

    api = events("api")
    calls = [e for e in api if e.ref not in ("token", "/token")]
    assert any(e.message.startswith("PUT /merchant-skus/test_product → 201 in ") for e in calls)
    assert any(e.message.startswith("GET /merchant-skus/test_product → 200") for e in calls)
    # check node, PUT sku, price, inventory, GET sku: five calls, each logged once
    assert len(calls) == 5
    assert {e.level for e in calls} == {"info"}
    recorded = events("activation")
    assert [(e.ref, e.detail["outcome"]) for e in recorded] == [("product", "ok")]

    text = json.dumps([[e.message, e.ref, e.detail] for e in events()])
    tokens = sandbox_tokens(settings)
    assert tokens and not any(token in text for token in tokens)
    assert SECRET not in text and "Bearer" not in text


async def test_logging_off_still_records_the_steps(make_settings, db) -> None:
    settings = make_settings(log=False)
    results = await run_activation(settings, db, ["product"])
    assert results[0].ok
    assert events("api") == []
    assert [e.ref for e in events("activation")] == ["product"]


async def test_server_errors_fail_the_step_in_jets_words_and_skip_the_rest(
    make_settings, db
) -> None:
    settings = make_settings(sandbox="  error_rate: 1.0\n")
    results = await run_activation(settings, db, ["all"])

    product, order, ret = results
    assert product.outcome == "failed"
    assert "HTTP 500" in product.message and "injected by the sandbox" in product.message
    assert (order.outcome, ret.outcome) == ("skipped", "skipped")
    assert "product step did not succeed" in order.message
    # failed steps are recorded, skipped ones are not (nothing happened on Jet)
    states = await asyncio.to_thread(activation_status)
    assert states["product"].label.startswith("failed: ") and "HTTP 500" in states["product"].label
    assert states["order"].label == states["return"].label == "not run"
    # the token call is spared the injected faults; every other call failed
    assert {e.level for e in events("api") if e.ref not in ("token", "/token")} == {"error"}


async def test_unknown_browse_node_is_refused_by_jet(
    settings: Settings, db, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(activation, "TEST_BROWSE_NODE", 99)
    results = await run_activation(settings, db, ["product", "order"])
    assert results[0].outcome == "failed"
    assert "taxonomy node 99 not found" in results[0].message
    assert results[1].outcome == "skipped"


async def test_a_failed_order_step_continues_with_its_orders_when_run_again(
    make_settings, db, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(sandbox="  review_delay_seconds: 1.2\n")
    assert (await run_activation(settings, db, ["product"]))[0].ok
    # Give up on 'ready' at once: the first run fails with the cancel order still 'created'.
    monkeypatch.setattr(activation, "READY_MARGIN_SECONDS", -1.15)
    first = (await run_activation(settings, db, ["order"]))[0]
    assert first.outcome == "failed" and "still 'created'" in first.message
    cancel_id = first.ids["cancel_order_id"]

    monkeypatch.setattr(activation, "READY_MARGIN_SECONDS", 5.0)
    again = (await run_activation(settings, db, ["order"]))[0]
    assert again.ok, again.message
    assert again.ids["cancel_order_id"] == cancel_id  # the same order, not a second one
    async with open_jet_client(settings) as jet:
        assert len(await jet.list_orders("complete")) == 2  # the cancel and the shipped order


async def test_return_without_a_shipped_order_is_skipped(settings: Settings, db) -> None:
    (result,) = await run_activation(settings, db, ["return"])
    assert result.outcome == "skipped" and "run the order step first" in result.message
    assert events("activation") == []


async def test_second_run_is_refused_while_the_lock_is_held(settings: Settings, db) -> None:
    assert acquire_lock(activation.LOCK_NAME, "elsewhere:1:activation", 60)
    with pytest.raises(LockBusy, match="elsewhere:1"):
        await run_activation(settings, db, ["product"])
    assert events() == []  # nothing done
    assert lock_holder(activation.LOCK_NAME) == "elsewhere:1:activation"


async def test_lock_is_released_after_a_run(settings: Settings, db) -> None:
    await run_activation(settings, db, ["product"])
    assert lock_holder(activation.LOCK_NAME) is None


async def test_live_jet_needs_confirmation_for_orders_and_returns(make_settings, db) -> None:
    settings = make_settings(jet="  api_url: http://127.0.0.1:9/api\n")
    for steps in (["order"], ["return"], ["all"]):
        with pytest.raises(ConfirmationRequired, match="really cancels"):
            await run_activation(settings, db, steps)
    assert events() == []
    assert not activation.needs_confirmation(settings, ["product"])
