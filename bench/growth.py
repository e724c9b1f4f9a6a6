"""Bounded growth: how big jettui's tables get for a big store left to cron for a month.

    python bench/growth.py                       # 100,000 products, 30 days, SQLite in /tmp
    python bench/growth.py --days 45             # past keep_days: the steady state
    python bench/growth.py --database mysql://user:pass@127.0.0.1:3306/scratch   # InnoDB

The simulation writes, hour by hour, the rows jettui's jobs write on the shipped schedule
(sync hourly, fetch-orders and fetch-errors every 10 minutes, acknowledge and fetch-returns
every 30) plus product-status once a day (every 20 minutes is not possible at this size: it
reads every SKU), with the real row builders: :func:`jettui.services.jet_session.call_event`
for each Jet call's event (bodies through :func:`shown_body`, as the logged client keeps them:
a successful read only its size), the bulk files' payloads as the sync job stores them, and
the pruning the jobs run (:func:`jettui.services.logs.prune_if_due`, ``log.keep_days`` 30).
Each hourly sync sends ``--changed`` of the catalogue (price and inventory files); the store
takes ``--orders-per-day`` orders. It prints each jettui table's size (data + indexes, as the
database reports it) and the total.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jettui.config import LogSettings, Settings  # noqa: E402
from jettui.services.jet_session import call_event, says_it_all, shown_body  # noqa: E402
from jettui.services.logs import prune_if_due  # noqa: E402
from jettui.store.base import database_proxy  # noqa: E402
from jettui.store.db import connect_url, ensure_jet_tables  # noqa: E402
from jettui.store.jet_tables import (  # noqa: E402
    JetEvent,
    JetFile,
    JetJobRun,
    JetOrder,
    JetProduct,
    redact,
)

START = dt.datetime(2026, 1, 1)
BODY_LIMIT = LogSettings().body_bytes
SKU_READ_BYTES = 1400  # GET merchant-skus/{sku}: Jet's product, as the sandbox answers it
ORDER_BYTES = 2600  # an order's detail as Jet sends it (kept in jet_order.raw)


class Writer:
    """Collects one simulated hour's rows and writes them in one transaction."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.runs: list[dict[str, Any]] = []
        self.files: list[dict[str, Any]] = []
        self.orders: list[dict[str, Any]] = []

    def call(
        self,
        when: dt.datetime,
        method: str,
        path: str,
        status: int = 200,
        request: bytes = b"",
        response: bytes = b"",
        response_size: int | None = None,
    ) -> None:
        detail: dict[str, Any] = {
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": round(random.uniform(5, 300), 1),
            "attempt": 1,
        }
        if request:
            detail["request_body"] = shown_body(request, BODY_LIMIT)
            detail["request_bytes"] = len(request)
        routine = method == "GET" and status < 400
        if response and not routine:
            detail["response_body"] = shown_body(response, BODY_LIMIT)
        detail["response_bytes"] = response_size if response_size is not None else len(response)
        row = call_event("call", detail)
        assert row is not None
        kept = None if says_it_all(detail) else row["detail"]  # as EventWriter keeps it
        self.event(when, row["kind"], row["message"], row["level"], row["ref"], kept)

    def event(
        self, when: dt.datetime, kind: str, message: str, level: str, ref: str, detail: Any = None
    ) -> None:
        self.events.append(
            {
                "time": when,
                "kind": kind,
                "level": level,
                "ref": ref[:128],
                "message": message,
                "detail": redact(detail) if detail is not None else None,
            }
        )

    def job(self, when: dt.datetime, name: str, ok: int, message: str) -> None:
        """The job's run row and its event-log row, plus the token its client asked for."""
        token = json.dumps({"user": "jetuser", "pass": "secret"}).encode()
        answer = json.dumps({"id_token": "x" * 900, "expires_on": "2026-01-01T10:00:00Z"})
        self.call(when, "POST", "token", request=token, response=answer.encode())
        self.runs.append(
            {
                "job": name,
                "started_at": when,
                "finished_at": when + dt.timedelta(seconds=3),
                "result": "ok",
                "items_ok": ok,
                "message": message,
            }
        )
        self.event(when, "job", f"{name}: ok, {message}", "info", name, {"items_ok": ok})

    def flush(self) -> None:
        with database_proxy.atomic():
            for model, rows in (
                (JetEvent, self.events),
                (JetJobRun, self.runs),
                (JetFile, self.files),
                (JetOrder, self.orders),
            ):
                for at in range(0, len(rows), 500):
                    model.insert_many(rows[at : at + 500]).execute()
        self.__init__()


