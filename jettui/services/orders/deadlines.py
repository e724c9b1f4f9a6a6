"""When Jet wants an order acknowledged and shipped (docs/jet-api.md sections 3 and 4).

Jet keeps a new order ``created`` for about 30 minutes (its fraud and cancel window), then
makes it ``ready``: the minutes to acknowledge it (``orders.acknowledge_within_minutes``, 15 by
Jet's rule) run from ``order_ready_date``, not from when the buyer placed it. An order without
that date counts from ``order_transmission_date``, then ``order_placed_date``, then the
placed date jettui stored. Ship-by is Jet's ``order_detail.request_ship_by``.

Every place that shows or checks a deadline (the import and the acknowledge job, the Orders
panel, the order detail, ``jettui status`` and the dashboard header) asks :func:`ack_deadline`
and :func:`ship_by`. Times are naive UTC, as jettui stores them.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

from jettui.config import Settings
from jettui.jet.dates import parse_jet_date

#: the order dates the acknowledgement window may start from, the documented one first
ACK_WINDOW_STARTS = ("order_ready_date", "order_transmission_date", "order_placed_date")


def jet_time(value: Any) -> _dt.datetime | None:
    """A Jet date (ISO-8601 with Z or an offset) as naive UTC; None when absent or unreadable."""
    if isinstance(value, _dt.datetime):
        moment = value
    elif isinstance(value, str) and value:
        try:
            moment = parse_jet_date(value)
        except ValueError:
            return None
    else:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(_dt.UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def ack_window_start(
    order: Mapping[str, Any] | None, placed: _dt.datetime | None = None
) -> _dt.datetime | None:
    """When the order became ready (see the module's note for the fallbacks)."""
    for key in ACK_WINDOW_STARTS:
        moment = jet_time((order or {}).get(key))
        if moment is not None:
            return moment
    return jet_time(placed)


def ack_deadline(
    settings: Settings, order: Mapping[str, Any] | None, placed: _dt.datetime | None = None
) -> _dt.datetime | None:
    """When Jet wants the acknowledgement of ``order`` (the order as Jet sent it; ``placed``:
    the placed date jettui stored, for an order it holds no Jet dates of)."""
    start = ack_window_start(order, placed)
    if start is None:
        return None
    return start + _dt.timedelta(minutes=settings.orders.acknowledge_within_minutes)


def ship_by(
    order: Mapping[str, Any] | None, stored: _dt.datetime | None = None
) -> _dt.datetime | None:
    """Jet's ``request_ship_by`` for ``order``, else the ship-by jettui stored."""
    detail = (order or {}).get("order_detail")
    requested = jet_time(detail.get("request_ship_by")) if isinstance(detail, Mapping) else None
    return requested or jet_time(stored)


def waiting_ack_deadline(
    settings: Settings | None,
    *,
    status: Any,
    state: Any,
    acknowledgement_status: Any,
    raw: Mapping[str, Any] | None,
    placed: _dt.datetime | None,
) -> _dt.datetime | None:
    """When a ``ready`` order must be acknowledged by (aware UTC): :func:`ack_deadline`; None
    for an order that is not waiting for one (not ready, acknowledged, or rejected)."""
    if status != "ready" or acknowledgement_status is not None or state == "rejected":
        return None
    deadline = ack_deadline(settings or Settings(), raw, placed)
    return None if deadline is None else deadline.replace(tzinfo=_dt.UTC)


# --- the Ack-left cell of the panels -----------------------------------------------------------


def clock() -> _dt.datetime:
    """Now, aware UTC: the panels' clock (the Orders grid, the order detail, the ship form);
    tests replace it for fixed snapshots."""
    return _dt.datetime.now(_dt.UTC)


def time_left(deadline: _dt.datetime | None, now: _dt.datetime, window_minutes: int) -> str:
    """The Ack-left cell for ``deadline``: ``14m``, ``1h05m``; ``! 3m`` in the last third of
    the window (at most 5 minutes); ``late 2m`` past it (``late 5h``, ``late 8d``). Text, so it reads without colour too."""
    if deadline is None:
        return ""
    seconds = (deadline - now).total_seconds()
    if seconds <= 0:
        late = -seconds
        if late >= 48 * 3600:  # "late 8d": fits the 8-character cell ("late 200h" did not)
            return f"late {int(late // 86400)}d"
        return f"late {int(late // 3600)}h" if late >= 3600 else f"late {_minutes(late)}"
    text = _minutes(seconds)
    near = min(5 * 60, window_minutes * 60 / 3)
    return f"! {text}" if seconds <= near else text


def _minutes(seconds: float) -> str:
    minutes = max(int(seconds // 60), 0)
    if minutes >= 60:
        return f"{minutes // 60}h{minutes % 60:02d}m"
    return f"{minutes}m"


def is_urgent(cell: str) -> bool:
    """An Ack-left cell the grid highlights: near the deadline or past it."""
    return cell.startswith(("!", "late"))
