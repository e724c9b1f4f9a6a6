"""Connecting, recognising an OpenCart store, table prefixes, connection errors."""

from __future__ import annotations

import socket
import traceback
from pathlib import Path

import pytest

from jettui.config import Settings, StoreSettings
from jettui.store import (
    StoreSchemaError,
    StoreUnreachable,
    bind_models,
    connect,
    connect_url,
    create_opencart_schema,
    recognise_store,
)
from jettui.store import opencart as oc
from jettui.store.base import current_prefix
from jettui.store.db import OPENCART_SQL_MODE


def test_recognise_store(store, backend):
    info = recognise_store(store)
    assert info.backend == ("mysql" if backend == "mariadb" else "sqlite")
    assert info.prefix == "oc_"
    assert info.product_count == oc.Product.select().count() >= 19
    assert info.category_count >= 38
    assert (info.language_id, info.language_code, info.currency_code) == (1, "en-gb", "USD")
    assert info.store_name == "Your Store"
    if backend == "mariadb":  # OpenCart's own tables
        assert info.version_guess.startswith("3.0 (3.0.0.0 - 3.0.4.x), tables utf8")
        assert "MariaDB" in info.server_version
    else:  # tables made from the models
        assert info.version_guess == "3.0"
    assert info.as_dict()["prefix"] == "oc_"


def test_wrong_prefix_names_the_prefix_found(store):
    bind_models(store, "xx_")
    with pytest.raises(StoreSchemaError) as err:
        recognise_store(store)
    assert "no table xx_product" in str(err.value)
    assert "'oc_'" in str(err.value)


@pytest.mark.parametrize(
    "backend_name", ["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)]
)
def test_other_prefix(fresh_store_factory, backend_name):
    db = fresh_store_factory(backend_name, "shop_")
    assert current_prefix() == "shop_"
    assert oc.Product._meta.table_name == "shop_product"
    assert oc.Product.select().count() == 19
    assert (
        oc.ProductDescription.get(oc.ProductDescription.product_id == 42).name == 'Apple Cinema 30"'
    )
    assert oc.category_breadcrumbs()[27] == "Desktops > Mac"
    info = recognise_store(db)
    assert info.prefix == "shop_" and info.product_count == 19
    from jettui.store import ensure_jet_tables

    ensure_jet_tables(db)
    assert "shop_jet_product" in db.get_tables()
    bind_models(db, "oc_")
    with pytest.raises(
        StoreSchemaError, match="no table oc_product; found OpenCart tables with prefix 'shop_'"
    ):
        recognise_store(db)


def test_missing_columns_are_reported(tmp_path):
    db = connect_url(f"sqlite:///{tmp_path / 'half.db'}", "oc_")
    create_opencart_schema(db)
    db.execute_sql('ALTER TABLE "oc_product" DROP COLUMN "mpn"')
    db.execute_sql('DROP TABLE "oc_category_path"')
    with pytest.raises(StoreSchemaError) as err:
        recognise_store(db)
    assert "oc_product lacks column(s) mpn" in str(err.value)
    assert "no table oc_category_path" in str(err.value)
    db.close()


def test_empty_sqlite_database(tmp_path):
    db = connect_url(f"sqlite:///{tmp_path / 'empty.db'}", "oc_")
    with pytest.raises(StoreSchemaError, match="empty"):
        recognise_store(db)
    db.close()


def test_sqlite_must_exist_and_bad_folder(tmp_path):
    with pytest.raises(StoreUnreachable, match="jettui demo"):
        connect_url(f"sqlite:///{tmp_path / 'nope.db'}", must_exist=True)
    assert not (tmp_path / "nope.db").exists()
    with pytest.raises(StoreUnreachable, match="no folder"):
        connect_url(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}")


def test_sqlite_connection_settings(tmp_path):
    db = connect_url(f"sqlite:///{tmp_path / 'wal.db'}")
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000
    db.close()


def test_connect_from_settings(tmp_path):
    path = tmp_path / "from-settings.db"
    settings = Settings(store=StoreSettings(database=f"sqlite:///{path}", table_prefix="my_"))
    db = connect(settings)
    create_opencart_schema(db)
    assert "my_product" in db.get_tables()
    assert oc.Order._meta.table_name == "my_order"
    db.close()


def test_unsupported_url():
    from jettui.store import StoreError

    with pytest.raises(StoreError, match="unsupported"):
        connect_url("postgres://u:topsecret@localhost/db")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _assert_no_password(exc: BaseException, password: str) -> None:
    shown = "".join(traceback.format_exception(exc))
    assert password not in shown
    assert password not in repr(exc)
    assert exc.__cause__ is None and exc.__suppress_context__


def test_unreachable_mysql_never_shows_password():
    password = "Sup3r-s3cret-pw"
    url = f"mysql://shop:{password}@127.0.0.1:{_free_port()}/opencart?connect_timeout=2"
    with pytest.raises(StoreUnreachable) as err:
        connect_url(url)
    message = str(err.value)
    assert "shop:***@127.0.0.1" in message
    assert "Can't connect" in message or "connect" in message.lower()
    _assert_no_password(err.value, password)


@pytest.mark.mariadb
def test_wrong_mysql_password_never_shows_password(mariadb_server, mysql_url_for):
    good = mysql_url_for("mysql")
    password = "wrong%40pass-Xy9"  # percent-encoded "@" in the URL
    bad = good.replace("opencart:opencart@", f"opencart:{password}@")
    with pytest.raises(StoreUnreachable) as err:
        connect_url(bad)
    assert "Access denied" in str(err.value)
    _assert_no_password(err.value, password)
    _assert_no_password(err.value, "wrong@pass-Xy9")


@pytest.mark.mariadb
def test_mysql_session_settings(mariadb_db):
    bind_models(mariadb_db, "oc_")
    mode = mariadb_db.execute_sql("SELECT @@SESSION.sql_mode").fetchone()[0]
    assert set(mode.split(",")) == set(OPENCART_SQL_MODE.split(","))
    charset = mariadb_db.execute_sql("SELECT @@character_set_client").fetchone()[0]
    assert charset == "utf8mb4"


def test_settings_url_path_resolution_is_config_business(tmp_path: Path):
    # connect() takes the URL as resolved by jettui.config (absolute sqlite path)
    db = connect_url(f"sqlite:///{tmp_path}/abs.db")
    assert Path(db.database) == tmp_path / "abs.db"
    db.close()