def sku(n: int) -> str:
    return f"OC-{n:06d}"


def sync(w: Writer, when: dt.datetime, products: int, changed: int, hour: int) -> None:
    """Hourly sync: a Price and an Inventory bulk file of the changed SKUs."""
    picked = random.sample(range(products), changed)
    w.job(when, "sync", changed, f"{changed} sent, 0 failed")
    for file_type, entry in (
        ("Price", lambda p: {"price": p, "fulfillment_nodes": [
            {"fulfillment_node_id": "node-1", "fulfillment_node_price": p}]}),
        ("Inventory", lambda p: {"fulfillment_nodes": [
            {"fulfillment_node_id": "node-1", "quantity": int(p) % 50}]}),
    ):  # fmt: skip
        payload = {sku(n): entry(round(random.uniform(3, 300), 2)) for n in picked}
        file_id = f"{file_type[0]}{hour:05d}-{random.getrandbits(40):010x}"
        sas = f"https://jetmarketplace.blob.core.windows.net/files/{file_id}?sv=2015&sig=xyz"
        w.call(when, "GET", "files/uploadToken", response_size=260)
        blob = len(json.dumps(payload)) // 6  # gzipped
        w.call(when, "PUT", sas, 201, request=b"\x1f\x8b" + bytes(blob))
        upload = {"url": sas, "file_type": file_type, "file_name": f"{file_id}.json.gz"}
        w.call(
            when,
            "POST",
            "files/uploaded",
            request=json.dumps(upload).encode(),
            response=json.dumps({"jet_file_id": file_id, "status": "Acknowledged"}).encode(),
        )
        w.files.append(
            {
                "jet_file_id": file_id,
                "file_type": file_type,
                "file_name": f"{file_id}.json.gz",
                "status": "Processed successfully",
                "sku_count": changed,
                "payload": payload,
                "created_at": when,
                "uploaded_at": when,
                "updated_at": when,
            }
        )


def order_rows(w: Writer, when: dt.datetime, count: int, serial: int) -> int:
    for _ in range(count):
        serial += 1
        mid = f"{serial:032x}"
        w.call(when, "GET", f"orders/withoutShipmentDetail/detail/{mid}", response_size=ORDER_BYTES)
        ack = {"acknowledgement_status": "accepted", "order_items": [
            {"order_item_acknowledgement_status": "fulfillable", "order_item_id": "i" * 32}]}  # fmt: skip
        w.call(when, "PUT", f"orders/{mid}/acknowledge", 204, request=json.dumps(ack).encode())
        w.event(when, "order", f"order {mid} imported as OpenCart order {serial}", "info", mid)
        w.orders.append(
            {
                "merchant_order_id": mid,
                "reference_order_id": str(serial),
                "order_id": serial,
                "status": "acknowledged",
                "state": "done",
                "order_placed_date": when,
                "acknowledged_at": when,
                "acknowledgement_status": "accepted",
                "raw": {"merchant_order_id": mid, "blob": "x" * ORDER_BYTES},
                "lines": [{"sku": sku(serial % 1000), "qty": 1}],
                "created_at": when,
                "updated_at": when,
            }
        )
    return serial


