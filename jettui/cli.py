"""The `jettui` command: the dashboard by default, headless sub-commands for cron and scripts.

Exit codes (design.md): 0 all done; 1 done but some items failed; 2 bad usage or settings;
3 Jet or the store unreachable; 75 another run holds the job's lock.
Headless commands never import Textual: the TUI is imported only when the dashboard starts.
`--json` prints one JSON document on stdout; human text goes to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from jettui import __version__
from jettui.config import Settings, SettingsError, load_settings, scrub_secrets, settings_to_dict

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_LOCKED = 75

CRON_JOBS = (
    "fetch-orders",
    "acknowledge",
    "fetch-errors",
    "fetch-returns",
    "product-status",
    "sync",
    "due",
    "all",
)
PRODUCT_ACTIONS = ("upload", "archive", "unarchive", "sync", "status")


class CommandError(Exception):
    """A failure the user can act on: one line of text and an exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        self.exit(EXIT_USAGE, f"jettui: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="jettui",
        description="OpenCart ↔ Jet.com: the dashboard (no command) and headless commands for cron.",
        epilog="Exit codes: 0 done, 1 some items failed, 2 bad usage or settings, "
        "3 Jet or the store unreachable, 75 another run holds the job's lock.",
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="settings file (default: $JETTUI_CONFIG or ./settings.yaml)",
    )
    parser.add_argument("--version", action="version", version=f"jettui {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    config = commands.add_parser("config", help="check or show the settings")
    config_actions = config.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = config_actions.add_parser(
        "check", help="settings valid? store and Jet reachable? (0 / 2 / 3)"
    )
    check.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    show = config_actions.add_parser("show", help="print the effective settings (secrets masked)")
    show.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    demo = commands.add_parser("demo", help="(re)build the embedded demo store")
    demo.add_argument(
        "--products",
        type=_positive_int,
        default=240,
        metavar="N",
        help="number of products (default 240, up to 100000)",
    )
    demo.add_argument("--seed", type=int, default=42, help=argparse.SUPPRESS)
    demo.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    cron = commands.add_parser(
        "cron", help="run a background job once (for crontab: 'jettui cron due')"
    )
    cron.add_argument("job", choices=CRON_JOBS, metavar="JOB", help=" | ".join(CRON_JOBS))
    cron.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    products = commands.add_parser("products", help="bulk product actions on Jet")
    products.add_argument(
        "action",
        choices=(*PRODUCT_ACTIONS, "edit"),
        metavar="ACTION",
        help=" | ".join(PRODUCT_ACTIONS) + " | edit (one SKU's Jet data)",
    )
    products.add_argument("skus", nargs="*", metavar="SKU", help="merchant SKUs (or --all)")
    products.add_argument("--all", action="store_true", help="every product of a mapped category")
    products.add_argument(
        "--dry-run", action="store_true", help="validate and show what would be sent"
    )
    products.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    code = products.add_mutually_exclusive_group()
    for flag, code_type in EDIT_CODE_FLAGS.items():
        code.add_argument(f"--{flag}", metavar="CODE", help=f"edit: set the {code_type} code")
    code.add_argument("--asin", metavar="ASIN", help="edit: set the ASIN")
    products.add_argument("--brand", metavar="B", help="edit: set the Jet brand")
    products.add_argument("--mpn", metavar="M", help="edit: set the manufacturer part number")
    products.add_argument("--show", action="store_true", help="edit: also show Jet's view")

    orders = commands.add_parser("orders", help="list and ship Jet orders")
    order_actions = orders.add_subparsers(dest="action", metavar="ACTION", required=True)
    order_list = order_actions.add_parser("list", help="list Jet orders")
    order_list.add_argument("--status", metavar="S", help="only orders in this status")
    order_list.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    ship = order_actions.add_parser("ship", help="ship (and/or cancel units of) an order")
    ship.add_argument("order_id", metavar="JET_ORDER_ID")
    ship.add_argument("--carrier", required=True, metavar="C")
    ship.add_argument("--method", required=True, metavar="M")
    ship.add_argument("--tracking", required=True, metavar="T")
    ship.add_argument("--zip", required=True, metavar="Z", help="ship-from ZIP (5 digits)")
    ship.add_argument("--ship", action="append", default=[], metavar="SKU=QTY", type=_sku_qty)
    ship.add_argument("--cancel", action="append", default=[], metavar="SKU=QTY", type=_sku_qty)
    ship.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    returns = commands.add_parser("returns", help="list and complete Jet returns")
    return_actions = returns.add_subparsers(dest="action", metavar="ACTION", required=True)
    return_list = return_actions.add_parser("list", help="list Jet returns")
    return_list.add_argument(
        "--json", action="store_true", help="print one JSON document on stdout"
    )
    complete = return_actions.add_parser("complete", help="complete a return with refund amounts")
    complete.add_argument("return_ids", nargs="+", metavar="RETURN_ID")
    complete.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    refunds = commands.add_parser("refunds", help="merchant-initiated refunds")
    refund_actions = refunds.add_subparsers(dest="action", metavar="ACTION", required=True)
    refund_create = refund_actions.add_parser("create", help="refund items of an order")
    refund_create.add_argument("order_id", metavar="JET_ORDER_ID")
    refund_create.add_argument(
        "--json", action="store_true", help="print one JSON document on stdout"
    )
    refund_list = refund_actions.add_parser("list", help="list refunds and their state")
    refund_list.add_argument(
        "--json", action="store_true", help="print one JSON document on stdout"
    )

    categories = commands.add_parser(
        "categories", help="the Jet taxonomy and the OpenCart category ↔ Jet node map"
    )
    category_actions = categories.add_subparsers(dest="action", metavar="ACTION", required=True)
    taxonomy = category_actions.add_parser("taxonomy", help="show or refresh the Jet taxonomy")
    taxonomy.add_argument("--refresh", action="store_true", help="fetch it from Jet first")
    taxonomy.add_argument("--search", metavar="TEXT", help="nodes whose name or path has TEXT")
    category_map = category_actions.add_parser("map", help="map categories to one Jet node")
    category_map.add_argument("category_ids", nargs="+", type=int, metavar="CATEGORY_ID")
    category_map.add_argument("--node", type=int, required=True, metavar="NODE_ID")
    unmap = category_actions.add_parser("unmap", help="remove the Jet node of categories")
    unmap.add_argument("category_ids", nargs="+", type=int, metavar="CATEGORY_ID")
    create = category_actions.add_parser(
        "create", help="create an OpenCart category named after a Jet node, mapped to it"
    )
    create.add_argument("--node", type=int, required=True, metavar="NODE_ID")
    create.add_argument("--parent", type=int, default=0, metavar="CATEGORY_ID")
    category_list = category_actions.add_parser("list", help="the store's categories")
    category_list.add_argument("--mapped", action="store_true", help="only mapped categories")
    for sub in (taxonomy, category_map, unmap, create, category_list):
        sub.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    activate = commands.add_parser(
        "activate", help="Jet API activation ('Runway'): the product, order and return test steps"
    )
    activate.add_argument(
        "step",
        nargs="?",
        default="all",
        choices=("product", "order", "return", "all", "status"),
        metavar="STEP",
        help="product | order | return | all (default) | status (what is done, and when)",
    )
    activate.add_argument(
        "--yes",
        action="store_true",
        help="run the order/return steps against a real Jet (there a cancel really cancels)",
    )
    activate.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    sandbox = commands.add_parser("sandbox", help="serve the Jet sandbox over HTTP")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=_port, default=8089)
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _port(text: str) -> int:
    value = _positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError("a port is at most 65535")
    return value


