"""`jettui refunds ...`: merchant-initiated refunds and their state.

`create` checks every rule before anything is sent (quantities never more than shipped minus
already refunded or returned, amounts never above what was paid, numbers in plain decimal
notation): each problem names its field or option, exit 2. Jet requires a refund feedback:
without ``--feedback`` the one the reason implies is sent (return_rules.FEEDBACK_BY_REASON) and
the output says which, and that it came from the reason. A refund whose answer Jet never gave
is recorded as "may have applied" (exit 3): the next `jettui cron fetch-returns` looks it up by
its alt refund id and never sends it twice.
`list` prints to stdout. The order is named by its Jet id, its reference id or an unambiguous
prefix (:mod:`jettui.services.ids`); ``--json`` gives the refund's id as ``result.refund_id``
and the order's as ``result.merchant_order_id``."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from jettui.errors import ExitCode
from jettui.services.ids import resolve_order_id
from jettui.text_safety import tsv_row

from .orders import _refused
from .output import Output
from .parser import add_json
from .session import load, run_listing, store


def register(commands: Any) -> None:
    refunds = commands.add_parser("refunds", help="merchant-initiated refunds")
    actions = refunds.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser(
        "create", help="refund units of an order (amounts: what the buyer paid for them)"
    )
    create.add_argument("order_id", metavar="JET_ORDER_ID")
    create.add_argument("--item", action="append", default=[], required=True,
                        metavar="SKU=QTY[:AMOUNT]",
                        help="units of a SKU to refund, and the principal refunded for them "
                        "(repeatable; default amount: what the buyer paid)")  # fmt: skip
    create.add_argument("--reason", required=True, metavar="R", help="Jet's refund reason")
    create.add_argument("--feedback", metavar="F",
                        help="Jet's merchant refund feedback (Jet requires one; default: the one "
                        "the reason implies, said in the output)")  # fmt: skip
    listing = actions.add_parser("list", help="list refunds and their state (stdout)")
    for sub, handler in ((create, run_create), (listing, run_list)):
        add_json(sub)
        sub.set_defaults(handler=handler)


def refund_line(row: dict[str, Any]) -> str:
    lines = ", ".join(f"{line.get('sku')}×{line.get('quantity')}" for line in row["lines"])
    state = "may have applied" if row["may_have_applied"] else row["status"]
    fields = [
        row["alt_refund_id"],
        row["merchant_order_id"],
        lines,
        row["amount"],
        row["reason"],
        state,
        row["updated_at"] or "",
        row.get("error") or "",
    ]
    return tsv_row(fields)


LIST_HEADER = "\t".join(("alt_refund_id", "jet_order_id", "lines", "amount", "reason",
                         "state", "updated", "error"))  # fmt: skip


def run_list(args: argparse.Namespace, out: Output) -> int:
    from jettui.services.refunds import list_refunds

    return run_listing(
        args, out, list_refunds, key="refunds", header=LIST_HEADER, line=refund_line, noun="refund"
    )


def run_create(args: argparse.Namespace, out: Output) -> int:
    """0 sent, 1 Jet refused it, 2 a rule broken, 3 Jet's answer lost (may have applied)."""
    from jettui.services.refunds import create_refund
    from jettui.services.return_rules import FormRefused, parse_item_options

    out.note(action="create", merchant_order_id=args.order_id)
    try:  # a malformed --item is refused before any settings or store is read
        items = parse_item_options(args.item)
    except FormRefused as exc:
        return _refused(out, list(exc.problems), "refund")
    settings = load(args, out)
    with store(settings, out) as db:
        order_id = resolve_order_id(args.order_id)
        out.note(merchant_order_id=order_id)
        try:
            result = asyncio.run(
                create_refund(settings, db, order_id, items, args.reason, args.feedback)
            )
        except FormRefused as exc:
            return _refused(out, list(exc.problems), "refund")
    # the refund's own id (jettui's alt_refund_id) under its own key, the order under its own
    out.note(result={**result.as_dict("refund_id"), "merchant_order_id": order_id})
    out.say(result.line)
    if result.detail.get("may_have_applied"):
        out.say("jettui: the refund may have applied; `jettui cron fetch-returns` settles it")
        return ExitCode.UNREACHABLE
    return ExitCode.PARTIAL if result.is_problem else ExitCode.OK
