"""OpenCart through peewee: models of OpenCart's own tables and jettui's own tables.

    from jettui.store import connect, recognise_store, ensure_jet_tables
    from jettui.store.opencart import Product, ProductDescription, Order, ...
    from jettui.store.jet_tables import JetProduct, JetOrder, acquire_lock, ...

Modules: :mod:`.db` (connect, schemas, recognise_store), :mod:`.opencart` (OpenCart models),
:mod:`.jet_tables` (jettui's tables, locks, event log, migrations), :mod:`.fields` and
:mod:`.text` (OpenCart's storage rules), :mod:`.errors`.
"""

from .base import bind_models, current_database, current_prefix, database_proxy, tuple_rows
from .db import (
    StoreInfo,
    close,
    connect,
    connect_url,
    create_opencart_schema,
    open_database,
    recognise_store,
)
from .errors import LockBusy, StoreError, StoreSchemaError, StoreUnreachable
from .jet_tables import acquire_lock, ensure_jet_tables, hold_lock, log_event, release_lock

__all__ = [
    "LockBusy",
    "StoreError",
    "StoreInfo",
    "StoreSchemaError",
    "StoreUnreachable",
    "acquire_lock",
    "bind_models",
    "close",
    "connect",
    "connect_url",
    "create_opencart_schema",
    "current_database",
    "current_prefix",
    "database_proxy",
    "ensure_jet_tables",
    "hold_lock",
    "log_event",
    "open_database",
    "recognise_store",
    "release_lock",
    "tuple_rows",
]
