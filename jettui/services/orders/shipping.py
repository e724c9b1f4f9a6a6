"""Ship and cancel a Jet order: the service behind the ship form, the Orders panel's ship key
and ``jettui orders ship``.

    view = await order_view(db, merchant_order_id)
    form = default_form(view, settings)           # or form_from_options(...) headless
    problems = check_shipment(view, form)         # shown next to the fields; empty = sendable
    result = await ship_order(settings, db, merchant_order_id, form)

:func:`ship_order` checks every rule before anything is sent (:class:`ShipmentRefused`, exit 2,
lists each problem with its field), sends one ``PUT /orders/{id}/shipped``, records it on
``JetOrder.shipments`` and moves the OpenCart order (:mod:`.ship_apply`).

Exactly once. Each message has its own ``alt_shipment_id``; the record is written with state
``sending`` before the PUT, ``sent`` once Jet took it, ``applied`` when OpenCart is updated.
Jet counts every message it receives (a repeat would ship the units twice, and a complete
order refuses it), so the PUT goes through :func:`jettui.jet.once.send_once`: after a lost
answer (timeout, 5xx) the order is read from Jet and the message is resent only when Jet does
not list its ``alt_shipment_id``. When Jet cannot be asked, the record stays ``sending``: its
units are NOT counted as sent (the order is never blocked by it), and the next run that
touches the order (the next ship, ``cron``, the dashboard's timer: :func:`settle_shipments`)
looks it up before anything counts units: on Jet → finished like any shipment (OpenCart's
status, history, restock of cancelled units); not on Jet → dropped with a warning. A run killed
after Jet took the message is finished the same way, or by :func:`finish_pending`.
One lock per order (``order:<id>``) keeps two runs from shipping the same order at once.

Record kept per message (JSON in ``JetOrder.shipments``): ``alt_shipment_id``, ``state``,
``sent_at``, ``body`` (the Jet shipment as sent), ``oc`` (the OpenCart plan, once Jet took it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import peewee as pw

from jettui.config import Settings
from jettui.errors import UsageError, is_unreachable
from jettui.jet.client import JetClient
from jettui.jet.enums import OrderStatus
from jettui.jet.once import ANSWER_LOST, Looked, send_once
from jettui.services.jet_session import Session, jet_session
from jettui.services.orders import ship_apply
from jettui.services.orders.admin_changes import (
    CANCELLED,
    admin_change,
    confirmation_problem,
    still_open,
)
from jettui.services.orders.ship_form import (
    LineView,
    OrderView,
    ReturnLocation,
    ShipLine,
    ShipmentForm,
    check_shipment,
    default_form,
    form_from_options,
    parse_quantities,
    shipped_request,
    view_of,
)
from jettui.services.results import ItemResult, Outcome
from jettui.services.runtime import LOCK_TTL_SECONDS, StoreThread, lock_holder_name
from jettui.store.errors import StoreError
from jettui.store.jet_tables import JetOrder, acquire_lock, log_event, release_lock
from jettui.store.text import utcnow

__all__ = [
    "LineView",
    "OrderNotFound",
    "OrderView",
    "ReturnLocation",
    "ShipLine",
    "ShipmentForm",
    "ShipmentRefused",
    "check_shipment",
    "default_form",
    "finish_pending",
    "form_from_options",
    "load_order_view",
    "order_view",
    "parse_quantities",
    "ship_headless",
    "ship_order",
]


class ShipmentRefused(UsageError):
    """The form breaks a rule: nothing was sent. ``problems`` name their fields."""

    def __init__(self, merchant_order_id: str, problems: list[str]) -> None:
        self.merchant_order_id = merchant_order_id
        self.problems = problems
        super().__init__(f"shipment of {merchant_order_id} not sent: " + "; ".join(problems))


class OrderNotFound(UsageError):
    def __init__(self, merchant_order_id: str) -> None:
        super().__init__(f"no Jet order '{merchant_order_id}' in jettui: fetch orders first")


# --- reading ----------------------------------------------------------------------------------


def load_order_view(merchant_order_id: str, settings: Settings | None = None) -> OrderView:
    """The order as the ship form sees it, with what the merchant changed in OpenCart's admin
    (store thread). Raises :class:`OrderNotFound`."""
    row = JetOrder.get_or_none(JetOrder.merchant_order_id == merchant_order_id)
    if row is None:
        raise OrderNotFound(merchant_order_id)
    view = view_of(row)
    change = admin_change(view.order_id, settings) if view.import_state == "done" else None
    change = still_open(change, 0 if view.jet_status == OrderStatus.COMPLETE else view.open_units)
    if change is None:
        return view
    return replace(view, admin_change=change.kind, admin_reason=change.reason)


async def order_view(
    db: Any, merchant_order_id: str, settings: Settings | None = None
) -> OrderView:
    """:func:`load_order_view` off the event loop."""
    store = StoreThread(db)
    try:
        return await store.run(load_order_view, merchant_order_id, settings)
    finally:
        await store.close()


# --- headless ---------------------------------------------------------------------------------


async def ship_headless(
    settings: Settings,
    db: Any,
    merchant_order_id: str,
    *,
    carrier: str = "",
    method: str = "",
    tracking: str = "",
    zip: str = "",
    ship: list[str] | None = None,
    cancel: list[str] | None = None,
    confirm_admin_change: bool = False,
    details: Mapping[str, Any] | None = None,
    cancel_only: bool = False,
) -> ItemResult:
    """``jettui orders ship JET_ORDER_ID --carrier C --method M --tracking T --zip Z
    [--cancel SKU=QTY ...] [--ship SKU=QTY ...] [--confirm-admin-change]`` (``details``: other
    :class:`ShipmentForm` fields the options give: dates, return location, RMA number, days
    to return; a cancel-only message needs no carrier, method, tracking or ZIP; ``cancel_only``:
    ship nothing, send only the ``cancel`` units) (default: ship
    every open unit; Jet's directed cancels are cancelled unless ``--cancel`` names the SKU; a
    SKU on several items is spread over them in order). Raises :class:`UsageError` for a
    malformed SKU=QTY and :class:`ShipmentRefused` for a broken rule (exit 2, nothing sent),
    else as :func:`ship_order`."""
    try:
        ships = parse_quantities(ship or [], "--ship")
        cancels = parse_quantities(cancel or [], "--cancel")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    view = await order_view(db, merchant_order_id, settings)
    form = form_from_options(
        view, settings, carrier=carrier, method=method, tracking=tracking, zip=zip,
        ship=ships or None, cancel=cancels,
    )  # fmt: skip
    form = replace(form, **dict(details or {}))
    if cancel_only:  # nothing ships: only the cancelled units are sent
        form.lines = [replace(line, ship=0) for line in form.lines if line.cancel]
    problems = _problems(view, form, confirm_admin_change)
    if problems:
        raise ShipmentRefused(merchant_order_id, problems)
    return await ship_order(
        settings, db, merchant_order_id, form, confirm_admin_change=confirm_admin_change
    )


def _problems(view: OrderView, form: ShipmentForm, confirmed: bool) -> list[str]:
    """The form's rules, then the merchant's confirmation of an admin change."""
    problems = check_shipment(view, form)
    admin = confirmation_problem(view, form, confirmed=confirmed)
    return [*problems, admin] if admin else problems


# --- shipping ---------------------------------------------------------------------------------


@dataclass
class _Shipping:
    session: Session
    merchant_order_id: str
    confirmed: bool = False  # the merchant confirmed shipping over an admin change

    @property
    def settings(self) -> Settings:
        return self.session.settings

    @property
    def store(self) -> StoreThread:
        return self.session.store

    @property
    def jet(self) -> JetClient:
        return self.session.jet


async def ship_order(
    settings: Settings,
    db: Any,
    merchant_order_id: str,
    form: ShipmentForm,
    *,
    jet: JetClient | None = None,
    confirm_admin_change: bool = False,
) -> ItemResult:
    """Send ``form`` to Jet as one shipped message and mirror it to OpenCart.

    Returns ``SUCCEEDED`` (detail: ``status_id``, ``jet_status``, ``alt_shipment_id``) or
    ``FAILED`` with Jet's words (Jet refused it, or its answer was lost: see the module
    docstring). Raises :class:`ShipmentRefused` (a rule is broken, nothing sent),
    :class:`OrderNotFound`, ``LockBusy`` (the order is being shipped by another run) and the
    unreachable errors of Jet or the store (exit 3). ``jet``: an open client to reuse.
    An order cancelled or deleted in OpenCart's admin is refused unless
    ``confirm_admin_change`` (:mod:`.admin_changes`).
    """
    lock = order_lock(merchant_order_id)
    async with jet_session(settings, db, lock=lock, purpose="ship", jet=jet) as session:
        return await _ship(_Shipping(session, merchant_order_id, confirm_admin_change), form)


async def _ship(s: _Shipping, form: ShipmentForm) -> ItemResult:
    from jettui.services.unconfirmed import settle

    await _recover(s)
    await settle(s.settings, s.jet, s.store, s.merchant_order_id)  # its ack, returns, refunds
    view = await s.store.run(load_order_view, s.merchant_order_id, s.settings)
    problems = _problems(view, form, s.confirmed)
    if problems:
        raise ShipmentRefused(s.merchant_order_id, problems)
    body = shipped_request(view, form)
    alt = form.alt_shipment_id
    record = {
        "alt_shipment_id": alt,
        "state": "sending",
        "recorded_at": utcnow().isoformat(timespec="seconds"),
        "sent_at": None,
        "body": body["shipments"][0],
    }
    await s.store.run(_add_record, s.merchant_order_id, record)
    once = await send_once(
        lambda: s.jet.ship(s.merchant_order_id, body),
        lambda: shipment_on_jet(s.jet, s.merchant_order_id, alt),
        resends=s.jet.max_retries,
    )
    if once.state == "uncertain":  # kept as "sending": looked up on Jet by the next run
        note = f"Jet did not confirm shipment {alt}: it is looked up on Jet before anything "
        note += f"else is sent for this order ({once.error})"
        await s.store.run(_log, s.merchant_order_id, note, "warning")
        return ItemResult(s.merchant_order_id, Outcome.FAILED, note, error=once.error)
    if not once.applied:
        await s.store.run(_drop_record, s.merchant_order_id, alt)  # Jet does not have it
        assert once.error is not None
        if is_unreachable(once.error):
            raise once.error
        return ItemResult(s.merchant_order_id, Outcome.FAILED, once.note, error=once.error)
    await s.store.run(_mark_sent, s.merchant_order_id, alt)
    try:
        plan = await s.store.run(_finish, s.settings, s.merchant_order_id, alt)
    except StoreError as exc:  # e.g. the OpenCart order was deleted in the admin
        note = f"Jet took shipment {alt}, but the OpenCart order was not updated: {exc} "
        note += "(tried again by the next fetch)"
        await s.store.run(_log, s.merchant_order_id, note, "error")
        return ItemResult(s.merchant_order_id, Outcome.FAILED, note, error=exc)
    after = await s.store.run(load_order_view, s.merchant_order_id)
    line, outcome = _summary(form, after), Outcome.SUCCEEDED
    if view.admin_change == CANCELLED and form.units_shipped and not plan.get("deleted"):
        # confirmed over the admin's cancel: say what OpenCart's rule did
        line += (
            f" (OpenCart order {plan['order_id']} was {view.admin_reason.split(':')[0]}: now "
            f"status {plan['status_id']}; OpenCart's rule took its lines' units from stock again)"
        )
        await s.store.run(_log, s.merchant_order_id, f"confirmed by the merchant: {line}")
    if plan.get("deleted"):  # deleted after the check: a failure unless the merchant confirmed
        line += f" ({deleted_note(plan)})"
        outcome = Outcome.SUCCEEDED if s.confirmed else Outcome.FAILED
    return ItemResult(
        s.merchant_order_id,
        outcome,
        "; ".join(p for p in (line, once.note) if p),
        detail={
            "alt_shipment_id": alt,
            "status_id": plan["status_id"],
            "jet_status": after.jet_status,
            "open_units": after.open_units,
        },
    )


def _summary(form: ShipmentForm, after: OrderView) -> str:
    parts = []
    if form.units_shipped:
        parts.append(
            f"{form.units_shipped} unit(s) shipped ({form.carrier}, {form.tracking_number.strip()})"
        )
    if form.units_cancelled:
        parts.append(f"{form.units_cancelled} cancelled")
    left = f"{after.open_units} open" if after.open_units else "nothing open"
    return ", ".join(parts) + f"; {left}"


async def _recover(s: _Shipping) -> None:
    """Settle messages whose answer was lost (ask Jet), then finish the OpenCart side of every
    message Jet took. Raises Jet's error when Jet cannot tell: nothing is sent meanwhile."""
    await settle_shipments(s.settings, s.jet, s.store, s.merchant_order_id, strict=True)


