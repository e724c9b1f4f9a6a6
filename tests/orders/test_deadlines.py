"""Deadlines from the documented dates (docs/jet-api.md 3 and 4): Jet keeps an order
``created`` ~30 minutes, then ``ready``; the 15 minutes to acknowledge run from
``order_ready_date`` (then ``order_transmission_date``, then ``order_placed_date``), ship-by is
``request_ship_by``. One function reckons them, so the import, the acknowledge job, the Orders
panel (row and cell), the order detail and ``jettui status`` agree. SQLite and MariaDB."""

from __future__ import annotations

import datetime as dt

from jettui.config import Settings
from jettui.jet.dates import format_jet_date, parse_jet_date
from jettui.services.orders import deadlines
from jettui.services.orders.importer import fetch_orders
from jettui.store.jet_tables import JetOrder
from tests.shop_support import jet_order, link_skus, list_on_jet, place_order, write_settings

T = dt.datetime(2026, 6, 1, 14, 0)


def z(moment: dt.datetime) -> str:
    return format_jet_date(moment.replace(tzinfo=dt.UTC))


def test_the_acknowledgement_window_opens_when_the_order_became_ready() -> None:
    settings = Settings()  # acknowledge_within_minutes: 15
    order = {"order_placed_date": z(T - dt.timedelta(minutes=30)),
             "order_transmission_date": z(T - dt.timedelta(minutes=1)),
             "order_ready_date": z(T)}  # fmt: skip
    assert deadlines.ack_deadline(settings, order) == T + dt.timedelta(minutes=15)
    del order["order_ready_date"]
    assert deadlines.ack_deadline(settings, order) == T + dt.timedelta(minutes=14)
    del order["order_transmission_date"]
    assert deadlines.ack_deadline(settings, order) == T - dt.timedelta(minutes=15)
    assert deadlines.ack_deadline(settings, {}, placed=T) == T + dt.timedelta(minutes=15)
    assert deadlines.ack_deadline(settings, {"order_ready_date": "garbage"}) is None
    # an offset is read as the moment it names
    assert deadlines.ack_window_start({"order_ready_date": "2026-06-01T07:00:00-07:00"}) == T


def test_ship_by_is_jets_request_ship_by() -> None:
    order = {"order_detail": {"request_ship_by": "2026-06-02T14:00:00.0000000Z"}}
    assert deadlines.ship_by(order) == dt.datetime(2026, 6, 2, 14, 0)
    assert deadlines.ship_by({}, stored=T) == T
    assert deadlines.ship_by({"order_detail": {"request_ship_by": None}}) is None


async def test_a_sandbox_order_placed_30_minutes_before_ready_is_not_late(
    oc_database, tmp_path, oc_db
) -> None:
    """Against Jet every order is placed ~30 minutes before it is ready: counted from the
    placed date each one was reported past its deadline and the fetch exited 1."""
    from jettui.services import status
    from jettui.services.orders.panels import OrderSource
    from jettui.services.orders.queries import order_detail, order_row

    settings = write_settings(tmp_path, oc_database, "  auto_acknowledge: false\n")
    link_skus()
    await list_on_jet(settings, {"product 11": 101.0})
    [mid] = await place_order(settings, [("product 11", 1, 0)])
    raw = await jet_order(settings, mid)
    placed = parse_jet_date(raw["order_placed_date"])
    ready = parse_jet_date(raw["order_ready_date"])
    assert dt.timedelta(minutes=29) <= ready - placed <= dt.timedelta(minutes=31)  # realistic

    report = await fetch_orders(settings, oc_db)
    assert report.exit_code == 0, [i.line for i in report.items]
    row = JetOrder.get(JetOrder.merchant_order_id == mid)
    expected = (ready + dt.timedelta(minutes=15)).replace(microsecond=0)
    # every place that shows or checks the deadline: the same moment, from the ready date
    assert order_row(row, settings=settings).ack_deadline == expected
    detail = order_detail(oc_db, mid, settings=settings)
    assert detail is not None and detail.row.ack_deadline == expected
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    facts = status.read_facts(settings, now)
    assert facts.unacknowledged == [(mid, expected.replace(tzinfo=None))]
    rules = {p.rule for p in status.evaluate(settings, facts, status.JetHealth(checked=False), now)}
    assert not rules & {"ack-missed", "ack-due"}, rules
    source = OrderSource(oc_db, settings=settings)
    [(_id, cells)] = source.fetch("", None, False, 0, 10)
    ack_left = cells[[c.key for c in source.columns].index("ack_left")]
    assert ack_left.endswith("m") and not ack_left.startswith(("late", "!")), ack_left
    assert order_row(row, settings=settings).ship_by == parse_jet_date(
        raw["order_detail"]["request_ship_by"]
    ).replace(microsecond=0)


async def test_an_order_ready_too_long_ago_is_late_everywhere(oc_database, tmp_path, oc_db):
    from jettui.services import status
    from jettui.services.orders.acknowledge import acknowledge_orders
    from jettui.services.orders.queries import order_row
    from tests.shop_support import edit_jet_order

    settings = write_settings(tmp_path, oc_database, "  auto_acknowledge: false\n")
    link_skus()
    await list_on_jet(settings, {"product 11": 101.0})
    [mid] = await place_order(settings, [("product 11", 1, 0)])
    # Jet made it ready 20 minutes ago (created 20 minutes ago, review delay 0)
    edit_jet_order(settings, mid, lambda d: d.update(_created=d["_created"] - 20 * 60))
    assert (await fetch_orders(settings, oc_db)).exit_code == 0
    row = JetOrder.get(JetOrder.merchant_order_id == mid)
    deadline = order_row(row, settings=settings).ack_deadline
    now = dt.datetime.now(dt.UTC)
    assert deadline is not None and dt.timedelta(minutes=4) < now - deadline < dt.timedelta(
        minutes=6
    )
    facts = status.read_facts(settings, now.replace(tzinfo=None))
    problems = status.evaluate(
        settings, facts, status.JetHealth(checked=False), now.replace(tzinfo=None)
    )
    [missed] = [p for p in problems if p.rule == "ack-missed"]
    assert "acknowledgement deadline missed for order " + mid in missed.message
    report = await acknowledge_orders(settings, oc_db, [mid])
    [item] = report.items
    assert "past its acknowledgement deadline" in item.reason and report.exit_code == 1
