"""What every command does around its work, written once: load the settings, open the store
(recognised before anything is written), close it, and answer for commands not there yet."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from jettui.errors import ExitCode, UsageError

from .output import Output

if TYPE_CHECKING:
    import peewee as pw

    from jettui.config import Settings

NOT_AVAILABLE = "not available yet"


def load(args: argparse.Namespace, out: Output) -> Settings:
    """The settings of ``--config`` (SettingsError: exit 2); warnings said once; their secrets
    masked in everything printed from now on; headless commands start writing ``log.file``."""
    from jettui.config import load_settings

    settings = load_settings(args.config)
    out.use_settings(settings)
    for warning in settings.warnings:
        out.say(f"jettui: warning: {warning}")
    if getattr(args, "command", None):  # headless: also the rotating log file (log.file)
        from jettui.services.logs import install_file_log

        install_file_log(settings)
    return settings


@contextmanager
def store(settings: Settings, out: Output) -> Iterator[pw.Database]:
    """The store, ready for jettui, closed afterwards.

    The store must be recognised as OpenCart with ``store.table_prefix`` before jettui creates
    its tables or switches a SQLite file to WAL (``store.db.open_store``): a wrong prefix or an
    unrelated database stops the command with exit 2 and one line, nothing created. With the
    shipped settings, the SQLite demo store is built on first use.
    """
    db = _open(settings, out)
    try:
        yield db
    finally:
        try:
            if not db.is_closed():
                db.close()
        except Exception:  # noqa: BLE001 - a store gone mid-run was already reported
            pass


def _open(settings: Settings, out: Output) -> pw.Database:
    """``store.db.open_store``; for SQLite, the demo builder is asked when the file is new, not
    OpenCart's or holds no product (it builds only over a file without data)."""
    from jettui.store.db import open_store
    from jettui.store.errors import StoreSchemaError

    if not settings.store.is_sqlite:
        return open_store(settings)
    try:
        db = open_store(settings)
    except StoreSchemaError:
        if not ensure_demo(settings, out):
            raise
        return open_store(settings)
    if _has_products(db):
        return db
    db.close()  # only empty tables (a demo build interrupted?)
    ensure_demo(settings, out)
    return open_store(settings)


def _has_products(db: pw.Database) -> bool:
    from jettui.store.opencart import Product

    return Product.select(Product.product_id).limit(1).exists()


def ensure_demo(settings: Settings, out: Output) -> bool:
    """Build the demo store when the SQLite file is missing or holds only empty tables (the
    demo builder decides, read-only first; someone's data is never touched). True if built."""
    if not settings.store.is_sqlite:
        return False
    from jettui.store.demo import ensure_demo_store

    if ensure_demo_store(settings):
        out.say(f"jettui: created the demo store {settings.store.database_display}")
        return True
    return False


def not_available(args: argparse.Namespace, out: Output) -> int:
    """Handler of the commands whose service arrives with later work (exit 2, one line)."""
    words = [args.command] + [
        str(getattr(args, key)) for key in ("action", "job") if getattr(args, key, None)
    ]
    raise UsageError(f"'{' '.join(words)}' is {NOT_AVAILABLE}")


def run_listing(
    args: argparse.Namespace,
    out: Output,
    read: Callable[[pw.Database], list[dict[str, Any]]],
    *,
    key: str,
    header: str,
    line: Callable[[dict[str, Any]], str],
    noun: str,
) -> int:
    """A ``list`` command: ``read(db)``'s rows as JSON under ``key``, or one line each."""
    out.note(action="list")
    settings = load(args, out)
    with store(settings, out) as db:
        rows = read(db)
    out.note(**{key: rows})
    out.listing(header, [line(row) for row in rows], noun)
    return ExitCode.OK
