"""Sandbox orders, returns and refunds (sections 2.4–2.6, 2.9, state machines of section 3).

Returns: ``created`` → ``inprogress`` when Jet acts, which the sandbox decides lazily: once the
merchant has read the return's detail and ``review_delay_seconds`` have passed since Jet
created it (so ``created`` is always seen at least once) → ``completed by merchant`` on PUT
complete (allowed from ``created`` or ``inprogress``). A return holds the shipped units not in
an earlier return of the order. Jet's API has no "reject return": the merchant disputes Jet's
``merchant_return_charge`` (billed when a line's reason is the merchant's fault) by completing
with ``agree_to_return_charge`` false and a ``return_charge_feedback``, and refuses money by
refunding less (down to 0).

Acknowledge and shipped are PUTs, so the sandbox treats a repeat of the very same body as the
same request (answered 2xx, applied once): a client may retry them after a lost answer. A
shipped message that differs in anything (another alt_shipment_id or tracking number) is a new
shipment and counts.

Refunds: POST refuses with 400 what contradicts the order itself (an item not in the order,
more units than were ordered, a reused ``alt_refund_id``). What conflicts with the returns
policy is accepted at POST and ends ``rejected - refund conflicts with returns policy``
instead of ``accepted``: refunding units that were never shipped, or more money (per amount
component) than the buyer paid for the item's units, counting the earlier refunds of the item
that were not rejected and what completed returns refunded for it. The verdict is fixed at
POST, so later shipments do not change it. A refund moves one state per read or per 2 seconds:
``created`` → ``processing`` → ``accepted`` | ``rejected - ...``.

Money: a generated order line's ``item_price`` is written and read by
:mod:`jettui.jet.item_price` (``base_price`` = the SKU's unit price, per unit; the evidence for
that reading is in that module), as are the return's requested amounts and the refund limits.

Demo mode (``order_every_seconds`` > 0): see :meth:`Sandbox.demo_tick`. Its buyers never order
the API activation's :data:`RUNWAY_TEST_SKU`: on Jet that SKU lives in the test-mode account the
Runway checklist is run with (jet-api.md §2.9, §5.1), which only the order generator orders;
buyers order the merchant's live listings, which are the merchant's own OpenCart SKUs.
"""

from __future__ import annotations

import json
import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from jettui.jet import item_price, models
from jettui.jet.dates import new_jet_id
from jettui.jet.enums import (
    RETURN_REASONS,
    RETURN_STATUS_PATHS,
    AckStatus,
    ExceptionState,
    OrderStatus,
    ProductStatus,
    RefundStatus,
    ReturnStatus,
)
from jettui.jet.sandbox.demo import random_buyer
from jettui.jet.sandbox.engine import ApiError, SandboxCore, iso, progress, refuse

MAX_LIST = 1000
RUNWAY_TEST_SKU = "test_product"  # the API activation's test SKU (jet-api.md §5.1)
MAX_CATCH_UP_ORDERS = 20  # auto orders created at most per request after a long pause
FIRST_ORDER_LOOK_SECONDS = 5.0  # demo: before the first order, look for a SKU for sale this often
DEMO_RETURN_SHARE = 0.3  # demo: share of shipped demo orders returned (after the first one)
DEMO_SEVERAL_ITEMS_SHARE = 0.35  # demo orders with 2 or 3 different SKUs
DEMO_CHILD_SHARE = 0.5  # demo orders that include a variation child, when one is for sale
#: how long Jet keeps a new order ``created`` (its fraud and cancel window) before ``ready``:
#: "about 30 minutes" (docs/jet-api.md sections 3 and 4)
CREATED_WINDOW_SECONDS = 30 * 60
DEMO_DIRECTED_CANCEL_SHARE = 0.15  # demo orders where Jet asks to cancel a unit of one line
HOUR = 3600.0
# refund amount components, in the order of item_price.PRICE_KEYS they are paid from
AMOUNT_KEYS = ("principal", "tax", "shipping_cost", "shipping_tax")
COMMISSION = Decimal("0.15")  # Jet's base commission on a line's price
RETURN_SHIPPING_CHARGE = 5.99  # billed to the merchant for a return that was the merchant's fault
MERCHANT_FAULT_REASONS = frozenset({
    "Received the wrong item", "Website description is inaccurate",
    "Product is defective / does not work", "Item arrived damaged - box intact",
    "Item arrived damaged - box damaged", "Wrong quantity received",
    "Item is missing parts / accessories", "Item is refurbished", "Item is expired",
})  # fmt: skip


