"""Opening the store database, creating schemas, recognising an OpenCart install.

    db = connect(settings)          # opens, binds every model, applies the table prefix
    info = recognise_store(db)      # is this OpenCart 3.0 with that prefix? facts for `config check`
    ensure_jet_tables(db)           # jettui's own tables (created/upgraded on first use)

    db = open_store(settings)       # all three for a command: nothing written before recognition

URLs (``store.database``): ``sqlite:///path/to/file.db`` or
``mysql://user:pass@host:3306/dbname`` (``mysql+pool://`` for a connection pool). Special
characters in the user or password must be percent-encoded (``p%40ss`` for ``p@ss``). Extra
PyMySQL options can be given as query parameters (``?connect_timeout=5``). A SQLite path is
taken literally: ``sqlite:///shop#2.db`` opens the file ``shop#2.db`` (no query or fragment).

Every message names the database by :func:`jettui.urls.redact_url` (the parsed URL without
its password, in the userinfo or as ``?password=``) and masks the URL's credentials in driver
errors, a short password only where it stands alone.

MySQL/MariaDB sessions use PyMySQL, ``charset=utf8mb4``, and OpenCart's own
``sql_mode='NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION'`` (non-strict, as its mysqli driver sets),
both as PyMySQL's ``sql_mode`` and as ``init_command``. Dropped idle connections reconnect
(playhouse ReconnectMixin). SQLite uses WAL and a busy timeout so the TUI and cron can share
the file; WAL is switched on only once the file is recognised as the store (:func:`open_store`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import peewee as pw
from playhouse import db_url
from playhouse.pool import PooledMySQLDatabase, PooledSqliteDatabase
from playhouse.shortcuts import ReconnectMixin

from jettui.urls import mask_secrets, parse_url, redact_url, url_secrets

from . import opencart as oc
from .base import (
    DEFAULT_PREFIX,
    JET_MODELS,
    OPENCART_MODELS,
    AnyDatabase,
    bind_models,
    current_prefix,
    database_proxy,
    is_mysql,
)
from .currency import no_usd_problem, usd_rate
from .errors import StoreError, StoreSchemaError, StoreUnreachable
from .jet_tables import ensure_jet_tables, schema_version

if TYPE_CHECKING:
    from jettui.config import Settings

__all__ = [
    "OPENCART_SQL_MODE",
    "StoreInfo",
    "close",
    "connect",
    "connect_url",
    "create_opencart_schema",
    "ensure_jet_tables",
    "check_schema",
    "open_database",
    "open_store",
    "recognise_store",
]

OPENCART_SQL_MODE = "NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION"
CONNECT_TIMEOUT_SECONDS = 10
SQLITE_BUSY_TIMEOUT_SECONDS = 15


class ReconnectingMySQLDatabase(ReconnectMixin, pw.MySQLDatabase):
    """MySQLDatabase that reconnects when the server dropped an idle connection."""


_MYSQL_CLASSES: dict[str, type[pw.Database]] = {
    "mysql": ReconnectingMySQLDatabase,
    "mysql+pool": PooledMySQLDatabase,
}
_SQLITE_CLASSES: dict[str, type[pw.Database]] = {
    "sqlite": pw.SqliteDatabase,
    "sqliteext": pw.SqliteDatabase,
    "sqlite+pool": PooledSqliteDatabase,
}


def connect(settings: Settings, *, must_exist: bool = False, wal: bool = True) -> pw.Database:
    """Open ``settings.store.database`` and bind all models with ``settings.store.table_prefix``.

    ``must_exist``: for SQLite, refuse to create a missing file (``config check``).
    ``wal``: for SQLite, switch the file to WAL on connecting (a change that stays in the file;
    False until the file is known to be the store, see :func:`open_store`).
    Raises :class:`StoreUnreachable` (message without the password) when it cannot connect.
    """
    return connect_url(
        settings.store.database, settings.store.table_prefix, must_exist=must_exist, wal=wal
    )


def connect_url(
    url: str, prefix: str = DEFAULT_PREFIX, *, must_exist: bool = False, wal: bool = True
) -> pw.Database:
    """:func:`open_database`, then bind every model to it with ``prefix``."""
    db = open_database(url, must_exist=must_exist, wal=wal)
    return bind_models(db, prefix)


def open_store(settings: Settings) -> pw.Database:
    """The store for a command, ready for jettui: opened without changing the file, recognised
    as OpenCart with the configured prefix (:func:`check_schema`), only then switched to WAL
    (SQLite) and given jettui's tables. A wrong ``table_prefix`` or an unrelated database
    raises :class:`StoreSchemaError` and nothing is created; the connection is then closed."""
    db = connect(settings, wal=False)
    try:
        check_schema(db, settings.store.table_prefix)
        if isinstance(db, pw.SqliteDatabase) and db.database != ":memory:":
            db.pragma("journal_mode", "wal", permanent=True)
        ensure_jet_tables(db)
    except BaseException:
        if not db.is_closed():
            db.close()
        raise
    return db


def open_database(url: str, *, must_exist: bool = False, wal: bool = True) -> pw.Database:
    """Open (and connect to) the database at ``url`` without binding the models."""
    secrets = url_secrets(url)
    display = redact_url(url)
    scheme = url.partition("://")[0].lower() if "://" in url else ""
    parsed = parse_url(url)
    if scheme in _MYSQL_CLASSES and parsed.parts is None:
        raise StoreError(f"'{display}' is not a valid database URL: {parsed.problem}")
    try:
        if scheme in _MYSQL_CLASSES:
            db = _mysql(url, _MYSQL_CLASSES[scheme])
        elif scheme in _SQLITE_CLASSES:
            db = _sqlite(url, _SQLITE_CLASSES[scheme], must_exist, display, wal)
        else:
            raise StoreError(
                f"'{display}': unsupported database URL (use sqlite:///path or mysql://...)"
            )
        db.connect(reuse_if_open=True)
    except StoreError:
        raise
    except Exception as exc:  # driver errors: pymysql, sqlite3, peewee wrappers
        raise StoreUnreachable(
            f"cannot open the store database {display}: {_scrub(_reason(exc), secrets)}"
        ) from None
    return db


def _mysql(url: str, cls: type[pw.Database]) -> pw.Database:
    params: dict[str, Any] = db_url.parse(url, unquote_password=True, unquote_user=True)
    if "passwd" in params:  # PyMySQL ≥1.1 deprecates passwd
        params["password"] = params.pop("passwd")
    params.setdefault("charset", "utf8mb4")
    params.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
    params.setdefault("sql_mode", OPENCART_SQL_MODE)
    params.setdefault("init_command", f"SET SESSION sql_mode='{OPENCART_SQL_MODE}'")
    database = params.pop("database")
    return cls(database, **params)


def sqlite_path(url: str) -> str:
    """The file of ``sqlite:///path``, literally: ``#`` and ``?`` are part of the name (a URL
    parser would cut them off and open another file)."""
    return url.partition("://")[2][1:]


def _sqlite(
    url: str, cls: type[pw.Database], must_exist: bool, display: str, wal: bool
) -> pw.Database:
    params: dict[str, Any] = {}
    path = sqlite_path(url)
    if path != ":memory:":
        file = Path(path)
        if must_exist and not file.exists():
            raise StoreUnreachable(
                f"no SQLite store at {file} (check store.database, or run `jettui demo`)"
            )
        if not file.parent.is_dir():
            raise StoreUnreachable(
                f"cannot open the store database {display}: no folder {file.parent}"
            )
    params.setdefault("timeout", SQLITE_BUSY_TIMEOUT_SECONDS)
    pragmas = {"busy_timeout": int(SQLITE_BUSY_TIMEOUT_SECONDS * 1000), "synchronous": "normal"}
    if wal and path != ":memory:":
        pragmas["journal_mode"] = "wal"
    params.setdefault("pragmas", pragmas)
    return cls(path, **params)


def _scrub(text: str, secrets: list[str]) -> str:
    """``text`` with the URL's credentials masked (never a short one inside a word)."""
    return mask_secrets(text, secrets)