def _sku_qty(text: str) -> tuple[str, int]:
    sku, sep, qty = text.rpartition("=")
    if not sep or not sku:
        raise argparse.ArgumentTypeError(f"'{text}' must look like SKU=QTY")
    try:
        quantity = int(qty)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}': quantity must be a whole number") from None
    if quantity < 0:
        raise argparse.ArgumentTypeError(f"'{text}': quantity must not be negative")
    return sku, quantity


def say(text: str) -> None:
    """Human output: always stderr, so --json stdout stays one document."""
    print(text, file=sys.stderr)


def emit_json(document: Any) -> None:
    json.dump(document, sys.stdout, indent=2, default=str)
    sys.stdout.write("\n")


def _load(args: argparse.Namespace) -> Settings:
    settings = load_settings(args.config)
    for warning in settings.warnings:
        say(f"jettui: warning: {warning}")
    return settings


def _reporter(args: argparse.Namespace, **context: Any) -> Callable[[str, int], int]:
    """``fail(message, code)`` for a command: one line on stderr and, with --json, one JSON
    document naming the failure; returns the exit code."""

    def fail(message: str, code: int) -> int:
        if args.json:
            emit_json({"ok": False, **context, "error": message, "exit_code": code})
        say(f"jettui: {message}")
        return code

    return fail


