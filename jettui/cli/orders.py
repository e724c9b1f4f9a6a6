"""`jettui orders ...`: list, show, acknowledge, retry, reject and ship Jet orders.

Listings (`list`, `show`) go to stdout; per-order lines and summaries to stderr; with --json
the document carries them. `ship` checks every rule of the ship form before anything is sent:
each problem names its field, exit 2, nothing sent; carrier, method, tracking and ZIP only
when units ship (``--cancel`` alone is a cancel-only message), the form's dates and return
location as options. An order is named by its Jet id, its reference id or an unambiguous
prefix (:mod:`jettui.services.ids`). Exit codes: 0 done, 1 some orders failed
(an order acknowledged past its deadline included), 2 bad usage or a refused form, 3 Jet or
the store unreachable, 75 another run holds the lock."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from jettui.errors import ExitCode, UsageError
from jettui.services.ids import resolve_order_id
from jettui.text_safety import safe_text, tsv_row

from .output import Output
from .parser import add_json
from .session import load, store

if TYPE_CHECKING:
    from jettui.config import Settings
    from jettui.services.orders.acknowledge import OrdersReport

ALL_OR_IDS = "give --all or one or more Jet order ids (not both)"


def register(commands: Any) -> None:
    orders = commands.add_parser("orders", help="list, acknowledge and ship Jet orders")
    actions = orders.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list Jet orders (stdout)")
    listing.add_argument(
        "--status",
        metavar="S",
        help="a Jet status (ready, acknowledged, inprogress, complete), an import state "
        "(held, rejected, failed, done...) or 'open' (units left to ship)",
    )
    show = actions.add_parser("show", help="one order: lines, totals, history, shipments")
    show.add_argument("order_id", metavar="JET_ORDER_ID")
    acknowledge = actions.add_parser("acknowledge", help="accept imported orders on Jet")
    acknowledge.add_argument("order_ids", nargs="*", metavar="JET_ORDER_ID")
    acknowledge.add_argument("--all", action="store_true", help="every unacknowledged order")
    retry = actions.add_parser("retry", help="import a held order again (after a fix)")
    retry.add_argument("order_id", metavar="JET_ORDER_ID")
    reject = actions.add_parser("reject", help="reject a held order on Jet")
    reject.add_argument("order_id", metavar="JET_ORDER_ID")
    ship = actions.add_parser(
        "ship", help="ship and/or cancel units (default: ship every open unit)"
    )
    ship.add_argument("order_id", metavar="JET_ORDER_ID")
    parcel = "(required when units ship; a cancel-only message takes none)"
    ship.add_argument("--carrier", default="", metavar="C", help=f"one of Jet's carriers {parcel}")
    ship.add_argument("--method", default="", metavar="M", help=f"one of Jet's methods {parcel}")
    ship.add_argument("--tracking", default="", metavar="T", help=f"tracking number {parcel}")
    ship.add_argument("--zip", default="", metavar="Z", help=f"ship-from ZIP, 5 digits {parcel}")
    add_ship_details(ship)
    ship.add_argument("--ship", action="append", default=[], metavar="SKU=QTY",
                      help="units of a SKU to ship (repeatable; default: every open unit)")  # fmt: skip
    ship.add_argument("--cancel", action="append", default=[], metavar="SKU=QTY",
                      help="units of a SKU to cancel (repeatable)")  # fmt: skip
    ship.add_argument(
        "--confirm-admin-change", action="store_true",
        help="ship even though the order was cancelled or deleted in the OpenCart admin",
    )  # fmt: skip
    handlers = {
        listing: run_list,
        show: run_show,
        acknowledge: run_acknowledge,
        retry: run_retry,
        reject: run_reject,
        ship: run_ship,
    }
    for sub, handler in handlers.items():
        add_json(sub)
        sub.set_defaults(handler=handler)


def add_ship_details(ship: argparse.ArgumentParser) -> None:
    """The ship form's dates and return location as options (checked by the same rules)."""
    for option, what in SHIP_DATES.items():
        ship.add_argument(option, metavar="DATE", help=f"{what} (2026-11-30 or 2026-11-30T14:00Z)")
    ship.add_argument(
        "--return-location", action="store_true",
        help="give Jet a return location: the settings' returns address, or the parts given",
    )  # fmt: skip
    for option, part in RETURN_PARTS.items():
        ship.add_argument(option, metavar=part.upper(), help=f"return location: {part} "
                          "(implies --return-location)")  # fmt: skip
    ship.add_argument(
        "--rma", default="", metavar="RMA", help="RMA number (with a return location)"
    )
    ship.add_argument(
        "--days-to-return", metavar="N", help="days to return (with a return location)"
    )


