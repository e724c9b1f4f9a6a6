"""Demo mode (``order_every_seconds`` > 0): what a newcomer sees without doing anything.
Orders start soon after the first listing goes live and vary (several lines, variation
children, directed cancels); some shipped demo orders come back as returns. Controlled clock."""

from __future__ import annotations

import random
from typing import Any

from jettui.jet.sandbox.cases import VALID
from jettui.jet.sandbox.orders import demo_items

from .conftest import Jet, jet_for, make_settings, shipped_body


async def demo_jet(every: float = 300, review: float = 30, seed: int = 5) -> Jet:
    j = jet_for(make_settings(order_every_seconds=every, review_delay_seconds=review))
    await j.login()
    j.sandbox.rng.seed(seed)
    j.sandbox.clock = lambda: 1_000_000.0
    return j


async def order_ids(j: Jet, status: str = "created") -> list[str]:
    urls = (await j.c.get(f"/orders/{status}")).json()["order_urls"]
    return [u.rsplit("/", 1)[1] for u in urls]


async def all_orders(j: Jet) -> list[dict[str, Any]]:
    ids = [i for s in ("created", "ready", "acknowledged", "inprogress", "complete")
           for i in await order_ids(j, s)]  # fmt: skip
    return [(await j.c.get(f"/orders/withoutShipmentDetail/{i}")).json() for i in ids]


async def test_first_demo_order_comes_soon_after_the_first_listing_goes_live() -> None:
    j = await demo_jet(every=300, review=30)
    await j.product("live-1")  # complete: under Jet review for 30 s
    j.advance(20)
    assert await order_ids(j) == []  # nothing for sale yet
    j.advance(15)  # reviewed: Available for Purchase
    assert len(await order_ids(j)) == 1  # the first order at once, not 300 s later
    j.advance(299)
    assert len(await all_orders(j)) == 1
    j.advance(1)
    assert len(await all_orders(j)) == 2  # then one every order_every_seconds
    j.advance(3 * 300)
    assert len(await all_orders(j)) == 5  # caught up on the next request


async def test_no_backlog_builds_while_nothing_is_for_sale() -> None:
    j = await demo_jet(every=60, review=0)
    await j.product("live-1")
    j.advance(5)  # the sandbox looks for a SKU for sale every 5 s until the first order
    assert len(await all_orders(j)) == 1
    await j.c.put("/merchant-skus/live-1/status/archive", json={"is_archived": True})
    j.advance(600)
    assert len(await all_orders(j)) == 1
    await j.c.put("/merchant-skus/live-1/status/archive", json={"is_archived": False})
    j.advance(61)
    assert len(await all_orders(j)) == 2  # one order, not ten


def test_demo_lines_vary_and_are_reproducible() -> None:
    available = {"p1": 1, "p2": 5, "p3": 5, "shirt": 5, "shirt-s": 5, "shirt-m": 5}
    draws = [demo_items(available, ["shirt-s", "shirt-m"], random.Random(9)) for _ in range(1)]
    rng = random.Random(9)
    orders = [demo_items(available, ["shirt-s", "shirt-m"], rng) for _ in range(200)]
    assert orders[0] == draws[0]  # same seed, same orders
    several = [o for o in orders if len(o) > 1]
    with_child = [o for o in orders if {i["sku"] for i in o} & {"shirt-s", "shirt-m"}]
    cancels = [o for o in orders if any(i["order_cancel_quantity"] for i in o)]
    assert 40 <= len(several) <= 110 and all(len(o) <= 3 for o in orders)
    assert 70 <= len(with_child) <= 160
    assert 10 <= len(cancels) <= 60
    assert all(len({i["sku"] for i in o}) == len(o) for o in orders)  # no SKU twice
    assert all(sum(i["order_cancel_quantity"] for i in o) <= 1 for o in orders)
    assert all(i["order_quantity"] == 1 for o in orders for i in o if i["sku"] == "p1")  # stock
    assert {i["order_quantity"] for o in orders for i in o} == {1, 2}
    alone = [demo_items({"only": 3}, [], rng) for _ in range(50)]
    assert all([i["sku"] for i in o] == ["only"] for o in alone)


