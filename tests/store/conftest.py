"""Fixtures for the store tests: OpenCart 3.0's real install SQL on MariaDB and on SQLite.

- ``mariadb_db``: a fresh database ``jettui_test_<random>`` per session on the test MariaDB
  (``JETTUI_TEST_MYSQL_URL``, default ``mysql://opencart:opencart@127.0.0.1:33306/``), loaded
  from the install SQL the way OpenCart's installer does, dropped at the end. Unreachable
  server: skipped locally, a failure when ``CI`` is set.
- ``sqlite_db``: a SQLite file whose schema comes from the models
  (:func:`create_opencart_schema`), filled with the same SQL file's INSERTs (converted).
- ``store``: parametrised over both; binds the models (prefix ``oc_``) to the backend's db.
- ``fresh_store_factory``: a brand-new store with any prefix, on either backend.

The SQL file: ``JETTUI_OPENCART_SQL``, default ``../shared/opencart/opencart-3.0.sql`` from the
repository root.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import peewee as pw
import pytest

from jettui.store import bind_models, connect_url, create_opencart_schema
from jettui.store.base import OPENCART_MODELS
from jettui.store.db import OPENCART_SQL_MODE

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MYSQL_URL = "mysql://opencart:opencart@127.0.0.1:33306/"


def opencart_sql_path() -> Path:
    env = os.environ.get("JETTUI_OPENCART_SQL")
    path = Path(env) if env else REPO_ROOT / ".." / "shared" / "opencart" / "opencart-3.0.sql"
    return path.resolve()


@pytest.fixture(scope="session")
def opencart_sql() -> Path:
    path = opencart_sql_path()
    if not path.is_file():
        message = f"OpenCart install SQL not found at {path} (set JETTUI_OPENCART_SQL)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


# --- reading the install SQL like OpenCart's installer ----------------------------------------


def installer_statements(path: Path, prefix: str = "oc_") -> Iterator[str]:
    """Statements of the install SQL as upload/install/model/install/install.php runs them:
    lines starting with ``--`` or ``#`` skipped, a statement ends with a line ending in ``;``,
    and `` `oc_`` replaced by the prefix in DROP TABLE / CREATE TABLE / INSERT INTO."""
    sql = ""
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if not line.strip() or line.startswith("--") or line.startswith("#"):
            continue
        sql += line
        if re.search(r";\s*$", line):
            for verb in ("DROP TABLE IF EXISTS", "CREATE TABLE", "INSERT INTO"):
                sql = sql.replace(f"{verb} `oc_", f"{verb} `{prefix}")
            yield sql.strip().rstrip(";")
            sql = ""


# --- MariaDB ----------------------------------------------------------------------------------


def _mysql_params() -> dict[str, object]:
    url = os.environ.get("JETTUI_TEST_MYSQL_URL", DEFAULT_MYSQL_URL)
    parts = urlsplit(url)
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 3306,
        "user": unquote(parts.username or "root"),
        "password": unquote(parts.password or ""),
    }


def _mysql_url(database: str) -> str:
    p = _mysql_params()
    from urllib.parse import quote

    return (
        f"mysql://{quote(str(p['user']), safe='')}:{quote(str(p['password']), safe='')}"
        f"@{p['host']}:{p['port']}/{database}"
    )


def _mysql_admin():
    import pymysql

    return pymysql.connect(**_mysql_params(), charset="utf8mb4", autocommit=True, connect_timeout=5)


@pytest.fixture(scope="session")
def mariadb_server() -> Callable[[], object]:
    """A way to open admin connections to the test server; skips/fails if it is not there."""
    try:
        conn = _mysql_admin()
    except Exception as exc:  # pymysql.err.OperationalError and friends
        p = _mysql_params()
        message = (
            f"MariaDB not reachable at {p['host']}:{p['port']} ({type(exc).__name__}: "
            f"{exc}); start it with shared/opencart/start-mariadb.sh"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    conn.close()
    return _mysql_admin


def load_mariadb(sql_path: Path, prefix: str) -> str:
    """Create a fresh database, load the install SQL with ``prefix``; return its name."""
    name = f"jettui_test_{secrets.token_hex(4)}"
    conn = _mysql_admin()
    try:
        with conn.cursor() as cur:
            cur.execute(
                f"CREATE DATABASE `{name}` DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
            )
            cur.execute(f"USE `{name}`")
            cur.execute(f"SET SESSION sql_mode='{OPENCART_SQL_MODE}'")
            cur.execute("SET NAMES utf8")
            for statement in installer_statements(sql_path, prefix):
                cur.execute(statement)
    finally:
        conn.close()
    return name


def drop_mariadb(name: str) -> None:
    conn = _mysql_admin()
    try:
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
    finally:
        conn.close()


@pytest.fixture(scope="session")
def mariadb_db(mariadb_server, opencart_sql) -> Iterator[pw.Database]:
    name = load_mariadb(opencart_sql, "oc_")
    db = connect_url(_mysql_url(name), "oc_")
    try:
        yield db
    finally:
        db.close()
        drop_mariadb(name)


# --- SQLite -----------------------------------------------------------------------------------

_MYSQL_ESCAPES = {
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "0": "\0",
    "b": "\b",
    "Z": "\x1a",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "/": "/",
}
_INSERT_TABLE = re.compile(r'^INSERT INTO "([A-Za-z0-9_]+)"')


def mysql_insert_to_sqlite(statement: str, prefix: str = "oc_") -> str:
    """One MySQL INSERT of the install SQL → SQLite: backticks → double quotes, MySQL string
    escapes (``\\'`` ``\\"`` ``\\\\`` ``\\r`` ``\\n`` ``\\/``) → SQLite quoting, the CONCAT()
    invoice prefix → its value."""
    statement = statement.replace(
        "CONCAT('INV-', YEAR(CURDATE()), '-00')", f"'INV-{_dt.date.today().year}-00'"
    )
    out: list[str] = []
    i, n = 0, len(statement)
    while i < n:
        c = statement[i]
        if c == "`":
            out.append('"')
            i += 1
        elif c == "'":
            j, buf = i + 1, []
            while True:
                d = statement[j]
                if d == "\\":
                    e = statement[j + 1]
                    buf.append(_MYSQL_ESCAPES.get(e, "\\" + e))
                    j += 2
                elif d == "'":
                    if j + 1 < n and statement[j + 1] == "'":
                        buf.append("'")
                        j += 2
                    else:
                        j += 1
                        break
                else:
                    buf.append(d)
                    j += 1
            out.append("'" + "".join(buf).replace("'", "''") + "'")
            i = j
        else:
            out.append(c)
            i += 1
    converted = "".join(out)
    if "CONCAT(" in converted.split("VALUES", 1)[-1].replace("'CONCAT(", ""):
        raise ValueError("unconverted CONCAT() in " + converted[:80])
    return converted