async def settle_shipments(
    settings: Settings,
    jet: JetClient,
    store: StoreThread,
    merchant_order_id: str,
    *,
    strict: bool = False,
) -> list[str]:
    """Look up every ``sending`` message of the order on Jet (:func:`send_once`, looked up
    first, never resent): on Jet → ``sent``; not on Jet → dropped (its units are open again,
    a warning says so). Then finish the OpenCart side of every ``sent`` message (shipped
    status and history, cancelled units restocked: :mod:`.ship_apply`). Returns one line per
    message settled. ``strict``: raise Jet's error when a lookup fails (else the message stays
    ``sending`` for the next run). Caller holds the order's lock."""
    done = []
    for alt in await store.run(_records_in, merchant_order_id, "sending"):
        once = await send_once(
            None, partial(shipment_on_jet, jet, merchant_order_id, alt), look_first=True
        )
        if once.state == "uncertain":
            if strict and once.error is not None:
                raise once.error
            continue
        if once.applied:
            await store.run(_mark_sent, merchant_order_id, alt)
            done.append(f"shipment {alt}: {ANSWER_LOST}")
        else:
            await store.run(_drop_record, merchant_order_id, alt)
            note = f"shipment {alt} was not applied on Jet (its answer was lost): ship again"
            await store.run(_log, merchant_order_id, note, "warning")
            done.append(note)
    for alt in await store.run(_records_in, merchant_order_id, "sent"):
        await store.run(_finish, settings, merchant_order_id, alt)
    return done