def _open_store(settings: Settings, config_path: str | None) -> Any:
    """The store with jettui's tables ready; a failure is a CommandError (exit 3 when the
    store is unreachable) whose one line carries no secret."""
    from jettui.store.db import connect, ensure_jet_tables

    try:
        db = connect(settings)
        ensure_jet_tables(db)
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        code, message = _classify(exc)
        raise CommandError(_redact(message, config_path), code) from None
    return db


# --- commands -------------------------------------------------------------------------------


def cmd_dashboard(args: argparse.Namespace) -> int:
    settings = _load(args)
    _ensure_demo(settings)
    from jettui.tui.app import run_dashboard  # Textual only here

    return run_dashboard(settings)


def _ensure_demo(settings: Settings) -> None:
    """The shipped settings point at a SQLite demo store: create it on first start."""
    if not settings.store.is_sqlite:
        return
    from jettui.store.demo import ensure_demo_store

    if ensure_demo_store(settings):
        say(f"jettui: created the demo store {settings.store.database_display}")


def cmd_config_show(args: argparse.Namespace) -> int:
    settings = _load(args)
    data = settings_to_dict(settings)
    if args.json:
        emit_json(
            {"path": str(settings.path), "settings": data, "warnings": list(settings.warnings)}
        )
    else:
        print(f"# {settings.path}")
        for section, values in data.items():
            print(f"{section}:")
            for key, value in values.items():
                print(f"  {key}: {json.dumps(value)}")
    return EXIT_OK


def cmd_config_check(args: argparse.Namespace) -> int:
    from jettui.services.health import check_all

    report: dict[str, Any] = {"settings": {"ok": False, "path": None}}
    try:
        settings = _load(args)
    except SettingsError as exc:
        report["settings"].update(path=str(exc.path) if exc.path else None, problems=exc.problems)
        if args.json:
            emit_json({"ok": False, **report})
        for problem in exc.problems:
            say(f"settings: {problem}")
        return EXIT_USAGE
    report["settings"] = {
        "ok": True,
        "path": str(settings.path),
        "warnings": list(settings.warnings),
    }
    _ensure_demo(settings)
    parts = asyncio.run(check_all(settings))
    report.update(parts)
    ok = all(part["ok"] for part in report.values())
    if args.json:
        emit_json({"ok": ok, **report})
    say(f"settings: ok ({settings.path})")
    for name in ("store", "jet"):
        part = report[name]
        say(f"{name}: {'ok' if part['ok'] else 'FAILED'} - {part['message']}")
    return EXIT_OK if ok else EXIT_UNREACHABLE


def cmd_demo(args: argparse.Namespace) -> int:
    from jettui.store.demo import DemoRefused, build_demo_store

    settings = _load(args)
    if args.products > 100_000:
        raise CommandError("--products: at most 100000")

    def progress(done: int, total: int) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\rseeding products {done}/{total}", end="", file=sys.stderr, flush=True)

    try:
        stats = build_demo_store(
            settings, products=args.products, seed=args.seed, progress=progress
        )
    except DemoRefused as exc:
        raise CommandError(str(exc)) from None
    if sys.stderr.isatty() and not args.json:
        print(file=sys.stderr)
    if args.json:
        emit_json({"ok": True, **stats.as_dict()})
    say(
        f"demo store {settings.store.database_display}: {stats.products} products in "
        f"{stats.categories} categories, {stats.manufacturers} brands, {stats.option_products} with "
        f"options; {stats.missing_codes} without a product code and {stats.invalid_codes} with a "
        f"bad check digit (on purpose); built in {stats.seconds:.1f} s"
    )
    return EXIT_OK