def _reason(exc: BaseException) -> str:
    """A driver error as one short line: PyMySQL's ``(code, message)`` tuple becomes
    "message (MySQL error code)"."""
    args: tuple[object, ...] = getattr(exc, "args", ())
    if len(args) == 2 and isinstance(args[0], int) and isinstance(args[1], str):
        text = f"{args[1]} (MySQL error {args[0]})"
    else:
        text = str(exc) or type(exc).__name__
    text = " ".join(text.split())
    return text if len(text) <= 300 else text[:299] + "…"


def close() -> None:
    """Close the bound database's connection in this thread (if any)."""
    db = database_proxy.obj
    if db is not None and not db.is_closed():
        db.close()


# --- schemas ----------------------------------------------------------------------------------


def create_opencart_schema(db: AnyDatabase | None = None) -> None:
    """Create the modelled OpenCart tables (for the embedded SQLite demo store).

    Columns, keys and defaults as in OpenCart 3.0's install SQL (non-strict MySQL implicit
    defaults made explicit). On MySQL the tables are MyISAM/utf8 like OpenCart's.
    """
    db = db or database_proxy
    db.create_tables(OPENCART_MODELS, safe=True)


# --- recognising an OpenCart database --------------------------------------------------------


@dataclass(frozen=True)
class StoreInfo:
    """Facts about a recognised store, for ``jettui config check`` and the TUI."""

    backend: str  # "sqlite" | "mysql"
    server_version: str
    prefix: str
    version_guess: str
    product_count: int
    category_count: int
    order_count: int
    store_name: str
    language_id: int | None
    language_code: str
    currency_code: str
    jet_schema_version: int  # 0 = jettui's tables not created yet
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        data = asdict(self)
        data["warnings"] = list(self.warnings)
        return data


