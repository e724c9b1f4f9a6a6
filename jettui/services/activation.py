"""API activation, Jet's "Runway": the test calls that enable the product, order and return
APIs of a new partner account (jet-api.md §2.9, in CedCommerce's order).

- product: PUT the test SKU (UPC, browse node, brand, description, image), its price with a node
  price, its inventory; GET it and report its status.
- order: a directed-cancel order answered with a cancel-only shipped message; a normal order,
  acknowledged once ``ready`` and shipped with tracking, dates and a return location.
- return: a return generated for the shipped order, completed with the return charge agreed.

Each step's result (ok / failed with Jet's words) is recorded as a ``JetEvent`` of kind
``activation`` (ref = the step; detail = outcome, times, the ids it created) whether or not the
event log is enabled: it is the state the screen and ``jettui activate status`` show. A step that
failed part-way records the ids it had; running it again continues with those orders/returns
instead of creating new ones. After a step failed, the later steps of the same run are skipped.

Only one run at a time (lock ``activation``; :class:`LockBusy` otherwise). Against a real Jet a
cancel really cancels: the order and return steps need ``confirm_live=True`` there.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import peewee as pw

from jettui.config import Settings
from jettui.jet.client import JetClient
from jettui.jet.enums import AckStatus, ItemAckStatus, OrderStatus, ReturnStatus
from jettui.jet.errors import JetAuthError, JetError, JetUnreachable
from jettui.services.jet_session import EventWriter, StoreThread, open_logged_client
from jettui.services.runtime import held_lock
from jettui.store.jet_tables import JetEvent, lock_holder

STEPS: tuple[str, ...] = ("product", "order", "return")
STEP_TITLES = {"product": "Product API", "order": "Order API", "return": "Return API"}
LIVE_RISKY_STEPS = frozenset({"order", "return"})
LOCK_NAME = "activation"
LOCK_TTL_SECONDS = 600.0  # refreshed every third of it while the steps run
EVENT_KIND = "activation"

# The test product CedCommerce sent (jet-api.md §2.9 and §5.1).
TEST_SKU = "test_product"
TEST_UPC = "719236005030"
TEST_BROWSE_NODE = 4000188  # Home & Garden > Kitchen & Dining > Cookware
TEST_PRICE = 38.00
TEST_QUANTITY = 20
TEST_IMAGE = "https://example.com/img/test_product.png"
TEST_CARRIER, TEST_METHOD = "UPS", "UPS Ground"
RETURN_FEEDBACK = "item damaged"
DAYS_TO_RETURN = 30

# Jet holds a new order in 'created' (fraud window) before 'ready': about 30 minutes on live
# Jet. The sandbox uses sandbox.review_delay_seconds; this much longer is allowed on top.
READY_MARGIN_SECONDS = 30.0
LIVE_READY_TIMEOUT_SECONDS = 15 * 60.0  # a re-run continues with the same order
POLL_FIRST_SECONDS, POLL_MAX_SECONDS = 0.25, 5.0

Progress = Callable[[str, str], Any]


class ConfirmationRequired(Exception):
    """The order/return steps were asked for against a real Jet without the merchant's yes."""


@dataclass
class StepResult:
    step: str
    outcome: str  # ok | failed | skipped
    message: str
    ids: dict[str, Any] = field(default_factory=dict)
    started_at: datetime | None = None  # naive UTC, like the store's timestamps
    finished_at: datetime | None = None
    unreachable: bool = False  # failed because Jet could not be reached or refused the login

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    def as_dict(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "outcome": self.outcome,
            "message": self.message,
            "ids": dict(self.ids),
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at),
        }


@dataclass(frozen=True)
class StepState:
    """What the store says about one step: its latest recorded result."""

    step: str
    last: StepResult | None
    last_ok: StepResult | None  # the latest successful run (may be ``last``)

    @property
    def last_ok_at(self) -> datetime | None:
        return self.last_ok.finished_at if self.last_ok else None

    @property
    def label(self) -> str:
        """``done at 2024-05-01 10:00`` / ``failed: <reason>`` / ``not run`` (times UTC)."""
        if self.last is None:
            return "not run"
        if self.last.ok:
            return f"done at {self.last.finished_at:%Y-%m-%d %H:%M}"
        return f"failed: {self.last.message}"

    def as_dict(self) -> dict[str, Any]:
        state = "not run" if self.last is None else ("done" if self.last.ok else "failed")
        return {
            "step": self.step,
            "state": state,
            "label": self.label,
            "last_ok_at": _iso(self.last_ok_at),
            "last": self.last.as_dict() if self.last else None,
        }


