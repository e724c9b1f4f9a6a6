"""Every command checks that the store is OpenCart with the configured table prefix before
creating anything (issue 7 item 6): a typo in ``table_prefix`` or a database that is not
OpenCart's exits 2 with one line, and no table, no WAL switch, nothing is written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from .conftest import WriteSettings, run_jettui

# Commands that open the store, each run against the wrong store in turn.
COMMANDS = [
    ("cron", "due"),
    ("cron", "sync"),
    ("products", "upload", "--all", "--dry-run"),
    ("categories", "list"),
    ("categories", "map", "2", "--node", "4000188"),
    ("activate", "status"),
]


def sqlite_tables(path: Path) -> set[str]:
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for (name,) in rows}


def journal_mode(path: Path) -> str:
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_unrelated_sqlite_file_gets_no_tables_and_no_wal(
    write_settings: WriteSettings, tmp_path: Path, command: tuple[str, ...]
) -> None:
    notes = tmp_path / "notes.db"
    with sqlite3.connect(notes) as conn:
        conn.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
        conn.execute("INSERT INTO note (text) VALUES ('keep me')")
    conn.close()
    config = write_settings(**{"sqlite:///demo-store.db": "sqlite:///notes.db"})
    before = notes.read_bytes()

    ran = run_jettui(config, *command, "--json")

    assert ran.code == 2, ran.err
    assert len(ran.lines) == 1 and "no table oc_product" in ran.lines[0], ran.err
    assert "not an OpenCart database" in ran.document["error"]
    assert ran.document["exit_code"] == 2
    assert sqlite_tables(notes) == {"note"}
    assert journal_mode(notes) == "delete"
    assert not (tmp_path / "notes.db-wal").exists()
    assert notes.read_bytes() == before
    assert not (tmp_path / "demo-store.db").exists()  # no demo store made elsewhere either


def test_wrong_prefix_on_the_demo_store_names_both_prefixes(
    write_settings: WriteSettings, tmp_path: Path
) -> None:
    good = write_settings()
    assert run_jettui(good, "demo", "--products", "5").code == 0
    store = tmp_path / "demo-store.db"
    tables = sqlite_tables(store)
    config = write_settings(**{"table_prefix: oc_": "table_prefix: oc"})

    for command in COMMANDS:
        ran = run_jettui(config, *command)
        assert ran.code == 2, (command, ran.err)
        assert ran.lines == [
            "jettui: no table ocproduct; found OpenCart tables with prefix 'oc_' "
            "(store.table_prefix is 'oc')"
        ], command
    assert sqlite_tables(store) == tables  # no ocjet_* tables


@pytest.mark.mariadb
def test_wrong_prefix_on_mariadb_creates_nothing(
    write_settings: WriteSettings, mariadb_url: str
) -> None:
    from jettui.store.db import open_database

    def tables() -> set[str]:
        db = open_database(mariadb_url)
        try:
            return set(db.get_tables())
        finally:
            db.close()

    before = tables()
    assert not [t for t in before if "jet" in t]
    config = write_settings(
        **{"sqlite:///demo-store.db": mariadb_url, "table_prefix: oc_": "table_prefix: oc"}
    )
    for command in COMMANDS:
        ran = run_jettui(config, *command, "--json")
        assert ran.code == 2, (command, ran.err)
        assert len(ran.lines) == 1 and "prefix 'oc_'" in ran.lines[0], ran.err
        assert "store.table_prefix is 'oc'" in ran.document["error"]
        assert "opencart:opencart" not in ran.out + ran.err
    assert tables() == before


@pytest.mark.mariadb
def test_right_prefix_on_mariadb_creates_jettui_tables(
    write_settings: WriteSettings, mariadb_url: str
) -> None:
    from jettui.store.db import open_database

    config = write_settings(**{"sqlite:///demo-store.db": mariadb_url})
    ran = run_jettui(config, "cron", "due", "--json")
    assert ran.code in (0, 1), ran.err
    db = open_database(mariadb_url)
    try:
        assert "oc_jet_schema_version" in db.get_tables()
    finally:
        db.close()