def simulate(url: str, products: int, days: int, changed: float, orders_per_day: int) -> None:
    db = connect_url(url, "oc_")
    ensure_jet_tables(db)
    settings = Settings()  # log.keep_days 30, as shipped
    random.seed(12)
    clock = time.monotonic()
    rows = [
        {"product_id": n + 1, "merchant_sku": sku(n), "status": "Available for Purchase",
         "sent_hash": f"{n:064x}", "sent_at": START, "created_at": START, "updated_at": START}
        for n in range(products)
    ]  # fmt: skip
    with database_proxy.atomic():
        for at in range(0, len(rows), 1000):
            JetProduct.insert_many(rows[at : at + 1000]).execute()
    w = Writer()
    serial = 0
    per_sync = max(1, int(products * changed))
    for hour in range(days * 24):
        now = START + dt.timedelta(hours=hour)
        sync(w, now, products, per_sync, hour)
        for minute in range(0, 60, 10):
            at = now + dt.timedelta(minutes=minute)
            w.job(at, "fetch-orders", 0, "0 order(s) to import")
            w.call(at, "GET", "orders/ready", response=b'{"order_urls":[]}')
            w.job(at, "fetch-errors", 2, "2 checked, 0 failed")
            for _ in range(2 if minute == 0 else 0):
                w.call(at, "GET", "files/F0000", response_size=420)
        for minute in (0, 30):
            at = now + dt.timedelta(minutes=minute)
            w.job(at, "acknowledge", 0, "nothing to acknowledge")
            w.job(at, "fetch-returns", 0, "returns: nothing to do")
            w.call(at, "GET", "returns/created", response=b'{"return_urls":[]}')
            w.call(at, "GET", "returns/inprogress", response=b'{"return_urls":[]}')
        serial = order_rows(w, now, round(orders_per_day / 24 + random.random() - 0.5), serial)
        if hour % 24 == 3:  # product-status once a day
            w.job(now, "product-status", products, f"{products} checked, 0 failed")
            for n in range(products):
                w.call(now, "GET", f"merchant-skus/{sku(n)}", response_size=SKU_READ_BYTES)
        w.flush()
        prune_if_due(settings, now)
        if hour % 24 == 23:
            print(f"  day {hour // 24 + 1}: {time.monotonic() - clock:.0f} s", file=sys.stderr)
    report(db, url, products, days, per_sync, orders_per_day)
    db.close()


def report(db: Any, url: str, products: int, days: int, per_sync: int, orders: int) -> None:
    sizes = table_sizes(db, url)
    counts = {name: db.execute_sql(f"SELECT COUNT(*) FROM {name}").fetchone()[0] for name in sizes}
    print(
        f"jettui tables after {days} days: {products:,} products, sync hourly "
        f"({per_sync:,} SKUs changed each time), {orders} orders/day, log.keep_days 30"
    )
    for name, size in sorted(sizes.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<24} {counts[name]:>10,} rows  {size / 1e6:9.1f} MB")
    print(f"  {'total':<24} {'':>15}  {sum(sizes.values()) / 1e6:9.1f} MB")


def table_sizes(db: Any, url: str) -> dict[str, int]:
    """Bytes of each jettui table with its indexes, as the database counts them."""
    if url.startswith("mysql"):
        for (name,) in db.execute_sql("SHOW TABLES LIKE 'oc\\_jet\\_%'").fetchall():
            db.execute_sql(f"ANALYZE TABLE {name}").fetchall()
        query = (
            "SELECT table_name, data_length + index_length FROM information_schema.tables "
            "WHERE table_schema = DATABASE() AND table_name LIKE 'oc\\_jet\\_%'"
        )
        return {name: int(size) for name, size in db.execute_sql(query).fetchall()}
    pages = db.execute_sql(
        "SELECT m.tbl_name, SUM(s.pgsize) FROM dbstat s JOIN sqlite_master m ON m.name = s.name "
        "WHERE m.tbl_name LIKE 'oc_jet_%' GROUP BY m.tbl_name"
    ).fetchall()
    return {name: int(size) for name, size in pages}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--changed", type=float, default=0.02, help="share synced each hour")
    parser.add_argument("--orders-per-day", type=int, default=200)
    parser.add_argument("--database", help="a scratch database URL (default: SQLite in /tmp)")
    args = parser.parse_args()
    if args.database:
        simulate(args.database, args.products, args.days, args.changed, args.orders_per_day)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/growth.db"
        simulate(url, args.products, args.days, args.changed, args.orders_per_day)
        print(f"  (SQLite file: {Path(folder, 'growth.db').stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
