"""The sandbox's state: JSON documents in SQLite (WAL, busy timeout) shared across processes."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    kind TEXT NOT NULL, id TEXT NOT NULL, created REAL NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class StateDB:
    """kind/id → JSON document. Each ``transaction()`` is one write lock (BEGIN IMMEDIATE)."""

    def __init__(self, path: str) -> None:
        self._conn = sqlite3.connect(
            path, timeout=10, isolation_level=None, check_same_thread=False
        )
        self._lock = threading.RLock()
        self._depth = 0
        if path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA busy_timeout=10000")
        self._conn.executescript(_SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[StateDB]:
        """Outermost call holds the write lock; nested calls join it."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")
            finally:
                self._depth = 0

    def get(self, kind: str, doc_id: str) -> dict[str, Any] | None:
        row = self._conn.execute(
            "SELECT body FROM docs WHERE kind = ? AND id = ?", (kind, doc_id)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, kind: str, doc_id: str, body: dict[str, Any], created: float) -> None:
        self._conn.execute(
            "INSERT INTO docs (kind, id, created, body) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body",
            (kind, doc_id, created, json.dumps(body)),
        )

    def all(self, kind: str) -> list[dict[str, Any]]:
        rows = self._conn.execute(
            "SELECT body FROM docs WHERE kind = ? ORDER BY created, rowid", (kind,)
        ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def count(self, kind: str) -> int:
        return self._conn.execute("SELECT COUNT(*) FROM docs WHERE kind = ?", (kind,)).fetchone()[0]

    def meta(self, key: str, default: str = "") -> str:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self._conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def close(self) -> None:
        self._conn.close()
