"""`jettui products ACTION`: bulk product actions on Jet, and `products edit` for one SKU's
Jet data. Per-item lines on stderr; with --json the report is the document."""

from __future__ import annotations

import argparse
import signal
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from jettui.errors import ExitCode, Unreachable, UsageError, one_line

from .output import Output
from .parser import add_json
from .session import load, store

if TYPE_CHECKING:
    from jettui.services.catalog.actions.stop import StopToken

ACTIONS = ("upload", "archive", "unarchive", "sync", "status")
EDIT_CODE_FLAGS = {"upc": "UPC", "ean": "EAN", "gtin": "GTIN-14", "isbn": "ISBN"}
ALL_OR_SKUS = "give --all or one or more SKUs (not both)"
FORM_FLAG_NAMES = {
    "shipping": "--shipping-*",
    "returns": "--returns-*",
    "attributes": "--attribute",
    "options": "--option-attribute",
    "values": "--option-value",
}


def register(commands: Any) -> None:
    products = commands.add_parser("products", help="bulk product actions on Jet")
    products.add_argument(
        "action",
        choices=(*ACTIONS, "edit"),
        metavar="ACTION",
        help=" | ".join(ACTIONS) + " | edit (one SKU's Jet data)",
    )
    products.add_argument("skus", nargs="*", metavar="SKU", help="merchant SKUs (or --all)")
    products.add_argument("--all", action="store_true", help="every product of a mapped category")
    products.add_argument(
        "--include-disabled",
        action="store_true",
        help="with --all: also products disabled in OpenCart (left out by default)",
    )
    products.add_argument(
        "--dry-run", action="store_true", help="validate and show what would be sent"
    )
    add_json(products)
    code = products.add_mutually_exclusive_group()
    for flag, code_type in EDIT_CODE_FLAGS.items():
        code.add_argument(f"--{flag}", metavar="CODE", help=f"edit: set the {code_type} code")
    code.add_argument("--asin", metavar="ASIN", help="edit: set the ASIN")
    products.add_argument("--brand", metavar="B", help="edit: set the Jet brand")
    products.add_argument("--mpn", metavar="M", help="edit: set the manufacturer part number")
    products.add_argument("--show", action="store_true", help="edit: also show Jet's view")
    _exception_flags(products)


def _exception_flags(products: Any) -> None:
    """`products edit` flags for the shipping / returns exceptions and the Jet attributes."""
    from jettui.jet.enums import OVERRIDE_TYPES, SERVICE_LEVELS, SHIPPING_EXCEPTION_TYPES

    edit = products.add_argument_group("edit: shipping and returns exceptions, Jet attributes")
    edit.add_argument(
        "--shipping-level", metavar="LEVEL", help=f"one of: {', '.join(SERVICE_LEVELS)}"
    )
    edit.add_argument(
        "--shipping-method", metavar="METHOD", help="a Jet shipping method, e.g. 'UPS Ground'"
    )
    edit.add_argument("--shipping-override", metavar="TYPE", help=f"{' | '.join(OVERRIDE_TYPES)}")
    edit.add_argument(
        "--shipping-amount", metavar="AMOUNT", help="the override's charge, e.g. 4.99"
    )
    edit.add_argument("--shipping-type", metavar="TYPE", help=" | ".join(SHIPPING_EXCEPTION_TYPES))
    edit.add_argument("--no-shipping", action="store_true", help="remove the shipping exception")
    edit.add_argument("--returns-days", metavar="N", help="days to return, 1-30")
    edit.add_argument(
        "--returns-locations", metavar="IDS", help="return location ids, comma-separated"
    )
    edit.add_argument(
        "--returns-methods", metavar="M", help="return shipping methods, comma-separated"
    )
    edit.add_argument("--no-returns", action="store_true", help="remove the returns exception")
    edit.add_argument(
        "--attribute",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Jet attribute of the node ('Capacity=2 qt'; empty VALUE removes it)",
    )
    edit.add_argument(
        "--option-attribute",
        action="append",
        default=[],
        metavar="OPTION=ATTR",
        help="the Jet variant attribute of an option ('Size=Capacity'; ATTR 'auto': the one "
        "named like the option, else none)",
    )
    edit.add_argument(
        "--option-value",
        action="append",
        default=[],
        metavar="VALUE=JET",
        help="the refinement value children with an option value send ('Forest Green=Green'; "
        "empty JET: the value's own name)",
    )
    products.set_defaults(handler=run, strays=("skus", str, "SKU"))


