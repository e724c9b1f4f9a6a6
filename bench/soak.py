"""Soak: the whole merchant cycle against the HTTP sandbox losing answers and failing calls.

    python bench/soak.py                        # 200 orders x 3 lines, 500 products
    python bench/soak.py --orders 1000 --products 2000 --lost 0.3 --errors 0.1

The sandbox is served over HTTP in its own process (:mod:`bench.sandbox_server`) with
``lost_answer_rate`` (writes applied, answer lost: 504, dropped connection or read timeout)
and ``error_rate`` (500 before anything is applied). jettui runs with the shipped default
``max_retries`` over a SQLite demo store, as cron would: products uploaded then synced; orders
(3 lines each) fetched and acknowledged by the cron jobs, shipped (a third in two parts), a
third returned and completed, a tenth refunded; every command repeated until it succeeds (each
run settles what the last one left unconfirmed), then one more round of every job.

Checked against the sandbox's own records: every order imported once, acknowledged once,
every shipped message on Jet once and recorded applied, returns completed once, refunds
created once; upload and sync reports match the sandbox SKU by SKU. Prints the tally; exit 1
with the first mismatches when anything is off. ``tests/soak/test_soak.py`` runs it in CI.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.sandbox_server import api_url, free_port, sandbox_server  # noqa: E402

JET_NODE = 4000188  # a leaf of the sandbox taxonomy
LINES = 3
SERVER = """\
jet:
  api_url: sandbox
  api_user: soakuser
  api_secret: soak-secret
  fulfillment_node_id: node-1
sandbox:
  state_file: {state}
  review_delay_seconds: 0
  order_every_seconds: 0
  lost_answer_rate: {lost}
  error_rate: {errors}
store:
  database: sqlite:///{store}
"""
CLIENT = """\
jet:
  api_url: {api}
  api_user: soakuser
  api_secret: soak-secret
  fulfillment_node_id: node-1
  concurrency: 4
  timeout_seconds: 0.5
store:
  database: sqlite:///{store}
  url: https://shop.example.com/
orders:
  customer_email: jet-buyers@example.com
returns:
  return_action_id: 1
  address1: 6909 South State Street
  city: Midvale
  state: UT
  postcode: "84047"
sandbox:
  state_file: {state}
log:
  enabled: false
