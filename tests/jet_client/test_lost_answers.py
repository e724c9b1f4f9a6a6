"""The embedded sandbox fails like a network (issue 7 item 13): the client's timeout holds
in-process as over HTTP, and a write Jet applied whose answer was lost (``lost_answer_rate``)
is retried when idempotent and reported ``may_have_applied`` (never resent) when not."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from jettui.config import Settings, SettingsError, parse_settings
from jettui.jet.client import JetClient
from jettui.jet.connect import SANDBOX_BASE_URL, open_jet_client
from jettui.jet.errors import JetError, JetServerError, JetUnreachable
from jettui.jet.once import ANSWER_LOST, Looked, send_once
from jettui.jet.sandbox import sandbox_transport
from jettui.jet.sandbox.orders import Sandbox

from . import payloads
from .conftest import BACKOFF, HttpSandbox, make_settings

WAYS = ["inprocess", "http"]


def with_jet(settings: Settings, **jet: Any) -> Settings:
    return replace(settings, jet=replace(settings.jet, **jet))


@asynccontextmanager
async def client_for(
    settings: Settings, way: str, seed: int = 1
) -> AsyncIterator[tuple[JetClient, Sandbox]]:
    """A client on a fresh sandbox in-process or over HTTP, and that sandbox (rng seeded).
    With lost answers the read timeout is 1 s: over HTTP a held answer lasts that long."""
    if settings.sandbox.lost_answer_rate:
        settings = with_jet(settings, timeout_seconds=min(settings.jet.timeout_seconds, 1.0))
    if way == "inprocess":
        transport = sandbox_transport(settings)
        app = transport.app
        client = JetClient(
            settings, transport=transport, base_url=SANDBOX_BASE_URL, backoff_base=BACKOFF
        )
        server = None
    else:
        server = HttpSandbox(settings).start()
        app = server.app
        client = JetClient(replace(settings.jet, api_url=server.base_url), backoff_base=BACKOFF)
    sandbox = app.state.lazy.get()
    sandbox.rng.seed(seed)
    try:
        async with client:
            yield client, sandbox
    finally:
        if server is not None:
            server.stop()


@pytest.mark.parametrize("way", WAYS)
async def test_latency_beyond_the_timeout_times_out_the_same_both_ways(
    way: str, tmp_path: Path
) -> None:
    settings = with_jet(make_settings(tmp_path / "s.db", latency_ms=2500), timeout_seconds=0.3)
    settings = with_jet(settings, max_retries=1)
    async with client_for(settings, way) as (jet, _):
        started = time.monotonic()
        with pytest.raises(JetUnreachable) as caught:
            await jet.authcheck()
        elapsed = time.monotonic() - started
    assert str(caught.value) == "POST token: Jet unreachable (ReadTimeout) after 2 attempt(s)"
    assert caught.value.may_have_applied is True
    assert elapsed < 1.5  # two attempts of 0.3 s, not the 2.5 s latency


async def test_latency_within_the_timeout_still_answers(tmp_path: Path) -> None:
    settings = with_jet(make_settings(tmp_path / "s.db", latency_ms=50), timeout_seconds=2.0)
    async with client_for(settings, "inprocess") as (jet, _):
        assert await jet.authcheck() is True


@pytest.mark.parametrize("way", WAYS)
async def test_idempotent_writes_whose_answer_was_lost_are_retried(
    way: str, tmp_path: Path
) -> None:
    settings = with_jet(make_settings(tmp_path / "s.db", lost_answer_rate=0.5), max_retries=8)
    async with client_for(settings, way, seed=4) as (jet, sandbox):
        for n in range(4):
            sku = f"lost-{n}"
            await jet.put_sku(sku, payloads.product(f"Lost answer {n}"))
            await jet.put_price(sku, payloads.price(10.0 + n))
            await jet.put_inventory(sku, payloads.inventory(5 + n))
            await jet.archive(sku, True)
            await jet.archive(sku, False)
        views = [await jet.get_sku(f"lost-{n}") for n in range(4)]
        lost = sandbox.lost_answers()
        retries = jet.stats.retries
    assert [(v["price"], v["status"]) for v in views] == [
        (10.0 + n, "Available for Purchase") for n in range(4)
    ]
    assert {e["kind"] for e in lost} == {"504", "dropped", "timeout"}
    assert all(e["method"] in ("PUT", "PATCH", "POST") for e in lost)  # GETs never lose answers
    assert retries == len(lost) >= 4  # one retry per lost answer, nothing else failed


@pytest.mark.parametrize("way", WAYS)
async def test_acknowledgements_and_shipments_whose_answer_was_lost_apply_once(
    way: str, tmp_path: Path
) -> None:
    state = tmp_path / "s.db"
    await shipped_order(make_settings(state))  # lists 'lost-sku'
    faulty = with_jet(make_settings(state, lost_answer_rate=0.5), max_retries=8)
    async with client_for(faulty, way, seed=6) as (jet, sandbox):
        orders: list[dict[str, Any]] = []
        for _ in range(6):
            while True:  # the generator is not retried: place each order until an answer comes
                try:
                    [order_id] = await jet.generate_orders(payloads.generate("lost-sku", qty=3))
                    break
                except JetError as exc:
                    assert exc.may_have_applied
            orders.append(await jet.get_order(order_id))
        notes = []
        for order in orders:
            oid = order["merchant_order_id"]
            item_ids = [i["order_item_id"] for i in order["order_items"]]
            shipment = payloads.shipment("lost-sku", 1)
            alt = shipment["shipments"][0]["alt_shipment_id"]

            async def acked(oid: str = oid) -> Looked:
                return Looked((await jet.get_order(oid))["status"] == "acknowledged")

            async def shipped(oid: str = oid, alt: str = alt) -> Looked:
                listed = (await jet.get_order(oid)).get("shipments") or []
                return Looked(any(s["alt_shipment_id"] == alt for s in listed))

            ack = partial(jet.acknowledge, oid, payloads.ack(item_ids))
            for once in (
                await send_once(ack, acked),
                await send_once(partial(jet.ship, oid, shipment), shipped),
            ):
                assert once.applied
                notes.append(once.note)
        assert jet.stats.retries == 0  # neither write is ever resent blindly
        views = [await jet.get_order(o["merchant_order_id"]) for o in orders]
        lost = {e["path"].rsplit("/", 1)[1] for e in sandbox.lost_answers()}
    assert {"acknowledge", "shipped"} <= lost  # both writes lost answers, found by lookup
    assert notes.count(ANSWER_LOST) == len(
        [e for e in sandbox.lost_answers() if e["path"].endswith(("acknowledge", "shipped"))]
    )
    assert [(v["status"], len(v["shipments"])) for v in views] == [("inprogress", 1)] * 6


async def shipped_order(settings: Settings) -> tuple[str, str]:
    """An order for one unit of 'lost-sku', acknowledged and shipped (no faults)."""
    async with JetClient(
        settings, transport=sandbox_transport(settings), base_url=SANDBOX_BASE_URL
    ) as jet:
        await jet.put_sku("lost-sku", payloads.product())
        await jet.put_price("lost-sku", payloads.price())
        await jet.put_inventory("lost-sku", payloads.inventory())
        [order_id] = await jet.generate_orders(payloads.generate("lost-sku", qty=4))
        order = await jet.get_order(order_id)
        item_id = order["order_items"][0]["order_item_id"]
        await jet.acknowledge(order_id, payloads.ack([item_id]))
        await jet.ship(order_id, payloads.shipment("lost-sku", 4))
    return order_id, item_id


def seen_as(error: JetError) -> str:
    """The lost answer kind a client error stands for."""
    if isinstance(error, JetServerError) and error.status == 504:
        return "504"
    assert isinstance(error, JetUnreachable)
    return "timeout" if "ReadTimeout" in str(error) else "dropped"


@pytest.mark.parametrize("way", WAYS)
async def test_a_refund_applied_whose_answer_was_lost_is_not_sent_twice(
    way: str, tmp_path: Path
) -> None:
    state = tmp_path / "s.db"
    order_id, item_id = await shipped_order(make_settings(state))
    faulty = make_settings(state, lost_answer_rate=1.0)
    errors: dict[str, str] = {}
    async with client_for(faulty, way, seed=2) as (jet, sandbox):
        for n in range(6):
            alt = f"refund-{n}"
            with pytest.raises(JetError) as caught:
                await jet.create_refund(order_id, alt, payloads.refund(item_id, principal=1.0))
            assert caught.value.may_have_applied is True
            errors[alt] = seen_as(caught.value)
        assert jet.stats.retries == 0  # never resent blindly
        kinds = [e["kind"] for e in sandbox.lost_answers()]
    assert kinds == list(errors.values())  # each kind reaches the client as it should
    assert set(kinds) == {"504", "dropped", "timeout"}
    applied = [r["alt_refund_id"] for r in Sandbox(make_settings(state)).db.all("refund")]
    assert sorted(applied) == sorted(errors)  # each applied exactly once
    async with JetClient(
        make_settings(state), transport=sandbox_transport(make_settings(state)),
        base_url=SANDBOX_BASE_URL,
    ) as clean:  # fmt: skip
        listed = [r for status in ("created", "processing", "accepted", "rejected")
                  for r in await clean.list_refunds(status)]  # how a caller reconciles  # fmt: skip
        found = {(await clean.get_refund(r))["alt_refund_id"] for r in listed}
    assert found == set(errors)


@pytest.mark.parametrize("way", WAYS)
async def test_generated_orders_whose_answer_was_lost_exist_once(way: str, tmp_path: Path) -> None:
    state = tmp_path / "s.db"
    await shipped_order(make_settings(state))
    async with client_for(make_settings(state, lost_answer_rate=1.0), way) as (jet, sandbox):
        before = sandbox.db.count("order")
        with pytest.raises(JetError) as caught:
            await jet.generate_orders(payloads.generate("lost-sku"), count=3)
        assert caught.value.may_have_applied is True
        assert jet.stats.retries == 0
        assert sandbox.db.count("order") == before + 3
        assert [e["path"] for e in sandbox.lost_answers()] == ["/api/orders/generate/3"]


def test_lost_answer_rate_is_a_share(tmp_path: Path) -> None:
    text = (Path(__file__).parents[2] / "settings.yaml").read_text(encoding="utf-8")
    assert "  lost_answer_rate: 0 " in text
    bad = text.replace("  lost_answer_rate: 0 ", "  lost_answer_rate: 1.5 ")
    with pytest.raises(SettingsError) as caught:
        parse_settings(bad, tmp_path / "settings.yaml")
    assert "sandbox.lost_answer_rate: must be between 0 and 1" in str(caught.value)
    ok = parse_settings(text.replace("  lost_answer_rate: 0 ", "  lost_answer_rate: 0.25 "),
                        tmp_path / "settings.yaml")  # fmt: skip
    assert ok.sandbox.lost_answer_rate == 0.25


async def test_a_retried_write_that_kept_losing_its_answer_may_have_applied(
    tmp_path: Path,
) -> None:
    settings = with_jet(make_settings(tmp_path / "s.db", lost_answer_rate=1.0), max_retries=2)
    async with client_for(settings, "inprocess", seed=1) as (jet, sandbox):
        failures = []
        for n in range(4):
            with pytest.raises(JetError) as caught:
                await jet.put_sku(f"gone-{n}", payloads.product())
            failures.append(caught.value)
            assert (await jet.get_sku(f"gone-{n}"))["merchant_sku"] == f"gone-{n}"  # applied
    assert {type(f) for f in failures} <= {JetServerError, JetUnreachable}
    assert all(f.may_have_applied for f in failures)
    assert len(sandbox.lost_answers()) == 4 * 3  # every attempt applied, every answer lost


@pytest.mark.parametrize("kind", ["504", "dropped", "timeout"])
async def test_a_planned_loss_hits_exactly_the_chosen_call(kind: str, tmp_path: Path) -> None:
    """How other tests make one refund POST apply and lose its answer: plan it in the state
    file, then run the code under test with its usual client."""
    state = tmp_path / "s.db"
    order_id, item_id = await shipped_order(make_settings(state))
    settings = make_settings(state)
    Sandbox(settings).lose_next_answers("POST", "/refunds/", kind=kind)
    async with open_jet_client(settings, backoff_base=BACKOFF) as jet:
        await jet.put_inventory("lost-sku", payloads.inventory(7))  # not planned: answered
        with pytest.raises(JetError) as caught:
            await jet.create_refund(order_id, "first", payloads.refund(item_id, principal=1.0))
        assert caught.value.may_have_applied and seen_as(caught.value) == kind
        await jet.create_refund(order_id, "second", payloads.refund(item_id, principal=1.0))
    refunds = Sandbox(settings).db.all("refund")
    assert [r["alt_refund_id"] for r in refunds] == ["first", "second"]
    assert [(e["method"], e["kind"]) for e in Sandbox(settings).lost_answers()] == [("POST", kind)]