#: ship options → the ship form's dates, and the return location's parts
SHIP_DATES = {
    "--shipment-date": "shipment date (default now)",
    "--pickup-date": "carrier pick-up date (default now)",
    "--delivery-date": "expected delivery date (default Jet's deliver-by, else in 5 days)",
}
DATE_FIELDS = dict(zip(SHIP_DATES, ("shipment_date", "carrier_pick_up_date",
                                    "expected_delivery_date"), strict=True))  # fmt: skip
RETURN_PARTS = {
    "--return-address1": "address1",
    "--return-address2": "address2",
    "--return-city": "city",
    "--return-state": "state",
    "--return-zip": "zip_code",
}


# --- listings ---------------------------------------------------------------------------------


def _left(seconds: int | None) -> str:
    if seconds is None:
        return ""
    if seconds <= 0:
        return f"LATE by {-seconds // 60} min"
    return f"{seconds // 60} min left to acknowledge"


def order_line(row: Any) -> str:
    """One order as a listing line (tab-separated: pipes into cut/awk)."""
    ship_by = row.ship_by.strftime("%Y-%m-%d %H:%M") if row.ship_by else ""
    fields = [
        row.merchant_order_id,
        row.reference_order_id,
        str(row.order_id or ""),
        row.jet_status,
        row.import_state,
        str(row.items),
        f"{row.total:.2f}",
        row.buyer,
        ship_by,
        _left(row.ack_seconds_left),
        row.error or row.admin_change,
    ]
    return tsv_row(fields)


LIST_HEADER = "\t".join(("jet_order_id", "reference", "oc_order", "jet_status", "import",
                         "items", "total", "buyer", "ship_by", "acknowledge", "error"))  # fmt: skip


def status_choices() -> tuple[str, ...]:
    """What ``--status`` takes: Jet's order statuses, the import states, and ``open``."""
    from jettui.jet.enums import OrderStatus
    from jettui.store.jet_tables import JET_ORDER_STATES

    return (*(str(s) for s in OrderStatus), *JET_ORDER_STATES, "open")


def run_list(args: argparse.Namespace, out: Output) -> int:
    """Orders newest first on stdout (0), or one line naming the valid statuses (2)."""
    from jettui.services.orders.queries import list_orders

    out.note(action="list", status=args.status)
    if args.status is not None and args.status not in status_choices():
        raise UsageError(f"--status: '{args.status}' is not one of {', '.join(status_choices())}")
    settings = load(args, out)
    with store(settings, out) as db:
        try:
            rows = list_orders(db, args.status, settings=settings)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    out.note(orders=[row.as_dict() for row in rows])
    out.listing(LIST_HEADER, [order_line(row) for row in rows], "order")
    return ExitCode.OK


def run_show(args: argparse.Namespace, out: Output) -> int:
    """One order in full on stdout (0); an unknown id is exit 2."""
    from jettui.services.orders.queries import order_detail

    out.note(action="show", merchant_order_id=args.order_id)
    settings = load(args, out)
    with store(settings, out) as db:
        order_id = resolve_order_id(args.order_id)
        detail = order_detail(db, order_id, settings=settings)
    if detail is None:
        raise UsageError(f"no Jet order '{args.order_id}' in jettui: fetch orders first")
    document = detail.as_dict()
    out.note(order=document)
    for line in detail_lines(document):
        out.show(line)
    return ExitCode.OK


