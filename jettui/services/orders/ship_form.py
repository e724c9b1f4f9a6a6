"""The ship form: what a merchant fills in to ship and/or cancel units of a Jet order, the
rules it must pass before anything is sent, and the ``PUT /orders/{id}/shipped`` body it
becomes (jet-api.md table 2.4c). Pure code: no store, no network, so the TUI form, the
``jettui orders ship`` command and the service all share one set of rules.

Open units. Per line, ``open = request_order_quantity - shipped - cancelled``, counting every
shipped message jettui sent (even one whose answer never came: it may have reached Jet, so
its units are not offered twice) and every shipment Jet reports on the order that jettui did
not send (shipped from another tool). Jet's directed cancel (``request_order_cancel_qty``, part
of ``request_order_quantity``) stays due until that many units of the line are cancelled; the
form pre-fills it as the line's cancel quantity and refuses to ship into it.

Rules (:func:`check_shipment`), each problem prefixed by the field it is about:

- ``lines``: at least one unit shipped or cancelled; every line is an item of the order, once;
  quantities are whole numbers ≥ 0; ship + cancel ≤ the line's open units; shipping never eats
  into units Jet asked to cancel.
- ``order``: imported into OpenCart; acknowledged on Jet before units are shipped; not
  complete. A ``ready`` (unacknowledged) order takes only a cancel of every unit (the
  extension's reject): a part cancelled before the acknowledgement would leave an order Jet can
  never have acknowledged, so ``lines`` names the problem.
- With shipped units only (a cancel-only message carries none of them): ``tracking_number``
  (no spaces; a UPS, USPS or FedEx number in its carrier's format, any other 5–40
  characters: :func:`tracking_problems`), ``carrier`` and ``method`` from Jet's enums (a carrier's own method, e.g.
  no ``FedEx Ground`` for UPS; ``Other`` takes any), ``zip`` exactly 5 digits,
  ``shipment_date``, ``carrier_pick_up_date`` and ``expected_delivery_date`` as dates, the
  delivery not before the pick-up nor the shipment.
- ``return_location``: when given, a full US address (address1, city, state code, 5-digit ZIP)
  with ``rma_number`` (1–100 characters) and ``days_to_return`` (0–365); an RMA number or days
  to return without a return location are refused too (Jet would drop them silently).
- ``alt_shipment_id``: each form is one message with its own id; a form already sent is
  refused (a second press of "send" never ships twice).

Quantities and days may be ints or the digits typed in a form field; anything else is
refused with its field named.

Lines are Jet's order items (``order_item_id``), not SKUs: an order may hold the same SKU on two
items, and each stays its own line with its own open units (named ``lines[SKU#2]`` in problems
when the SKU is on several items). Jet's shipped message names only ``merchant_sku``, so when a
SKU is on several items each shipment item also carries ``alt_shipment_item_id`` = the item's
``order_item_id`` (a merchant-chosen id, table 2.4c) and jettui reads its units back to that
item; units of a shared SKU without it (another tool's shipment) fill the SKU's items in order.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from jettui.config import US_STATES, Settings
from jettui.jet.dates import format_jet_date, new_jet_id, parse_jet_date
from jettui.jet.enums import CARRIERS, SHIPPING_METHODS, OrderStatus

if TYPE_CHECKING:
    from jettui.store.jet_tables import JetOrder

ZIP5 = re.compile(r"^\d{5}$")
MAX_TEXT = 100  # Jet's limit for tracking numbers, RMA numbers and ids (models.text(1, 100))
MAX_DAYS_TO_RETURN = 365
DEFAULT_DELIVERY_DAYS = 5
#: a tracking number of a carrier without a known format below: no spaces, this many characters
TRACKING_LENGTH = (5, 40)
#: carriers whose tracking numbers have one well-known format (checked upper-cased), and how
#: the merchant is told it: UPS packages "1Z" + 16 letters/digits; USPS 20-22 digits (IMpb)
#: or the 13-character S10 form (Priority Mail Express EA123456789US); FedEx 12, 15, 20 or 22
#: digits. Others (freight, SmartPost, Mail Innovations...) get the plain rule.
TRACKING_FORMATS: dict[str, tuple[re.Pattern[str], str]] = {
    "UPS": (
        re.compile(r"1Z[0-9A-Z]{16}"),
        '"1Z" and 16 letters or digits, e.g. 1Z999AA10123456784',
    ),
    "USPS": (
        re.compile(r"\d{20,22}|[A-Z]{2}\d{9}[A-Z]{2}"),
        "20 to 22 digits, or 2 letters, 9 digits, 2 letters (EA123456789US)",
    ),
    "FedEx": (re.compile(r"\d{12}|\d{15}|\d{20}|\d{22}"), "12, 15, 20 or 22 digits"),
}

#: import ledger states in which the OpenCart order is complete (see jet_tables.JET_ORDER_STATES)
IMPORTED_STATES = frozenset({"done"})
#: import states that will not become an OpenCart order without the merchant, and what to do
PROBLEM_STATES = {
    "held": "fix the problem and retry it, or reject it, on the Rejected orders panel",
    "rejected": "it was rejected on Jet: there is nothing to ship",
}
SHIPPABLE_STATUSES = frozenset({OrderStatus.ACKNOWLEDGED, OrderStatus.IN_PROGRESS})
CANCELLABLE_STATUSES = SHIPPABLE_STATUSES | {OrderStatus.READY}


# --- the order as the form sees it ------------------------------------------------------------


@dataclass(frozen=True)
class LineView:
    """One order item and what has happened to its units so far."""

    merchant_sku: str
    title: str = ""
    order_item_id: str = ""
    ordered: int = 0  # request_order_quantity (directed cancels included)
    directed_cancel: int = 0  # request_order_cancel_qty
    shipped: int = 0
    cancelled: int = 0
    label: str = ""  # the line's name in problems: the SKU, or SKU#n when several items share it

    @property
    def name(self) -> str:
        return self.label or self.merchant_sku

    @property
    def open(self) -> int:
        """Units neither shipped nor cancelled yet."""
        return max(0, self.ordered - self.shipped - self.cancelled)

    @property
    def cancel_due(self) -> int:
        """Units Jet asked to cancel that are not cancelled yet (never more than open)."""
        return min(self.open, max(0, self.directed_cancel - self.cancelled))

    @property
    def shippable(self) -> int:
        return self.open - self.cancel_due

    def as_dict(self) -> dict[str, Any]:
        return {
            "merchant_sku": self.merchant_sku,
            "title": self.title,
            "order_item_id": self.order_item_id,
            "ordered": self.ordered,
            "directed_cancel": self.directed_cancel,
            "shipped": self.shipped,
            "cancelled": self.cancelled,
            "open": self.open,
        }


@dataclass(frozen=True)
class OrderView:
    """A Jet order with per-line progress: what the form and its rules need."""

    merchant_order_id: str
    lines: tuple[LineView, ...]
    order_id: int = 0  # the OpenCart order (0 = not written yet)
    jet_status: str = ""
    import_state: str = ""
    reference_order_id: str = ""
    request_carrier: str = ""
    request_method: str = ""
    request_delivery_by: _dt.datetime | None = None
    sent_ids: frozenset[str] = frozenset()  # alt_shipment_id of every message already sent
    admin_change: str = ""  # "cancelled" / "deleted" in OpenCart's admin (see .admin_changes)
    admin_reason: str = ""  # that change in one line for the merchant

    def line(self, sku: str) -> LineView | None:
        """The first item of ``sku`` (see :meth:`items_of` for a SKU on several items)."""
        return next((line for line in self.lines if line.merchant_sku == sku), None)

    def items_of(self, sku: str) -> list[LineView]:
        """Every item of ``sku``, in Jet's order."""
        return [line for line in self.lines if line.merchant_sku == sku]

    def item(self, order_item_id: str) -> LineView | None:
        return next((line for line in self.lines if line.order_item_id == order_item_id), None)

    def shared(self, sku: str) -> bool:
        """Is ``sku`` on more than one item of the order?"""
        return len(self.items_of(sku)) > 1

    def line_for(self, line: ShipLine) -> LineView | None:
        """The item a form line is about: by ``order_item_id``, else the SKU's only item."""
        if line.order_item_id:
            found = self.item(line.order_item_id)
            return found if found is not None and found.merchant_sku == line.merchant_sku else None
        items = self.items_of(line.merchant_sku)
        return items[0] if len(items) == 1 else None

    @property
    def open_units(self) -> int:
        return sum(line.open for line in self.lines)