def run(args: argparse.Namespace, out: Output) -> int:
    """Bulk product actions (0 all ok, 1 some items failed or invalid, 2 bad usage or unknown
    SKU, 3 Jet/store unreachable, 75 lock held, 130 stopped by ctrl+c).

    The first ctrl+c (SIGINT) stops between parts: the part in flight is sent and recorded in
    full, the rest is reported not attempted, the summary says how many SKUs were left, and the
    exit code is 130. A second ctrl+c aborts at once (also 130; `jettui status` then warns
    that the run was interrupted, until the next complete run)."""
    import asyncio

    from jettui.services import catalog
    from jettui.services.catalog.actions.report import progress_count
    from jettui.services.catalog.actions.stop import StopToken

    if args.action == "edit":
        return _edit(args, out)
    out.note(action=args.action)
    if args.all == bool(args.skus):  # checked before the settings: same line in any order
        raise UsageError(ALL_OR_SKUS)
    settings = load(args, out)

    stage = [""]  # the run's current stage: what its numbers count (products, SKUs, rows)

    def on_stage(text: str) -> None:
        stage[0] = text

    def progress(done: int, total: int) -> None:
        out.note(progress={"done": done, "total": total})  # known if the run is cut short
        count = progress_count(stage[0], done, total)
        out.progress(f"{args.action} {stage[0] or 'starting'}: {count}")

    with store(settings, out) as db:
        ids = _resolve(
            catalog, settings, args.skus, args.all, "nothing done", args.include_disabled
        )
        # a variation child named without its parent: the action touches that child only
        only = catalog.children_named(settings, args.skus, ids) if args.skus else {}
        left_out = 0
        if args.all and not args.include_disabled:
            left_out = catalog.disabled_mapped_count(settings)
        out.note(products=len(ids))

        def emit(items: list[Any]) -> None:
            """Each part's items as soon as it is done: a dry run's previews are printed, not
            kept (a --json document carries them, so it keeps them)."""
            for item in items:
                out.say(item.line)
                if "preview" in item.detail:
                    out.say("\n".join(catalog.preview_lines(item.detail["preview"])))

        # --json: the document carries every item (and preview) at the end, so none is streamed
        streamed: dict[str, Any] = {} if out.json_mode else {"emit": emit}
        if only:  # passed only when given (a run_action stand-in need not know it)
            streamed["only_skus"] = only
        streamed["stage"] = on_stage
        stop = StopToken()
        if not args.dry_run:
            streamed["stop"] = stop
        with first_ctrl_c_stops(stop, out, enabled=not args.dry_run):
            report = asyncio.run(
                catalog.run_action(
                    settings,
                    db,
                    args.action,
                    ids,
                    dry_run=args.dry_run,
                    progress=progress,
                    **streamed,
                )
            )
        report.left_out = left_out
    out.document.pop("progress", None)
    if out.json_mode:  # a dict per item: only for the document that prints them
        out.note(**report.as_dict())
    for check in report.checks:
        for line in check.lines():
            if ": warning: " in line:
                out.say(line)
    if out.json_mode:
        emit(report.items)
    out.say(report.summary)
    return ExitCode.INTERRUPTED if report.stopped else report.exit_code


@contextmanager
def first_ctrl_c_stops(stop: StopToken, out: Output, *, enabled: bool = True) -> Iterator[None]:
    """While the block runs, the first SIGINT asks ``stop`` to stop after the part in flight;
    the second raises KeyboardInterrupt as usual (abort). The old handler is put back after."""
    if not enabled or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)

    def first(signum: int, frame: Any) -> None:
        stop.request()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        out.say("stopping after the part in flight (ctrl+c again aborts at once)")

    signal.signal(signal.SIGINT, first)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _resolve(
    catalog: Any,
    settings: Any,
    skus: list[str],
    all_mapped: bool,
    what: str,
    include_disabled: bool = False,
) -> Any:
    """Product ids of ``skus`` (or of every mapped product); an unknown SKU is exit 2."""
    try:
        return catalog.resolve_products(
            settings, skus=skus, all_mapped=all_mapped, include_disabled=include_disabled
        )
    except catalog.UnknownSku as exc:
        raise UsageError(f"{exc}; {what}") from None