def _iso(value: datetime | None) -> str | None:
    return value.replace(tzinfo=UTC).isoformat() if value else None


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


# --- the store side (synchronous; called on a store thread) ---------------------------------


def activation_status() -> dict[str, StepState]:
    """Each step's latest recorded result (and its latest success), from the bound store.
    Blocking: call it off the event loop."""
    states = {}
    for step in STEPS:
        rows = (
            JetEvent.select()
            .where((JetEvent.kind == EVENT_KIND) & (JetEvent.ref == step))
            .order_by(JetEvent.id.desc())
        )
        last: StepResult | None = None
        last_ok: StepResult | None = None
        for row in rows.iterator():
            result = _from_row(row)
            if result is None:
                continue
            last = last or result
            if result.ok:
                last_ok = result
                break
        states[step] = StepState(step, last, last_ok)
    return states


def running_holder() -> str | None:
    """Who runs the activation right now (None when nobody does)."""
    return lock_holder(LOCK_NAME)


def _from_row(row: Any) -> StepResult | None:
    detail = row.detail if isinstance(row.detail, dict) else {}
    if detail.get("outcome") not in ("ok", "failed"):
        return None
    return StepResult(
        step=row.ref,
        outcome=detail["outcome"],
        message=row.message,
        ids=dict(detail.get("ids") or {}),
        started_at=_parse(detail.get("started_at")),
        finished_at=row.time,
    )


def _parse(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)).replace(tzinfo=None) if value else None
    except ValueError:
        return None


def _event_row(result: StepResult) -> dict[str, Any]:
    """The event-log row recording a step's result (see :func:`activation_status`)."""
    return {
        "kind": EVENT_KIND,
        "message": result.message,
        "level": "info" if result.ok else "error",
        "ref": result.step,
        "detail": {
            "outcome": result.outcome,
            "ids": result.ids,
            "started_at": _iso(result.started_at),
        },
    }


# --- running the steps --------------------------------------------------------------------


def expand_steps(which: str | Iterable[str]) -> list[str]:
    """``"all"`` or step names → the steps in Runway order."""
    names = {which} if isinstance(which, str) else set(which)
    if "all" in names:
        return list(STEPS)
    unknown = names - set(STEPS)
    if unknown:
        raise ValueError(f"unknown activation step(s): {', '.join(sorted(unknown))}")
    return [step for step in STEPS if step in names]


def needs_confirmation(settings: Settings, steps: Iterable[str]) -> bool:
    """True when ``steps`` would generate and cancel orders on a real (non-sandbox) Jet."""
    return not settings.jet.is_sandbox and bool(LIVE_RISKY_STEPS & set(steps))


async def run_activation(
    settings: Settings,
    db: pw.Database,
    steps: Sequence[str] = STEPS,
    *,
    confirm_live: bool = False,
    progress: Progress | None = None,
    **client_options: Any,
) -> list[StepResult]:
    """Run ``steps`` (in Runway order) and record each result; one result per step asked for.

    Raises :class:`ConfirmationRequired` (nothing done) for order/return against a real Jet
    without ``confirm_live``, :class:`jettui.errors.LockBusy` when another run holds the
    lock. ``progress(step, message)`` is called on the event loop as the work advances.
    ``client_options`` go to the Jet client (e.g. ``backoff_base``).
    """
    wanted = expand_steps(steps)
    if needs_confirmation(settings, wanted) and not confirm_live:
        raise ConfirmationRequired(
            "the order and return steps generate and cancel orders on a real Jet "
            f"({settings.jet.api_url}); on live Jet a cancel really cancels: confirm first"
        )
    store = StoreThread(db)
    try:
        async with held_lock(store, LOCK_NAME, ttl_seconds=LOCK_TTL_SECONDS):
            previous = await store.run(activation_status)
            events = EventWriter(store)
            async with open_logged_client(settings, db, events=events, **client_options) as jet:
                return await _run_steps(jet, settings, events, wanted, previous, progress)
    finally:
        await store.close()


