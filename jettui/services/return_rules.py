"""The money and quantity rules of return completions and merchant refunds (pure: no I/O).

What the buyer paid comes from the Jet order (docs/jet-api.md table 2.4a), read by
:mod:`jettui.jet.item_price` (the evidence is there): each order item's ``item_price`` gives
``base_price``, ``item_shipping_cost`` and ``item_shipping_tax`` per unit and ``item_tax`` for
all ``request_order_quantity`` units. A refund of ``n`` units is worth ``n`` × each per-unit
amount and ``n/qty`` of the line's tax, rounded half up to the cent.

Every check returns problems as one line each that names the field, e.g.
``lines[SKU-1].refund_amount.tax: must be at least 0 (got -1)``, so a form or the CLI can put
the message next to what the merchant typed. Nothing is sent to Jet while a problem remains.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, TypeVar

from jettui.errors import UsageError
from jettui.jet import item_price
from jettui.jet.enums import (
    CHARGE_FEEDBACK,
    MERCHANT_REFUND_FEEDBACK,
    REFUND_FEEDBACK,
    REFUND_REASONS,
)
from jettui.jet.models import MAX_INT_DIGITS

#: Jet's refund amount components (table 2.5b) and the order item_price key each comes from
AMOUNT_KEYS: tuple[str, ...] = ("principal", "tax", "shipping_cost", "shipping_tax")
PRICE_KEYS: dict[str, str] = {
    "principal": "base_price",
    "tax": "item_tax",
    "shipping_cost": "item_shipping_cost",
    "shipping_tax": "item_shipping_tax",
}
CENT = Decimal("0.01")
ZERO = Decimal("0.00")

Amounts = dict[str, Decimal]
AmountInput = Decimal | int | float | str
if TYPE_CHECKING:
    from jettui.services.orders.account import LineAccount

T = TypeVar("T")  # a form line built from one SKU=QTY[:AMOUNT] option


class FormRefused(UsageError):
    """A completion or refund that breaks a rule: nothing was sent. ``problems`` has one line
    per broken rule, each naming its field; ``str()`` is all of them on one line."""

    def __init__(self, what: str, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(f"{what} not sent: " + "; ".join(self.problems))


#: jettui's ledger state of a return Jet has the merchant's completion (or rejection) of
COMPLETED_STATE = "completed"


def completion_refusal(state: str) -> str | None:
    """Why a return in ledger ``state`` takes no completion, in words (None: it may be
    completed). The service answers a completed return with it before anything is sent, and
    the dashboard refuses ``c`` with it before opening the form."""
    if state == COMPLETED_STATE:
        return "already completed"
    return None


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def zero_amounts() -> Amounts:
    return dict.fromkeys(AMOUNT_KEYS, ZERO)


def amounts_total(amounts: Mapping[str, Decimal]) -> Decimal:
    return cents(sum((Decimal(amounts.get(k, 0)) for k in AMOUNT_KEYS), ZERO))


def as_json_amounts(amounts: Mapping[str, Decimal]) -> dict[str, float]:
    """Jet's body wants JSON numbers; two decimals survive the float exactly enough."""
    return {k: float(cents(Decimal(amounts[k]))) for k in AMOUNT_KEYS}


def format_amounts(amounts: Mapping[str, Any]) -> str:
    """``principal 12.50, tax 1.00`` (zero components left out; ``0.00`` when all are zero)."""
    parts = [f"{k} {cents(Decimal(str(amounts[k]))):.2f}" for k in AMOUNT_KEYS if amounts.get(k)]
    return ", ".join(parts) or "0.00"


#: what an amount typed by the merchant may look like: plain decimal notation (no exponent,
#: no NaN/inf, no digit separators); Jet's money has at most 7 digits before the point
AMOUNT_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
WHOLE_TEXT = re.compile(r"[+-]?[0-9]+")
MAX_AMOUNT = Decimal(10) ** MAX_INT_DIGITS
MAX_QUANTITY = 999_999  # units of one line: Jet's inventory ceiling (models.INVENTORY_SPEC)


