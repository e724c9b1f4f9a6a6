"""`jettui returns ...`: list Jet returns and complete one with refund amounts.

`list` prints to stdout (tab-separated); `complete` checks every rule first (quantities and
amounts never above what the buyer paid nor what the return requested): each problem names
its field, exit 2, nothing sent. By default every returned unit is refunded at what the buyer
paid for it (capped at what the return requested); a line refunding nothing (``--line SKU=0``)
needs the ``--feedback`` saying why. `reject` is the dashboard's rejection (nothing refunded,
``--reason`` the feedback Jet requires). A return is named by its id, its reference id or an
unambiguous prefix (:mod:`jettui.services.ids`)."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from jettui.errors import ExitCode
from jettui.jet.enums import CHARGE_FEEDBACK, REFUND_FEEDBACK
from jettui.services.ids import resolve_return_id
from jettui.text_safety import tsv_row

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
    complete.add_argument("return_id", metavar="RETURN_ID", help=RETURN_ID_HELP)
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
    reject = actions.add_parser(
        "reject", help="reject a return: completed on Jet with nothing refunded (the dashboard's x)"
    )
    reject.add_argument("return_id", metavar="RETURN_ID", help=RETURN_ID_HELP)
    reject.add_argument("--reason", required=True, metavar="FEEDBACK",
                        help="why (Jet's return refund feedback, e.g. 'Returned outside window'; "
                        f"one of: {', '.join(REFUND_FEEDBACK)})")  # fmt: skip
    reject.add_argument(
        "--dispute-charge", nargs="?", const="other", choices=CHARGE_FEEDBACK, metavar="REASON",
        help=f"dispute the return charge (reason: {', '.join(CHARGE_FEEDBACK)}; default other)",
    )  # fmt: skip
    reject.add_argument("--notes", metavar="TEXT", help="notes sent with every line")
    for sub, handler in ((listing, run_list), (complete, run_complete), (reject, run_reject)):
        add_json(sub)
        sub.set_defaults(handler=handler)


RETURN_ID_HELP = "Jet's return authorization id, its reference id or an unambiguous prefix"


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
    return tsv_row(fields)


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
    from jettui.services.return_rules import (
        FormRefused,
        ReturnForm,
        parse_line_options,
        unexplained_zero_refunds,
    )
    from jettui.services.returns import complete_return

    out.note(action="complete", return_id=args.return_id)
    try:  # a malformed --line is refused before any settings or store is read
        lines = parse_line_options(args.line)
        unexplained_zero_refunds(lines, args.feedback)
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
        return_id = resolve_return_id(args.return_id)
        out.note(return_id=return_id)
        try:
            result = asyncio.run(complete_return(settings, db, return_id, form))
        except FormRefused as exc:
            return _refused(out, list(exc.problems), "completion")
    out.note(result=result.as_dict("return_id"))
    out.say(result.line)
    return ExitCode.PARTIAL if result.is_problem else ExitCode.OK


def run_reject(args: argparse.Namespace, out: Output) -> int:
    """Reject a return as the dashboard does (:func:`reject_return`: nothing refunded, the
    feedback on every line): 0 rejected, 1 Jet refused it, 2 a rule broken."""
    from jettui.services.return_rules import FormRefused
    from jettui.services.returns import reject_return

    out.note(action="reject", return_id=args.return_id)
    settings = load(args, out)
    with store(settings, out) as db:
        return_id = resolve_return_id(args.return_id)
        out.note(return_id=return_id)
        try:
            result = asyncio.run(
                reject_return(settings, db, return_id, args.reason.strip(),
                              charge_feedback=args.dispute_charge, notes=args.notes)
            )  # fmt: skip
        except FormRefused as exc:
            return _refused(out, list(exc.problems), "rejection")
    out.note(result=result.as_dict("return_id"))
    out.say(result.line)
    return ExitCode.PARTIAL if result.is_problem else ExitCode.OK