def shipment_items(shipments: Iterable[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    for shipment in shipments:
        yield from shipment.get("shipment_items") or []


def tally(shipments: Iterable[Mapping[str, Any]]) -> dict[str, tuple[int, int]]:
    """``{sku: (shipped, cancelled)}`` over Jet shipment dicts (table 2.4c)."""
    out: dict[str, tuple[int, int]] = {}
    for item in shipment_items(shipments):
        sku = str(item.get("merchant_sku") or "")
        shipped, cancelled = out.get(sku, (0, 0))
        out[sku] = (
            shipped + _int(item.get("response_shipment_sku_quantity")),
            cancelled + _int(item.get("response_shipment_cancel_qty")),
        )
    return out


def item_tally(
    items: Sequence[Mapping[str, Any]], shipments: Iterable[Mapping[str, Any]]
) -> dict[str, list[int]]:
    """``{order_item_id: [shipped, cancelled]}`` over Jet shipment dicts for the order's
    ``items`` (Jet's ``order_items``). A shipment item goes to the item its
    ``alt_shipment_item_id`` names; else to its SKU's items in order, each up to its open
    units (what is left over lands on the SKU's last item, so an over-count still shows)."""
    done: dict[str, list[int]] = {str(i.get("order_item_id") or ""): [0, 0] for i in items}
    ordered = {
        str(i.get("order_item_id") or ""): _int(i.get("request_order_quantity")) for i in items
    }
    by_sku: dict[str, list[str]] = {}
    for i in items:
        by_sku.setdefault(str(i.get("merchant_sku") or ""), []).append(
            str(i.get("order_item_id") or "")
        )
    for entry in shipment_items(shipments):
        ids = by_sku.get(str(entry.get("merchant_sku") or ""))
        if not ids:
            continue
        alt = str(entry.get("alt_shipment_item_id") or "")
        targets = [alt] if alt in ids else ids
        for slot, key in (
            (0, "response_shipment_sku_quantity"),
            (1, "response_shipment_cancel_qty"),
        ):
            units = _int(entry.get(key))
            for n, item_id in enumerate(targets):
                room = max(0, ordered[item_id] - sum(done[item_id]))
                take = units if n == len(targets) - 1 else min(units, room)
                done[item_id][slot] += take
                units -= take
    return done


def build_order_view(
    raw: Mapping[str, Any],
    records: Sequence[Mapping[str, Any]] = (),
    *,
    order_id: int = 0,
    jet_status: str = "",
    import_state: str = "",
) -> OrderView:
    """The view of a Jet order (``raw``, as Jet sent it) given jettui's shipment ``records``
    (JetOrder.shipments: each has ``alt_shipment_id`` and the ``body`` sent). Shipments Jet
    lists that jettui did not send count too."""
    ours = {r.get("alt_shipment_id") for r in records}
    on_jet = {s.get("alt_shipment_id") for s in raw.get("shipments") or []}
    # a "sending" message (answer lost, not looked up yet) counts only once Jet lists it
    sent = [
        r.get("body") or {}
        for r in records
        if r.get("state") != "sending" or r.get("alt_shipment_id") in on_jet
    ]
    foreign = [s for s in raw.get("shipments") or [] if s.get("alt_shipment_id") not in ours]
    items = list(raw.get("order_items") or [])
    done = item_tally(items, [*sent, *foreign])
    skus = [str(item.get("merchant_sku") or "") for item in items]
    lines = []
    for n, item in enumerate(items):
        sku = skus[n]
        item_id = str(item.get("order_item_id") or "")
        shipped, cancelled = done.get(item_id, [0, 0])
        lines.append(
            LineView(
                merchant_sku=sku,
                title=str(item.get("product_title") or ""),
                order_item_id=item_id,
                ordered=_int(item.get("request_order_quantity")),
                directed_cancel=_int(item.get("request_order_cancel_qty")),
                shipped=shipped,
                cancelled=cancelled,
                label=f"{sku}#{skus[: n + 1].count(sku)}" if skus.count(sku) > 1 else "",
            )
        )
    detail = raw.get("order_detail") or {}
    return OrderView(
        merchant_order_id=str(raw.get("merchant_order_id") or ""),
        lines=tuple(lines),
        order_id=order_id,
        jet_status=jet_status or str(raw.get("status") or ""),
        import_state=import_state,
        reference_order_id=str(raw.get("reference_order_id") or ""),
        request_carrier=str(detail.get("request_shipping_carrier") or ""),
        request_method=str(detail.get("request_shipping_method") or ""),
        request_delivery_by=_maybe_date(detail.get("request_delivery_by")),
        sent_ids=frozenset(str(r.get("alt_shipment_id")) for r in records),
    )


def view_of(row: JetOrder) -> OrderView:
    """:func:`build_order_view` of a stored ``jet_order`` row (its raw order and shipments)."""
    return build_order_view(
        row.raw or {},
        list(row.shipments or []),
        order_id=int(row.order_id or 0),
        jet_status=str(row.status or ""),
        import_state=str(row.state or ""),
    )


# --- the form ---------------------------------------------------------------------------------

DateInput = _dt.datetime | _dt.date | str | None


@dataclass
class ShipLine:
    """Units of one order item shipped and cancelled by this message (``order_item_id`` may be
    left empty for a SKU that is on one item only)."""

    merchant_sku: str
    ship: int | str = 0  # text from a form field is read by check_shipment (digits only)
    cancel: int | str = 0
    order_item_id: str = ""


@dataclass(frozen=True)
class ReturnLocation:
    address1: str
    city: str
    state: str
    zip_code: str
    address2: str = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> ReturnLocation:
        """The merchant's return address (settings ``returns:``)."""
        r = settings.returns
        return cls(r.address1, r.city, r.state, r.postcode, r.address2)

    def as_jet(self) -> dict[str, str]:
        return {
            "address1": self.address1,
            "address2": self.address2,
            "city": self.city,
            "state": self.state,
            "zip_code": self.zip_code,
        }


@dataclass
class ShipmentForm:
    """One shipped message: a shipment of some units, a cancellation, or both.

    Dates take a datetime, a date, or text (ISO-8601; ``2026-11-30`` or ``2026-11-30 14:00``
    are read as UTC). Fields about the parcel are ignored for a cancel-only message.
    """

    lines: list[ShipLine]
    tracking_number: str = ""
    carrier: str = ""
    method: str = ""
    zip: str = ""
    shipment_date: DateInput = None
    carrier_pick_up_date: DateInput = None
    expected_delivery_date: DateInput = None
    return_location: ReturnLocation | None = None
    rma_number: str = ""
    days_to_return: int | str | None = None
    alt_shipment_id: str = field(default_factory=lambda: f"jettui-{new_jet_id()[:16]}")

    @property
    def units_shipped(self) -> int:
        return sum(whole(line.ship) or 0 for line in self.lines)

    @property
    def units_cancelled(self) -> int:
        return sum(whole(line.cancel) or 0 for line in self.lines)

    @property
    def cancel_only(self) -> bool:
        return self.units_shipped == 0 and self.units_cancelled > 0


def default_form(
    view: OrderView, settings: Settings, *, now: _dt.datetime | None = None
) -> ShipmentForm:
    """The form as first shown: every open unit shipped, except the units Jet asked to cancel
    (pre-filled as cancelled); carrier and method as Jet requested when they are in Jet's
    enums; ship-from ZIP = the merchant's ``returns.postcode`` (usually the same warehouse);
    shipped and picked up now, delivered by Jet's ``request_delivery_by`` (else in 5 days)."""
    now = now or _dt.datetime.now(_dt.UTC)
    delivery = view.request_delivery_by
    if delivery is None or delivery < now:
        delivery = now + _dt.timedelta(days=DEFAULT_DELIVERY_DAYS)
    lines = [
        ShipLine(line.merchant_sku, line.shippable, line.cancel_due, line.order_item_id)
        for line in view.lines
        if line.open
    ]
    return ShipmentForm(
        lines=lines,
        carrier=view.request_carrier if view.request_carrier in CARRIERS else "",
        method=view.request_method if view.request_method in SHIPPING_METHODS else "",
        zip=settings.returns.postcode,
        shipment_date=now,
        carrier_pick_up_date=now,
        expected_delivery_date=delivery,
    )


def form_from_options(
    view: OrderView,
    settings: Settings,
    *,
    carrier: str = "",
    method: str = "",
    tracking: str = "",
    zip: str = "",
    ship: Mapping[str, int] | None = None,
    cancel: Mapping[str, int] | None = None,
    now: _dt.datetime | None = None,
) -> ShipmentForm:
    """The form of ``jettui orders ship ID --carrier C --method M --tracking T --zip Z
    [--cancel SKU=QTY ...] [--ship SKU=QTY ...]``: without ``--ship``, every open unit that is
    not cancelled ships; with it, only the units named. Directed cancels are kept unless
    ``--cancel`` names the SKU. A SKU on several items of the order is spread over them in
    Jet's order: its cancels first, each item up to its open units, then its shipped units over
    what is left (what does not fit lands on the last item, which the rules then refuse).
    Nothing is checked here: pass the result to :func:`check_shipment`."""
    form = default_form(view, settings, now=now)
    ship, cancel = dict(ship or {}), dict(cancel or {})
    planned = {line.order_item_id: line for line in form.lines}
    lines: list[ShipLine] = []
    for sku in dict.fromkeys([*(line.merchant_sku for line in view.lines), *ship, *cancel]):
        lines += _sku_lines(view, sku, planned, ship, cancel)
    return replace(
        form,
        lines=[line for line in lines if line.ship or line.cancel],
        carrier=carrier,
        method=method,
        tracking_number=tracking,
        zip=zip,
    )


def _sku_lines(
    view: OrderView,
    sku: str,
    planned: Mapping[str, ShipLine],
    ship: Mapping[str, Any],
    cancel: Mapping[str, Any],
) -> list[ShipLine]:
    """The form lines of one SKU for :func:`form_from_options` (its items in Jet's order)."""
    items = [item for item in view.items_of(sku) if item.open]
    if not items:  # not an item of the order, or nothing open: the rules name it
        named = sku in ship or sku in cancel
        return [ShipLine(sku, ship.get(sku, 0), cancel.get(sku, 0))] if named else []
    drafts = [planned.get(item.order_item_id) or ShipLine(sku) for item in items]
    if sku in cancel:
        for draft, n in zip(drafts, _spread(cancel[sku], [i.open for i in items]), strict=True):
            draft.cancel = n
    room = [max(0, i.open - _int(d.cancel)) for i, d in zip(items, drafts, strict=True)]
    shipped = _spread(ship.get(sku, 0), room) if ship else room
    for draft, item, n in zip(drafts, items, shipped, strict=True):
        draft.ship, draft.order_item_id = n, item.order_item_id
    return drafts


def _spread(units: int | Any, room: list[int]) -> list[int | Any]:
    """``units`` over slots of ``room`` in order, each up to its room; the rest on the last.
    A value that is no whole number is left on the first slot for the rules to name."""
    if whole(units) is None:
        return [units, *([0] * (len(room) - 1))]
    left, out = int(units), []
    for n, space in enumerate(room):
        take = left if n == len(room) - 1 else min(left, space)
        out.append(take)
        left -= take
    return out


def parse_quantities(values: Iterable[str], option: str) -> dict[str, int]:
    """``["SKU-1=2", "SKU-2=1"]`` → ``{"SKU-1": 2, "SKU-2": 1}``; ValueError naming ``option``
    and the bad value. The SKU may itself contain ``=``: the last one splits."""
    out: dict[str, int] = {}
    for value in values:
        sku, sep, qty = value.rpartition("=")
        sku = sku.strip()
        if not sep or not sku or not (qty.strip().isascii() and qty.strip().isdigit()):
            raise ValueError(f"{option}: '{value}' must be SKU=QUANTITY, e.g. {option} ABC-1=2")
        if sku in out:
            raise ValueError(f"{option}: SKU '{sku}' is given twice")
        out[sku] = int(qty)
    return out


# --- the rules --------------------------------------------------------------------------------


def check_shipment(view: OrderView, form: ShipmentForm) -> list[str]:
    """Every problem with ``form`` for the order ``view``, each starting with its field name
    (``zip: must be exactly 5 digits``). Empty: the message may be sent."""
    problems = _order_problems(view, form) + _line_problems(view, form)
    if form.alt_shipment_id in view.sent_ids:
        problems.append(
            f"alt_shipment_id: '{form.alt_shipment_id}' was sent already: start a new form"
        )
    elif not 1 <= len(form.alt_shipment_id or "") <= MAX_TEXT:
        problems.append(f"alt_shipment_id: must be 1 to {MAX_TEXT} characters")
    if form.units_shipped > 0:
        problems += _parcel_problems(form)
    problems += _return_problems(form)
    return problems


def _order_problems(view: OrderView, form: ShipmentForm) -> list[str]:
    if view.import_state in PROBLEM_STATES:
        return [f"order: its import is {view.import_state} ({PROBLEM_STATES[view.import_state]})"]
    if not view.order_id or (view.import_state and view.import_state not in IMPORTED_STATES):
        return ["order: not imported into OpenCart yet: fetch orders first"]
    status = view.jet_status
    if status == OrderStatus.COMPLETE:
        return ["order: is complete on Jet: nothing is left to ship or cancel"]
    if form.units_shipped > 0 and status not in SHIPPABLE_STATUSES:
        return [f"order: is '{status}' on Jet: acknowledge it before shipping"]
    if status not in CANCELLABLE_STATUSES:
        return [f"order: is '{status}' on Jet: it cannot take a shipped message"]
    if status == OrderStatus.READY and form.units_cancelled < view.open_units:
        return [
            f"lines: the order is not acknowledged: only all {view.open_units} unit(s) may be "
            "cancelled (a reject); acknowledge it before cancelling part of it"
        ]
    return []


def _line_problems(view: OrderView, form: ShipmentForm) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for line in form.lines:
        known = view.line_for(line)
        where = f"lines[{known.name if known else line.merchant_sku}]"
        if known is None:
            if view.shared(line.merchant_sku) and not line.order_item_id:
                problems.append(
                    f"{where}: '{line.merchant_sku}' is on several items of this order: "
                    "give the line's order_item_id"
                )
            else:
                problems.append(f"{where}: '{line.merchant_sku}' is not an item of this order")
            continue
        if known.order_item_id in seen:
            problems.append(f"{where}: the SKU is listed twice")
            continue
        seen.add(known.order_item_id)
        bad = [
            f"{where}.{name}: must be a whole number of 0 or more (got {value!r})"
            for name, value in (("ship", line.ship), ("cancel", line.cancel))
            if whole(value) is None
        ]
        if bad:
            problems += bad
            continue
        ship, cancel = whole(line.ship) or 0, whole(line.cancel) or 0
        if ship + cancel > known.open:
            problems.append(
                f"{where}: {ship} shipped + {cancel} cancelled is more than the "
                f"{known.open} open unit(s)"
            )
        elif ship > known.shippable:
            problems.append(
                f"{where}.ship: Jet asked to cancel {known.cancel_due} unit(s): at most "
                f"{known.shippable} of the {known.open} open can ship"
            )
    if not problems and form.units_shipped + form.units_cancelled == 0:
        problems.append("lines: nothing to ship or cancel: give at least one unit")
    return problems


def _parcel_problems(form: ShipmentForm) -> list[str]:
    problems: list[str] = []
    problems += tracking_problems(form.carrier, form.tracking_number)
    if form.carrier not in CARRIERS:
        problems.append(
            f"carrier: must be one of Jet's carriers, e.g. UPS, FedEx, USPS (got {form.carrier!r})"
        )
    if form.method not in SHIPPING_METHODS:
        problems.append(
            "method: must be one of Jet's shipping methods, e.g. 'UPS Ground' "
            f"(got {form.method!r})"
        )
    elif _foreign_method(form.carrier, form.method):
        problems.append(
            f"method: '{form.method}' is a {_method_family(form.method)} method, but the "
            f"carrier is {form.carrier}"
        )
    if not ZIP5.match(form.zip or ""):
        problems.append(f"zip: must be exactly 5 digits, e.g. 84047 (got {form.zip!r})")
    dates: dict[str, _dt.datetime] = {}
    for name in ("shipment_date", "carrier_pick_up_date", "expected_delivery_date"):
        value = getattr(form, name)
        if value in (None, ""):
            problems.append(f"{name}: is required when units are shipped")
            continue
        try:
            dates[name] = to_datetime(value)
        except ValueError:
            problems.append(
                f"{name}: must be a date such as 2026-11-30 or 2026-11-30T14:00:00Z (got {value!r})"
            )
    delivery = dates.get("expected_delivery_date")
    for name in ("carrier_pick_up_date", "shipment_date"):
        if delivery is not None and name in dates and delivery < dates[name]:
            problems.append(
                f"expected_delivery_date: must not be before the {name.replace('_', ' ')}"
            )
    return problems


def tracking_problems(carrier: str, tracking_number: str) -> list[str]:
    """The tracking number's problems for ``carrier`` (surrounding spaces are ignored): the
    carrier's own format where it is well known (:data:`TRACKING_FORMATS`), else no spaces
    and :data:`TRACKING_LENGTH` characters."""
    tracking = tracking_number.strip()
    if not tracking:
        return ["tracking_number: is required when units are shipped"]
    if any(c.isspace() for c in tracking):
        return [f"tracking_number: must have no spaces (got {tracking!r})"]
    known = TRACKING_FORMATS.get(carrier)
    if known is not None:
        pattern, example = known
        if pattern.fullmatch(tracking.upper()) is None:
            return [
                f"tracking_number: not a {carrier} tracking number: {example} (got {tracking!r})"
            ]
        return []
    low, high = TRACKING_LENGTH
    if not low <= len(tracking) <= high:
        return [
            f"tracking_number: must be {low} to {high} characters (got {len(tracking)}: "
            f"{tracking[:high]!r})"
        ]
    return []


def _return_problems(form: ShipmentForm) -> list[str]:
    location = form.return_location
    if location is None:
        extra = [
            n
            for n, v in (("rma_number", form.rma_number), ("days_to_return", form.days_to_return))
            if v not in (None, "")
        ]
        return [
            f"{n}: only goes with a return location: give one, or leave it empty" for n in extra
        ]
    problems = [
        f"return_location.{name}: is required"
        for name in ("address1", "city")
        if not getattr(location, name).strip()
    ]
    if location.state not in US_STATES:
        problems.append(
            "return_location.state: must be a 2-letter US state code such as UT "
            f"(got {location.state!r})"
        )
    if not ZIP5.match(location.zip_code or ""):
        problems.append(
            f"return_location.zip_code: must be exactly 5 digits (got {location.zip_code!r})"
        )
    rma = (form.rma_number or "").strip()
    if not rma:
        problems.append("rma_number: is required with a return location")
    elif len(rma) > MAX_TEXT:
        problems.append(f"rma_number: at most {MAX_TEXT} characters (got {len(rma)})")
    days = form.days_to_return
    if days is None:
        problems.append("days_to_return: is required with a return location")
    elif (n := whole(days)) is None or n > MAX_DAYS_TO_RETURN:
        problems.append(
            f"days_to_return: must be a whole number from 0 to {MAX_DAYS_TO_RETURN} (got {days!r})"
        )
    return problems


# --- the Jet body -----------------------------------------------------------------------------


def shipment_body(form: ShipmentForm, view: OrderView | None = None) -> dict[str, Any]:
    """One Jet shipment (table 2.4c) for a checked form. A cancel-only message carries only
    ``alt_shipment_id`` and its items, as Jet's own clients send it. A line of a SKU that is
    on several items of ``view`` names its item (``alt_shipment_item_id``)."""
    items = []
    for line in form.lines:
        if not whole(line.ship) and not whole(line.cancel):
            continue
        item: dict[str, Any] = {
            "merchant_sku": line.merchant_sku,
            "response_shipment_sku_quantity": whole(line.ship) or 0,
            "response_shipment_cancel_qty": whole(line.cancel) or 0,
        }
        known = view.line_for(line) if view is not None else None
        if known is not None and view is not None and view.shared(line.merchant_sku):
            item["alt_shipment_item_id"] = known.order_item_id
        if item["response_shipment_sku_quantity"] and form.return_location is not None:
            item["RMA_number"] = form.rma_number.strip()
            item["days_to_return"] = whole(form.days_to_return)
            item["return_location"] = form.return_location.as_jet()
        items.append(item)
    shipment: dict[str, Any] = {"alt_shipment_id": form.alt_shipment_id}
    if form.units_shipped:
        shipment |= {
            "shipment_tracking_number": form.tracking_number.strip(),
            "response_shipment_date": format_jet_date(to_datetime(form.shipment_date)),
            "response_shipment_method": form.method,
            "expected_delivery_date": format_jet_date(to_datetime(form.expected_delivery_date)),
            "ship_from_zip_code": form.zip,
            "carrier_pick_up_date": format_jet_date(to_datetime(form.carrier_pick_up_date)),
            "carrier": form.carrier,
        }
    shipment["shipment_items"] = items
    return shipment


def shipped_request(view: OrderView, form: ShipmentForm) -> dict[str, Any]:
    """The whole ``PUT /orders/{id}/shipped`` body; ``alt_order_id`` = the OpenCart order id."""
    body: dict[str, Any] = {"shipments": [shipment_body(form, view)]}
    if view.order_id:
        body = {"alt_order_id": str(view.order_id), **body}
    return body


# --- small helpers ----------------------------------------------------------------------------


def to_datetime(value: DateInput) -> _dt.datetime:
    """A form date as an aware datetime (naive and date-only input are UTC)."""
    if isinstance(value, _dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=_dt.UTC)
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day, tzinfo=_dt.UTC)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"not a date: {value!r}")
    text = value.strip()
    try:
        return parse_jet_date(text)
    except ValueError:
        pass
    parsed = _dt.datetime.fromisoformat(text)  # 2026-11-30, 2026-11-30 14:00 (ValueError else)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=_dt.UTC)


def _foreign_method(carrier: str, method: str) -> bool:
    """True when ``method`` is another carrier's own (``FedEx Ground`` for UPS)."""
    family = _method_family(method)
    if not family or carrier not in CARRIERS or carrier == "Other":
        return False
    return family.lower() != carrier.split()[0].lower()


def _method_family(method: str) -> str:
    """The carrier a Jet shipping method belongs to (``FedEx Ground`` → FedEx); "" for a
    method any carrier may use (``Freight``)."""
    first = method.split()[0] if method else ""
    return first if first.lower() in {"fedex", "ups", "usps", "dhl", "ontrac"} else ""


def _maybe_date(value: Any) -> _dt.datetime | None:
    try:
        return parse_jet_date(value)
    except (TypeError, ValueError):
        return None


def whole(value: Any) -> int | None:
    """A quantity as the form may hold it (an int, or digits typed in a field) → int ≥ 0;
    None for anything else (negative, fractional, words, True/False)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0