def cmd_sandbox(args: argparse.Namespace) -> int:
    from jettui.jet.sandbox import serve

    settings = _load(args)
    say(
        f"Jet sandbox on http://{args.host}:{args.port}/api (state {settings.sandbox.state_file}); ctrl+c stops"
    )
    serve(settings, host=args.host, port=args.port)
    return EXIT_OK


def cmd_activate(args: argparse.Namespace) -> int:
    """Run Runway steps (0 all ok, 1 some failed, 3 Jet/store unreachable, 75 lock held) or
    show which are done (``status``)."""
    from jettui.services import activation
    from jettui.store.errors import LockBusy

    settings = _load(args)
    _ensure_demo(settings)
    target = "sandbox" if settings.jet.is_sandbox else settings.jet.api_url

    fail = _reporter(args, target=target)

    try:
        db = _open_store(settings, args.config)
    except CommandError as exc:
        return fail(str(exc), exc.code)
    try:
        if args.step == "status":
            states = activation.activation_status()
            running = activation.running_holder()
            if args.json:
                emit_json(
                    {
                        "ok": all(s.last is not None and s.last.ok for s in states.values()),
                        "target": target,
                        "running": running,
                        "steps": [s.as_dict() for s in states.values()],
                    }
                )
            for state in states.values():
                say(f"{state.step}: {state.label}")
            if running:
                say(f"running now: {running}")
            return EXIT_OK
        steps = activation.expand_steps(args.step)
        try:
            results = asyncio.run(
                activation.run_activation(
                    settings,
                    db,
                    steps,
                    confirm_live=args.yes,
                    progress=lambda step, message: say(f"{step}: {message}"),
                )
            )
        except LockBusy as exc:
            return fail(f"{exc}; nothing done", EXIT_LOCKED)
        except activation.ConfirmationRequired as exc:
            return fail(f"{exc} (pass --yes); nothing done", EXIT_USAGE)
    finally:
        db.close()
    failed = [r.step for r in results if not r.ok]
    if any(r.unreachable for r in results):
        code = EXIT_UNREACHABLE
    else:
        code = EXIT_PARTIAL if failed else EXIT_OK
    if args.json:
        emit_json(
            {
                "ok": not failed,
                "target": target,
                "steps": [r.as_dict() for r in results],
                "failed": failed,
                "exit_code": code,
            }
        )
    for result in results:
        outcome = "ok" if result.ok else result.outcome.upper()
        say(f"{activation.STEP_TITLES[result.step]}: {outcome} - {result.message}")
    return code


def cmd_products(args: argparse.Namespace) -> int:
    """Bulk product actions (0 all ok, 1 some items failed or invalid, 2 bad usage or unknown
    SKU, 3 Jet/store unreachable, 75 lock held). Per-item lines on stderr, --json on stdout."""
    from jettui.services import catalog
    from jettui.store.errors import LockBusy

    if args.action == "edit":
        return _products_edit(args)
    if args.all == bool(args.skus):
        raise CommandError("give --all or one or more SKUs (not both)")
    settings = _load(args)

    fail = _reporter(args, action=args.action)

    _ensure_demo(settings)
    try:
        db = _open_store(settings, args.config)
    except CommandError as exc:
        return fail(str(exc), exc.code)

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r{args.action} {done}/{total}", end="", file=sys.stderr, flush=True)

    try:
        try:
            ids = catalog.resolve_products(settings, skus=args.skus, all_mapped=args.all)
        except catalog.UnknownSku as exc:
            return fail(f"{exc}; nothing done", EXIT_USAGE)
        report = asyncio.run(
            catalog.run_action(
                settings, db, args.action, ids, dry_run=args.dry_run, progress=progress
            )
        )
    except LockBusy as exc:
        return fail(f"{exc}; nothing done", EXIT_LOCKED)
    finally:
        db.close()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if args.json:
        text = json.dumps(report.as_dict(), indent=2, default=str)
        sys.stdout.write(scrub_secrets(text, settings) + "\n")
    for check in report.checks:
        for line in check.lines():
            if ": warning: " in line:
                say(scrub_secrets(line, settings))
    for item in report.items:
        say(scrub_secrets(item.line, settings))
    say(scrub_secrets(report.summary, settings))
    return report.exit_code