async def test_demo_orders_hold_several_lines_children_and_directed_cancels() -> None:
    j = await demo_jet(every=60, review=0, seed=11)
    for sku in ("plain-1", "plain-2", "shirt"):
        await j.product(sku)
    for sku, color in (("shirt-s", "Black"), ("shirt-m", "White")):  # refined by Color (1)
        await j.product(
            sku, attributes_node_specific=[{"attribute_id": 1, "attribute_value": color}]
        )
    variation = {**VALID["validate_variation"], "children_skus": ["shirt-s", "shirt-m"]}
    assert (await j.c.put("/merchant-skus/shirt/variation", json=variation)).status_code == 201
    for _ in range(40):
        j.advance(60)
        await j.c.get("/authcheck")
    orders = await all_orders(j)
    assert len(orders) >= 40
    assert any(len(o["order_items"]) > 1 for o in orders)
    assert any(
        i["merchant_sku"] in ("shirt-s", "shirt-m") for o in orders for i in o["order_items"]
    )
    cancelled = [o for o in orders if o["jet_requested_directed_cancel"]]
    assert cancelled
    for o in cancelled:
        line = next(i for i in o["order_items"] if i["request_order_cancel_qty"])
        assert line["request_order_cancel_qty"] == 1 <= line["request_order_quantity"]
    listed = (await j.c.get("/orders/directedCancel")).json()["order_urls"]
    assert {u.rsplit("/", 1)[1] for u in listed} == {o["merchant_order_id"] for o in cancelled}


async def ship(j: Jet, order: dict[str, Any]) -> None:
    assert (await j.ack(order)).status_code == 201
    r = await j.c.put(f"/orders/{order['merchant_order_id']}/shipped", json=shipped_body(order))
    assert r.status_code == 201, r.text


async def return_urls(j: Jet) -> list[str]:
    return (await j.c.get("/returns/created")).json()["return_urls"]


async def test_a_shipped_demo_order_comes_back_as_a_return_one_interval_later() -> None:
    j = await demo_jet(every=120, review=0)
    await j.product("live-1")
    j.advance(5)
    [order] = await all_orders(j)
    await ship(j, order)
    j.advance(119)
    assert await return_urls(j) == []
    j.advance(1)
    [url] = await return_urls(j)  # the first shipped demo order always comes back
    detail = (await j.c.get(url)).json()
    assert detail["merchant_order_id"] == order["merchant_order_id"]
    shipped = order["order_items"][0]
    [line] = detail["return_merchant_SKUs"]
    assert line["merchant_sku"] == "live-1"
    assert (
        line["return_quantity"]
        == shipped["request_order_quantity"] - shipped["request_order_cancel_qty"]
    )
    j.advance(10 * 120)
    inprogress = (await j.c.get("/returns/inprogress")).json()["return_urls"]
    assert inprogress == [url] and await return_urls(j) == []  # never a second return for it


async def test_only_a_share_of_demo_orders_and_no_generated_order_come_back() -> None:
    j = await demo_jet(every=60, review=0, seed=3)
    await j.product("live-1", qty=10_000)
    generated = await j.order(
        qty=1, sku="live-1"
    )  # through /orders/generate: never returned by itself
    await ship(j, generated)
    j.advance(5)
    for _ in range(20):
        j.advance(60)
        await j.c.get("/authcheck")
    demo = [
        o for o in await all_orders(j) if o["merchant_order_id"] != generated["merchant_order_id"]
    ]
    assert len(demo) >= 20
    for order in demo:
        await ship(j, order)
    j.advance(60)
    returns = [(await j.c.get(u)).json() for u in await return_urls(j)]
    returned = {r["merchant_order_id"] for r in returns}
    assert generated["merchant_order_id"] not in returned
    assert 2 <= len(returned) <= len(demo) // 2  # the first, then about 30 %
    assert len(returns) == len(returned)


async def test_without_demo_mode_no_order_or_return_appears() -> None:
    j = jet_for(make_settings(order_every_seconds=0))
    await j.login()
    await j.product("live-1")
    order = await j.order(qty=1, sku="live-1")
    await ship(j, order)
    j.advance(10_000)
    assert len(await all_orders(j)) == 1
    assert await return_urls(j) == []