#: tables (without prefix) whose presence marks an OpenCart install, and columns checked
_CORE = ("product", "order", "setting")


def check_schema(db: AnyDatabase, prefix: str) -> tuple[set[str], list[str]]:
    """Is the database an OpenCart 3.0-like store with ``prefix``? Reads only (table and column
    lists): the test every command passes before jettui writes anything.

    Returns the database's tables and warnings (optional tables missing). Raises
    :class:`StoreSchemaError` naming what is wrong: a wrong prefix (naming the prefix expected
    and the prefixes found), missing tables or columns jettui uses.
    """
    try:
        tables = set(db.get_tables())
    except (pw.OperationalError, pw.InterfaceError, sqlite3.Error) as exc:
        raise StoreUnreachable(f"cannot list the store's tables: {_reason(exc)}") from None

    missing_core = [t for t in _CORE if prefix + t not in tables]
    if missing_core:
        raise StoreSchemaError(_prefix_problem(prefix, missing_core[0], tables))

    warnings: list[str] = []
    problems: list[str] = []
    for model in OPENCART_MODELS:
        name = model._meta.table_name
        if name not in tables:
            if model in oc.OPTIONAL_MODELS:
                warnings.append(f"no table {name} (optional; OpenCart 2.x store?)")
            else:
                problems.append(f"no table {name}")
            continue
        have = {c.name for c in db.get_columns(name)}
        lacking = [f.column_name for f in model._meta.sorted_fields if f.column_name not in have]
        if lacking:
            problems.append(f"table {name} lacks column(s) {', '.join(lacking)}")
    if problems:
        raise StoreSchemaError(
            "not an OpenCart 3.0 database jettui can use: " + "; ".join(problems)
        )
    return tables, warnings


