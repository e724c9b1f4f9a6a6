"""OpenCart's returns side of Jet returns (synchronous: run on the store thread).

A Jet return becomes one OpenCart ``return`` row per returned line (what the admin lists under
Sales → Returns) plus a ``return_history`` row naming the Jet return authorization id.

Crash safety. OpenCart's tables are MyISAM on MySQL: nothing rolls back, so a mirror killed
half-way leaves some rows written. Every row jettui writes carries a marker in its comment
(``Jet return <id> item <order_item_id>`` on a return, ``Jet return <id>`` on its history,
``Jet return <id> completed`` on the completion's history): a re-run first looks for the
marked rows and writes only the missing ones, so however often it is killed and re-run there
is exactly one row per returned line. The caller (services/returns.py) records its intent in
``jet_return`` before calling in here.

Ids: ``return_status``/``return_reason``/``return_action`` have AUTO_INCREMENT on a composite
key, which SQLite cannot do, so a reason or status jettui creates gets ``MAX(id) + 1`` written
for every language (:func:`jettui.store.opencart.next_id`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .base import database_proxy, is_mysql, tuple_rows
from .errors import StoreError
from .opencart import (
    Language,
    Order,
    Return,
    ReturnHistory,
    ReturnReason,
    ReturnStatus,
    get_setting,
    next_id,
)
from .order_lines import OrderLine, find_order_line
from .text import now

__all__ = [
    "DEFAULT_REASON_MAP",
    "FALLBACK_REASON",
    "MirroredLine",
    "OrderLine",
    "complete_return_rows",
    "find_order_line",
    "mirror_return",
    "named_status_id",
    "pending_status_id",
    "reason_id",
    "write_transaction",
]

#: Jet's return reason (docs/jet-api.md 2.5) → the name of an OpenCart return_reason. The
#: names on the right are OpenCart 3.0's own five; one missing from a shop is created.
DEFAULT_REASON_MAP: dict[str, str] = {
    "Received the wrong item": "Received Wrong Item",
    "Product is defective / does not work": "Faulty, please supply details",
    "Item is missing parts / accessories": "Faulty, please supply details",
    "Item is refurbished": "Faulty, please supply details",
    "Item is expired": "Faulty, please supply details",
    "Item arrived damaged - box intact": "Dead On Arrival",
    "Item arrived damaged - box damaged": "Dead On Arrival",
    "Wrong quantity received": "Order Error",
    "Accidental order": "Order Error",
    "Unauthorized purchase": "Order Error",
    "Website description is inaccurate": "Other, please supply details",
    "No longer want this item": "Other, please supply details",
    "Package never arrived": "Other, please supply details",
    "Package arrived late": "Other, please supply details",
    "Package arrived after estimated delivery date": "Other, please supply details",
    "Better price found elsewhere": "Other, please supply details",
    "Unwanted gift": "Other, please supply details",
}
FALLBACK_REASON = "Other, please supply details"  # for a reason Jet adds later
COMPLETE_STATUS = "Complete"
PENDING_STATUS_DEFAULT = 2  # OpenCart's config_return_status_id out of the box


def return_marker(return_id: str, order_item_id: str) -> str:
    return f"Jet return {return_id} item {order_item_id}"


def history_marker(return_id: str) -> str:
    return f"Jet return {return_id}"


def completion_marker(return_id: str) -> str:
    return f"Jet return {return_id} completed"


def write_transaction() -> Any:
    """A transaction that takes SQLite's write lock at BEGIN (IMMEDIATE): a deferred one that
    reads, then writes, fails at once with "database is locked" when another connection wrote
    in between (WAL). On MySQL a plain transaction (it only covers jettui's InnoDB tables)."""
    db = database_proxy
    return db.atomic() if is_mysql(db) else db.atomic("IMMEDIATE")


# --- reasons and statuses -----------------------------------------------------------------------


def _languages() -> list[int]:
    return [int(i) for (i,) in tuple_rows(Language.select(Language.language_id))] or [1]


def reason_id(
    jet_reason: str, reason_map: Mapping[str, str] | None = None, language_id: int = 1
) -> int:
    """The ``return_reason_id`` for Jet's ``jet_reason`` (mapped by name through
    ``reason_map``, default :data:`DEFAULT_REASON_MAP`); created for every language when the shop
    has no reason of that name."""
    mapping = {**DEFAULT_REASON_MAP, **(reason_map or {})}
    name = mapping.get(jet_reason) or FALLBACK_REASON
    return _named_id(ReturnReason, ReturnReason.return_reason_id, name, language_id)


def named_status_id(name: str, language_id: int = 1) -> int:
    """The ``return_status_id`` called ``name`` (created for every language when missing)."""
    return _named_id(ReturnStatus, ReturnStatus.return_status_id, name, language_id)


def _named_id(model: Any, id_field: Any, name: str, language_id: int) -> int:
    found = (
        model.select(id_field)
        .where((model.name == name) & (model.language_id == language_id))
        .scalar()
    ) or model.select(id_field).where(model.name == name).scalar()
    if found:
        return int(found)
    new_id = next_id(id_field)
    rows = [{id_field.name: new_id, "language_id": lang, "name": name} for lang in _languages()]
    model.insert_many(rows).execute()
    return new_id


def pending_status_id(store_id: int = 0) -> int:
    """The shop's status for a new return (``config_return_status_id``; Awaiting Products)."""
    value = get_setting("config_return_status_id", store_id, None)
    try:
        status = int(value)
    except (TypeError, ValueError):
        status = PENDING_STATUS_DEFAULT
    exists = ReturnStatus.select().where(ReturnStatus.return_status_id == status).exists()
    return status if exists else named_status_id("Pending")


# --- mirroring a Jet return -----------------------------------------------------------------


@dataclass(frozen=True)
class MirroredLine:
    """One Jet return line to write as an OpenCart return."""

    order_item_id: str
    sku: str
    title: str
    reason: str
    quantity: int
    requested: str  # "principal 12.50, tax 1.00" for the comment
    order_product_id: int | None = None  # the line the import wrote for this Jet item


def mirror_return(
    return_id: str,
    reference: str,
    order_id: int,
    lines: Sequence[MirroredLine],
    *,
    reason_map: Mapping[str, str] | None = None,
    store_id: int = 0,
    language_id: int = 1,
) -> list[int]:
    """Write (or find, after a crash) one OpenCart ``return`` per line and one
    ``return_history`` row per return; the ``return_id`` list in line order.

    Raises :class:`StoreError` when the order does not exist or a SKU is not on it (nothing
    written for that return then: every line is resolved before the first write)."""
    order = Order.get_or_none(Order.order_id == order_id)
    if order is None:
        raise StoreError(f"OpenCart order {order_id} does not exist")
    resolved = []
    for line in lines:
        found = find_order_line(order_id, line.sku, line.title, line.order_product_id)
        if found is None:
            raise StoreError(f"SKU '{line.sku}' is not on OpenCart order {order_id}")
        resolved.append((line, found))
    status = pending_status_id(store_id)
    ordered = order.date_added.date() if isinstance(order.date_added, _dt.datetime) else None
    ids: list[int] = []
    for line, found in resolved:
        marker = return_marker(return_id, line.order_item_id)
        existing = (
            Return.select(Return.return_id)
            .where((Return.order_id == order_id) & Return.comment.contains(marker))
            .order_by(Return.return_id)
            .scalar()
        )
        if existing:
            ids.append(int(existing))
            continue
        stamp = now()
        comment = (
            f"{marker} ({line.sku}): {line.reason}. Requested refund: {line.requested}. "
            f"Jet return authorization {return_id}, reference {reference}."
        )
        new_id = Return.insert(
            order_id=order_id,
            product_id=found.product_id,
            customer_id=order.customer_id,
            firstname=order.firstname,
            lastname=order.lastname,
            email=order.email,
            telephone=order.telephone,
            product=found.name,
            model=found.model,
            quantity=line.quantity,
            opened=0,
            return_reason_id=reason_id(line.reason, reason_map, language_id),
            return_action_id=0,
            return_status_id=status,
            comment=comment,
            date_ordered=ordered,
            date_added=stamp,
            date_modified=stamp,
        ).execute()
        ids.append(int(new_id))
    for rid in ids:
        _history_once(
            rid,
            history_marker(return_id),
            status,
            f"{history_marker(return_id)} fetched from Jet (return authorization {return_id}, "
            f"reference {reference}).",
        )
    return ids


def _history_once(return_row: int, marker: str, status: int, comment: str) -> None:
    exists = (
        ReturnHistory.select()
        .where((ReturnHistory.return_id == return_row) & ReturnHistory.comment.contains(marker))
        .exists()
    )
    if not exists:
        ReturnHistory.insert(
            return_id=return_row, return_status_id=status, notify=0, comment=comment,
            date_added=now(),
        ).execute()  # fmt: skip


def complete_return_rows(
    return_id: str,
    return_ids: Sequence[int],
    comments: Mapping[int, str],
    *,
    status_id: int,
    action_id: int,
) -> None:
    """Move the OpenCart returns to ``status_id`` with ``action_id`` and add one history row
    each (``comments[return_row]``, marked: a re-run adds none)."""
    stamp = now()
    for rid in return_ids:
        Return.update(
            return_status_id=status_id, return_action_id=action_id, date_modified=stamp
        ).where(Return.return_id == rid).execute()
        marker = completion_marker(return_id)
        _history_once(rid, marker, status_id, f"{marker}: {comments.get(rid, '')}".strip())