async def _run_steps(
    jet: JetClient,
    settings: Settings,
    events: EventWriter,
    wanted: list[str],
    previous: dict[str, StepState],
    progress: Progress | None,
) -> list[StepResult]:
    results: list[StepResult] = []
    runway = _Runway(settings, jet, previous, progress)
    for step in wanted:
        failed = next((r for r in results if not r.ok), None)
        if failed is not None:
            reason = f"the {failed.step} step did not succeed"
            results.append(StepResult(step, "skipped", reason))
            runway.say(step, reason)
            continue
        result = await runway.run(step)
        if result.outcome != "skipped":
            events.add(_event_row(result))
            await events.flush()  # recorded before the next step starts
            before = runway.previous[step].last_ok
            runway.previous[step] = StepState(step, result, result if result.ok else before)
        results.append(result)
    return results


class _Runway:
    """The three steps against one client. ``ids`` of the running step are kept as they are
    created, so a failure records what exists on Jet for the next run to continue with."""

    def __init__(
        self,
        settings: Settings,
        jet: JetClient,
        previous: dict[str, StepState],
        progress: Progress | None,
    ) -> None:
        self.settings = settings
        self.jet = jet
        self.previous = previous
        self.progress = progress
        self.node = settings.jet.fulfillment_node_id
        self.ids: dict[str, Any] = {}

    def say(self, step: str, message: str) -> None:
        if self.progress is not None:
            self.progress(step, message)

    async def run(self, step: str) -> StepResult:
        started = _utcnow()
        self.ids = {}
        try:
            message = await getattr(self, f"_{step}")()
        except _Skip as exc:
            result = StepResult(step, "skipped", str(exc), started_at=started)
        except JetError as exc:
            unreachable = isinstance(exc, JetUnreachable | JetAuthError)
            result = StepResult(
                step, "failed", str(exc), dict(self.ids), started, unreachable=unreachable
            )
        except (KeyError, TypeError, ValueError) as exc:  # a 2xx answer lacking what we read
            reason = f"unexpected answer from Jet ({type(exc).__name__}: {exc})"
            result = StepResult(step, "failed", reason, dict(self.ids), started)
        else:
            result = StepResult(step, "ok", message, dict(self.ids), started)
        result.finished_at = _utcnow()
        return result

    def _resume(self, step: str) -> dict[str, Any]:
        """Ids left by the step's last run when that run failed (else nothing to resume)."""
        last = self.previous[step].last
        return dict(last.ids) if last is not None and not last.ok else {}

    # --- product ------------------------------------------------------------------------------

    async def _product(self) -> str:
        step, sku = "product", TEST_SKU
        self.say(step, f"checking browse node {TEST_BROWSE_NODE}")
        await self.jet.get_taxonomy_node(TEST_BROWSE_NODE)
        self.say(step, f"PUT SKU {sku}")
        await self.jet.put_sku(sku, _test_product())
        self.ids["sku"] = sku
        self.say(step, f"PUT price {TEST_PRICE:.2f}")
        await self.jet.put_price(
            sku,
            {
                "price": TEST_PRICE,
                "fulfillment_nodes": [
                    {"fulfillment_node_id": self.node, "fulfillment_node_price": TEST_PRICE}
                ],
            },
        )
        self.say(step, f"PUT inventory {TEST_QUANTITY}")
        await self.jet.put_inventory(
            sku,
            {"fulfillment_nodes": [{"fulfillment_node_id": self.node, "quantity": TEST_QUANTITY}]},
        )
        self.say(step, f"GET SKU {sku}")
        product = await self.jet.get_sku(sku)
        status = str(product.get("status") or "unknown")
        self.ids["status"] = status
        subs = [str(s) for s in product.get("sub_status") or []]
        extra = f" ({', '.join(subs)})" if subs else ""
        return f"SKU {sku} sent with price and inventory; Jet status: {status}{extra}"

    # --- order --------------------------------------------------------------------------------

    async def _order(self) -> str:
        step, resume = "order", self._resume("order")
        # Both orders first: their review windows ('created' → 'ready') then run together.
        cancel_id = await self._test_order("cancel_order_id", resume, cancel=True)
        order_id = await self._test_order("order_id", resume, cancel=False)
        order = await self._wait_ready(cancel_id)
        if order["status"] == OrderStatus.READY:
            self.say(step, f"cancelling order {cancel_id} (ship 0, cancel 1)")
            await self.jet.ship(cancel_id, _cancel_message(order))
        order = await self._wait_ready(order_id)
        if order["status"] == OrderStatus.READY:
            self.say(step, f"acknowledging order {order_id}")
            await self.jet.acknowledge(order_id, _acknowledgement(order))
            order = await self.jet.get_order(order_id)
        if order["status"] in (OrderStatus.ACKNOWLEDGED, OrderStatus.IN_PROGRESS):
            self.say(step, f"shipping order {order_id}")
            await self.jet.ship(order_id, self._shipment(order))
            order = await self.jet.get_order(order_id)
        status = order.get("status")
        if status != OrderStatus.COMPLETE:
            raise JetError(f"order {order_id} is '{status}' after shipping, not complete")
        return f"order {cancel_id} cancelled; order {order_id} acknowledged and shipped"

    async def _test_order(self, key: str, resume: dict[str, Any], *, cancel: bool) -> str:
        """The order a failed run left (if Jet still has it), else a newly generated one."""
        order_id = resume.get(key)
        if order_id:
            try:
                order = await self.jet.get_order(str(order_id))
            except JetError:
                order = None  # gone (e.g. a sandbox reset): generate a new one
            if order is not None and not order.get("exception_state"):
                self.ids[key] = str(order_id)
                self.say("order", f"continuing with order {order_id} ({order.get('status')})")
                return str(order_id)
        kind = "a directed-cancel order" if cancel else "an order"
        self.say("order", f"generating {kind} for {TEST_SKU}")
        item = {
            "sku": TEST_SKU,
            "order_quantity": 0 if cancel else 1,
            "order_cancel_quantity": 1 if cancel else 0,
        }
        ids = await self.jet.generate_orders({"fulfillment_node": self.node, "items": [item]})
        if not ids:
            raise JetError("Jet generated no order")
        self.ids[key] = ids[0]
        return ids[0]

    async def _wait_ready(self, order_id: str) -> dict[str, Any]:
        """The order once it has left 'created' (polled politely, with a time limit)."""
        if self.settings.jet.is_sandbox:
            limit = self.settings.sandbox.review_delay_seconds + READY_MARGIN_SECONDS
        else:
            limit = LIVE_READY_TIMEOUT_SECONDS
        deadline = time.monotonic() + limit
        pause = POLL_FIRST_SECONDS
        while True:
            order = await self.jet.get_order(order_id)
            if order.get("status") != OrderStatus.CREATED:
                return order
            if time.monotonic() + pause > deadline:
                raise JetError(
                    f"order {order_id} still 'created' after {limit:.0f} s "
                    "(Jet's review window): run the order step again later"
                )
            self.say("order", f"waiting for order {order_id} to be ready")
            await asyncio.sleep(pause)
            pause = min(pause * 2, POLL_MAX_SECONDS)

    def _shipment(self, order: dict[str, Any]) -> dict[str, Any]:
        returns = self.settings.returns
        now = datetime.now(UTC)
        order_id = order["merchant_order_id"]
        location = {
            "address1": returns.address1,
            "city": returns.city,
            "state": returns.state,
            "zip_code": returns.postcode,
        }
        if returns.address2:
            location["address2"] = returns.address2
        items = [
            {
                "merchant_sku": item["merchant_sku"],
                "response_shipment_sku_quantity": _open_units(order, item),
                "response_shipment_cancel_qty": 0,
                "RMA_number": f"RMA-{order_id[:10]}",
                "days_to_return": DAYS_TO_RETURN,
                "return_location": location,
            }
            for item in order.get("order_items") or []
            if _open_units(order, item) > 0
        ]
        return {
            "shipments": [
                {
                    "alt_shipment_id": f"runway-{order_id[:12]}",
                    "shipment_tracking_number": f"1Z{int(order_id[:12], 16) % 10**14:014d}",
                    "response_shipment_date": now,
                    "response_shipment_method": TEST_METHOD,
                    "expected_delivery_date": now + timedelta(days=5),
                    "ship_from_zip_code": returns.postcode,
                    "carrier_pick_up_date": now,
                    "carrier": TEST_CARRIER,
                    "shipment_items": items,
                }
            ]
        }

    # --- return -------------------------------------------------------------------------------

    async def _return(self) -> str:
        step, resume = "return", self._resume("return")
        order_id = resume.get("order_id") or self._shipped_order_id()
        self.ids["order_id"] = order_id
        return_id = resume.get("return_id")
        detail: dict[str, Any] | None = None
        if return_id:
            try:
                detail = await self.jet.get_return(str(return_id))
                self.say(step, f"continuing with return {return_id}")
            except JetError:
                detail = None
        if detail is None or not return_id:  # (a detail was only fetched for a return_id)
            self.say(step, f"generating a return for order {order_id}")
            return_id = await self.jet.generate_return(order_id)
            detail = await self.jet.get_return(return_id)
        self.ids["return_id"] = return_id
        if detail.get("return_status") != ReturnStatus.COMPLETED_BY_MERCHANT:
            self.say(step, f"completing return {return_id}")
            await self.jet.complete_return(return_id, _completion(order_id, detail))
            detail = await self.jet.get_return(return_id)
        status = detail.get("return_status")
        if status != ReturnStatus.COMPLETED_BY_MERCHANT:
            raise JetError(f"return {return_id} is '{status}' after completing it")
        return f"return {return_id} of order {order_id} completed by merchant"

    def _shipped_order_id(self) -> str:
        last = self.previous["order"].last_ok  # this run's, when it ran the order step
        if last is None or not last.ids.get("order_id"):
            raise _Skip("no shipped test order yet: run the order step first")
        return str(last.ids["order_id"])


