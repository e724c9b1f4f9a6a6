"""The argument parser: one-line usage errors (exit 2) and the argument types shared by the
command groups. Each group's module adds its sub-commands with ``register(subparsers)`` and
names its handler with ``set_defaults(handler=...)``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from jettui import __version__
from jettui.errors import UsageError

#: the largest id a MySQL BIGINT (and so an OpenCart or Jet id column) holds
MAX_ID = 2**63 - 1
JSON_HELP = "print one JSON document on stdout"


class BadUsage(UsageError):
    """The command line cannot be parsed (the parser's one line, exit 2)."""


class Parser(argparse.ArgumentParser):
    """Usage errors raise :class:`BadUsage` (one line, exit 2, no usage dump), so that main
    can still print the --json document."""

    def error(self, message: str) -> Any:
        raise BadUsage(f"{message} (see '{self.prog} --help')")

    def parse(self, argv: Sequence[str] | None = None) -> argparse.Namespace:
        """Like ``parse_args``, but a command's list of ids or SKUs may be split by options
        (``products upload A --dry-run B``, ``--all A`` as ``A --all``): argparse leaves the
        positionals after an option over, the command named in ``set_defaults(strays=...)``
        takes them into that list (converted like the others), so the command's own checks
        give the same answer whatever the order."""
        args, extras = self.parse_known_args(argv)
        strays = getattr(args, "strays", None)
        if extras and strays is not None and not any(e.startswith("-") for e in extras):
            dest, convert, metavar = strays
            try:
                values = [convert(extra) for extra in extras]
            except argparse.ArgumentTypeError as exc:
                self.error(f"argument {metavar}: {exc}")
            setattr(args, dest, [*(getattr(args, dest) or []), *values])
        elif extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return args


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=JSON_HELP)


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def port(text: str) -> int:
    value = positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"{value}: a port is at most 65535")
    return value


def record_id(text: str) -> int:
    """A store or Jet id: a whole number from 0 to 2**63-1 (what the id columns hold)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text[:40]}' is not a whole number") from None
    if not 0 <= value <= MAX_ID:
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise argparse.ArgumentTypeError(f"{shown}: an id is a whole number from 0 to {MAX_ID}")
    return value


def sku_qty(text: str) -> tuple[str, int]:
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


def build_parser() -> Parser:
    """The whole command line; the groups' modules are small (their work is imported lazily)."""
    from . import (
        activate,
        categories,
        config,
        cron,
        dashboard,
        demo,
        logs,
        orders,
        products,
        refunds,
        returns,
        sandbox,
        status,
    )

    parser = Parser(
        prog="jettui",
        description="OpenCart ↔ Jet.com: the dashboard (no command) and headless commands for cron.",
        epilog="Exit codes: 0 done, 1 some items failed, 2 bad usage or settings, "
        "3 Jet or the store unreachable, 75 another run holds the job's lock, 130 interrupted.",
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="settings file (default: $JETTUI_CONFIG or ./settings.yaml)",
    )
    parser.add_argument("--version", action="version", version=f"jettui {__version__}")
    parser.set_defaults(handler=dashboard.run, json=False, strays=None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for group in (
        config,
        demo,
        cron,
        products,
        orders,
        returns,
        refunds,
        categories,
        activate,
        sandbox,
        status,
        logs,
    ):
        group.register(commands)
    return parser
