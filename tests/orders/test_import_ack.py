"""Acknowledgement deadline, the fetch-orders/acknowledge jobs, Jet status refresh and the
order-status check of `config check` (SQLite and MariaDB)."""

from __future__ import annotations

import datetime as dt

from jettui.jet.connect import open_jet_client
from jettui.jet.dates import format_jet_date
from jettui.services.jobs import JOBS, run_job
from jettui.services.orders.config_check import check_order_statuses
from jettui.services.orders.importer import fetch_orders
from jettui.store.jet_tables import JetOrder
from jettui.store.opencart import Order
from tests.shop_support import (
    edit_jet_order,
    jet_order,
    link_skus,
    list_on_jet,
    place_order,
    write_settings,
)


async def test_acknowledge_job_reports_orders_past_their_deadline(oc_settings, oc_db) -> None:
    settings = oc_settings
    await list_on_jet(settings, {"product 11": 101.0})
    [late] = await place_order(settings, [("product 11", 1, 0)])
    [fresh] = await place_order(settings, [("product 11", 1, 0)])
    two_hours_ago = format_jet_date(dt.datetime.now(dt.UTC) - dt.timedelta(hours=2))
    # created two hours ago: Jet made it ready then (order_ready_date), placed before that
    edit_jet_order(settings, late, lambda d: d.update(_created=d["_created"] - 7200,
                                                      order_placed_date=two_hours_ago))  # fmt: skip

    assert JOBS["fetch-orders"].available and JOBS["acknowledge"].available
    fetched = await run_job(settings, oc_db, "fetch-orders", trigger="test")
    assert (fetched.result, fetched.items_ok) == ("ok", 2), fetched.line
    assert JetOrder.select().where(JetOrder.acknowledgement_status.is_null()).count() == 2

    outcome = await run_job(settings, oc_db, "acknowledge", trigger="test")
    assert outcome.exit_code == 1 and outcome.result == "partial", outcome.line
    [failure] = outcome.failures
    assert failure.item == late and "past its acknowledgement deadline" in failure.reason
    assert outcome.items_ok == 1
    # acknowledged all the same: Jet may still take it
    assert (await jet_order(settings, late))["status"] == "acknowledged"
    assert (await jet_order(settings, fresh))["status"] == "acknowledged"
    again = await run_job(settings, oc_db, "acknowledge", trigger="test")
    assert (again.result, again.items_ok, again.items_failed) == ("ok", 0, 0)


async def test_fetch_refreshes_jet_status_of_open_orders(oc_database, tmp_path, oc_db) -> None:
    settings = write_settings(tmp_path, oc_database, "  auto_acknowledge: true\n")
    link_skus()
    await list_on_jet(settings, {"product 11": 101.0})
    [mid] = await place_order(settings, [("product 11", 2, 0)])
    assert (await fetch_orders(settings, oc_db)).exit_code == 0
    row = JetOrder.get(JetOrder.merchant_order_id == mid)
    assert row.status == "acknowledged" and row.status_checked_at is None
    now = format_jet_date(dt.datetime.now(dt.UTC))
    shipment = {
        "alt_shipment_id": "elsewhere-1",
        "shipment_tracking_number": "1Z999AA10123456784",
        "response_shipment_date": now,
        "response_shipment_method": "UPS Ground",
        "expected_delivery_date": now,
        "ship_from_zip_code": "84047",
        "carrier_pick_up_date": now,
        "carrier": "UPS",
        "shipment_items": [
            {
                "merchant_sku": "product 11",
                "response_shipment_sku_quantity": 2,
                "response_shipment_cancel_qty": 0,
            }
        ],
    }
    async with open_jet_client(settings) as jet:  # shipped outside jettui (Jet's portal)
        await jet.ship(mid, {"shipments": [shipment]})

    report = await fetch_orders(settings, oc_db)
    assert report.exit_code == 0 and report.refreshed == 1, report.summary
    row = JetOrder.get(JetOrder.merchant_order_id == mid)
    assert row.status == "complete" and row.status_checked_at is not None
    assert row.raw["shipments"][0]["alt_shipment_id"] == "elsewhere-1"
    # the ship side mirrors it to OpenCart once
    order = Order.get_by_id(row.order_id)
    assert order.order_status_id == settings.orders.status_shipped
    # complete orders are not read again
    assert (await fetch_orders(settings, oc_db)).refreshed == 0


def test_config_check_names_missing_order_statuses(oc_database, tmp_path, oc_db) -> None:
    settings = write_settings(tmp_path, oc_database)
    assert check_order_statuses(settings) == []
    settings = write_settings(tmp_path, oc_database, "  status_refunded: 42\n")
    assert check_order_statuses(settings) == [
        "orders.status_refunded: order status 42 does not exist in oc_order_status"
    ]
