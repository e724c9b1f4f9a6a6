"""Writes to Jet whose outcome jettui does not know yet, and settling them.

A write that is not safe to repeat is recorded before it is sent (:mod:`jettui.jet.once`).
When its answer is lost and Jet cannot be asked at once, the record stays:

- a shipped message: ``JetOrder.shipments`` record in state ``sending``;
- an acknowledgement: ``JetOrder.acknowledged_at`` set, ``acknowledgement_status`` empty;
- a return completion: ``JetReturn.state`` ``completing``;
- a refund: ``JetRefund.state`` ``intent`` or ``unknown``.

:func:`settle` looks each one up on Jet and records it as applied (finishing OpenCart's side:
shipped status and history, cancelled units restocked, returns completed) or not. It runs
before anything counts units: at the start of every ``cron`` job and dashboard timer run (the
job runner), and for one order at the start of each command on that order.
:func:`unconfirmed_writes` lists them for ``jettui status`` (a warning names each order whose
write has stayed unconfirmed longer than :data:`WARN_AFTER`).
"""

from __future__ import annotations

import datetime as _dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import peewee as pw

from jettui.config import Settings
from jettui.errors import LockBusy
from jettui.store.text import utcnow

if TYPE_CHECKING:  # `jettui status` reads the list without loading the Jet client
    from jettui.jet.client import JetClient
    from jettui.services.runtime import StoreThread

log = logging.getLogger("jettui.services")

WARN_AFTER = _dt.timedelta(minutes=5)  # `jettui status` warns about writes unconfirmed longer


@dataclass(frozen=True)
class Unconfirmed:
    kind: str  # shipment / acknowledgement / return completion / refund
    merchant_order_id: str
    ref: str  # alt_shipment_id, return id or alt_refund_id ("" for an acknowledgement)
    since: _dt.datetime | None  # naive UTC: when it was recorded (or last touched)

    @property
    def text(self) -> str:
        what = f"{self.kind} {self.ref}".strip()
        return f"order {self.merchant_order_id}: {what} not confirmed by Jet"


def unconfirmed_writes(merchant_order_id: str | None = None) -> list[Unconfirmed]:
    """Every write recorded whose outcome Jet has not confirmed (store thread)."""
    from jettui.store.jet_tables import JetOrder, JetRefund, JetReturn

    out: list[Unconfirmed] = []
    sending = JetOrder.shipments ** pw.Value('%"sending"%', converter=False)
    acking = JetOrder.acknowledged_at.is_null(False) & JetOrder.acknowledgement_status.is_null()
    orders = JetOrder.select().where(sending | acking)
    if merchant_order_id is not None:
        orders = orders.where(JetOrder.merchant_order_id == merchant_order_id)
    for row in orders:
        for record in row.shipments or []:
            if record.get("state") == "sending":
                since = _parse(record.get("recorded_at")) or row.updated_at
                out.append(Unconfirmed("shipment", row.merchant_order_id,
                                       str(record.get("alt_shipment_id")), since))  # fmt: skip
        if row.acknowledged_at is not None and row.acknowledgement_status is None:
            out.append(Unconfirmed("acknowledgement", row.merchant_order_id, "",
                                   row.acknowledged_at))  # fmt: skip
    returns = JetReturn.select().where(JetReturn.state == "completing")
    refunds = JetRefund.select().where(JetRefund.state.in_(("intent", "unknown")))
    if merchant_order_id is not None:
        returns = returns.where(JetReturn.merchant_order_id == merchant_order_id)
        refunds = refunds.where(JetRefund.merchant_order_id == merchant_order_id)
    for ret in returns:
        out.append(Unconfirmed("return completion", ret.merchant_order_id,
                               ret.merchant_return_authorization_id, ret.updated_at))  # fmt: skip
    for refund in refunds:
        out.append(Unconfirmed("refund", refund.merchant_order_id, refund.refund_id,
                               refund.updated_at or refund.created_at))  # fmt: skip
    return out


def overdue(now: _dt.datetime | None = None) -> list[Unconfirmed]:
    """Unconfirmed writes older than :data:`WARN_AFTER` (store thread)."""
    limit = (now or utcnow()) - WARN_AFTER
    return [w for w in unconfirmed_writes() if w.since is None or w.since <= limit]


async def settle(
    settings: Settings,
    jet: JetClient,
    store: StoreThread,
    merchant_order_id: str | None = None,
) -> list[str]:
    """Look up every unconfirmed write (of one order, or all) on Jet and record it as applied
    or not (module docstring). One line per write settled. A write whose lock another run
    holds (it is being sent right now), or that Jet cannot tell about, is left as it is.
    Never raises for Jet."""
    from jettui.jet.errors import JetError
    from jettui.services import refunds, returns
    from jettui.services.orders import acknowledge, shipping
    from jettui.services.runtime import held_lock

    writes = await store.run(unconfirmed_writes, merchant_order_id)
    done: list[str] = []
    for w in writes:
        try:
            if w.kind == "shipment":
                lock = shipping.order_lock(w.merchant_order_id)
                async with held_lock(store, lock, purpose="settle shipment"):
                    done += await shipping.settle_shipments(
                        settings, jet, store, w.merchant_order_id
                    )
            elif w.kind == "acknowledgement":
                async with held_lock(store, acknowledge.ACK_LOCK, purpose="settle ack"):
                    note = await acknowledge.settle_acknowledgement(jet, store, w.merchant_order_id)
                    done += [f"order {w.merchant_order_id}: {note}"] if note else []
            elif w.kind == "return completion":
                async with held_lock(store, returns.LOCK_NAME, purpose="settle return"):
                    note = await returns.settle_completion(settings, jet, store, w.ref)
                    done += [note] if note else []
            elif w.kind == "refund":
                async with held_lock(store, refunds.LOCK_NAME, purpose="settle refund"):
                    result = await refunds.settle_refund(jet, store, w.ref)
                    done += [f"refund {w.ref}: {result}"] if result else []
        except LockBusy:
            continue  # being sent or settled by another run right now
        except JetError as exc:
            log.info("could not settle %s: %s", w.text, exc)
    done = list(dict.fromkeys(done))
    if done:
        await store.run(_log_settled, done)
    return done


def _log_settled(lines: list[str]) -> None:
    from jettui.store.jet_tables import log_event

    for line in lines:
        log_event("order", f"unconfirmed write settled: {line}")


def _parse(value: Any) -> _dt.datetime | None:
    if not value:
        return None
    try:
        return _dt.datetime.fromisoformat(str(value)).replace(tzinfo=None)
    except ValueError:
        return None
