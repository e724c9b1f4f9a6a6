"""Fixed Jet orders, returns and refunds written straight into jettui's tables, for the
panels' snapshots and row tests (the services that write them are tested on their own).

``NOW`` is the panels' clock in these tests (``deadlines.clock`` is replaced): the first order
has 4 minutes left to be acknowledged, the second is past its deadline.
"""

from __future__ import annotations

import datetime as dt

import pytest

from jettui.services.orders import deadlines
from jettui.store.jet_tables import JetOrder, JetOrderLine, JetRefund, JetReturn

NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)


def raw_order(
    jet_id: str, ref: str, status: str, buyer: str, items: list[tuple], ready: str
) -> dict:
    return {
        "merchant_order_id": jet_id,
        "reference_order_id": ref,
        "status": status,
        "order_ready_date": ready,
        "order_placed_date": ready,
        "buyer": {"name": buyer, "phone_number": "555-0100"},
        "shipping_to": {
            "recipient": {"name": buyer, "phone_number": "555-0100"},
            "address": {"address1": "1 Main St", "city": "Albany", "state": "NY",
                        "zip_code": "12207"},
        },
        "order_detail": {"request_shipping_carrier": "UPS",
                         "request_shipping_method": "UPS Ground",
                         "request_ship_by": "2026-11-30T18:00:00.0000000Z",
                         "request_delivery_by": "2026-12-03T18:00:00.0000000Z"},
        "order_items": [
            {"order_item_id": f"{n + 1:032x}", "merchant_sku": sku, "product_title": title,
             "request_order_quantity": qty, "request_order_cancel_qty": 0,
             "item_price": {"base_price": price, "item_tax": 0, "item_shipping_cost": 0,
                            "item_shipping_tax": 0}}
            for n, (sku, title, qty, price) in enumerate(items)
        ],
    }  # fmt: skip


ORDERS = (
    # jet id, ref, status, state, OC order, buyer, items (sku, title, qty, unit price), ready at
    ("5f1c0a7e9b2d4c3e8a6f0b1d2c3e4f50", "100234", "ready", "done", 0, "Ada Lovelace",
     [("ACM-WB00002", "Acme water bottle", 2, 12.5)], "2026-11-29T11:49:00.0000000Z"),
    ("7a2b3c4d5e6f708192a3b4c5d6e7f801", "100235", "ready", "done", 0, "Alan Turing",
     [("BRW-CK00003", "Brew coffee kit", 1, 42.5)], "2026-11-29T11:30:00.0000000Z"),
    ("9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a41", "100236", "acknowledged", "done", 0, "Grace Hopper",
     [("BRW-T00004", "Brew teapot", 1, 19.99), ("ACM-WB00002", "Acme water bottle", 3, 12.5)],
     "2026-11-29T10:00:00.0000000Z"),
    ("e1d2c3b4a5968778695a4b3c2d1e0f92", "100237", "ready", "held", 0, "Edsger Dijkstra",
     [("NOPE-1", "Unknown thing", 1, 9.99)], "2026-11-29T11:55:00.0000000Z"),
)  # fmt: skip
RETURN_ID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"


def fill(*, with_oc_orders: bool = False) -> None:
    """Write the orders (one held, with its reason), a return and two refunds."""
    created = dt.datetime(2026, 11, 29, 9, 0)
    for n, (jet_id, ref, status, state, order_id, buyer, items, ready) in enumerate(ORDERS):
        JetOrder.create(
            merchant_order_id=jet_id, reference_order_id=ref, status=status, state=state,
            order_id=order_id, raw=raw_order(jet_id, ref, status, buyer, items, ready),
            ship_by=dt.datetime(2026, 11, 30, 18, 0),
            order_placed_date=dt.datetime.fromisoformat(ready[:19]),
            acknowledged_at=created if status == "acknowledged" else None,
            error="unknown SKU 'NOPE-1': no product with that SKU or model" if state == "held" else None,
            created_at=created + dt.timedelta(minutes=n),
        )  # fmt: skip
    JetReturn.create(
        merchant_return_authorization_id=RETURN_ID, merchant_order_id=ORDERS[2][0],
        return_ids=[3, 4], status="created", state="mirrored", created_at=created,
        raw={"merchant_return_authorization_id": RETURN_ID, "merchant_order_id": ORDERS[2][0],
             "return_date": "2026-11-29T11:00:00.0000000Z", "return_status": "created",
             "return_merchant_SKUs": [
                 {"order_item_id": f"{1:032x}", "merchant_sku": "BRW-T00004",
                  "merchant_sku_title": "Brew teapot", "reason": "Item arrived damaged - box intact",
                  "return_quantity": 1,
                  "requested_refund_amount": {"principal": 19.99, "tax": 0, "shipping_cost": 0,
                                              "shipping_tax": 0}}]},
    )  # fmt: skip
    # the acknowledged order's line accounts: every unit shipped, the bottles refunded (jt-aaaa)
    for n, sku, qty, refunded in ((1, "BRW-T00004", 1, 0), (2, "ACM-WB00002", 3, 3)):
        JetOrderLine.create(
            merchant_order_id=ORDERS[2][0], order_item_id=f"{n:032x}", merchant_sku=sku,
            ordered=qty, shipped=qty, refunded=refunded, kept=refunded,
            refunded_principal=37.5 if refunded else 0,
        )  # fmt: skip
    JetRefund.create(
        refund_id="jt-aaaa", refund_authorization_id="RA-1", merchant_order_id=ORDERS[2][0],
        status="accepted", state="final", amount=37.5, reason="Unwanted gift",
        items=[{"merchant_sku": "ACM-WB00002", "order_return_refund_qty": 3}],
        created_at=created, updated_at=dt.datetime(2026, 11, 29, 11, 30),
    )  # fmt: skip
    JetRefund.create(
        refund_id="jt-bbbb", merchant_order_id=ORDERS[2][0], status="created", state="unknown",
        amount=19.99, reason="Accidental order",
        items=[{"merchant_sku": "BRW-T00004", "order_return_refund_qty": 1}],
        created_at=created, updated_at=dt.datetime(2026, 11, 29, 11, 45),
    )  # fmt: skip


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    monkeypatch.setattr(deadlines, "clock", lambda: NOW)
    return NOW