"""
DEBUG = False
ROUNDS = 12  # each command is repeated at most this often (a cron that keeps running)


@dataclass
class Tally:
    counts: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] += n

    def check(self, ok: bool, problem: str) -> None:
        if not ok:
            self.problems.append(problem)

    def lines(self) -> list[str]:
        return [f"{k:>34}: {v}" for k, v in sorted(self.counts.items())]


def _map_everything() -> None:
    from jettui.store.jet_tables import JetCategory, JetTaxonomyNode
    from jettui.store.opencart import Category

    JetTaxonomyNode.create(jet_node_id=JET_NODE, name="Soak node", is_leaf=True,
                           attributes=[{"attribute_id": 119, "variant": True}])  # fmt: skip
    for category in Category.select(Category.category_id):
        JetCategory.create(category_id=category.category_id, jet_node_id=JET_NODE)


async def _until(tally: Tally, what: str, attempt: Any) -> Any:
    """Run ``attempt()`` until it returns a truthy value (a merchant trying again)."""
    from jettui.errors import LockBusy

    for n in range(ROUNDS):
        try:
            result = await attempt()
        except LockBusy:
            result = None
        except Exception as exc:  # noqa: BLE001 - an outage: the next round tries again
            if type(exc).__name__ in ("ShipmentRefused", "FormRefused"):
                raise
            tally.add(f"{what}: retried after {type(exc).__name__}")
            result = None
        if result:
            if n:
                tally.add(f"{what}: needed another run")
            return result
    tally.problems.append(f"{what}: still not done after {ROUNDS} runs")
    return None


async def run(tmp: Path, orders: int, products: int, lost: float, errors: float,
              seed: int) -> Tally:  # fmt: skip
    from jettui.config import load_settings
    from jettui.jet.sandbox.orders import Sandbox
    from jettui.services.catalog import actions
    from jettui.store.db import connect, ensure_jet_tables
    from jettui.store.demo import build_demo_store

    actions.POLL_INTERVAL = 0.05  # the loopback sandbox processes a file within a few reads

    rng = random.Random(seed)
    tally = Tally()
    store, state = tmp / "store.db", tmp / "state.db"
    server_yaml, client_yaml = tmp / "server.yaml", tmp / "client.yaml"
    server_yaml.write_text(SERVER.format(state=state, store=store, lost=lost, errors=errors))
    port = free_port()
    client_yaml.write_text(CLIENT.format(api=api_url(port), store=store, state=state))
    client_yaml.chmod(0o600)
    settings = load_settings(client_yaml)
    build_demo_store(settings, products=products, seed=7)
    db = connect(settings)
    ensure_jet_tables(db)
    _map_everything()
    started = time.monotonic()
    with sandbox_server(server_yaml, port):
        sandbox = Sandbox(load_settings(server_yaml))  # the server's records, read directly
        try:
            skus = await _catalog(settings, db, sandbox, tally)
            tally.add("seconds: catalog", round(time.monotonic() - started))
            await _orders(settings, db, sandbox, tally, rng, skus, orders)
        finally:
            sandbox.db.close()
    db.close()
    tally.add("seconds: total", round(time.monotonic() - started))
    return tally


async def _catalog(settings: Any, db: Any, sandbox: Any, tally: Tally) -> list[str]:
    """Upload then sync every product; each report item against the sandbox's SKU record."""
    from jettui.services.catalog import resolve_products
    from jettui.store.jet_tables import JetProduct
    from jettui.store.opencart import Product

    ids = resolve_products(settings, all_mapped=True)
    upload = await _until(tally, "upload", lambda: _action(settings, db, "upload", ids))
    Product.update(price=Product.price + 1).execute()  # sync sends a Price file for each SKU
    sync = await _until(tally, "sync", lambda: _action(settings, db, "sync", ids))
    on_jet = {d["merchant_sku"]: d for d in sandbox.db.all("sku")}
    for name, report in (("upload", upload), ("sync", sync)):
        if report is None:
            continue
        for item in report.items:
            tally.add(f"{name} items {item.outcome}")
            doc = on_jet.get(item.item)
            if str(item.outcome) in ("succeeded", "unchanged"):
                tally.check(doc is not None and doc.get("price") is not None,
                            f"{name}: {item.item} reported on Jet, sandbox has no price")  # fmt: skip
            elif name == "upload":
                tally.check(doc is None, f"upload: {item.item} reported {item.outcome}, on Jet")
    prices = {r.merchant_sku: r for r in JetProduct.select()}
    for sku in on_jet:
        tally.check(sku in prices, f"sandbox lists {sku}, jettui never sent it")
    files = [d for d in sandbox.db.all("file") if d.get("received")]
    names = Counter(d["file_name"] for d in files)
    tally.add("bulk files registered", len(files))
    tally.check(all(v == 1 for v in names.values()), "a bulk file registered twice")
    # three plain products with plenty of stock for the orders
    plain = [r for r in JetProduct.select() if not r.product_option_value_id
             and r.merchant_sku in on_jet and not r.parent_sku][:LINES]  # fmt: skip
    if len(plain) < LINES:
        raise SystemExit(f"only {len(plain)} plain products on Jet: {tally.lines()}")
    Product.update(quantity=100_000).where(
        Product.product_id.in_([r.product_id for r in plain])
    ).execute()
    return [r.merchant_sku for r in plain]


async def _action(settings: Any, db: Any, action: str, ids: list[int]) -> Any:
    from jettui.services.catalog import run_action

    report = await run_action(settings, db, action, ids)
    failed = [i for i in report.items if str(i.outcome) == "failed"]
    if DEBUG and (failed or report.unreachable):
        print(action, report.summary, [i.line for i in failed][:5])
    # done when Jet answered for every SKU (a SKU refused here, "not attempted", stays so)
    return None if failed or report.unreachable else report


