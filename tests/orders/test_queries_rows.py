"""The read models on their own: JetOrder rows written directly (the import is tested
elsewhere) over OpenCart 3.0.3.8's demo data, on SQLite and MariaDB."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from jettui.services.orders.queries import list_orders, order_detail, problem_orders
from jettui.store.jet_tables import JetOrder
from jettui.store.oc_orders import add_order_history, shop_context
from tests.shop_support import new_order

NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)


def raw(order_id: str, status: str, *, items=(("CAM-1", 2, 0, 100.0),), **extra) -> dict:
    return {
        "merchant_order_id": order_id,
        "reference_order_id": "R" + order_id[:6],
        "status": status,
        "order_ready_date": "2026-11-29T11:50:00.0000000Z",
        "order_placed_date": "2026-11-29T11:40:00.0000000Z",
        "buyer": {"name": "Ada Lovelace", "phone_number": "555-0100"},
        "shipping_to": {
            "recipient": {"name": "Ada Lovelace", "phone_number": "555-0100"},
            "address": {"address1": "1 Main St", "city": "Albany", "state": "NY", "zip_code": "12207"},
        },
        "order_detail": {"request_shipping_carrier": "UPS", "request_shipping_method": "UPS Ground",
                         "request_ship_by": "2026-11-30T12:00:00.0000000Z"},
        "order_items": [
            {"order_item_id": f"{n:032x}", "merchant_sku": sku, "product_title": sku,
             "request_order_quantity": qty, "request_order_cancel_qty": cancel,
             "item_price": {"base_price": price, "item_tax": 8.0, "item_shipping_cost": 5.0,
                            "item_shipping_tax": 0.5}}
            for n, (sku, qty, cancel, price) in enumerate(items)
        ],
        **extra,
    }  # fmt: skip


def jet_order(jet_id: str, status: str, state: str = "done", **kw) -> JetOrder:
    data = raw(jet_id, status, **{k: v for k, v in kw.items() if k in ("items",)})
    fields = {k: v for k, v in kw.items() if k != "items"}
    return JetOrder.create(
        merchant_order_id=jet_id, reference_order_id=data["reference_order_id"], status=status,
        state=state, raw=data, order_placed_date=dt.datetime(2026, 11, 29, 11, 50), **fields,
    )  # fmt: skip


def test_orders_panel_rows_filters_and_time_left_to_acknowledge(oc_settings, oc_db) -> None:
    jet_order("a" * 32, "ready", created_at=dt.datetime(2026, 11, 29, 11, 0))
    jet_order("b" * 32, "acknowledged", order_id=5, acknowledgement_status="accepted",
              created_at=dt.datetime(2026, 11, 29, 11, 1))  # fmt: skip
    jet_order("c" * 32, "ready", state="held", error="unknown SKU 'X'",
              created_at=dt.datetime(2026, 11, 29, 11, 2))  # fmt: skip

    rows = list_orders(oc_db, settings=oc_settings, now=NOW)
    assert [r.merchant_order_id[0] for r in rows] == ["c", "b", "a"]  # newest first
    ready = rows[2]
    # 2 units at 100.00, 5.00 shipping and 0.50 its tax each, 8.00 tax for the line
    assert (ready.buyer, ready.items, ready.total) == ("Ada Lovelace", 2, 219.0)
    assert ready.ack_deadline == dt.datetime(2026, 11, 29, 12, 5, tzinfo=dt.UTC)
    assert ready.ack_seconds_left == 300
    assert ready.ship_by == dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
    assert rows[1].ack_deadline is None and rows[1].ack_seconds_left is None
    late = list_orders(oc_db, settings=oc_settings, now=NOW + dt.timedelta(minutes=10))[2]
    assert late.ack_seconds_left == -300

    assert [r.merchant_order_id[0] for r in list_orders(oc_db, "ready")] == ["c", "a"]
    assert [r.merchant_order_id[0] for r in list_orders(oc_db, "held")] == ["c"]
    assert [r.merchant_order_id[0] for r in list_orders(oc_db, "open")] == ["b", "a"]  # imported
    with pytest.raises(ValueError, match="--status: 'shipped' is not one of created, ready"):
        list_orders(oc_db, "shipped")

    [held] = problem_orders(oc_db, settings=oc_settings, now=NOW)
    assert (held.import_state, held.error) == ("held", "unknown SKU 'X'")
    json.dumps([r.as_dict() for r in rows])  # JSON-able as it is


def test_order_detail_lines_totals_history_and_shipments(oc_settings, oc_db) -> None:
    order_id = new_order([{"product_id": 40, "quantity": 3}])
    add_order_history(order_id, 2, "Jet order imported", shop=shop_context(oc_settings))
    shipment = {
        "alt_shipment_id": "jettui-1", "state": "applied", "sent_at": "2026-11-29T12:00:00",
        "body": {"alt_shipment_id": "jettui-1", "carrier": "UPS", "response_shipment_method": "UPS Ground",
                 "shipment_tracking_number": "1Z1", "shipment_items": [
                     {"merchant_sku": "CAM-1", "response_shipment_sku_quantity": 1, "response_shipment_cancel_qty": 1}]},
    }  # fmt: skip
    foreign = {"alt_shipment_id": "other", "carrier": "USPS", "shipment_items": [
        {"merchant_sku": "SHIRT", "response_shipment_sku_quantity": 1}]}  # fmt: skip
    jet_order("d" * 32, "inprogress", order_id=order_id, shipments=[shipment],
              items=(("CAM-1", 3, 0, 90.0), ("SHIRT", 2, 1, 20.0)))  # fmt: skip
    row = JetOrder.get(JetOrder.merchant_order_id == "d" * 32)
    row.raw = {**row.raw, "shipments": [shipment["body"], foreign]}
    row.lines = [{"merchant_sku": "CAM-1", "order_product_id": 77}]
    row.save()

    detail = order_detail(oc_db, "d" * 32, settings=oc_settings)
    cam, shirt = detail.lines
    assert (cam.line.ordered, cam.line.shipped, cam.line.cancelled, cam.line.open) == (3, 1, 1, 1)
    assert (cam.unit_price, cam.order_product_id) == (90.0, 77)  # base_price is per unit
    assert (shirt.line.shipped, shirt.line.open, shirt.line.directed_cancel) == (1, 1, 1)
    assert detail.row.open_units == 2
    assert [h.comment for h in detail.history] == ["Jet order imported"]
    assert detail.history[0].status == "Processing" and detail.oc_status == "Processing"
    assert [(s.alt_shipment_id, s.state, s.tracking_number) for s in detail.shipments] == [
        ("jettui-1", "applied", "1Z1"),
        ("other", "on Jet", ""),
    ]
    assert detail.ship_to["city"] == "Albany" and detail.request["shipping_carrier"] == "UPS"
    # 3 × 90 + 2 × 20; item_tax 8.00 per line; shipping 5.00 and its tax 0.50 per unit
    assert detail.jet_totals == {"items": 310.0, "tax": 16.0, "shipping": 25.0,
                                 "shipping_tax": 2.5, "total": 353.5}  # fmt: skip
    data = json.loads(json.dumps(detail.as_dict()))
    assert data["lines"][0]["open"] == 1 and data["history"][0]["status_id"] == 2
    assert order_detail(oc_db, "e" * 32) is None