def _edit(args: argparse.Namespace, out: Output) -> int:
    """`products edit SKU [code] [--brand] [--mpn] [--show]`: 0 saved/shown, 2 invalid or
    unknown SKU (one line per problem), 3 store or Jet (--show) unreachable."""
    import asyncio

    from jettui.services import catalog

    out.note(action="edit")
    if len(args.skus) != 1 or args.all or args.dry_run:
        raise UsageError("products edit: give exactly one SKU (no --all, no --dry-run)")
    sku = args.skus[0]
    out.note(sku=sku)
    settings = load(args, out)
    changes = _changes(args)
    with store(settings, out) as db:
        (product_id,) = _resolve(catalog, settings, [sku], False, "nothing saved")
        child = catalog.child_listing(settings, product_id, sku)
        flags = _form_flags(args)
        problems = []
        if child is not None:  # a variation child: its own code, ASIN, MPN only
            problems = [
                f"{FORM_FLAG_NAMES[flag]}: set it on the parent SKU {child.parent_sku} "
                "(its children share it)"
                for flag in flags
            ]
        else:
            more, problems = catalog.form_changes(settings, product_id, **flags)
            changes |= more
        if changes and not problems:
            if child is not None:
                problems = catalog.save_child_data(settings, child, changes)
            else:
                problems = catalog.save_jet_data(settings, product_id, changes)
        if problems:
            out.note(problems=problems)
            for line in problems:
                out.say(f"{sku}: {line}")
            out.say(f"{sku}: nothing saved")
            return ExitCode.USAGE
        data = catalog.get_jet_data(settings, product_id, sku)
        out.note(ok=True, saved=bool(changes), **data)
        view = None
        if args.show:
            try:
                view = asyncio.run(catalog.fetch_jet_view(settings, db, data["sku"] or sku))
            except Unreachable as exc:
                raise Unreachable(f"Jet unreachable: {one_line(exc)}") from None
            out.note(jet=view)
    lines = [f"{sku}: {'saved' if changes else 'unchanged'}"]
    lines += [f"  override {k}: {v}" for k, v in sorted(data["overrides"].items())]
    payload = data["payload"] or {}
    if data.get("price"):
        lines.append(f"  sends price: {data['price']}")
    if data.get("sources"):  # catalog.field_map: values taken from a non-default field
        lines.append("  mapped: " + ", ".join(f"{k} from {v}" for k, v in data["sources"].items()))
    for key in ("brand", "mfr_part_number", "standard_product_codes", "ASIN",
                "attributes_node_specific"):  # fmt: skip
        if key in payload:
            lines.append(f"  sends {key}: {payload[key]}")
    for key in ("shipping_exception", "returns_exception"):
        if data.get(key):
            lines.append(f"  sends {key}: {data[key]}")
    if data.get("child_of"):
        lines.append(f"  variation child of {data['child_of']}")
    for child_line in data.get("children") or []:
        codes = ", ".join(child_line["codes"]) or f"no code (MPN {child_line['mpn']})"
        values = ", ".join(child_line["refinements"].values())
        lines.append(f"  child {child_line['sku']}: {codes}" + (f"; {values}" if values else ""))
    lines += [f"  error: {e}" for e in data["errors"]]
    lines += [f"  warning: {w}" for w in data["warnings"]]
    if view is not None:
        lines += ["  as Jet has it:"] + [f"    {line}" for line in catalog.view_lines(view)]
    # --show asks to see the product: a listing on stdout (like `orders show`); a plain edit
    # says what it saved on stderr like every action (problems are on stderr either way)
    for line in lines:
        (out.result if args.show else out.say)(line)
    return ExitCode.OK


def _form_flags(args: argparse.Namespace) -> dict[str, Any]:
    """The exception and attribute flags as :func:`catalog.form_changes` keywords."""
    from jettui.services.catalog.exceptions import SHIPPING_FIELDS

    flags: dict[str, Any] = {}
    shipping = {
        "service_level": args.shipping_level,
        "shipping_method": args.shipping_method,
        "override_type": args.shipping_override,
        "shipping_charge_amount": args.shipping_amount,
        "shipping_exception_type": args.shipping_type,
    }
    if (changes := _exception_changes(shipping, args.no_shipping, SHIPPING_FIELDS)) is not None:
        flags["shipping"] = changes
    returns = {
        "days": args.returns_days,
        "locations": args.returns_locations,
        "methods": args.returns_methods,
    }
    if (changes := _exception_changes(returns, args.no_returns, returns)) is not None:
        flags["returns"] = changes
    if args.attribute:
        flags["attributes"] = list(args.attribute)
    if args.option_attribute:
        flags["options"] = list(args.option_attribute)
    if args.option_value:
        flags["values"] = list(args.option_value)
    return flags


def _exception_changes(
    given: dict[str, Any], remove: bool, fields: Iterable[str]
) -> dict[str, Any] | None:
    """An exception's changes: every one of its ``fields`` emptied (``--no-...``), else the
    flags given, else None (nothing said about it)."""
    if remove:
        return dict.fromkeys(fields, "")
    if any(v is not None for v in given.values()):
        return {k: v for k, v in given.items() if v is not None}
    return None


def _changes(args: argparse.Namespace) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for flag, code_type in EDIT_CODE_FLAGS.items():
        if getattr(args, flag) is not None:
            # ISBN-10 or ISBN-13 is told by the code's length
            changes["standard_code"] = getattr(args, flag)
            changes["standard_code_type"] = "" if code_type == "ISBN" else code_type
    for key in ("asin", "brand", "mpn"):
        if getattr(args, key) is not None:
            changes[key] = getattr(args, key)
    return changes
