"""`jettui returns ...`: list Jet returns and complete one with refund amounts.

`list` prints to stdout (tab-separated); `complete` checks every rule first (quantities and
amounts never above what the buyer paid nor what the return requested): each problem names
its field, exit 2, nothing sent. By default every returned unit is refunded at what the buyer
paid for it (capped at what the return requested)."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from jettui.errors import ExitCode
from jettui.jet.enums import CHARGE_FEEDBACK

from .orders import _refused
from .output import Output
from .parser import add_json
from .session import load, run_listing, store


def register(commands: Any) -> None:
    returns = commands.add_parser("returns", help="list and complete Jet returns")
    actions = returns.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list Jet returns (stdout)")
    complete = actions.add_parser(
        "complete", help="complete a return (default: every returned unit refunded)"
    )
    complete.add_argument("return_id", metavar="RETURN_ID", help="Jet's return authorization id")
    complete.add_argument(
        "--line",
        action="append",
        default=[],
        metavar="SKU=QTY[:AMOUNT]",
        help="units of a SKU refunded, and the principal refunded for them (repeatable; "
        "lines not named are refunded in full at what the buyer paid)",
    )
    complete.add_argument("--feedback", metavar="F", help="Jet's return refund feedback")
    complete.add_argument(
        "--dispute-charge",
        nargs="?",
        const="other",
        choices=CHARGE_FEEDBACK,
        metavar="REASON",
        help=f"dispute the return charge (reason: {', '.join(CHARGE_FEEDBACK)}; default other)",
    )
    for sub, handler in ((listing, run_list), (complete, run_complete)):
        add_json(sub)
        sub.set_defaults(handler=handler)


def return_line(row: dict[str, Any]) -> str:
    lines = ", ".join(f"{line['sku']}×{line['quantity']}" for line in row["lines"])
    reasons = "; ".join(dict.fromkeys(str(line["reason"] or "") for line in row["lines"]))
    fields = [
        row["return_id"],
        row["merchant_order_id"],
        str(row["order_id"] or ""),
        ",".join(str(i) for i in row["oc_return_ids"]),
        row["status"],
        row["state"],
        lines,
        row["requested_total"],
        reasons,
        row["buyer"],
        row.get("error") or "",
        row.get("outcome") or "",
        row.get("refunded_total") or "",
    ]
    return "\t".join(" ".join(str(f).split()) for f in fields)


LIST_HEADER = "\t".join(("return_id", "jet_order_id", "oc_order", "oc_returns", "status",
                         "state", "lines", "requested", "reason", "buyer", "error", "outcome",
                         "refunded"))  # fmt: skip


def run_list(args: argparse.Namespace, out: Output) -> int:
    from jettui.services.returns import list_returns

    return run_listing(
        args, out, list_returns, key="returns", header=LIST_HEADER, line=return_line, noun="return"
    )


def run_complete(args: argparse.Namespace, out: Output) -> int:
    """0 completed, 1 Jet refused it, 2 a rule broken (each problem names its field)."""
    from jettui.services.return_rules import FormRefused, ReturnForm, parse_line_options
    from jettui.services.returns import complete_return

    out.note(action="complete", return_id=args.return_id)
    try:  # a malformed --line is refused before any settings or store is read
        lines = parse_line_options(args.line)
    except FormRefused as exc:
        return _refused(out, list(exc.problems), "completion")
    form = ReturnForm(
        lines=lines,
        agree_to_return_charge=args.dispute_charge is None,
        charge_feedback=args.dispute_charge,
        feedback=args.feedback,
    )
    settings = load(args, out)
    with store(settings, out) as db:
        try:
            result = asyncio.run(complete_return(settings, db, args.return_id, form))
        except FormRefused as exc:
            return _refused(out, list(exc.problems), "completion")
    out.note(result=result.as_dict("return_id"))
    out.say(result.line)
    return ExitCode.PARTIAL if result.is_problem else ExitCode.OK