async def shipment_on_jet(jet: JetClient, merchant_order_id: str, alt: str) -> Looked:
    """Whether Jet lists the shipped message ``alt`` (its ``alt_shipment_id``) on the order."""
    raw = await jet.get_order(merchant_order_id)
    on_jet = {sh.get("alt_shipment_id") for sh in raw.get("shipments") or []}
    return Looked(alt in on_jet)


def finish_pending(settings: Settings, problems: list[ItemResult] | None = None) -> list[str]:
    """Finish the OpenCart side of every message Jet took whose run was killed before
    (store thread; no Jet call). An order another run is shipping right now (its
    ``order:<id>`` lock is held) is left to that run. Messages still ``sending`` wait for the
    next ship of their order, which asks Jet. Returns the merchant_order_ids finished.

    An order deleted in OpenCart's admin meanwhile is settled (nothing written to OpenCart)
    and one failed item naming it is added to ``problems`` (the fetch reports it: exit 1);
    later runs find nothing pending for it."""
    done = []
    holder = lock_holder_name("finish-shipments")
    # the JSON text holds '"state": "sent"' (the value bypasses the field's JSON encoding)
    has_sent = JetOrder.shipments ** pw.Value('%"sent"%', converter=False)
    for row in JetOrder.select().where(has_sent):
        pending = [r["alt_shipment_id"] for r in row.shipments or [] if r.get("state") == "sent"]
        name = order_lock(row.merchant_order_id)
        if not pending or not acquire_lock(name, holder, LOCK_TTL_SECONDS):
            continue
        try:
            plans = [_finish(settings, row.merchant_order_id, alt) for alt in pending]
            done.append(row.merchant_order_id)
            deleted = [p for p in plans if p.get("deleted")]
            if deleted and problems is not None:  # one item per order, however many messages
                note = f"shipment on Jet, OpenCart not updated: {deleted_note(deleted[0])}"
                problems.append(ItemResult(row.merchant_order_id, Outcome.FAILED, note))
        except StoreError as exc:  # this order only; the others are still finished
            _log(row.merchant_order_id, f"shipment on Jet, OpenCart not updated: {exc}", "error")
        finally:
            release_lock(name, holder)
    return done