def recognise_store(db: AnyDatabase | None = None, prefix: str | None = None) -> StoreInfo:
    """Check the bound database is an OpenCart 3.0-like store with ``prefix`` and describe it.

    Raises :class:`StoreSchemaError` naming what is wrong: a wrong prefix (listing the
    prefixes that would work), missing tables or columns jettui uses.
    """
    db = db or database_proxy
    prefix = current_prefix() if prefix is None else prefix
    tables, warnings = check_schema(db, prefix)

    config_language = oc.get_setting("config_language", default="") or ""
    lang_row = (
        oc.Language.select().where(oc.Language.code == config_language).first()
        if config_language
        else None
    )
    if lang_row is None:
        lang_row = oc.Language.select().order_by(oc.Language.sort_order).first()
        warnings.append(
            f"setting config_language ({config_language or 'missing'}) names no language"
        )
    currency = oc.get_setting("config_currency", default="") or ""
    if currency and oc.Currency.get_or_none(oc.Currency.code == currency) is None:
        warnings.append(
            f"setting config_currency {currency} is not in {oc.Currency._meta.table_name}"
        )
    if usd_rate() is None:
        warnings.append(no_usd_problem())

    jet_version = 0
    try:
        jet_version = schema_version(db)
    except pw.DatabaseError:
        warnings.append("cannot read jettui's schema version")

    return StoreInfo(
        backend="mysql" if is_mysql(db) else "sqlite",
        server_version=_server_version(db),
        prefix=prefix,
        version_guess=_guess_version(prefix, tables, db),
        product_count=oc.Product.select().count(),
        category_count=oc.Category.select().count(),
        order_count=oc.Order.select().count(),
        store_name=oc.get_setting("config_name", default="") or "",
        language_id=lang_row.language_id if lang_row else None,
        language_code=lang_row.code if lang_row else "",
        currency_code=currency,
        jet_schema_version=jet_version,
        warnings=tuple(warnings),
    )


def _prefix_problem(prefix: str, table: str, tables: set[str]) -> str:
    found = sorted(
        {
            t[: -len(core)]
            for t in tables
            for core in _CORE
            if t.endswith(core) and all(t[: -len(core)] + c in tables for c in _CORE)
        }
    )
    wanted = prefix + table
    if found:
        listed = ", ".join(f"'{p}'" for p in found)
        noun = "prefix" if len(found) == 1 else "prefixes"
        return (
            f"no table {wanted}; found OpenCart tables with {noun} {listed} "
            f"(store.table_prefix is '{prefix}')"
        )
    if not tables:
        return f"no table {wanted}: the database is empty (for the demo store run `jettui demo`)"
    return (
        f"no table {wanted}, and no OpenCart tables with another prefix ({len(tables)} tables): "
        f"not an OpenCart database for store.table_prefix '{prefix}'"
    )


def _guess_version(prefix: str, tables: set[str], db: AnyDatabase) -> str:
    """OpenCart keeps no version in its database: guess from tables (and MySQL charset)."""

    def has(name: str) -> bool:
        return prefix + name in tables

    charset = _mysql_table_charset(db, prefix + "product") if is_mysql(db) else ""
    if has("seo_url"):
        if has("order_shipment"):
            guess = "3.0 (3.0.0.0 - 3.0.4.x)"
        elif charset == "utf8mb4":
            guess = "3.0 (3.0.5.0 or later)"
        else:
            guess = "3.0"
    elif has("url_alias"):
        guess = "2.x (2.3.0.2 or earlier)"
    else:
        guess = "unknown (OpenCart-like)"
    if charset:
        guess += f", tables {charset}"
    return guess


def _mysql_table_charset(db: AnyDatabase, table: str) -> str:
    try:
        row = db.execute_sql(
            "SELECT TABLE_COLLATION FROM information_schema.TABLES "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s",
            (table,),
        ).fetchone()
    except pw.DatabaseError:
        return ""
    return (row[0] or "").split("_")[0] if row else ""


def _server_version(db: AnyDatabase) -> str:
    try:
        if is_mysql(db):
            return str(db.execute_sql("SELECT VERSION()").fetchone()[0])
        return "SQLite " + sqlite3.sqlite_version
    except pw.DatabaseError:
        return ""


# re-exported for callers that only import db
__all__ += ["JET_MODELS", "OPENCART_MODELS", "bind_models"]
