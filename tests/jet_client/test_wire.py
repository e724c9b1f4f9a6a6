"""What goes on the wire: dates, logs, timeouts, and which Jet a settings file opens."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from jettui.config import Settings
from jettui.jet.connect import SANDBOX_BASE_URL, open_jet_client
from jettui.jet.errors import JetUnreachable

from . import payloads
from .conftest import HttpSandbox, make_settings
from .fakes import FakeJet


async def test_datetimes_are_sent_in_jets_iso_form() -> None:
    fake = FakeJet()
    fake.routes[("PUT", f"orders/{payloads.ORDER_ID}/shipped")] = httpx.Response(201)
    shipped = payloads.shipment("sku-1", 1)
    mountain = timezone(timedelta(hours=-7))
    shipment = shipped["shipments"][0]
    shipment["response_shipment_date"] = datetime(2016, 6, 1, 10, 0, tzinfo=mountain)
    shipment["carrier_pick_up_date"] = datetime(2016, 6, 1, 19, 0, 0, 120000, tzinfo=UTC)
    async with fake.client() as jet:
        await jet.ship(payloads.ORDER_ID, shipped)
    sent = json.loads(fake.api_requests[0].content)["shipments"][0]
    assert sent["response_shipment_date"] == "2016-06-01T10:00:00.0000000-07:00"
    assert sent["carrier_pick_up_date"] == "2016-06-01T19:00:00.1200000Z"


async def test_decimal_prices_are_sent_as_numbers() -> None:
    fake = FakeJet()
    fake.routes[("PUT", "merchant-skus/sku-1/price")] = httpx.Response(201)
    async with fake.client() as jet:
        await jet.put_price("sku-1", {"price": Decimal("38.50")})
    assert json.loads(fake.api_requests[0].content) == {"price": 38.5}


async def test_httpx_request_log_hides_the_blob_signature(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeJet()
    fake.routes[("PUT", "/blob/1")] = httpx.Response(201)
    caplog.set_level(logging.DEBUG)
    async with fake.client() as jet:
        await jet.upload_blob("http://jet.test/blob/1?sv=1&sig=SASSECRET", b"gz")
    assert "blob/1" in caplog.text
    assert "SASSECRET" not in caplog.text and "s3cr3t" not in caplog.text


async def test_a_slow_jet_times_out_as_unreachable(tmp_path: Path) -> None:
    server = HttpSandbox(make_settings(tmp_path / "slow.db", latency_ms=400)).start()
    try:
        settings = replace(
            server.settings.jet, api_url=server.base_url, timeout_seconds=0.1, max_retries=1
        )
        async with open_jet_client(
            replace(server.settings, jet=settings), backoff_base=0.01
        ) as jet:
            with pytest.raises(JetUnreachable, match="ReadTimeout") as info:
                await jet.authcheck()
        assert info.value.path == "token" and jet.stats.connection_errors == 2
    finally:
        server.stop()


async def test_open_jet_client_picks_sandbox_or_url(tmp_path: Path) -> None:
    async with open_jet_client(make_settings(tmp_path / "s.db")) as sandbox:
        assert sandbox.base_url == SANDBOX_BASE_URL
        assert await sandbox.authcheck()
    real = Settings()
    real = replace(real, jet=replace(real.jet, api_url="https://merchant-api.jet.com/api/"))
    async with open_jet_client(real) as client:
        assert client.base_url == "https://merchant-api.jet.com/api"
        assert (
            repr(client) == "JetClient(user='jetuser', base_url='https://merchant-api.jet.com/api')"
        )