async def _orders(settings: Any, db: Any, sandbox: Any, tally: Tally, rng: random.Random,
                  skus: list[str], count: int) -> None:  # fmt: skip
    from jettui.services.jobs import run_job
    from jettui.store.jet_tables import JetOrder

    body = {"fulfillment_node": settings.jet.fulfillment_node_id,
            "items": [{"sku": s, "order_quantity": 2, "order_cancel_quantity": 0} for s in skus]}  # fmt: skip
    ids: list[str] = []
    while len(ids) < count:  # placed on the sandbox directly: no fault there
        urls = sandbox.generate_orders(min(100, count - len(ids)), body)
        ids += [url.rsplit("/", 1)[-1] for url in urls]
    tally.add("orders placed", len(ids))

    async def imported_and_acknowledged() -> bool:
        for job in ("fetch-orders", "acknowledge"):
            await run_job(settings, db, job, trigger="cron")
        rows = JetOrder.select().where(JetOrder.acknowledgement_status == "accepted")
        return rows.count() >= count

    await _until(tally, "import + acknowledge (cron rounds)", imported_and_acknowledged)
    from jettui.services.runtime import fan_out

    two_parts = set(rng.sample(ids, len(ids) // 3))  # shipped in two messages

    async def ship(mid: str) -> None:  # orders apart ship in parallel (one lock per order)
        await _ship(settings, db, tally, mid, split=mid in two_parts)

    await fan_out(ids, ship, concurrency=4)
    returned = ids[1::3]
    await _returns(settings, db, sandbox, tally, returned)
    others = [m for i, m in enumerate(ids) if i % 3 != 1]  # orders with no return
    tenth = max(1, count // 10)
    refunded = others[:: max(1, len(others) // tenth)][:tenth]
    for mid in refunded:
        await _refund(settings, db, tally, mid, skus[0])
    for job in ("fetch-orders", "acknowledge", "fetch-returns"):  # one more run: settles all
        await run_job(settings, db, job, trigger="cron")
    _verify(settings, sandbox, tally, ids, returned, refunded)


async def _ship(settings: Any, db: Any, tally: Tally, mid: str, *, split: bool) -> None:
    from jettui.services.orders.shipping import (
        ShipLine,
        ShipmentRefused,
        default_form,
        order_view,
        ship_order,
    )

    parts = 2 if split else 1
    for part in range(parts):

        async def one(part: int = part) -> bool:
            view = await order_view(db, mid)
            if view.open_units == 0:
                return True  # a lost answer the settle found applied: nothing left
            form = default_form(view, settings)
            form.tracking_number = f"1Z{abs(hash((mid, part))) % 10**16:016d}"
            if part == 0 and parts == 2:  # the first line now, the others in a second message
                form.lines = [form.lines[0], *(ShipLine(x.merchant_sku) for x in form.lines[1:])]
            try:
                result = await ship_order(settings, db, mid, form)
            except ShipmentRefused as exc:
                tally.problems.append(f"ship {mid}: refused {exc}")
                return True
            if "answer lost" in result.reason:
                tally.add("ship: applied (answer lost, confirmed by lookup)")
            return result.outcome == "succeeded"

        if await _until(tally, "ship", one):
            tally.add("shipped messages sent")


async def _returns(settings: Any, db: Any, sandbox: Any, tally: Tally, orders: list[str]) -> None:
    from jettui.services.jobs import run_job
    from jettui.services.returns import complete_return
    from jettui.store.jet_tables import JetReturn

    rids = [sandbox.generate_return(mid)["url"].rsplit("/", 1)[-1] for mid in orders]

    async def mirrored() -> bool:
        await run_job(settings, db, "fetch-returns", trigger="cron")
        done = JetReturn.select().where(JetReturn.state.not_in(("waiting", "intent"))).count()
        return done >= len(rids)

    await _until(tally, "returns fetched (cron rounds)", mirrored)
    for rid in rids:

        async def completed(rid: str = rid) -> bool:
            result = await complete_return(settings, db, rid)
            if "answer lost" in result.reason:
                tally.add("return: applied (answer lost, confirmed by lookup)")
            return result.outcome in ("succeeded", "unchanged")

        if await _until(tally, "return completed", completed):
            tally.add("returns completed")


async def _refund(settings: Any, db: Any, tally: Tally, mid: str, sku: str) -> None:
    from jettui.services.refunds import create_refund, list_refunds

    async def refunded() -> bool:
        if any(r["merchant_order_id"] == mid and r["state"] != "failed"
               for r in list_refunds(db)):  # fmt: skip
            return True  # the last try's answer was lost: the next run settles it
        result = await create_refund(settings, db, mid, {sku: 1}, "Accidental order",
                                     "Item damaged")  # fmt: skip
        if "answer lost" in result.reason:
            tally.add("refund: applied (answer lost, confirmed by lookup)")
        return result.outcome == "succeeded" or bool(result.detail.get("may_have_applied"))

    if await _until(tally, "refund", refunded):
        tally.add("refunds created")


def _verify(settings: Any, sandbox: Any, tally: Tally, ids: list[str], returned: list[str],
            refunded: list[str]) -> None:  # fmt: skip
    from jettui.store.jet_tables import JetOrder, JetRefund, JetReturn
    from jettui.store.opencart import Order

    rows = {r.merchant_order_id: r for r in JetOrder.select()}
    tally.check(len(rows) == len(ids), f"{len(rows)} orders in jettui for {len(ids)} placed")
    order_ids = Counter(r.order_id for r in rows.values())
    real = {o for (o,) in Order.select(Order.order_id).where(
        Order.order_id.in_(list(order_ids))).tuples()}  # fmt: skip
    tally.add("OpenCart orders written", len(real))
    for mid in ids:
        doc = sandbox.db.get("order", mid)
        row = rows.get(mid)
        if row is None:
            tally.problems.append(f"order {mid}: never imported")
            continue
        tally.check(order_ids[row.order_id] == 1 and row.order_id in real,
                    f"order {mid}: OpenCart order {row.order_id} missing or shared")  # fmt: skip
        tally.check(doc["acknowledgement_status"] == "accepted", f"order {mid}: not acknowledged")
        alts = [s["alt_shipment_id"] for s in doc.get("shipments") or []]
        tally.check(len(alts) == len(set(alts)), f"order {mid}: a shipped message applied twice")
        ours = {r["alt_shipment_id"]: r["state"] for r in row.shipments or []}
        tally.check(set(alts) == set(ours), f"order {mid}: Jet {alts} vs jettui {ours}")
        tally.check(set(ours.values()) <= {"applied"}, f"order {mid}: records {ours}")
        tally.check(doc["status"] == "complete", f"order {mid}: Jet status {doc['status']}")
        tally.add("shipped messages on Jet", len(alts))
    by_order = Counter(d["merchant_order_id"] for d in sandbox.db.all("refund"))
    for mid in refunded:
        tally.check(by_order.get(mid) == 1, f"order {mid}: {by_order.get(mid)} refunds on Jet")
    tally.add("refunds on Jet", sum(by_order.values()))
    tally.check(
        JetRefund.select().where(JetRefund.state.in_(("intent", "unknown"))).count() == 0,
        "a refund left unconfirmed",
    )
    done = [
        d for d in sandbox.db.all("return") if d.get("return_status") == "completed by merchant"
    ]
    tally.add("returns completed on Jet", len(done))
    tally.check(len(done) == len(returned), f"{len(done)} returns completed of {len(returned)}")
    tally.check(
        JetReturn.select().where(JetReturn.state == "completed").count() == len(returned),
        "a return not recorded completed",
    )
    for e in sandbox.lost_answers():
        path = e["path"].rstrip("/")
        kind = "refunds" if "/refunds/" in path else path.rsplit("/", 1)[-1]
        if kind.startswith("generate"):
            continue
        kind = (
            kind
            if kind in ("acknowledge", "shipped", "complete", "refunds", "uploaded")
            else "SKU data"
        )
        tally.add(f"lost answers (Jet applied): {kind}")
    from jettui.services.unconfirmed import unconfirmed_writes

    left = unconfirmed_writes()
    tally.check(not left, f"unconfirmed writes left: {[w.text for w in left[:5]]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--products", type=int, default=500)
    parser.add_argument("--lost", type=float, default=0.3, help="lost_answer_rate")
    parser.add_argument("--errors", type=float, default=0.1, help="error_rate")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jettui-soak-") as tmp:
        tally = asyncio.run(run(Path(tmp), args.orders, args.products, args.lost, args.errors,
                                args.seed))  # fmt: skip
    print("\n".join(tally.lines()))
    for problem in tally.problems[:20]:
        print(f"PROBLEM: {problem}")
    return 1 if tally.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
