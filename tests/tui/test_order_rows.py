"""The grids' rows of orders, rejected orders, returns and refunds over fixed ledger rows
(no UI): what a merchant reads in each column, and the acknowledgement countdown's words."""

from __future__ import annotations

import datetime as dt

import pytest

from jettui.config import Settings
from jettui.services.listing import PageSource
from jettui.services.orders.deadlines import is_urgent, time_left
from jettui.services.orders.panels import OrderSource, RejectedOrderSource
from jettui.services.refunds.queries import RefundSource
from jettui.services.returns.queries import ReturnSource

from .orders_data import NOW, ORDERS, RETURN_ID, fill


def rows(source: PageSource) -> list[tuple[str, ...]]:
    return [tuple(cells) for _, cells in source.fetch("", None, False, 0, 20)]


@pytest.mark.parametrize(
    ("minutes_left", "text", "urgent"),
    [
        (75, "1h15m", False),
        (14, "14m", False),
        (5, "! 5m", True),  # the last third of a 15-minute window, at most 5 minutes
        (0.5, "! 0m", True),
        (-15, "late 15m", True),
        (-130, "late 2h", True),  # fits the 8-cell column
    ],
)
def test_time_left_reads_without_colour(minutes_left: float, text: str, urgent: bool) -> None:
    cell = time_left(NOW + dt.timedelta(minutes=minutes_left), NOW, 15)
    assert (cell, is_urgent(cell)) == (text, urgent)
    assert len(cell) <= 8


@pytest.mark.usefixtures("frozen_clock")
def test_rows_of_each_grid(demo_settings: Settings) -> None:
    from jettui.store.db import connect, ensure_jet_tables

    db = connect(demo_settings)
    ensure_jet_tables(db)
    fill()
    orders = rows(OrderSource(db, state=("done",), settings=demo_settings))
    # newest first: the acknowledged order has no countdown, the ready ones do
    assert [(r[0], r[2], r[4], r[5], r[6], r[7]) for r in orders] == [
        (ORDERS[2][0], "Grace Hopper", "4", "57.49", "acknowledged", ""),
        (ORDERS[1][0], "Alan Turing", "1", "42.50", "ready", "late 15m"),
        (ORDERS[0][0], "Ada Lovelace", "2", "25.00", "ready", "! 4m"),
    ]
    [held] = rows(RejectedOrderSource(db))
    assert (held[0], held[4]) == (ORDERS[3][0], "held") and "NOPE-1" in held[6]
    [ret] = rows(ReturnSource(db))
    assert ret[:6] == (RETURN_ID, "3,4", "1", "19.99", "created",
                       "Item arrived damaged - box intact")  # fmt: skip
    assert ret[6:8] == (ORDERS[2][0], "")  # the buyer comes from the OpenCart order: none here
    refunds = rows(RefundSource(db))
    assert [(r[1], r[2], r[4]) for r in refunds] == [
        ("BRW-T00004×1", "19.99", "unknown - may have applied: refresh settles it"),
        ("ACM-WB00002×3", "37.50", "accepted"),
    ]
    db.close()