class _Skip(Exception):
    """A step that cannot start (a prerequisite is missing): reported, not recorded."""


def _test_product() -> dict[str, Any]:
    return {
        "product_title": "Test Product",
        "jet_browse_node_id": TEST_BROWSE_NODE,
        "brand": "Test",
        "standard_product_codes": [
            {"standard_product_code": TEST_UPC, "standard_product_code_type": "UPC"}
        ],
        "multipack_quantity": 1,
        "product_description": "Test Product is used to enable the product API",
        "main_image_url": TEST_IMAGE,
        "shipping_weight_pounds": 1.5,
        "product_tax_code": "Generic Taxable Product",
    }


def _open_units(order: dict[str, Any], item: dict[str, Any]) -> int:
    """Units of an item neither shipped nor cancelled yet (from the order's shipments)."""
    done = 0
    for shipment in order.get("shipments") or []:
        for line in shipment.get("shipment_items") or []:
            if line.get("merchant_sku") == item.get("merchant_sku"):
                done += int(line.get("response_shipment_sku_quantity") or 0)
                done += int(line.get("response_shipment_cancel_qty") or 0)
    return max(0, int(item.get("request_order_quantity") or 0) - done)


def _cancel_message(order: dict[str, Any]) -> dict[str, Any]:
    items = [
        {
            "merchant_sku": item["merchant_sku"],
            "response_shipment_sku_quantity": 0,
            "response_shipment_cancel_qty": _open_units(order, item),
        }
        for item in order.get("order_items") or []
        if _open_units(order, item) > 0
    ]
    alt = f"runway-cancel-{order['merchant_order_id'][:12]}"
    return {"shipments": [{"alt_shipment_id": alt, "shipment_items": items}]}


def _acknowledgement(order: dict[str, Any]) -> dict[str, Any]:
    return {
        "acknowledgement_status": str(AckStatus.ACCEPTED),
        "order_items": [
            {
                "order_item_acknowledgement_status": str(ItemAckStatus.FULFILLABLE),
                "order_item_id": item["order_item_id"],
            }
            for item in order.get("order_items") or []
        ],
    }


AMOUNT_KEYS = ("principal", "tax", "shipping_cost", "shipping_tax")


def _completion(order_id: str, detail: dict[str, Any]) -> dict[str, Any]:
    items = []
    for item in detail.get("items") or []:
        quantity = int(item.get("return_quantity") or 0)
        asked = item.get("requested_refund_amount") or {}
        items.append(
            {
                "order_item_id": item["order_item_id"],
                "total_quantity_returned": quantity,
                "order_return_refund_qty": quantity,
                "return_refund_feedback": RETURN_FEEDBACK,
                "refund_amount": {key: asked.get(key) or 0 for key in AMOUNT_KEYS},
            }
        )
    return {"merchant_order_id": order_id, "agree_to_return_charge": True, "items": items}