def _components(amounts: dict[str, str]) -> str:
    """``principal 12.50, tax 1.00`` (zero components left out)."""
    return ", ".join(f"{k} {v}" for k, v in amounts.items() if float(v)) or "0.00"


def detail_lines(order: dict[str, Any]) -> list[str]:
    """``jettui orders show`` as text: the order's fields, then lines, history, shipments."""
    lists = ("lines", "history", "shipments", "oc_totals", "oc_shipments", "warnings", "account")
    lines = []
    for key, value in order.items():
        if key in lists:
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, ""))
        lines.append(f"{key}: {'' if value is None else value}")
    skus = [line["merchant_sku"] for line in order.get("lines") or []]
    for n, line in enumerate(order.get("lines") or []):
        sku = line["merchant_sku"]  # a SKU on several Jet items: SKU#1, SKU#2 (as the form)
        name = f"{sku}#{skus[: n + 1].count(sku)}" if skus.count(sku) > 1 else sku
        lines.append(
            f"line {name}: {line['ordered']} ordered, {line['shipped']} shipped,"
            f" {line['cancelled']} cancelled, {line['open']} open"
            f" ({line.get('unit_price', 0):.2f} each) {line.get('title', '')}".rstrip()
        )
    for a in order.get("account") or []:
        lines.append(
            f"account {a['merchant_sku']} (item {a['order_item_id']}): {a['ordered']} ordered,"
            f" {a['shipped']} shipped, {a['cancelled']} cancelled, {a['returned']} returned,"
            f" {a['restocked']} restocked, {a['kept']} kept, {a['refunded']} refunded"
            f" ({a['refundable']} refundable); refunded {a['refunded_dollars']}"
            f" ({_components(a['refunded_amounts'])})"
        )
    for total in order.get("oc_totals") or []:
        lines.append(f"total {total['title']}: {total['value']:.2f}")
    for entry in order.get("history") or []:
        lines.append(f"history {entry['date_added']} {entry['status']}: {entry['comment']}")
    for shipment in order.get("shipments") or []:
        lines.append(
            f"shipment {shipment['alt_shipment_id']} ({shipment['state']}) {shipment['carrier']}"
            f" {shipment['method']} {shipment['tracking_number']} shipped {shipment['shipped']}"
            f" cancelled {shipment['cancelled']}"
        )
    lines += [f"warning: {w}" for w in order.get("warnings") or []]
    return [safe_text(line) for line in lines]  # Jet's and the store's text, made inert


# --- actions ----------------------------------------------------------------------------------


def _report(out: Output, report: Any) -> int:
    """Per-order lines and the summary on stderr, the report in the document; its exit code."""
    out.note(**report.as_dict())
    for item in report.items:
        out.say(item.line)
    out.say(report.summary)
    return int(report.exit_code)


def run_acknowledge(args: argparse.Namespace, out: Output) -> int:
    """Accept orders on Jet (ids or --all); 1 when one failed or was past its deadline."""
    from jettui.services.orders.acknowledge import acknowledge_orders

    out.note(action="acknowledge")
    if args.all == bool(args.order_ids):  # checked before the settings: same line any order
        raise UsageError(ALL_OR_IDS)
    settings = load(args, out)
    with store(settings, out) as db:
        ids = None if args.all else [resolve_order_id(i) for i in args.order_ids]
        report = asyncio.run(acknowledge_orders(settings, db, ids))
    return _report(out, report)


def run_retry(args: argparse.Namespace, out: Output) -> int:
    from jettui.services.orders.importer import retry_order

    return _run_on_order(args, out, "retry", retry_order)


