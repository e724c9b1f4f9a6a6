"""`jettui demo`: (re)build the demo store (SQLite file, or an empty MySQL/MariaDB database)."""

from __future__ import annotations

import argparse
from typing import Any

from jettui.errors import ExitCode, UsageError

from .output import Output
from .parser import add_json, positive_int
from .session import load

# jettui.store.demo.MAX_PRODUCTS, not imported: the CLI loads the store modules on use only
MAX_PRODUCTS = 1_000_000


def register(commands: Any) -> None:
    demo = commands.add_parser("demo", help="(re)build the embedded demo store")
    demo.add_argument(
        "--products",
        type=positive_int,
        default=240,
        metavar="N",
        help=f"number of products (default 240, up to {MAX_PRODUCTS:,})",
    )
    demo.add_argument("--seed", type=int, default=42, help=argparse.SUPPRESS)
    add_json(demo)
    demo.set_defaults(handler=run)


def run(args: argparse.Namespace, out: Output) -> int:
    """Build the demo store (0), refuse a database that is not a demo store (2)."""
    from jettui.store.demo import DemoRefused, build_demo_store

    settings = load(args, out)
    if args.products > MAX_PRODUCTS:
        raise UsageError(f"--products: at most {MAX_PRODUCTS:,}")

    def progress(done: int, total: int) -> None:
        out.progress(f"seeding products {done:,}/{total:,}")

    try:
        stats = build_demo_store(
            settings, products=args.products, seed=args.seed, progress=progress
        )
    except DemoRefused as exc:
        raise UsageError(str(exc)) from None
    out.note(**stats.as_dict())
    out.say(
        f"demo store {settings.store.database_display}: {stats.products} products in "
        f"{stats.categories} categories, {stats.manufacturers} brands, {stats.option_products} "
        f"with options, {stats.specials} on special; {stats.missing_codes} without a product code and {stats.invalid_codes} "
        f"with a bad check digit (on purpose); built in {stats.seconds:.1f} s"
    )
    return ExitCode.OK
