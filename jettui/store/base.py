"""The database proxy every model is bound to, and the model registries.

:func:`jettui.store.db.connect` (or :func:`bind_models`) points the proxy at the real database
and sets each model's table name to ``<prefix><base name>``. Until then the models carry the
default ``oc_`` prefix and are not bound to any database.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeAlias, TypeVar, cast

import peewee as pw

DEFAULT_PREFIX = "oc_"

database_proxy = pw.DatabaseProxy()

#: a database, or the proxy standing in for the bound one (functions defaulting to the proxy)
AnyDatabase: TypeAlias = pw.Database | pw.DatabaseProxy

#: OpenCart's own tables (filled by :mod:`.opencart`), in definition order.
OPENCART_MODELS: list[type[StoreModel]] = []
#: jettui's own ``<prefix>jet_*`` tables (filled by :mod:`.jet_tables`).
JET_MODELS: list[type[StoreModel]] = []

MYISAM_UTF8 = ["ENGINE=MyISAM", "DEFAULT CHARSET=utf8", "COLLATE=utf8_general_ci"]
INNODB_UTF8MB4 = ["ENGINE=InnoDB", "DEFAULT CHARSET=utf8mb4"]


class StoreModel(pw.Model):
    """Base of all store models: bound to :data:`database_proxy`, no implicit ``id``."""

    #: the table name without prefix, e.g. ``"product"`` (set by subclasses' Meta.table_name)
    base_table: str = ""
    #: table options used when jettui creates the table on MySQL/MariaDB
    mysql_table_settings: list[str] | None = None

    class Meta:
        database = database_proxy
        legacy_table_names = False
        only_save_dirty = False


_M = TypeVar("_M", bound=StoreModel)


def register(registry: list[type[StoreModel]], model: type[_M]) -> type[_M]:
    model.base_table = model._meta.table_name
    model._meta.set_table_name(DEFAULT_PREFIX + model.base_table)
    registry.append(model)
    return model


def opencart_model(model: type[_M]) -> type[_M]:
    """Class decorator: register an OpenCart table model."""
    model.mysql_table_settings = MYISAM_UTF8
    return register(OPENCART_MODELS, model)


def jet_model(model: type[_M]) -> type[_M]:
    """Class decorator: register a jettui table model (``<prefix>jet_...``)."""
    model.mysql_table_settings = INNODB_UTF8MB4
    return register(JET_MODELS, model)


def is_mysql(db: AnyDatabase | None) -> bool:
    """True for a MySQL/MariaDB database (or the proxy bound to one); None is not one."""
    obj = db.obj if isinstance(db, pw.DatabaseProxy) else db
    return isinstance(obj, pw.MySQLDatabase)


def bind_models(db: pw.Database, prefix: str = DEFAULT_PREFIX) -> pw.Database:
    """Point every model at ``db`` and give every table the ``prefix``. Returns ``db``.

    One database at a time per process: the proxy is module-global (tests re-bind per test).
    """
    mysql = is_mysql(db)
    for model in (*OPENCART_MODELS, *JET_MODELS):
        model._meta.set_table_name(prefix + model.base_table)
        model._meta.table_settings = model.mysql_table_settings if mysql else None
    database_proxy.initialize(db)
    return db


def current_prefix() -> str:
    """The prefix the models are bound with (derived from a model's table name)."""
    from .opencart import Product  # local: avoids a cycle at import time

    return Product._meta.table_name[: -len(Product.base_table)]


def current_database() -> pw.Database | None:
    return database_proxy.obj


def tuple_rows(query: pw.BaseQuery) -> Iterable[tuple[Any, ...]]:
    """``query.tuples()``, typed as what it yields: plain tuples of the selected columns.

    (peewee's stubs keep the query's model as the row type, so unpacking a row would not
    type-check.) Returns the query itself: iterating it runs it, exactly as before.
    """
    return cast("Iterable[tuple[Any, ...]]", query.tuples())


def update_many(
    model: type[pw.Model], key: str, rows: Iterable[tuple[Any, dict[str, Any]]]
) -> None:
    """``UPDATE table SET ... WHERE key = ?`` for many rows, as one prepared statement per set
    of columns (DB-API ``executemany``). Tens of thousands of one-row updates through peewee's
    query builder cost more than the database spends writing them. ``rows``: (key value,
    {column: value}); values are converted by their fields exactly as ``Model.update`` does."""
    db = database_proxy.obj
    fields = model._meta.fields
    groups: dict[tuple[str, ...], list[list[Any]]] = {}
    for key_value, values in rows:
        columns = tuple(sorted(values))
        params = [fields[c].db_value(values[c]) for c in columns]
        groups.setdefault(columns, []).append([*params, fields[key].db_value(key_value)])
    open_quote, close_quote = db.quote[0], db.quote[-1]

    def quoted(name: str) -> str:
        return f"{open_quote}{name}{close_quote}"

    table = quoted(model._meta.table_name)
    for columns, params in groups.items():
        assignments = ", ".join(f"{quoted(fields[c].column_name)} = {db.param}" for c in columns)
        sql = (
            f"UPDATE {table} SET {assignments} WHERE {quoted(fields[key].column_name)} = {db.param}"
        )
        cursor = db.cursor()
        try:
            cursor.executemany(sql, params)
        finally:
            cursor.close()


def insert_rows(model: type[pw.Model], rows: list[dict[str, Any]], batch: int = 100) -> None:
    """``model.insert_many`` in batches of ``batch`` rows, rows grouped by the columns they
    name (the fields' defaults filled in for the others, as ``Model.insert`` does)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    for group in groups.values():
        for start in range(0, len(group), batch):
            model.insert_many(group[start : start + batch]).execute()
