"""Cached INSERT and UPDATE statements for the writes that run for every order.

peewee builds each query's SQL anew (a node tree walked for every statement): for an import
that writes thousands of rows that building was a larger part of its CPU than the database
driver. These statements are built once per model, table name (the prefix may change in
tests) and row count, and take values converted by the model's own fields (escaping, 3-byte
text, lengths, JSON), so the rows are the same as peewee's.

Every statement runs through :func:`execute_once`: never silently re-sent after a lost
connection (the MySQL connection's reconnect-and-retry would send an INSERT twice).
"""

from __future__ import annotations

from typing import Any, cast

import peewee as pw

from .base import database_proxy, is_mysql


def execute_once(sql: str, params: Any = None) -> Any:
    """Run a write that must never run twice, without the MySQL connection's silent
    reconnect-and-retry (playhouse ReconnectMixin): "lost connection during query" may come
    after the server applied the statement. The error then ends the run instead, and the next
    run reads back what was written."""
    return pw.Database.execute_sql(database_proxy.obj, sql, params)


def insert_row(model: type[pw.Model], row: dict[str, Any]) -> int:
    """INSERT one row with every column given (model defaults for the rest) and return its
    new id: ``model.insert(**row)`` at a fraction of peewee's per-query cost."""
    sql, fields = _insert_sql(model, 1, ignore=False)
    return int(execute_once(sql, _params(fields, row)).lastrowid)


def insert_rows(
    model: type[pw.Model], rows: list[dict[str, Any]], *, ignore: bool = False, per: int = 0
) -> None:
    """:func:`insert_row` of several rows, one statement for each ``per`` rows (0: all in
    one); no ids back. ``ignore``: a row whose unique key exists is skipped (INSERT IGNORE /
    INSERT OR IGNORE, as peewee's ``on_conflict_ignore``)."""
    step = per or len(rows) or 1
    for start in range(0, len(rows), step):
        part = rows[start : start + step]
        sql, fields = _insert_sql(model, len(part), ignore=ignore)
        execute_once(sql, [value for row in part for value in _params(fields, row)])


def update_row(model: type[pw.Model], row_id: Any, values: dict[str, Any]) -> int:
    """UPDATE the row whose primary key is ``row_id`` with ``values`` (field names); returns
    the number of rows the database says changed."""
    db = database_proxy
    names = tuple(values)
    primary = cast("pw.Field", model._meta.primary_key)
    key = ("update", model, db.param, model._meta.table_name, names)
    sql = _SQL.get(key)
    if sql is None:
        left, right = db.quote[0], db.quote[-1]
        sets = ", ".join(
            f"{left}{model._meta.fields[n].column_name}{right} = {db.param}" for n in names
        )
        table = f"{left}{model._meta.table_name}{right}"
        where = f"{left}{primary.column_name}{right} = {db.param}"
        sql = _SQL[key] = f"UPDATE {table} SET {sets} WHERE {where}"
    fields = model._meta.fields
    params = [fields[n].db_value(values[n]) for n in names]
    params.append(primary.db_value(row_id))
    return int(execute_once(sql, params).rowcount)


def _insert_sql(model: type[pw.Model], count: int, *, ignore: bool) -> tuple[str, list[pw.Field]]:
    db = database_proxy
    fields = [f for f in model._meta.sorted_fields if not isinstance(f, pw.AutoField)]
    key = ("insert", model, db.param, model._meta.table_name, count, ignore)
    sql = _SQL.get(key)
    if sql is None:
        left, right = db.quote[0], db.quote[-1]
        columns = ", ".join(f"{left}{f.column_name}{right}" for f in fields)
        marks = "(" + ", ".join([db.param] * len(fields)) + ")"
        table = f"{left}{model._meta.table_name}{right}"
        verb = "INSERT"
        if ignore:
            verb = "INSERT IGNORE" if is_mysql(db) else "INSERT OR IGNORE"
        sql = _SQL[key] = f"{verb} INTO {table} ({columns}) VALUES {', '.join([marks] * count)}"
    return sql, fields


def _params(fields: list[pw.Field], row: dict[str, Any]) -> list[Any]:
    return [f.db_value(row[f.name] if f.name in row else _default(f)) for f in fields]


def _default(field: pw.Field) -> Any:
    return field.default() if callable(field.default) else field.default


_SQL: dict[tuple[Any, ...], str] = {}
