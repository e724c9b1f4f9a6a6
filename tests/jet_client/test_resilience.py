"""Retries, Retry-After, typed errors, concurrency limit, events: against a scripted fake Jet."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from jettui.jet.errors import (
    JetError,
    JetNotFound,
    JetProtocolError,
    JetRateLimited,
    JetServerError,
    JetUnreachable,
    JetValidationError,
)

from .fakes import SECRET, FakeJet, jet_settings

SKU_OK = {"price": 10.0}
REFUND = {
    "items": [
        {
            "order_item_id": "2906d22b212d4745ab9986b80b1ad2af",
            "total_quantity_returned": 1,
            "order_return_refund_qty": 1,
            "refund_reason": "No longer want this item",
            "refund_feedback": "Item damaged",
            "refund_amount": {"principal": 10, "tax": 0, "shipping_cost": 0, "shipping_tax": 0},
        }
    ]
}
ORDER_ID = "2ab4c8b414124f0fa04072d615ec0610"


def events_into(sink: list[tuple[str, dict[str, Any]]]):
    return lambda kind, detail: sink.append((kind, detail))


async def test_5xx_on_get_is_retried_then_succeeds() -> None:
    fake = FakeJet()
    fake.routes[("GET", "merchant-skus/a1/price")] = SKU_OK
    fake.faults = [httpx.Response(500, json={"errors": ["boom"]}), httpx.Response(503)]
    async with fake.client() as jet:
        assert await jet.get_price("a1") == SKU_OK
    assert jet.stats.retries == 2 and jet.stats.server_errors == 2
    assert len(fake.api_requests) == 3


async def test_5xx_after_all_retries_is_a_server_error_with_jets_words() -> None:
    fake = FakeJet()
    fake.faults = [httpx.Response(500, json={"errors": ["disk on fire"]})] * 4
    async with fake.client() as jet:
        with pytest.raises(JetServerError) as info:
            await jet.get_sku("a1")
    err = info.value
    assert (err.status, err.messages, err.method, err.path) == (
        500,
        ["disk on fire"],
        "GET",
        "merchant-skus/a1",
    )
    assert len(fake.api_requests) == 4  # 1 + max_retries
    assert not err.may_have_applied


@pytest.mark.parametrize("exc", [httpx.ConnectError("refused"), httpx.ReadTimeout("slow")])
async def test_dropped_connections_are_retried_then_unreachable(exc: Exception) -> None:
    fake = FakeJet()
    fake.faults = [exc] * 4
    async with fake.client() as jet:
        with pytest.raises(JetUnreachable) as info:
            await jet.get_order(ORDER_ID)
    assert type(exc).__name__ in str(info.value)
    assert "4 attempt" in str(info.value)
    assert jet.stats.connection_errors == 4 and jet.stats.retries == 3


async def test_a_dropped_connection_then_success() -> None:
    fake = FakeJet()
    fake.routes[("GET", f"orders/withoutShipmentDetail/{ORDER_ID}")] = {"status": "ready"}
    fake.faults = [httpx.ReadTimeout("slow")]
    async with fake.client() as jet:
        assert (await jet.get_order(ORDER_ID))["status"] == "ready"


@pytest.mark.parametrize(
    ("fault", "error"),
    [(httpx.Response(500), JetServerError), (httpx.ReadTimeout("slow"), JetUnreachable)],
    ids=["5xx", "read-timeout"],
)
async def test_refund_post_is_not_repeated_when_it_may_have_applied(
    fault: Any, error: type[Exception]
) -> None:
    fake = FakeJet()
    fake.faults = [fault]
    async with fake.client() as jet:
        with pytest.raises(error) as info:
            await jet.create_refund(ORDER_ID, "r-1", REFUND)
    assert info.value.may_have_applied
    assert len(fake.api_requests) == 1


async def test_refund_post_is_retried_when_it_never_left() -> None:
    fake = FakeJet()
    fake.routes[("POST", f"refunds/{ORDER_ID}/r-1")] = {"refund_authorization_id": "abc"}
    fake.faults = [httpx.ConnectError("refused"), httpx.Response(429, headers={"Retry-After": "0"})]
    async with fake.client() as jet:
        assert await jet.create_refund(ORDER_ID, "r-1", REFUND) == "abc"
    assert len(fake.api_requests) == 3


async def test_retry_after_seconds_is_honoured() -> None:
    fake = FakeJet()
    fake.routes[("GET", "merchant-skus/a1/price")] = SKU_OK
    fake.faults = [httpx.Response(429, headers={"Retry-After": "1"})]
    events: list[tuple[str, dict[str, Any]]] = []
    async with fake.client(on_event=events_into(events)) as jet:
        started = time.monotonic()
        assert await jet.get_price("a1") == SKU_OK
        elapsed = time.monotonic() - started
    assert elapsed >= 0.95
    assert jet.stats.rate_limited == 1 and jet.stats.retries == 1
    retries = [d for k, d in events if k == "retry"]
    assert retries == [
        {"method": "GET", "path": "merchant-skus/a1/price", "reason": "429", "wait_seconds": 1.0}
    ]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("3600", 0.2),  # capped
        (format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True), 0.2),
        (format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True), 0.0),
    ],
    ids=["seconds-capped", "future-date-capped", "past-date"],
)
async def test_retry_after_http_date_and_cap(header: str, expected: float) -> None:
    fake = FakeJet()
    fake.routes[("GET", "merchant-skus/a1/price")] = SKU_OK
    fake.faults = [httpx.Response(429, headers={"Retry-After": header})]
    events: list[tuple[str, dict[str, Any]]] = []
    async with fake.client(on_event=events_into(events), retry_after_cap=0.2) as jet:
        await jet.get_price("a1")
    assert [d["wait_seconds"] for k, d in events if k == "retry"] == [expected]


async def test_persistent_429_is_rate_limited_error() -> None:
    fake = FakeJet()
    fake.faults = [httpx.Response(429, headers={"Retry-After": "0"})] * 4
    async with fake.client() as jet:
        with pytest.raises(JetRateLimited) as info:
            await jet.get_sku("a1")
    assert info.value.status == 429 and info.value.retry_after == 0.0
    assert jet.stats.rate_limited == 4


@pytest.mark.parametrize(
    ("reply", "kind", "messages"),
    [
        (httpx.Response(400, json={"errors": ["price: bad"]}), JetValidationError, ["price: bad"]),
        (httpx.Response(400, json={"error": "nope"}), JetValidationError, ["nope"]),
        (httpx.Response(404, json={"Message": "No SKU"}), JetNotFound, ["No SKU"]),
        (httpx.Response(405), JetError, []),
        (
            httpx.Response(409, json={"errors": ["line one\nline two"]}),
            JetError,
            ["line one\nline two"],
        ),
    ],
)
async def test_client_errors_are_typed(
    reply: httpx.Response, kind: type[JetError], messages: list[str]
) -> None:
    fake = FakeJet()
    fake.faults = [reply]
    async with fake.client() as jet:
        with pytest.raises(kind) as info:
            await jet.get_sku("a1")
    assert info.value.messages == messages and info.value.status == reply.status_code
    assert "\n" not in str(info.value) and str(info.value).startswith("GET merchant-skus/a1: ")
    assert len(fake.api_requests) == 1  # client errors are not retried


@pytest.mark.parametrize(
    "reply",
    [
        httpx.Response(200, text="<html>maintenance</html>"),
        httpx.Response(200, text=""),
        httpx.Response(200, json=["a", "list"]),
    ],
)
async def test_malformed_success_is_a_protocol_error(reply: httpx.Response) -> None:
    fake = FakeJet()
    fake.faults = [reply]
    async with fake.client() as jet:
        with pytest.raises(JetProtocolError) as info:
            await jet.get_sku("a1")
    assert info.value.path == "merchant-skus/a1"


async def test_missing_list_key_and_bad_list_are_handled() -> None:
    fake = FakeJet()
    fake.routes[("GET", "orders/ready")] = {}
    fake.routes[("GET", "orders/created")] = {"order_urls": "nope"}
    async with fake.client() as jet:
        assert await jet.list_orders("ready") == []
        with pytest.raises(JetProtocolError, match="order_urls"):
            await jet.list_orders("created")


async def test_concurrency_limit_holds() -> None:
    fake = FakeJet()
    fake.routes[("GET", "merchant-skus/a1/price")] = SKU_OK
    async with fake.client(jet_settings(concurrency=3)) as jet:
        await asyncio.gather(*(jet.get_price("a1") for _ in range(30)))
    assert fake.max_in_flight == 3


async def test_events_report_calls_without_secrets() -> None:
    fake = FakeJet()
    fake.routes[("GET", "merchant-skus/a1/price")] = SKU_OK
    fake.routes[("PUT", "/blob/1")] = httpx.Response(201)
    fake.faults = [httpx.Response(502)]
    events: list[tuple[str, dict[str, Any]]] = []
    async with fake.client(on_event=events_into(events)) as jet:
        await jet.get_price("a1")
        await jet.upload_blob("http://jet.test/blob/1?sv=1&sig=SASSECRET", b"x")
    calls = [d for k, d in events if k == "call"]
    assert [(c["method"], c["path"], c["status"]) for c in calls] == [
        ("POST", "token", 200),
        ("GET", "merchant-skus/a1/price", 502),
        ("GET", "merchant-skus/a1/price", 200),
        ("PUT", "http://jet.test/blob/1", 201),
    ]
    assert all(c["duration_ms"] >= 0 for c in calls)
    assert [k for k, _ in events].count("token") == 1
    text = repr(events)
    assert SECRET not in text and "tok-SECRET" not in text and "SASSECRET" not in text


async def test_blob_upload_has_no_authorization_and_block_blob_header() -> None:
    fake = FakeJet()
    fake.routes[("PUT", "/blob/1")] = httpx.Response(201)
    async with fake.client() as jet:
        await jet.upload_blob("http://jet.test/blob/1?sig=SASSECRET", b"gz")
        with pytest.raises(JetNotFound) as info:  # no such blob: 404, the SAS query not shown
            await jet.upload_blob("http://jet.test/blob/2?sig=SASSECRET", b"gz")
    request = fake.requests[0]
    assert "authorization" not in request.headers
    assert request.headers["x-ms-blob-type"] == "BlockBlob"
    assert request.content == b"gz"
    assert "SASSECRET" not in str(info.value) and "sig=" not in str(info.value)
    assert fake.tokens == []  # a blob upload needs no Jet token


async def test_errors_and_client_never_show_secret_or_token() -> None:
    fake = FakeJet()
    fake.faults = [httpx.Response(500, json={"errors": ["x"]})] * 4 + [
        httpx.ConnectError("down")
    ] * 4
    async with fake.client() as jet:
        errors: list[JetError] = []
        for _ in range(2):
            try:
                await jet.get_sku("a1")
            except JetError as exc:
                errors.append(exc)
        texts = [str(e) for e in errors] + [repr(e) for e in errors] + [repr(jet), str(jet)]
        texts.append(repr(vars(jet)))
    assert len(errors) == 2
    assert repr(jet) == "JetClient(user='jetuser', base_url='http://jet.test/api')"
    for text in texts:
        assert SECRET not in text and "tok-SECRET" not in text


@pytest.mark.parametrize("write", ["acknowledge", "ship", "complete_return", "notify_uploaded"])
async def test_writes_jet_cannot_take_twice_are_never_resent_blindly(write: str) -> None:
    """acknowledge, shipped, returns complete and files/uploaded say they are not safe to
    repeat: a 5xx is raised at once with may_have_applied (the caller looks them up)."""
    fake = FakeJet()
    fake.faults = [httpx.Response(502)]
    calls = {
        "acknowledge": lambda jet: jet.acknowledge(ORDER_ID, {
            "acknowledgement_status": "accepted",
            "order_items": [{"order_item_id": ORDER_ID,
                             "order_item_acknowledgement_status": "fulfillable"}]}),
        "ship": lambda jet: jet.ship(ORDER_ID, {"shipments": [{
            "alt_shipment_id": "s-1", "shipment_items": [
                {"merchant_sku": "a1", "response_shipment_sku_quantity": 0,
                 "response_shipment_cancel_qty": 1}]}]}),
        "complete_return": lambda jet: jet.complete_return(ORDER_ID, {
            "merchant_order_id": ORDER_ID, "agree_to_return_charge": True, "items": [{
                "order_item_id": ORDER_ID, "total_quantity_returned": 1,
                "order_return_refund_qty": 1, "return_refund_feedback": "item damaged",
                "refund_amount": {"principal": 1.0, "tax": 0, "shipping_cost": 0,
                                  "shipping_tax": 0}}]}),
        "notify_uploaded": lambda jet: jet.notify_uploaded(
            "https://blob.test/f1?sig=x", "Price", "f1.json.gz"),
    }  # fmt: skip
    async with fake.client() as jet:
        with pytest.raises(JetServerError) as info:
            await calls[write](jet)
    assert info.value.may_have_applied
    assert len(fake.api_requests) == 1 and jet.stats.retries == 0


async def test_a_refusal_of_a_retried_write_may_hide_the_first_try() -> None:
    """A write safe to repeat that got a 5xx and then a 4xx on the retry: the first try may be
    the one Jet applied, so the error says may_have_applied."""
    fake = FakeJet()
    fake.faults = [httpx.Response(503), httpx.Response(400, json={"errors": ["nope"]})]
    async with fake.client() as jet:
        with pytest.raises(JetValidationError) as info:
            await jet.put_price("a1", {"price": 9.99})
    assert info.value.may_have_applied and len(fake.api_requests) == 2