def order_lock(merchant_order_id: str) -> str:
    """The lock a run holds while it ships ``merchant_order_id``."""
    return f"order:{merchant_order_id}"


# --- store-thread steps -----------------------------------------------------------------------


def _finish(settings: Settings, merchant_order_id: str, alt: str) -> dict[str, Any]:
    """Plan (once) and apply the OpenCart side of a message Jet took; update the Jet status
    jettui knows (Jet moves the order to inprogress, or complete when nothing is open)."""
    view = load_order_view(merchant_order_id)
    first = _record(merchant_order_id, alt).get("state") != "applied"
    plan = ship_apply.plan_shipment(settings, merchant_order_id, alt, view)
    plan = ship_apply.apply_shipment(settings, merchant_order_id, alt)
    status = OrderStatus.COMPLETE if view.open_units == 0 else OrderStatus.IN_PROGRESS
    JetOrder.update(status=str(status), updated_at=utcnow()).where(
        JetOrder.merchant_order_id == merchant_order_id
    ).execute()
    if plan.get("deleted"):
        if first:
            _log(merchant_order_id, f"{plan['comment']} {deleted_note(plan)}", "error")
        return plan
    _log(
        merchant_order_id,
        f"{plan['comment']} OpenCart order {plan['order_id']} → status {plan['status_id']}",
    )
    return plan


