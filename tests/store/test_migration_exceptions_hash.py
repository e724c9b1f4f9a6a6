"""Migration 6: a jettui database of version 5 gains ``jet_product.exceptions_hash``, and the
product links it already holds keep working (SQLite and MariaDB)."""

from __future__ import annotations

from jettui.store import ensure_jet_tables
from jettui.store import jet_tables as jt
from jettui.store.base import is_mysql


def test_version_5_database_gains_the_exceptions_hash(store) -> None:
    ensure_jet_tables(store)
    q = "`" if is_mysql(store) else '"'
    table = jt.JetProduct._meta.table_name
    store.execute_sql(f"ALTER TABLE {q}{table}{q} DROP COLUMN {q}exceptions_hash{q}")
    jt.JetSchemaVersion.delete().where(jt.JetSchemaVersion.version >= 6).execute()
    jt.JetSchemaVersion.insert(
        version=5, description="as jettui 5 left it"
    ).on_conflict_ignore().execute()
    store.execute_sql(
        f"INSERT INTO {q}{table}{q} (product_id, product_option_value_id, merchant_sku, status, "
        f"sub_statuses, is_archived, overrides, created_at, updated_at) VALUES "
        f"(2, 0, 'OLD-SKU', 'Uploaded', '[]', 0, "
        """'{"returns_exceptions": {"time_to_return": 14}}', '2026-01-01 00:00:00', """
        "'2026-01-01 00:00:00')"
    )
    assert "exceptions_hash" not in {c.name for c in store.get_columns(table)}

    assert ensure_jet_tables(store) == jt.latest_version()  # 6, and every later step
    assert "exceptions_hash" in {c.name for c in store.get_columns(table)}
    row = jt.JetProduct.get(jt.JetProduct.merchant_sku == "OLD-SKU")
    assert row.exceptions_hash is None
    assert row.overrides == {"returns_exceptions": {"time_to_return": 14}}
    jt.JetProduct.delete().where(jt.JetProduct.merchant_sku == "OLD-SKU").execute()