EDIT_CODE_FLAGS = {"upc": "UPC", "ean": "EAN", "gtin": "GTIN-14", "isbn": "ISBN"}


def _products_edit(args: argparse.Namespace) -> int:
    """`products edit SKU [code] [--brand] [--mpn] [--show]`: 0 saved/shown, 2 invalid or
    unknown SKU (one line per problem), 3 store or Jet (--show) unreachable."""
    from jettui.jet.errors import JetAuthError, JetUnreachable
    from jettui.services import catalog

    if len(args.skus) != 1 or args.all or args.dry_run:
        raise CommandError("products edit: give exactly one SKU (no --all, no --dry-run)")
    sku = args.skus[0]
    settings = _load(args)
    fail = _reporter(args, action="edit", sku=sku)
    changes: dict[str, Any] = {}
    for flag, code_type in EDIT_CODE_FLAGS.items():
        if getattr(args, flag) is not None:
            # ISBN-10 or ISBN-13 is told by the code's length
            changes["standard_code"] = getattr(args, flag)
            changes["standard_code_type"] = "" if code_type == "ISBN" else code_type
    for key in ("asin", "brand", "mpn"):
        if getattr(args, key) is not None:
            changes[key] = getattr(args, key)
    _ensure_demo(settings)
    try:
        db = _open_store(settings, args.config)
    except CommandError as exc:
        return fail(str(exc), exc.code)
    try:
        try:
            (product_id,) = catalog.resolve_products(settings, skus=[sku])
        except catalog.UnknownSku as exc:
            return fail(f"{exc}; nothing saved", EXIT_USAGE)
        problems = catalog.save_jet_data(settings, product_id, changes) if changes else []
        if problems:
            if args.json:
                emit_json({"ok": False, "action": "edit", "sku": sku, "problems": problems,
                           "exit_code": EXIT_USAGE})  # fmt: skip
            for line in problems:
                say(scrub_secrets(f"{sku}: {line}", settings))
            say(f"{sku}: nothing saved")
            return EXIT_USAGE
        data = catalog.get_jet_data(settings, product_id)
        view = None
        if args.show:
            try:
                view = asyncio.run(catalog.fetch_jet_view(settings, db, data["sku"] or sku))
            except (JetUnreachable, JetAuthError) as exc:
                return fail(scrub_secrets(f"Jet unreachable: {exc}", settings), EXIT_UNREACHABLE)
    finally:
        db.close()
    document = {"ok": True, "action": "edit", "sku": sku, "saved": bool(changes), **data}
    if view is not None:
        document["jet"] = view
    if args.json:
        sys.stdout.write(scrub_secrets(json.dumps(document, indent=2, default=str), settings))
        sys.stdout.write("\n")
    lines = [f"{sku}: {'saved' if changes else 'unchanged'}"]
    lines += [f"  override {k}: {v}" for k, v in sorted(data["overrides"].items())]
    payload = data["payload"] or {}
    for key in ("brand", "mfr_part_number", "standard_product_codes", "ASIN"):
        if key in payload:
            lines.append(f"  sends {key}: {payload[key]}")
    lines += [f"  error: {e}" for e in data["errors"]]
    lines += [f"  warning: {w}" for w in data["warnings"]]
    if view is not None:
        lines += ["  as Jet has it:"] + [f"    {line}" for line in catalog.view_lines(view)]
    for line in lines:
        say(scrub_secrets(line, settings))
    return EXIT_OK