class Sandbox(SandboxCore):
    # ---- orders ---------------------------------------------------------------------------

    def generate_orders(self, count: int, body: Any, rng: random.Random | None = None) -> list[str]:
        refuse(models.validate_generate_order(body))
        refuse(self.check_node(body["fulfillment_node"], "fulfillment_node"))
        if not 1 <= count <= 100:
            raise ApiError(400, f"count: must be between 1 and 100 (got {count})")
        for i, item in enumerate(body["items"]):
            if self.db.get("sku", item["sku"]) is None:
                raise ApiError(400, f"items[{i}].sku: unknown merchant SKU '{item['sku']}'")
        rng = rng or self.rng
        with self.db.transaction():
            return [self._new_order(body["items"], rng) for _ in range(count)]

    def _new_order(
        self, items: list[dict[str, Any]], rng: random.Random, *, demo: bool = False
    ) -> str:
        now = self.clock()
        order_id = new_jet_id()
        buyer, address = random_buyer(rng)
        reference = str(rng.randrange(10**11, 10**12))
        order_items = []
        for item in items:
            product = self.product(item["sku"])
            qty = item.get("order_quantity") or 0
            cancel = item.get("order_cancel_quantity") or 0
            total = qty + cancel
            price = Decimal(str(product.get("price") or 10.0))
            order_items.append({
                "order_item_id": new_jet_id(), "merchant_sku": item["sku"],
                "product_title": product["listing"].get("product_title", item["sku"]),
                "request_order_quantity": total, "request_order_cancel_qty": cancel,
                "url": product["listing"].get("main_image_url", ""), "item_tax_code": None,
                "item_price": _item_price(price, total),
                "fee_adjustments": [{"adjustment_name": "Base commission", "adjustment_type": "Commission",
                                     "commission_id": new_jet_id(), "value": _cents(price * total * COMMISSION)}],
            })  # fmt: skip
        base = _cents(sum((_line_paid(i, "base_price") for i in order_items), Decimal(0)))
        order = {
            "merchant_order_id": order_id, "reference_order_id": reference,
            "customer_reference_order_id": reference, "fulfillment_node": self.node_id,
            "hash_email": f"{order_id[:12]}@customer.jet.com", "status": str(OrderStatus.CREATED),
            "order_placed_date": iso(self._placed_at(now)), "order_transmission_date": iso(now),
            "jet_requested_directed_cancel": any(i["request_order_cancel_qty"] for i in order_items),
            "has_shipments": False,
            "order_detail": {"request_shipping_carrier": "UPS", "request_shipping_method": "UPS Ground",
                             "request_service_level": "Standard", "request_ship_by": iso(now + 24 * HOUR),
                             "request_delivery_by": iso(now + 5 * 24 * HOUR)},
            "buyer": buyer, "shipping_to": {"recipient": buyer, "address": address},
            "order_totals": {"item_price": {"base_price": base, "item_tax": 0, "item_shipping_cost": 0,
                                            "item_shipping_tax": 0}},
            "order_items": order_items, "_created": now, "_tag": None, "_done": {}, "_demo": demo,
        }  # fmt: skip
        self.db.put("order", order_id, order, now)
        return f"/orders/withoutShipmentDetail/{order_id}"

    def _placed_at(self, now: float) -> float:
        """When the buyer placed an order generated ``now``: Jet holds a new order ``created``
        about 30 minutes (:data:`CREATED_WINDOW_SECONDS`) before it becomes ``ready``, which the
        sandbox makes it ``review_delay_seconds`` from now; so the order was placed that long
        before it is ready (never later than now)."""
        ready_at = now + self.settings.sandbox.review_delay_seconds
        return min(now, ready_at - CREATED_WINDOW_SECONDS)

    def demo_tick(self) -> None:
        """Demo mode (``order_every_seconds`` > 0), run lazily before each API call: place the
        orders and generate the returns that are due (see :meth:`maybe_auto_orders` and
        :meth:`maybe_auto_returns`)."""
        if self.settings.sandbox.order_every_seconds > 0:
            self.maybe_auto_orders()
            self.maybe_auto_returns()

    def maybe_auto_orders(self, rng: random.Random | None = None) -> None:
        """Demo mode: the first order as soon as a SKU is Available for Purchase (looked for
        every few seconds, so a newcomer sees one within a minute of the first listing going
        live), then one every ``order_every_seconds``, caught up lazily on the next request
        (at most :data:`MAX_CATCH_UP_ORDERS`; no backlog builds while nothing is for sale).
        Lines are drawn by :func:`demo_items`."""
        every = self.settings.sandbox.order_every_seconds
        if every <= 0:
            return
        now = self.clock()
        rng = rng or self.rng
        with self.db.transaction():
            placed = int(self.db.meta("auto_orders", "0"))
            if placed:
                last = float(self.db.meta("auto_order_at", "0") or 0)
                due = int((now - last) // every)
                if due <= 0:
                    return
                next_from = last + due * every
            else:
                checked = float(self.db.meta("auto_order_checked_at", "0") or 0)
                if now - checked < min(every, FIRST_ORDER_LOOK_SECONDS):
                    return
                self.db.set_meta("auto_order_checked_at", repr(now))
                due, next_from = 1, now
            available, children = self._for_sale()
            if not available:
                self.db.set_meta("auto_order_at", repr(now))
                return
            count = min(due, MAX_CATCH_UP_ORDERS)
            self.db.set_meta("auto_order_at", repr(next_from))
            self.db.set_meta("auto_orders", str(placed + count))
            for _ in range(count):
                self._new_order(demo_items(available, children, rng), rng, demo=True)

    def _for_sale(self) -> tuple[dict[str, int], list[str]]:
        """The Available for Purchase SKUs with their stock on Jet, and those of them that are
        variation children (never the activation's test SKU: see the module's docstring)."""
        docs = [d for d in self.db.all("sku") if d["merchant_sku"] != RUNWAY_TEST_SKU]
        available = {d["merchant_sku"]: sum(d.get("inventory", {}).values()) for d in docs
                     if self.status(d)[0] == ProductStatus.AVAILABLE}  # fmt: skip
        children = {c for d in docs for c in (d.get("variation") or {}).get("children_skus", [])}
        return available, [s for s in available if s in children]

    def maybe_auto_returns(self) -> None:
        """Demo mode: generate the returns planned when demo orders shipped (see
        :meth:`_plan_demo_return`) once their time has come."""
        if self.settings.sandbox.order_every_seconds <= 0:
            return
        now = self.clock()
        if not any(p[0] <= now for p in json.loads(self.db.meta("demo_returns_due", "[]"))):
            return  # the usual case: no write lock taken
        with self.db.transaction():
            planned = json.loads(self.db.meta("demo_returns_due", "[]"))
            due = [p for p in planned if p[0] <= now]
            self.db.set_meta("demo_returns_due", json.dumps([p for p in planned if p[0] > now]))
            returned = {r["merchant_order_id"] for r in self.db.all("return")}
            for _, order_id in due:
                if order_id in returned:
                    continue
                try:
                    self.generate_return(order_id, self.rng)
                except ApiError:
                    pass  # nothing left to return (e.g. deleted state): the demo just skips it

    def _plan_demo_return(self, doc: dict[str, Any], now: float) -> None:
        """When a demo order first ships units, decide whether its buyer sends something back:
        the first such order always (a newcomer gets a return to complete), then
        :data:`DEMO_RETURN_SHARE` of them, ``order_every_seconds`` after the shipment."""
        every = self.settings.sandbox.order_every_seconds
        if not doc.get("_demo") or "_return_planned" in doc or not doc["has_shipments"]:
            return
        if every <= 0:
            return
        first = self.db.meta("demo_returns_planned", "0") == "0"
        doc["_return_planned"] = first or self.rng.random() < DEMO_RETURN_SHARE
        if doc["_return_planned"]:
            planned = json.loads(self.db.meta("demo_returns_due", "[]"))
            planned.append([now + every, doc["merchant_order_id"]])
            self.db.set_meta("demo_returns_due", json.dumps(planned))
            count = int(self.db.meta("demo_returns_planned", "0")) + 1
            self.db.set_meta("demo_returns_planned", str(count))

    def order(self, order_id: str) -> dict[str, Any]:
        doc = self.db.get("order", order_id)
        if doc is None:
            raise ApiError(404, f"order '{order_id}' not found")
        ready_at = doc["_created"] + self.settings.sandbox.review_delay_seconds
        if doc["status"] == OrderStatus.CREATED and self.clock() >= ready_at:
            doc["status"] = str(OrderStatus.READY)
            doc["order_ready_date"] = iso(ready_at)
            with self.db.transaction():
                self.db.put("order", order_id, doc, doc["_created"])
        return doc

    def order_view(self, order_id: str) -> dict[str, Any]:
        return _public(self.order(order_id))

    def list_orders(
        self, status: str, tag: str | None = None, include: bool = True
    ) -> dict[str, Any]:
        if status not in set(OrderStatus):
            raise ApiError(404, f"unknown order status '{status}'")
        ids = [d["merchant_order_id"] for d in self.db.all("order")]
        orders = [self.order(i) for i in ids]
        picked = [o for o in orders if o["status"] == status
                  and (tag is None or (o["_tag"] == tag) == include)]  # fmt: skip
        return {"order_urls": [f"/orders/withoutShipmentDetail/{o['merchant_order_id']}"
                               for o in picked[:MAX_LIST]]}  # fmt: skip

    def directed_cancels(self) -> dict[str, Any]:
        orders = [self.order(d["merchant_order_id"]) for d in self.db.all("order")]
        picked = [
            o
            for o in orders
            if o["jet_requested_directed_cancel"] and o["status"] != OrderStatus.COMPLETE
        ]
        return {"order_urls": [f"/orders/withoutShipmentDetail/{o['merchant_order_id']}"
                               for o in picked[:MAX_LIST]]}  # fmt: skip

    def tag_order(self, order_id: str, body: Any) -> None:
        if not isinstance(body, dict):
            raise ApiError(400, "body: must be a JSON object")
        tag = body.get("tag")
        if tag is not None and not isinstance(tag, str):
            raise ApiError(400, "tag: must be text")
        with self.db.transaction():
            doc = self.order(order_id)
            doc["_tag"] = tag or None
            self.db.put("order", order_id, doc, doc["_created"])

    def acknowledge(self, order_id: str, body: Any) -> None:
        doc = self.order(order_id)
        refuse(models.validate_acknowledge(body))
        # Strict: a second acknowledgement (even the same body, a blind retry after a lost
        # answer) finds the order no longer ready and is refused, as Jet documents.
        if doc["status"] != OrderStatus.READY:
            raise ApiError(
                400, f"order is '{doc['status']}': only ready orders can be acknowledged"
            )
        known = {i["order_item_id"]: i for i in doc["order_items"]}
        sent = {i["order_item_id"]: i for i in body["order_items"]}
        refuse([f"order_items: unknown order_item_id '{i}'" for i in sent if i not in known]
               + [f"order_items: order_item_id '{i}' is missing" for i in known if i not in sent])  # fmt: skip
        now = self.clock()
        for item_id, item in known.items():
            item["order_item_acknowledgement_status"] = sent[item_id][
                "order_item_acknowledgement_status"
            ]
            if sent[item_id].get("alt_order_item_id"):
                item["alt_order_item_id"] = sent[item_id]["alt_order_item_id"]
        if body.get("alt_order_id"):
            doc["alt_order_id"] = body["alt_order_id"]
        doc["acknowledgement_status"] = body["acknowledgement_status"]
        doc["order_acknowledge_date"] = iso(now)
        doc["_ack_body"] = body
        if body["acknowledgement_status"] == AckStatus.ACCEPTED:
            doc["status"] = str(OrderStatus.ACKNOWLEDGED)
        else:
            doc["status"] = str(OrderStatus.COMPLETE)
            doc["exception_state"] = str(ExceptionState.ORDER_REJECTED)
        with self.db.transaction():
            self.db.put("order", order_id, doc, doc["_created"])

    def ship(self, order_id: str, body: Any) -> None:
        doc = self.order(order_id)
        refuse(models.validate_shipped(body))
        message = json.dumps(body, sort_keys=True)
        # Strict: Jet counts every message it receives; the same message again (a blind retry
        # after a lost answer) ships its units again, and a complete order takes none.
        if doc["status"] == OrderStatus.COMPLETE:
            raise ApiError(400, "order is complete; shipments are not accepted")
        # Jet's shipped message names SKUs only: units count against every item of the SKU
        ordered = _units_by_sku(doc["order_items"])
        done = {sku: dict(v) for sku, v in doc["_done"].items()}
        errors: list[str] = []
        ships_units = False
        for s, shipment in enumerate(body["shipments"]):
            for j, line in enumerate(shipment["shipment_items"]):
                where = f"shipments[{s}].shipment_items[{j}]"
                sku = line["merchant_sku"]
                if sku not in ordered:
                    errors.append(f"{where}.merchant_sku: '{sku}' is not in this order")
                    continue
                shipped = line.get("response_shipment_sku_quantity") or 0
                cancelled = line.get("response_shipment_cancel_qty") or 0
                ships_units = ships_units or shipped > 0
                tally = done.setdefault(sku, {"shipped": 0, "cancelled": 0})
                tally["shipped"] += shipped
                tally["cancelled"] += cancelled
                if tally["shipped"] + tally["cancelled"] > ordered[sku]:
                    kind = "shipped" if shipped else "cancelled"
                    errors.append(f"{where}: too many units {kind}: {tally['shipped']} shipped + "
                                  f"{tally['cancelled']} cancelled > {ordered[sku]} ordered")  # fmt: skip
        refuse(errors)
        allowed = {OrderStatus.ACKNOWLEDGED, OrderStatus.IN_PROGRESS}
        if not ships_units:
            allowed.add(OrderStatus.READY)  # cancel-only messages need no acknowledgement
        if doc["status"] not in allowed:
            raise ApiError(400, f"order is '{doc['status']}': it cannot take this shipped message")
        complete = all(sum(done.get(sku, {}).values()) >= n for sku, n in ordered.items())
        if doc["status"] == OrderStatus.READY and not complete:
            # Before the acknowledgement only the whole order may be cancelled (the extension's
            # reject); a part cancelled would leave an order that can never be acknowledged.
            raise ApiError(400, "order is 'ready' (not acknowledged): a cancel-only message "
                           "must cancel every unit; acknowledge it before cancelling part of it")  # fmt: skip
        now = self.clock()
        for shipment in body["shipments"]:
            doc.setdefault("shipments", []).append({**shipment, "shipment_id": new_jet_id()})
        if body.get("alt_order_id"):
            doc["alt_order_id"] = body["alt_order_id"]
        doc["_done"] = done
        doc.setdefault("_messages", []).append(message)
        doc["has_shipments"] = any(v["shipped"] for v in done.values())
        doc["status"] = str(OrderStatus.COMPLETE if complete else OrderStatus.IN_PROGRESS)
        doc["_shipped_at"] = now
        with self.db.transaction():
            self._plan_demo_return(doc, now)
            self.db.put("order", order_id, doc, doc["_created"])

    # ---- returns --------------------------------------------------------------------------

    def generate_return(self, order_id: str, rng: random.Random | None = None) -> dict[str, Any]:
        """A return of every shipped unit not already in an earlier return of the order. Jet
        bills the merchant the return shipping (``merchant_return_charge``, which the merchant
        may dispute when completing) when a line's reason is the merchant's fault."""
        order = self.order(order_id)
        shipped = {sku: v["shipped"] for sku, v in order["_done"].items() if v["shipped"]}
        if not shipped:
            raise ApiError(400, f"order '{order_id}' has no shipped units to return")
        for sku, units in self._returned_units(order_id).items():
            shipped[sku] = shipped.get(sku, 0) - units
        if not any(qty > 0 for qty in shipped.values()):
            raise ApiError(400, f"order '{order_id}': every shipped unit is already returned")
        rng = rng or self.rng
        now = self.clock()
        return_id = new_jet_id()
        items = []
        last = {i["merchant_sku"]: i["order_item_id"] for i in order["order_items"]}
        for item in order["order_items"]:
            sku = item["merchant_sku"]
            qty = max(0, shipped.get(sku, 0))  # a SKU on several items: spread over them in order
            if item["order_item_id"] != last[sku]:
                qty = min(qty, item["request_order_quantity"])
            shipped[sku] = shipped.get(sku, 0) - qty
            if qty <= 0:
                continue
            unit = _unit_paid(item, "base_price")
            items.append({
                "order_item_id": item["order_item_id"], "alt_order_item_id": item.get("alt_order_item_id"),
                "merchant_sku": item["merchant_sku"], "merchant_sku_title": item["product_title"],
                "reason": rng.choice(RETURN_REASONS), "return_quantity": qty,
                "requested_refund_amount": {"principal": _cents(unit * qty), "tax": 0,
                                            "shipping_cost": 0, "shipping_tax": 0},
            })  # fmt: skip
        merchant_fault = any(i["reason"] in MERCHANT_FAULT_REASONS for i in items)
        charge = RETURN_SHIPPING_CHARGE if merchant_fault else 0
        doc = {
            "merchant_return_authorization_id": return_id,
            "reference_return_authorization_id": str(rng.randrange(10**11, 10**12)),
            "merchant_order_id": order_id, "reference_order_id": order["reference_order_id"],
            "alt_order_id": order.get("alt_order_id"), "return_date": iso(now),
            "return_status": str(ReturnStatus.CREATED), "shipping_carrier": "UPS",
            "tracking_number": f"1Z{rng.randrange(10**15, 10**16)}", "refund_without_return": False,
            "merchant_return_charge": charge, "return_merchant_SKUs": items, "_created": now,
        }  # fmt: skip
        with self.db.transaction():
            self.db.put("return", return_id, doc, now)
        return {"url": f"/returns/state/{return_id}"}

    def _returned_units(self, order_id: str) -> dict[str, int]:
        """Units of each SKU of the order in its returns so far."""
        units: dict[str, int] = {}
        for doc in self.db.all("return"):
            if doc["merchant_order_id"] == order_id:
                for line in doc["return_merchant_SKUs"]:
                    sku = line["merchant_sku"]
                    units[sku] = units.get(sku, 0) + line["return_quantity"]
        return units

    def _return(self, return_id: str) -> dict[str, Any]:
        """The return document, moved to ``inprogress`` when Jet has acted (module docstring)."""
        doc = self.db.get("return", return_id)
        if doc is None:
            raise ApiError(404, f"return '{return_id}' not found")
        acts_at = doc.get("_created", 0.0) + self.settings.sandbox.review_delay_seconds
        if (doc["return_status"] == ReturnStatus.CREATED and doc.get("_seen")
                and self.clock() >= acts_at):  # fmt: skip
            doc["return_status"] = str(ReturnStatus.IN_PROGRESS)
            with self.db.transaction():
                self.db.put("return", return_id, doc, doc.get("_created", 0.0))
        return doc

    def return_view(self, return_id: str) -> dict[str, Any]:
        doc = self._return(return_id)
        if not doc.get("_seen"):
            doc["_seen"] = self.clock()  # the merchant has read it: Jet may act from now on
            with self.db.transaction():
                self.db.put("return", return_id, doc, doc.get("_created", 0.0))
        return _public(doc)

    def list_returns(self, status: str) -> dict[str, Any]:
        key = status.replace(" ", "").lower()
        wanted = {k.replace(" ", ""): v for k, v in RETURN_STATUS_PATHS.items()}
        docs = [self._return(d["merchant_return_authorization_id"]) for d in self.db.all("return")]
        if key in wanted:
            picked = [d for d in docs if d["return_status"] == wanted[key]]
        elif key == "refundcustomerwithoutreturn":
            picked = [d for d in docs if d["refund_without_return"]]
        elif key == "jetrefunded":
            picked = []  # the sandbox's Jet never refunds on its own
        else:
            raise ApiError(404, f"unknown return status '{status}'")
        return {"return_urls": [f"/returns/state/{d['merchant_return_authorization_id']}"
                                for d in picked[:MAX_LIST]]}  # fmt: skip

    def complete_return(self, return_id: str, body: Any) -> None:
        doc = self._return(return_id)
        refuse(models.validate_complete_return(body))
        if doc["return_status"] == ReturnStatus.COMPLETED_BY_MERCHANT:
            raise ApiError(400, "return is already completed by merchant")
        if body["merchant_order_id"] != doc["merchant_order_id"]:
            raise ApiError(400, "merchant_order_id: does not match the return's order")
        known = {i["order_item_id"]: i for i in doc["return_merchant_SKUs"]}
        matched, errors = _match_items(body["items"], known, "not part of this return")
        for where, item, ret in matched:
            for key in ("order_return_refund_qty", "total_quantity_returned"):
                if item[key] > ret["return_quantity"]:
                    errors.append(f"{where}.{key}: {item[key]} is more than the "
                                  f"{ret['return_quantity']} returned")  # fmt: skip
            errors += _over_amounts(item["refund_amount"], ret["requested_refund_amount"], where)
        refuse(errors)
        sent = {i["order_item_id"]: i for i in body["items"]}
        doc["items"] = [
            {**ret, **sent.get(ret["order_item_id"], {})} for ret in doc["return_merchant_SKUs"]
        ]
        doc.update(return_status=str(ReturnStatus.COMPLETED_BY_MERCHANT), completed_date=iso(self.clock()),
                   agree_to_return_charge=body["agree_to_return_charge"])  # fmt: skip
        for key in ("return_charge_feedback", "alt_order_id"):
            if body.get(key):
                doc[key] = body[key]
        with self.db.transaction():
            self.db.put("return", return_id, doc, self.clock())

    # ---- refunds --------------------------------------------------------------------------

    def create_refund(self, order_id: str, alt_refund_id: str, body: Any) -> dict[str, Any]:
        order = self.order(order_id)
        refuse(models.validate_refund(body))
        if any(r["alt_refund_id"] == alt_refund_id and r["merchant_order_id"] == order_id
               for r in self.db.all("refund")):  # fmt: skip
            raise ApiError(400, f"alt_refund_id: '{alt_refund_id}' was already used for this order")
        items = {i["order_item_id"]: i for i in order["order_items"]}
        matched, errors = _match_items(body["items"], items, f"not part of order '{order_id}'")
        for where, item, ordered in matched:
            qty, ordered_qty = item["order_return_refund_qty"], ordered["request_order_quantity"]
            if qty > ordered_qty:
                errors.append(f"{where}.order_return_refund_qty: {qty} is more than the "
                              f"{ordered_qty} ordered")  # fmt: skip
        refuse(errors)
        refund_id = new_jet_id()
        now = self.clock()
        doc = {"refund_authorization_id": refund_id, "alt_refund_id": alt_refund_id,
               "merchant_order_id": order_id, "reference_order_id": order["reference_order_id"],
               "alt_order_id": order.get("alt_order_id"), "reference_merchant_order_id": order_id,
               "items": body["items"], "_created": now, "_reads": 0,
               "_conflicts": self._policy_conflicts(order, matched)}  # fmt: skip
        with self.db.transaction():
            self.db.put("refund", refund_id, doc, now)
        return {"refund_authorization_id": refund_id, "alt_refund_id": alt_refund_id,
                "refund_status": str(RefundStatus.CREATED)}  # fmt: skip

    def _policy_conflicts(self, order: dict[str, Any], matched: list[_Match]) -> list[str]:
        """Why Jet will reject this refund (empty: it will be accepted): units never shipped or
        money beyond what the buyer paid for the item's units, counting the earlier refunds of the item that stand and
        what completed returns already refunded for it."""
        order_id = order["merchant_order_id"]
        standing = [i for r in self.db.all("refund")
                    if r["merchant_order_id"] == order_id and not r.get("_conflicts")
                    for i in r["items"]]  # fmt: skip
        standing += [
            {"order_item_id": i["order_item_id"],
             "order_return_refund_qty": i.get("order_return_refund_qty", 0),
             "refund_amount": i.get("refund_amount") or dict.fromkeys(AMOUNT_KEYS, 0)}
            for r in self.db.all("return")
            if r["merchant_order_id"] == order_id
            and r["return_status"] == ReturnStatus.COMPLETED_BY_MERCHANT
            for i in r.get("items", [])
        ]  # fmt: skip
        problems = []
        for where, item, ordered in matched:
            same = [i for i in standing if i["order_item_id"] == item["order_item_id"]] + [item]
            units = sum(i["order_return_refund_qty"] for i in same)
            shipped = order["_done"].get(ordered["merchant_sku"], {}).get("shipped", 0)
            if units > shipped:
                problems.append(f"{where}.order_return_refund_qty: {units} unit(s) refunded in "
                                f"all, {shipped} shipped")  # fmt: skip
            paid = [_cents(_line_paid(ordered, key)) for key in item_price.PRICE_KEYS]
            limit = dict(zip(AMOUNT_KEYS, paid, strict=True))
            total = {k: sum(i["refund_amount"][k] for i in same) for k in AMOUNT_KEYS}
            problems += _over_amounts(total, limit, where)
        return problems

    def _refund_status(self, doc: dict[str, Any]) -> str:
        step = progress(doc["_created"], doc["_reads"], self.clock(), 2)
        final = RefundStatus.REJECTED_POLICY if doc.get("_conflicts") else RefundStatus.ACCEPTED
        return str([RefundStatus.CREATED, RefundStatus.PROCESSING, final][step])

    def refund_view(self, refund_id: str) -> dict[str, Any]:
        with self.db.transaction():
            doc = self.db.get("refund", refund_id)
            if doc is None:
                raise ApiError(404, f"refund '{refund_id}' not found")
            doc["_reads"] += 1  # each read moves the refund one state on
            self.db.put("refund", refund_id, doc, doc["_created"])
        return {**_public(doc), "refund_status": self._refund_status(doc)}

    def list_refunds(self, status: str) -> dict[str, Any]:
        key = status.lower()
        if key not in ("created", "processing", "accepted", "rejected"):
            raise ApiError(404, f"unknown refund status '{status}'")
        picked = [d for d in self.db.all("refund") if self._refund_status(d).startswith(key)]
        return {
            "refund_urls": [
                f"/refunds/state/{d['refund_authorization_id']}" for d in picked[:MAX_LIST]
            ]
        }


_Match = tuple[str, dict[str, Any], dict[str, Any]]  # (where, item sent, item known)


# Money: Jet's order lines as :mod:`jettui.jet.item_price` reads them (the evidence is there):
# a generated line's base_price is its unit price; what a line's units cost is read back by
# the same module, so returns and refund limits follow the reading.


def _cents(amount: Decimal) -> float:
    """Dollars as the JSON number Jet sends (2 decimals, half up)."""
    return float(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _item_price(unit: Decimal, quantity: int) -> dict[str, float]:
    """``item_price`` of a generated line of ``quantity`` units at ``unit`` dollars each
    (no tax or shipping)."""
    units = {"base_price": unit, "item_tax": Decimal(0), "item_shipping_cost": Decimal(0),
             "item_shipping_tax": Decimal(0)}  # fmt: skip
    return {k: _cents(item_price.sent_value(v, k, quantity)) for k, v in units.items()}


def _line_paid(item: dict[str, Any], key: str) -> Decimal:
    """What the buyer paid for every unit of an order line for one ``item_price`` key."""
    value = Decimal(str(item["item_price"].get(key) or 0))
    return item_price.line_amount(value, key, max(item["request_order_quantity"], 1))


def _unit_paid(item: dict[str, Any], key: str) -> Decimal:
    value = Decimal(str(item["item_price"].get(key) or 0))
    return item_price.unit_amount(value, key, max(item["request_order_quantity"], 1))


def demo_items(
    available: dict[str, int], children: list[str], rng: random.Random
) -> list[dict[str, Any]]:
    """The lines of one demo order (generate-order items), drawn from ``available`` (SKU →
    stock, every stock > 0): usually one SKU, sometimes 2 or 3; a variation child in about half
    the orders when ``children`` holds one; 1 or 2 units, never more than the stock; now and
    then a directed cancel of one unit (``order_cancel_quantity`` 1, which the order shows as
    ``request_order_cancel_qty``)."""
    count = rng.randint(2, 3) if rng.random() < DEMO_SEVERAL_ITEMS_SHARE else 1
    skus = rng.sample(sorted(available), min(count, len(available)))
    spare = [c for c in children if c not in skus]
    if spare and not set(skus) & set(children) and rng.random() < DEMO_CHILD_SHARE:
        skus[0] = rng.choice(spare)
    items = [{"sku": s, "order_quantity": rng.randint(1, max(1, min(2, available[s]))),
              "order_cancel_quantity": 0} for s in skus]  # fmt: skip
    if rng.random() < DEMO_DIRECTED_CANCEL_SHARE:
        rng.choice(items)["order_cancel_quantity"] = 1
    return items


def _match_items(
    items: list[dict[str, Any]], known: dict[str, dict[str, Any]], unknown: str
) -> tuple[list[_Match], list[str]]:
    """Pair each sent item with the known item of its ``order_item_id``; errors for the rest."""
    matched: list[_Match] = []
    errors: list[str] = []
    for n, item in enumerate(items):
        found = known.get(item["order_item_id"])
        if found is None:
            errors.append(f"items[{n}].order_item_id: {unknown}")
        else:
            matched.append((f"items[{n}]", item, found))
    return matched, errors


def _public(doc: dict[str, Any]) -> dict[str, Any]:
    """A stored document without the sandbox's own ``_`` keys."""
    return {k: v for k, v in doc.items() if not k.startswith("_")}


def _over_amounts(amount: dict[str, Any], limit: dict[str, Any], where: str) -> list[str]:
    return [
        f"{where}.refund_amount.{key}: {amount[key]} is more than the {limit[key]} allowed"
        for key in AMOUNT_KEYS
        if amount[key] > limit[key] + 1e-9
    ]


def _units_by_sku(items: list[dict[str, Any]]) -> dict[str, int]:
    """Units ordered per SKU over an order's items (a SKU may be on several items)."""
    units: dict[str, int] = {}
    for item in items:
        units[item["merchant_sku"]] = (
            units.get(item["merchant_sku"], 0) + item["request_order_quantity"]
        )
    return units