def parse_amount(value: AmountInput, where: str) -> tuple[Decimal | None, str | None]:
    """``value`` as a Decimal of cents, or the problem with it: a finite decimal ≥ 0 with at
    most 2 decimals and 7 digits before the point. Never raises (``1e400``, NaN, ``inf``
    and the like are problems, not exceptions)."""
    if isinstance(value, bool):
        return None, f"{where}: must be a number, not true/false"
    if isinstance(value, str) and not AMOUNT_TEXT.fullmatch(value.strip()):
        return None, f"{where}: must be a number (got {value!r})"
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None, f"{where}: must be a number (got {value!r})"
    if not number.is_finite():
        return None, f"{where}: must be a finite number (got {value!r})"
    if number < 0:
        return None, f"{where}: must be at least 0 (got {value})"
    if number >= MAX_AMOUNT:
        return None, f"{where}: at most {MAX_INT_DIGITS} digits before the point (got {value})"
    if number != 0 and int(number.normalize().as_tuple().exponent) < -2:
        return None, f"{where}: at most 2 decimals (got {value})"
    return cents(number), None


def item_paid(order_item: Mapping[str, Any]) -> Amounts:
    """What the buyer paid for the whole order line, per component."""
    return paid_for_units(order_item, _ordered(order_item))


def paid_for_units(order_item: Mapping[str, Any], units: int) -> Amounts:
    """What the buyer paid for ``units`` of the order line (at most all its units), per
    component: :func:`jettui.jet.item_price.for_units` reads Jet's amounts."""
    ordered = _ordered(order_item)
    units = min(units, ordered)
    price = order_item.get("item_price") or {}
    return {
        k: cents(item_price.for_units(_amount(price.get(key)), key, ordered, units))
        for k, key in PRICE_KEYS.items()
    }


def _ordered(order_item: Mapping[str, Any]) -> int:
    return max(int(order_item.get("request_order_quantity") or 0), 1)


def _amount(value: Any) -> Decimal:
    return Decimal(str(value or 0))


def requested_amounts(return_item: Mapping[str, Any]) -> Amounts:
    requested = return_item.get("requested_refund_amount") or {}
    return {k: cents(Decimal(str(requested.get(k) or 0))) for k in AMOUNT_KEYS}


def _whole(value: Any, where: str, lo: int) -> tuple[int | None, str | None]:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None, f"{where}: must be a whole number (got {value!r})"
    if isinstance(value, str) and not WHOLE_TEXT.fullmatch(value.strip()):
        return None, f"{where}: must be a whole number (got {value!r})"
    try:
        number = int(str(value).strip())
    except ValueError:  # more digits than Python converts
        return None, f"{where}: must be at most {MAX_QUANTITY}"
    if number < lo:
        return None, f"{where}: must be at least {lo} (got {number})"
    if number > MAX_QUANTITY:
        return None, f"{where}: must be at most {MAX_QUANTITY} (got {value})"
    return number, None


def _check_amounts(
    given: Mapping[str, AmountInput] | None,
    default: Amounts,
    limits: Sequence[tuple[Amounts, str]],
    where: str,
) -> tuple[Amounts, list[str]]:
    """The amounts to send (given ones parsed, the rest ``default``) and their problems."""
    given = dict(given or {})
    problems = [
        f"{where}.refund_amount.{key}: unknown amount (one of {', '.join(AMOUNT_KEYS)})"
        for key in given
        if key not in AMOUNT_KEYS
    ]
    out: Amounts = {}
    for key in AMOUNT_KEYS:
        if key not in given:
            out[key] = default[key]
            continue
        value, problem = parse_amount(given[key], f"{where}.refund_amount.{key}")
        if problem:
            problems.append(problem)
            continue
        assert value is not None
        for limit, what in limits:
            if value > limit[key]:
                problems.append(
                    f"{where}.refund_amount.{key}: {value:.2f} is more than {what} "
                    f"({limit[key]:.2f})"
                )
                break
        out[key] = value
    return out, problems