def cmd_cron(args: argparse.Namespace) -> int:
    """Run one job, the due jobs or all of them (0 ok, 1 items failed, 2 not available yet,
    3 Jet/store unreachable, 75 a lock held). Human lines on stderr, --json on stdout."""
    from jettui.services import jobs

    settings = _load(args)
    job = jobs.JOBS.get(args.job)

    fail = _reporter(args, job=args.job)

    if job is not None and not job.available:
        return fail(f"'cron {args.job}' is {jobs.NOT_AVAILABLE}", EXIT_USAGE)
    _ensure_demo(settings)
    try:
        db = _open_store(settings, args.config)
    except CommandError as exc:
        return fail(str(exc), exc.code)

    def progress(name: str, message: str) -> None:
        if sys.stderr.isatty():  # cron mails stderr: progress only for a person watching
            say(f"{name}: {message}")

    async def work() -> list[jobs.JobOutcome]:
        if args.job == "due":
            return await jobs.run_due(settings, db, trigger="cron", progress=progress)
        names = list(jobs.JOBS) if args.job == "all" else [args.job]
        return await jobs.run_jobs(settings, db, names, trigger="cron", progress=progress)

    try:
        outcomes = asyncio.run(work())
    finally:
        db.close()
    single = args.job not in ("due", "all")
    code = outcomes[0].exit_code if single else jobs.combined_exit_code(outcomes)
    if args.json:
        document = {
            "ok": code == EXIT_OK,
            "job": args.job,
            "exit_code": code,
            "outcomes": [o.as_dict() for o in outcomes],
        }
        text = json.dumps(document, indent=2, default=str)
        sys.stdout.write(scrub_secrets(text, settings) + "\n")  # Jet's words, never a secret
    for outcome in outcomes:
        say(scrub_secrets(outcome.line, settings))
        for failure in outcome.failures[:CRON_FAILURES_SHOWN]:
            say(scrub_secrets(f"  {failure.item}: {failure.reason}", settings))
        hidden = outcome.items_failed - CRON_FAILURES_SHOWN
        if hidden > 0:
            say(f"  ... and {hidden} more (--json lists every one)")
    return code


CRON_FAILURES_SHOWN = 20  # failed items listed per job on stderr


def cmd_categories(args: argparse.Namespace) -> int:
    """Taxonomy cache and category map (0 ok, 1 some nodes failed, 2 bad ids, 3 Jet/store
    unreachable, 75 another taxonomy refresh runs)."""
    from jettui.services import categories
    from jettui.store.errors import LockBusy

    settings = _load(args)
    _ensure_demo(settings)

    fail = _reporter(args, action=args.action)

    try:
        db = _open_store(settings, args.config)
    except CommandError as exc:
        return fail(str(exc), exc.code)
    try:
        if args.action == "taxonomy":
            return _categories_taxonomy(args, settings, db)
        if args.action == "list":
            rows = categories.list_categories(db, settings, mapped_only=args.mapped)
            if args.json:
                emit_json({"ok": True, "action": "list", "categories": rows})
            for row in rows:
                node = f"{row['jet_node_id']} {row['jet_path']}" if row["jet_node_id"] else "-"
                say(f"{row['category_id']:>6}  {row['path']}  →  {node}")
            return EXIT_OK
        if args.action == "map":
            result = categories.map_categories(db, args.category_ids, args.node)
        elif args.action == "unmap":
            result = categories.unmap_categories(db, args.category_ids)
        else:
            result = categories.create_category_and_map(db, settings, args.node, args.parent)
    except categories.CategoryError as exc:
        return fail(str(exc), EXIT_USAGE)
    except LockBusy as exc:
        return fail(f"{exc}; nothing done", EXIT_LOCKED)
    finally:
        db.close()
    if args.json:
        emit_json({**result.as_dict(), "exit_code": EXIT_OK})
    say(result.message)
    return EXIT_OK


