"""Cheap answers to "did these tables change since I last looked?", for freshness checks that
run every few seconds against a million-row store (the product grid's, `services/listing.py`).

MySQL/MariaDB: :class:`MysqlTables` reads ``information_schema.TABLES`` for the named tables
(one indexed look-up per table, well under a millisecond). For MyISAM, OpenCart's engine, the
``UPDATE_TIME`` is the data file's modification time: every INSERT, UPDATE (that changes a row)
and DELETE moves it, from any connection, and ``TABLE_ROWS`` is exact. It is used for MyISAM
tables only (:attr:`TableStatus.exact`): InnoDB's is kept in memory, NULL after a restart and
again when the table leaves the dictionary cache, so a write could be followed by NULL as before
it. Its resolution is one second: a table written in the second of the look (or the one before,
for the file system's coarse clock) is :attr:`TableStatus.recent`, and the caller must not take
that look as settled (see :class:`Unsettled`).

SQLite: :class:`SqliteWatch` keeps a read-only connection of its own to the file and asks it
``PRAGMA data_version``, which moves whenever *another* connection commits (this one never
writes, so every commit counts, jettui's own included). Only then is the caller's content
summary read again (on this connection, where :data:`CRC` hashes text); otherwise the last
one is returned. There is no per-table change time in SQLite, hence the summary.
"""

from __future__ import annotations

import sqlite3
import threading
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import peewee as pw

#: the SQL function :class:`SqliteWatch` defines: CRC-32 of a BLOB (zlib's, called directly)
CRC = "jettui_crc"

_UNKNOWN_VARIABLE = 1193  # MySQL's "Unknown system variable" (MariaDB has no stats cache)


class Unsettled:
    """A mark part equal to nothing but itself.

    A mark read while a one-second timestamp in it could still be followed by another write
    in the same second carries one: the next mark then differs whatever it reads, so a second
    edit within that second is not missed (at the price of one reload when there was none).
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "Unsettled()"


@dataclass(frozen=True)
class TableStatus:
    """One table's line of ``information_schema.TABLES``."""

    name: str
    engine: str
    update_time: datetime | None
    rows: int | None
    recent: bool  # written in this second or the previous one, by the server's clock

    @property
    def exact(self) -> bool:
        """The update time moves on every write (MyISAM: the data file's mtime)."""
        return self.engine.lower() == "myisam" and self.update_time is not None


class MysqlTables:
    """The status of a few tables of the connected database, read in one query."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = tuple(names)
        self._stats_cache = True  # MySQL 8 caches these columns a day unless told not to

    def status(self, db: pw.Database) -> dict[str, TableStatus]:
        """Every named table that exists, by name."""
        if self._stats_cache:
            try:
                db.execute_sql("SET SESSION information_schema_stats_expiry = 0")
            except (pw.OperationalError, pw.InternalError) as error:
                # peewee's error carries the driver's (error, code, message) as its args
                if _UNKNOWN_VARIABLE not in error.args:
                    raise
                self._stats_cache = False  # MariaDB: no such cache
        places = ", ".join(["%s"] * len(self.names))
        cursor = db.execute_sql(
            "SELECT TABLE_NAME, ENGINE, UPDATE_TIME, TABLE_ROWS,"
            " UPDATE_TIME >= NOW() - INTERVAL 1 SECOND"
            " FROM information_schema.TABLES"
            f" WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ({places})",
            self.names,
        )
        return {
            name: TableStatus(name, engine or "", updated, rows, bool(recent))
            for name, engine, updated, rows, recent in cursor.fetchall()
        }


class SqliteWatch:
    """Commits to a SQLite file noticed at O(1); see the module's docstring."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._lock = threading.Lock()
        self._version: int | None = None
        self._summary: tuple[Any, ...] = ()

    @classmethod
    def of(cls, db: pw.Database) -> SqliteWatch | None:
        """A watch on `db`'s file; None for an in-memory database or a file it cannot open."""
        path = str(db.database)
        if not isinstance(db, pw.SqliteDatabase) or path in ("", ":memory:"):
            return None
        try:
            uri = f"{Path(path).resolve().as_uri()}?mode=ro"
            connection = sqlite3.connect(
                uri, uri=True, check_same_thread=False, isolation_level=None
            )
            connection.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error:
            return None
        return cls(define_crc(connection))

    def summary(self, read: Callable[[sqlite3.Connection], tuple[Any, ...]]) -> tuple[Any, ...]:
        """`read(connection)` when something was committed since the last call, else its
        last answer. The version is taken first: a commit during the read is seen next time."""
        with self._lock:
            version = self._read_version()
            if version != self._version:
                self._summary = read(self._connection)
                self._version = version
            return self._summary

    def version(self) -> int:
        """The file's commit count as this connection sees it (only compared, never reset)."""
        with self._lock:
            return self._read_version()

    def summary_since(
        self, read: Callable[[sqlite3.Connection], tuple[Any, ...]], version: int | None
    ) -> tuple[Any, ...] | None:
        """:meth:`summary` as of `version` (from :meth:`version`); None when anything was
        committed since, before or during the read (what it read may be newer)."""
        with self._lock:
            if self._read_version() != version:
                return None
            summary = read(self._connection)
            if self._read_version() != version:
                return None
            self._version, self._summary = version, summary
            return summary

    def _read_version(self) -> int:
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def forget(self) -> None:
        """The next call reads the summary again (the benchmark times that read)."""
        with self._lock:
            self._version = None

    def close(self) -> None:
        self._connection.close()


# --- SQL hashes of rows (SQLite) ----------------------------------------------------------------

_PRIME = 2147483647  # squares of residues stay below 2**62: no overflow into REAL


def mix(key: Any, value: Any) -> Any:
    """An integer hash of (key, value) for SUM() on SQLite: a changed, added or removed row
    moves the sum (a square modulo a prime: no linear cancelling between rows). `value` is
    written twice in the SQL: a cheap expression only (not :func:`text_crc`)."""
    residue = _modulo(key * 1000003 + value)  # peewee's `%` is LIKE
    return _modulo(residue * residue)


def _modulo(value: Any) -> Any:
    return pw.Expression(value, "%", _PRIME)


def text_crc(*fields: Any) -> Any:
    """CRC-32 of the fields' text, NULL-safe and separated (the :data:`CRC` function)."""
    parts = [pw.fn.IFNULL(field, "\x01") for field in fields]
    joined: Any = parts[0]
    for part in parts[1:]:
        joined = joined.concat("\x1f").concat(part)
    return getattr(pw.fn, CRC)(pw.Cast(joined, "BLOB"))  # bytes: zlib takes them as they are


def define_crc(connection: sqlite3.Connection) -> sqlite3.Connection:
    """`connection` with the :data:`CRC` function (harmless to define again)."""
    connection.create_function(CRC, 1, zlib.crc32, deterministic=True)
    return connection