# --- completing a Jet return ------------------------------------------------------------------


@dataclass
class ReturnLineForm:
    """One returned SKU: units back, units refunded, money per component (missing = default)."""

    sku: str
    quantity_returned: int | str | None = None  # default: the return's return_quantity
    refund_quantity: int | str | None = None  # default: quantity_returned
    amounts: dict[str, AmountInput] = field(default_factory=dict)
    feedback: str | None = None  # return_refund_feedback
    notes: str | None = None


@dataclass
class ReturnForm:
    """``jettui returns complete``: lines not named are refunded in full by default."""

    lines: list[ReturnLineForm] = field(default_factory=list)
    agree_to_return_charge: bool = True
    charge_feedback: str | None = None  # return_charge_feedback (required when disputing)
    feedback: str | None = None  # return_refund_feedback for every line without its own


@dataclass(frozen=True)
class CheckedReturnLine:
    sku: str
    order_item_id: str
    quantity_returned: int
    refund_quantity: int
    amounts: Amounts
    feedback: str | None
    notes: str | None

    def as_item(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "order_item_id": self.order_item_id,
            "total_quantity_returned": self.quantity_returned,
            "order_return_refund_qty": self.refund_quantity,
            "refund_amount": as_json_amounts(self.amounts),
        }
        if self.feedback:
            item["return_refund_feedback"] = self.feedback
        if self.notes:
            item["notes"] = self.notes
        return item