def _categories_taxonomy(args: argparse.Namespace, settings: Settings, db: Any) -> int:
    from jettui.services import categories

    result = None
    if args.refresh:

        def progress(done: int, total: int, message: str) -> None:
            if sys.stderr.isatty():
                say(f"taxonomy: {message}")

        try:
            result = asyncio.run(categories.refresh_taxonomy(settings, db, progress=progress))
        except Exception as exc:  # noqa: BLE001 - Jet/store unreachable: one line, exit 3
            if type(exc).__name__ == "LockBusy":
                raise
            code, message = _classify(exc)
            message = scrub_secrets(f"taxonomy not refreshed: {message}", settings)
            if args.json:
                emit_json({"ok": False, "action": "taxonomy", "error": message, "exit_code": code})
            say(f"jettui: {message}")
            return code
        say(scrub_secrets(result.line, settings))
        for node_id, error in result.failures[:CRON_FAILURES_SHOWN]:
            say(scrub_secrets(f"  node {node_id}: {error}", settings))
    cached = categories.taxonomy_count(db)
    nodes = categories.search_taxonomy(db, args.search or "", limit=TAXONOMY_SHOWN)
    code = EXIT_PARTIAL if result is not None and not result.ok else EXIT_OK
    if args.json:
        document = {
            "ok": code == EXIT_OK,
            "action": "taxonomy",
            "cached": cached,
            "refresh": result.as_dict() if result is not None else None,
            "search": args.search,
            "nodes": [n.as_dict() for n in nodes],
            "exit_code": code,
        }
        sys.stdout.write(scrub_secrets(json.dumps(document, indent=2, default=str), settings))
        sys.stdout.write("\n")
    if not cached:
        say(f"jettui: the taxonomy cache is empty; {categories.REFRESH_HINT}")
    elif args.search is not None or not args.refresh:
        for node in nodes:
            leaf = f"  ({len(node.attributes)} attributes)" if node.is_leaf else ""
            say(f"{node.node_id:>10}  {node.path}{leaf}")
        if len(nodes) == TAXONOMY_SHOWN:
            say(f"  ... first {TAXONOMY_SHOWN} shown (--search narrows)")
    return code


TAXONOMY_SHOWN = 200  # nodes listed by 'categories taxonomy'


def cmd_not_yet(args: argparse.Namespace) -> int:
    words = [args.command] + [
        str(getattr(args, key)) for key in ("action", "job") if getattr(args, key, None)
    ]
    raise CommandError(f"'{' '.join(words)}' is not available yet")


def _dispatch(args: argparse.Namespace) -> Callable[[argparse.Namespace], int]:
    if args.command is None:
        return cmd_dashboard
    if args.command == "config":
        return cmd_config_check if args.action == "check" else cmd_config_show
    return {
        "demo": cmd_demo,
        "sandbox": cmd_sandbox,
        "activate": cmd_activate,
        "products": cmd_products,
        "cron": cmd_cron,
        "categories": cmd_categories,
    }.get(args.command, cmd_not_yet)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = _dispatch(args)
    try:
        return handler(args)
    except SettingsError as exc:
        for problem in exc.problems:
            say(f"settings: {problem}")
        return EXIT_USAGE
    except CommandError as exc:
        say(f"jettui: {exc}")
        return exc.code
    except KeyboardInterrupt:
        say("jettui: interrupted")
        return 130
    except BrokenPipeError:  # e.g. `jettui config show | head`: the reader left, not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, no traceback
        code, message = _classify(exc)
        say(f"jettui: {_redact(message, args.config)}")
        return code


def _classify(exc: Exception) -> tuple[int, str]:
    """Map store/Jet failures to exit 3; anything else is an unexpected error (exit 1)."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    if names & {"StoreUnreachable", "JetUnreachable", "JetAuthError", "OperationalError"}:
        return EXIT_UNREACHABLE, str(exc)
    if "StoreError" in names or "JetError" in names:
        return EXIT_PARTIAL, str(exc)
    return EXIT_PARTIAL, f"unexpected error: {type(exc).__name__}: {exc}"


def _redact(text: str, config_path: str | None) -> str:
    """Mask the configured Jet secret and DB password should either appear in a message."""
    try:
        settings = load_settings(config_path)
    except Exception:  # noqa: BLE001 - settings unreadable: nothing more to mask
        return text
    return scrub_secrets(text, settings)


if __name__ == "__main__":
    sys.exit(main())