def deleted_note(plan: dict[str, Any]) -> str:
    """What a shipment of an order deleted in OpenCart's admin did to OpenCart: nothing."""
    return (
        f"OpenCart order {plan['order_id']} was deleted in the OpenCart admin: nothing was "
        "written to OpenCart, and its delete put the units back in stock: take the shipped "
        "units off by hand"
    )


def _record(merchant_order_id: str, alt: str) -> dict[str, Any]:
    row = JetOrder.get(JetOrder.merchant_order_id == merchant_order_id)
    return next((r for r in row.shipments or [] if r.get("alt_shipment_id") == alt), {})


def _records_in(merchant_order_id: str, state: str) -> list[str]:
    row = JetOrder.get(JetOrder.merchant_order_id == merchant_order_id)
    return [r["alt_shipment_id"] for r in row.shipments or [] if r.get("state") == state]


def _update_records(merchant_order_id: str, change: Any) -> None:
    row = JetOrder.get_or_none(JetOrder.merchant_order_id == merchant_order_id)
    if row is None:
        raise OrderNotFound(merchant_order_id)
    records = change(list(row.shipments or []))
    JetOrder.update(shipments=records, updated_at=utcnow()).where(JetOrder.id == row.id).execute()


def _add_record(merchant_order_id: str, record: dict[str, Any]) -> None:
    _update_records(merchant_order_id, lambda records: [*records, record])


def _drop_record(merchant_order_id: str, alt: str) -> None:
    _update_records(
        merchant_order_id, lambda records: [r for r in records if r.get("alt_shipment_id") != alt]
    )


def _mark_sent(merchant_order_id: str, alt: str) -> None:
    def change(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for r in records:
            if r.get("alt_shipment_id") == alt and r.get("state") == "sending":
                r["state"] = "sent"
                r["sent_at"] = utcnow().isoformat(timespec="seconds")
        return records

    _update_records(merchant_order_id, change)


def _log(merchant_order_id: str, message: str, level: str = "info") -> None:
    log_event("order", message, level=level, ref=merchant_order_id)