def run_reject(args: argparse.Namespace, out: Output) -> int:
    from jettui.services.orders.importer import reject_order

    return _run_on_order(args, out, "reject", reject_order)


def _run_on_order(
    args: argparse.Namespace,
    out: Output,
    action: str,
    command: Callable[[Settings, Any, str], Coroutine[Any, Any, OrdersReport]],
) -> int:
    """``jettui orders <action> ORDER_ID``: one held order's run, reported like a fetch."""
    out.note(action=action, merchant_order_id=args.order_id)
    settings = load(args, out)
    with store(settings, out) as db:
        report = asyncio.run(command(settings, db, resolve_order_id(args.order_id)))
    return _report(out, report)


def run_ship(args: argparse.Namespace, out: Output) -> int:
    """Ship/cancel units of one order: every rule checked first (exit 2, each problem naming
    its field, nothing sent); 0 sent and mirrored, 1 Jet refused it."""
    from jettui.services.orders.shipping import ShipmentRefused, parse_quantities, ship_headless

    out.note(action="ship", merchant_order_id=args.order_id)
    for values, option in ((args.ship, "--ship"), (args.cancel, "--cancel")):
        try:  # a malformed option is one line before any settings or store is read
            parse_quantities(values, option)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    settings = load(args, out)
    with store(settings, out) as db:
        order_id = resolve_order_id(args.order_id)
        out.note(merchant_order_id=order_id)
        try:
            result = asyncio.run(
                ship_headless(
                    settings,
                    db,
                    order_id,
                    details=ship_details(args, settings),
                    cancel_only=is_cancel_only(args),
                    carrier=args.carrier,
                    method=args.method,
                    tracking=args.tracking,
                    zip=args.zip,
                    ship=args.ship,
                    cancel=args.cancel,
                    confirm_admin_change=args.confirm_admin_change,
                )  # fmt: skip
            )
        except ShipmentRefused as exc:
            return _refused(out, list(exc.problems), "shipment")
    out.note(result=result.as_dict("merchant_order_id"))
    out.say(result.line)
    return ExitCode.PARTIAL if result.is_problem else ExitCode.OK


def is_cancel_only(args: argparse.Namespace) -> bool:
    """``--cancel`` with no ``--ship`` and no parcel option: only those units are cancelled
    (nothing else ships, so Jet needs no carrier, method, tracking or ZIP)."""
    parcel = (args.carrier, args.method, args.tracking, args.zip)
    return bool(args.cancel) and not args.ship and not any(parcel)


def ship_details(args: argparse.Namespace, settings: Any) -> dict[str, Any]:
    """The ship form's fields the options give (dates, return location, RMA number, days to
    return); the rest keep the form's defaults. Checked by the ship form's rules."""
    from dataclasses import replace

    from jettui.services.orders.ship_form import ReturnLocation

    def given(option: str) -> Any:
        return getattr(args, option.removeprefix("--").replace("-", "_"))

    details: dict[str, Any] = {
        name: value for option, name in DATE_FIELDS.items() if (value := given(option)) is not None
    }
    parts = {
        part: value for option, part in RETURN_PARTS.items() if (value := given(option)) is not None
    }
    if args.return_location or parts:
        location = replace(ReturnLocation.from_settings(settings), **parts)
        details["return_location"] = replace(location, state=location.state.upper())
    if args.rma:
        details["rma_number"] = args.rma
    if args.days_to_return is not None:
        details["days_to_return"] = args.days_to_return
    return details


def _refused(out: Output, problems: list[str], what: str) -> int:
    """A form that breaks rules: each problem (naming its field) on stderr; exit 2."""
    out.note(problems=problems)
    for problem in problems:
        out.say(f"jettui: {problem}")
    out.say(f"jettui: {what} not sent ({len(problems)} problem{'s' if len(problems) > 1 else ''})")
    return ExitCode.USAGE
