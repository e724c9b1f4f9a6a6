"""Fixtures for the demo store tests.

- ``demo_store``: one 300-product demo store (SQLite) per module, opened with the models bound.
- ``mysql_database``: a throw-away empty database on the test MariaDB
  (``JETTUI_TEST_MYSQL_URL``, default ``mysql://opencart:opencart@127.0.0.1:33306/``), dropped
  afterwards; skipped when the server is not reachable, a failure when ``CI`` is set.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

# The extractor next to these tests, importable whatever pytest's import mode.
sys.path.insert(0, str(Path(__file__).resolve().parent))

DEFAULT_MYSQL_URL = "mysql://opencart:opencart@127.0.0.1:33306/"


def _server() -> tuple[str, dict[str, object]]:
    url = os.environ.get("JETTUI_TEST_MYSQL_URL", DEFAULT_MYSQL_URL)
    parts = urlsplit(url)
    params = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 3306,
        "user": unquote(parts.username or "root"),
        "password": unquote(parts.password or ""),
    }
    return url.rstrip("/"), params


@pytest.fixture
def mysql_database() -> Iterator[tuple[str, object]]:
    """(URL of a new empty database, an admin pymysql connection using it)."""
    import pymysql

    url, params = _server()
    try:
        admin = pymysql.connect(**params, autocommit=True, connect_timeout=5, charset="utf8mb4")
    except Exception as exc:
        message = f"MariaDB not reachable at {params['host']}:{params['port']}: {exc}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    name = f"jettui_demo_test_{secrets.token_hex(4)}"
    with admin.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{name}` DEFAULT CHARACTER SET utf8mb4")
        cur.execute(f"USE `{name}`")
    try:
        yield f"{url}/{name}", admin
    finally:
        with admin.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        admin.close()