def return_items(detail: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A return's lines, whatever Jet named the array (``return_merchant_SKUs`` while created)."""
    items = detail.get("items") or detail.get("return_merchant_SKUs") or []
    return [i for i in items if isinstance(i, dict)]


def check_return_form(
    detail: Mapping[str, Any],
    order: Mapping[str, Any],
    form: ReturnForm,
    accounts: Mapping[str, LineAccount] | None = None,
) -> tuple[list[CheckedReturnLine], list[str]]:
    """The lines to send for ``form`` on the return ``detail`` of the Jet ``order``, and every
    problem (each naming its field). Rules: quantities whole, refunded ≤ returned ≤ the return's
    quantity; refunded ≤ what is left to refund on the line, amounts ≥ 0 with at most 2
    decimals, never above what is left of what the buyer paid nor above what the return
    requested (caps from the line ``accounts``, :mod:`jettui.services.orders.account`;
    default: nothing refunded before). By default every returned unit not refunded yet is
    refunded; units already refunded are sent with 0 and the feedback ``other``. Lines are
    Jet's order items: a form line names an ``order_item_id``, or a SKU on one item."""
    from jettui.services.orders import account as acc

    problems: list[str] = []
    items = return_items(detail)
    ordered = {str(i.get("order_item_id")): i for i in order.get("order_items") or []}
    accounts = accounts if accounts is not None else _fresh_accounts(items, ordered)
    per_sku: dict[str, int] = {}
    for item in items:
        sku = str(item.get("merchant_sku"))
        per_sku[sku] = per_sku.get(sku, 0) + 1

    def label(item: Mapping[str, Any]) -> str:
        sku = str(item.get("merchant_sku"))
        return sku if per_sku[sku] == 1 else str(item.get("order_item_id"))

    by_label = {label(i): i for i in items}
    named: dict[str, ReturnLineForm] = {}
    for line in form.lines:
        where = f"lines[{line.sku}]"
        chosen = by_label.get(line.sku) or next(
            (i for i in items if str(i.get("order_item_id")) == line.sku), None
        )
        key = label(chosen) if chosen is not None else line.sku
        if key in named:
            problems.append(f"{where}.sku: named twice")
        elif chosen is None and per_sku.get(line.sku, 0) > 1:
            ids = ", ".join(str(i.get("order_item_id")) for i in items
                            if i.get("merchant_sku") == line.sku)  # fmt: skip
            problems.append(
                f"{where}.sku: '{line.sku}' is on {per_sku[line.sku]} lines of this return "
                f"(order_item_id {ids}): name the line by its order_item_id"
            )
        elif chosen is None:
            on_order = any(
                line.sku in (i.get("merchant_sku"), i.get("order_item_id"))
                for i in ordered.values()
            )
            why = "is not part of this return" if on_order else "is not on this order"
            problems.append(f"{where}.sku: '{line.sku}' {why}")
        named[key] = line
    feedbacks = [(f"lines[{ln.sku}].return_refund_feedback", ln.feedback) for ln in form.lines]
    feedbacks.append(("return_refund_feedback", form.feedback))
    problems += [
        f"{where}: '{value}' is not a Jet refund feedback (e.g. '{REFUND_FEEDBACK[2]}')"
        for where, value in feedbacks
        if value and value not in REFUND_FEEDBACK
    ]
    if not form.agree_to_return_charge and not form.charge_feedback:
        problems.append(
            "return_charge_feedback: required when disputing the return charge "
            f"(one of {', '.join(CHARGE_FEEDBACK)})"
        )
    if form.charge_feedback and form.charge_feedback not in CHARGE_FEEDBACK:
        problems.append(
            f"return_charge_feedback: '{form.charge_feedback}' is not one of "
            f"{', '.join(CHARGE_FEEDBACK)}"
        )
    checked: list[CheckedReturnLine] = []
    for item in items:
        sku, item_id = str(item.get("merchant_sku")), str(item.get("order_item_id"))
        where = f"lines[{label(item)}]"
        line = named.get(label(item)) or ReturnLineForm(label(item))
        order_item = ordered.get(item_id)
        account = accounts.get(item_id)
        if order_item is None or account is None:
            problems.append(f"{where}.sku: '{sku}' is not on this order")
            continue
        asked = int(item.get("return_quantity") or 0)
        back: int | None
        back, problem = (asked, None)
        if line.quantity_returned is not None:
            back, problem = _whole(line.quantity_returned, f"{where}.total_quantity_returned", 0)
        if problem is None and back is not None and back > asked:
            problem = f"{where}.total_quantity_returned: {back} is more than the {asked} returned"
        if problem:
            problems.append(problem)
            continue
        assert back is not None
        refunded: int | None
        refunded, problem = (min(back, account.refundable), None)
        if line.refund_quantity is not None:
            refunded, problem = _whole(line.refund_quantity, f"{where}.order_return_refund_qty", 0)
        if problem is None and refunded is not None and refunded > back:
            problem = (
                f"{where}.order_return_refund_qty: {refunded} is more than the {back} returned"
            )
        if problem is None and refunded is not None:
            problem = acc.units_problem(account, refunded, f"{where}.order_return_refund_qty")
        if problem:
            problems.append(problem)
            continue
        assert refunded is not None
        default, cap = acc.refund_terms(order_item, account, refunded)
        requested = requested_amounts(item)
        default = {k: min(default[k], requested[k]) for k in AMOUNT_KEYS}
        limits = [
            (cap, f"what is left of what the buyer paid for order item {item_id} ({sku})"),
            (requested, "what the return requested"),
        ]
        amounts, amount_problems = _check_amounts(line.amounts, default, limits, where)
        problems += amount_problems
        feedback, notes = line.feedback or form.feedback, line.notes
        if refunded < back and account.refundable < back:
            # units refunded before (a merchant refund): completed with nothing for them
            feedback = feedback or acc.ALREADY_REFUNDED_FEEDBACK
            notes = notes or (
                f"{back - refunded} unit(s) not refunded again: {account.refunded} of the "
                f"{account.shipped} shipped already refunded"
            )
        checked.append(CheckedReturnLine(sku, item_id, back, refunded, amounts, feedback, notes))
    return checked, problems


def _fresh_accounts(
    items: Sequence[Mapping[str, Any]], ordered: Mapping[str, Mapping[str, Any]]
) -> dict[str, LineAccount]:
    """Accounts of lines nothing was refunded on yet (every ordered unit shipped)."""
    from jettui.services.orders.account import LineAccount

    out = {}
    for item_id, item in ordered.items():
        qty = int(item.get("request_order_quantity") or 0)
        out[item_id] = LineAccount(
            item_id, str(item.get("merchant_sku") or ""), ordered=qty, shipped=qty
        )
    return out


def completion_body(
    detail: Mapping[str, Any], form: ReturnForm, lines: Sequence[CheckedReturnLine]
) -> dict[str, Any]:
    """PUT /returns/{id}/complete (table 2.5b) for checked lines."""
    body: dict[str, Any] = {
        "merchant_order_id": detail.get("merchant_order_id"),
        "agree_to_return_charge": form.agree_to_return_charge,
        "items": [line.as_item() for line in lines],
    }
    if form.charge_feedback:
        body["return_charge_feedback"] = form.charge_feedback
    if detail.get("alt_order_id"):
        body["alt_order_id"] = detail["alt_order_id"]
    return body


# --- merchant refunds -------------------------------------------------------------------------


#: Jet's merchant refund feedback (docs/jet-api.md 2.6: every refund item carries one) that
#: each refund reason implies, sent when the merchant gives none (and said in the output, so a
#: merchant who disagrees passes ``--feedback`` / picks one). The item's condition where the
#: reason states it; for the buyer's own choice (no longer wanted, a better price, a gift, an
#: accidental or unauthorised order, a late parcel) the customary deduction, "Refunded minus
#: shipping cost".
FEEDBACK_BY_REASON: dict[str, str] = {
    **dict.fromkeys(
        (
            "Item arrived damaged - box intact", "Item arrived damaged - box damaged",
            "Product is defective / does not work", "Item is expired",
            "item is damaged/broken", "item is defective/does not work properly",
            "shipping box and item are both damaged",
        ),
        "Item damaged",
    ),
    **dict.fromkeys(
        (
            "Received the wrong item", "Website description is inaccurate",
            "Wrong quantity received", "Item is refurbished", "wrong quantity received",
            "received wrong item than what was ordered",
            "item was different than website description",
        ),
        "Wrong item",
    ),
    "Item is missing parts / accessories": "Item is missing parts/accessories",
    **dict.fromkeys(
        (
            "Package never arrived", "package never arrived",
            "Return to Sender - damaged, undeliverable, refused",
            "Return to Sender - lost in transit only",
        ),
        "Items not received",
    ),
    **dict.fromkeys(
        (
            "No longer want this item", "Better price found elsewhere", "Unwanted gift",
            "Accidental order", "Unauthorized purchase", "Package arrived late",
            "Package arrived after estimated delivery date", "accidental order",
            "unwanted gift", "unauthorized purchase", "better price available",
            "no longer need/want", "package arrived later than promised delivery date",
        ),
        "Refunded minus shipping cost",
    ),
}  # fmt: skip
FEEDBACK_GIVEN = "given"
FEEDBACK_FROM_REASON = "from the reason"


def refund_feedback(reason: str, given: str | None) -> tuple[str | None, str]:
    """The refund feedback to send and where it comes from (:data:`FEEDBACK_GIVEN` or
    :data:`FEEDBACK_FROM_REASON`); ``(None, "")`` when none is given and the reason is not one
    of Jet's (:func:`check_refund_form` names the reason then)."""
    if given:
        return given, FEEDBACK_GIVEN
    derived = FEEDBACK_BY_REASON.get(reason)
    return (derived, FEEDBACK_FROM_REASON) if derived else (None, "")


@dataclass
class RefundLineForm:
    sku: str
    quantity: int | str
    amounts: dict[str, AmountInput] = field(default_factory=dict)  # missing = what was paid
    notes: str | None = None


@dataclass(frozen=True)
class CheckedRefundLine:
    sku: str
    order_item_id: str
    quantity: int
    amounts: Amounts

    def as_item(self, reason: str, feedback: str) -> dict[str, Any]:
        return {
            "order_item_id": self.order_item_id,
            "total_quantity_returned": self.quantity,
            "order_return_refund_qty": self.quantity,
            "refund_reason": reason,
            "refund_feedback": feedback,
            "refund_amount": as_json_amounts(self.amounts),
        }


def check_refund_form(
    order: Mapping[str, Any],
    lines: Sequence[RefundLineForm],
    reason: str,
    feedback: str | None,
    *,
    accounts: Mapping[str, LineAccount],
) -> tuple[list[CheckedRefundLine], list[str]]:
    """Lines to send and problems for a merchant refund on the Jet ``order``, against the
    line ``accounts`` (:mod:`jettui.services.orders.account`): a line may refund at most the
    units shipped and not refunded yet, and at most what is left of what the buyer paid for
    them (default: exactly what was paid for these units). A form line names an
    ``order_item_id`` or a SKU; a SKU on several lines is spread over them in item order
    (amounts then need the ``order_item_id``)."""
    from jettui.services.orders import account as acc

    problems: list[str] = []
    if reason not in REFUND_REASONS:
        problems.append(
            f"reason: '{reason}' is not a Jet refund reason (e.g. '{REFUND_REASONS[0]}')"
        )
    if feedback and feedback not in MERCHANT_REFUND_FEEDBACK:
        problems.append(
            f"feedback: '{feedback}' is not a Jet refund feedback "
            f"(e.g. '{MERCHANT_REFUND_FEEDBACK[0]}')"
        )
    if not lines:
        problems.append("items: name at least one SKU and quantity to refund")
    items = {str(i.get("order_item_id")): i for i in order.get("order_items") or []}
    seen: set[str] = set()
    checked: list[CheckedRefundLine] = []
    for line in lines:
        where = f"items[{line.sku}]"
        if line.sku in seen:
            problems.append(f"{where}.sku: named twice")
            continue
        seen.add(line.sku)
        found, problem = acc.find_lines(line.sku, accounts)
        if problem:
            problems.append(f"{where}.sku: {problem}")
            continue
        qty, problem = _whole(line.quantity, f"{where}.quantity", 1)
        if problem:
            problems.append(problem)
            continue
        assert qty is not None
        if len(found) > 1 and line.amounts:
            ids = ", ".join(a.order_item_id for a in found)
            problems.append(
                f"{where}.sku: '{line.sku}' is on {len(found)} lines of this order "
                f"(order_item_id {ids}): name the line by its order_item_id to give amounts"
            )
            continue
        for account, units in acc.spread(qty, found):
            problem = acc.units_problem(account, units, f"{where}.quantity")
            if any(c.order_item_id == account.order_item_id for c in checked):
                problem = f"{where}.sku: order item {account.order_item_id} is named twice"
            if problem:
                problems.append(problem)
                continue
            item = items[account.order_item_id]
            default, cap = acc.refund_terms(item, account, units)
            what = (
                f"what is left of what the buyer paid for order item {account.order_item_id} "
                f"({account.merchant_sku})"
            )
            amounts, amount_problems = _check_amounts(line.amounts, default, [(cap, what)], where)
            problems += amount_problems
            checked.append(
                CheckedRefundLine(account.merchant_sku, account.order_item_id, units, amounts)
            )
    return checked, problems


# --- headless options -------------------------------------------------------------------------


def parse_line_options(values: Sequence[str], option: str = "--line") -> list[ReturnLineForm]:
    """``jettui returns complete --line SKU=QTY[:AMOUNT]``: QTY units refunded, AMOUNT the
    principal (default: what the buyer paid for them). Raises :class:`FormRefused` naming the
    option for text that is not in that shape (amount rules are checked with the return)."""

    def line(sku: str, qty: str, amount: str) -> ReturnLineForm:
        return ReturnLineForm(sku, refund_quantity=qty, amounts=_principal(amount))

    return _parse_options(values, option, "ABC-1=2:19.99", "completion", line)


def unexplained_zero_refunds(lines: Sequence[ReturnLineForm], feedback: str | None) -> None:
    """A completion line refunding nothing needs the feedback saying why (Jet shows it to the
    buyer, and the dashboard's rejection requires one): raises :class:`FormRefused` naming the
    option, and pointing to ``jettui returns reject`` for a return refunded not at all."""
    zero = [line.sku for line in lines if whole_quantity(line.refund_quantity) == 0]
    if zero and not (feedback or "").strip():
        raise FormRefused(
            "completion",
            [
                f"--line {sku}=0: refunds nothing: give --feedback saying why (e.g. "
                f"'{REFUND_FEEDBACK[3]}'), or reject the whole return with "
                "`jettui returns reject RETURN_ID --reason FEEDBACK`"
                for sku in zero
            ],
        )


def whole_quantity(value: Any) -> int | None:
    """A form quantity as an int (None when it is no whole number)."""
    number, problem = _whole(value, "quantity", 0) if value is not None else (None, "none")
    return None if problem else number


def parse_item_options(values: Sequence[str], option: str = "--item") -> list[RefundLineForm]:
    """``jettui refunds create --item SKU=QTY[:AMOUNT]`` (AMOUNT: the principal refunded)."""
    return _parse_options(values, option, "ABC-1=1", "refund", refund_line)


def refund_line(sku: str, quantity: int | str, amount: str = "") -> RefundLineForm:
    """One refund line as the CLI's ``SKU=QTY:AMOUNT`` and the refund form's quantity and
    amount fields give it: AMOUNT (text, a decimal with at most 2 places) is the principal
    refunded for those units, empty = what the buyer paid. :func:`check_refund_form` checks it
    against what is refundable (``items[SKU].refund_amount.principal`` names it)."""
    return RefundLineForm(sku, quantity, _principal(amount.strip()))


def _parse_options(
    values: Sequence[str],
    option: str,
    example: str,
    kind: str,
    build: Callable[[str, str, str], T],
) -> list[T]:
    """Each ``SKU=QTY[:AMOUNT]`` value built into a form line; every malformed one named in
    one :class:`FormRefused` (``kind``: what the form is for). QTY must be a whole number and
    AMOUNT a decimal with at most 2 places, checked here so the problem names the option
    (the limits, what is refundable, are checked with the order)."""
    built: list[T] = []
    problems: list[str] = []
    for value in values:
        sku, qty, amount = _split_option(value)
        if not sku or not qty:
            problems.append(f"{option} '{value}': expected SKU=QTY[:AMOUNT], e.g. {example}")
            continue
        number_problems = [
            problem
            for problem in (
                _whole(qty, f"{option} '{value}': quantity", 0)[1],
                parse_amount(amount, f"{option} '{value}': amount")[1] if amount else None,
            )
            if problem
        ]
        if number_problems:
            problems += number_problems
            continue
        built.append(build(sku, qty, amount))
    if problems:
        raise FormRefused(kind, problems)
    return built


def _principal(amount: str) -> dict[str, AmountInput]:
    """The amounts a ``:AMOUNT`` option gives: the principal, or none (the default applies)."""
    return {"principal": amount} if amount else {}


def _split_option(value: str) -> tuple[str, str, str]:
    """``SKU=QTY[:AMOUNT]`` → its three parts (SKUs may hold '=' or ':': split from the right)."""
    sku, sep, rest = value.rpartition("=")
    if not sep:
        return "", "", ""
    qty, _colon, amount = rest.partition(":")
    return sku.strip(), qty.strip(), amount.strip()