def load_sqlite_inserts(db: pw.Database, sql_path: Path, prefix: str = "oc_") -> int:
    """Run the install SQL's INSERTs for the modelled tables; return how many ran."""
    modelled = {m.base_table for m in OPENCART_MODELS}
    count = 0
    with db.atomic():
        for statement in installer_statements(sql_path, "oc_"):
            if not statement.startswith("INSERT INTO"):
                continue
            converted = mysql_insert_to_sqlite(statement)
            table = _INSERT_TABLE.match(converted).group(1)
            base = table[len("oc_") :]
            if base not in modelled:
                continue
            converted = converted.replace(
                f'INSERT INTO "{table}"', f'INSERT INTO "{prefix}{base}"', 1
            )
            db.execute_sql(converted)
            count += 1
    return count


def build_sqlite(path: Path, sql_path: Path, prefix: str) -> pw.Database:
    db = connect_url(f"sqlite:///{path}", prefix)
    create_opencart_schema(db)
    load_sqlite_inserts(db, sql_path, prefix)
    return db


@pytest.fixture(scope="session")
def sqlite_db(tmp_path_factory, opencart_sql) -> Iterator[pw.Database]:
    path = tmp_path_factory.mktemp("store") / "opencart.db"
    db = build_sqlite(path, opencart_sql, "oc_")
    try:
        yield db
    finally:
        db.close()


# --- the parametrised store -------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)])
def store(request) -> Iterator[pw.Database]:
    """The demo OpenCart store on each backend, models bound with prefix ``oc_``."""
    db = request.getfixturevalue(f"{request.param}_db")
    bind_models(db, "oc_")
    yield db
    bind_models(db, "oc_")


@pytest.fixture
def backend(store) -> str:
    from jettui.store.base import is_mysql

    return "mariadb" if is_mysql(store) else "sqlite"


@pytest.fixture
def fresh_store_factory(request, tmp_path, opencart_sql) -> Iterator[Callable[..., pw.Database]]:
    """``make(backend, prefix)`` → a new store loaded from the SQL with that prefix, bound."""
    cleanups: list[Callable[[], None]] = []

    def make(backend: str, prefix: str = "oc_") -> pw.Database:
        if backend == "mariadb":
            request.getfixturevalue("mariadb_server")
            name = load_mariadb(opencart_sql, prefix)
            db = connect_url(_mysql_url(name), prefix)
            cleanups.append(lambda: (db.close(), drop_mariadb(name)))
        else:
            db = build_sqlite(tmp_path / f"fresh-{prefix}{len(cleanups)}.db", opencart_sql, prefix)
            cleanups.append(db.close)
        return db

    yield make
    for cleanup in reversed(cleanups):
        cleanup()


@pytest.fixture
def mysql_url_for() -> Callable[[str], str]:
    return _mysql_url
