"""Fixtures for the BulkTable tests."""

from __future__ import annotations

import pytest

from jettui.tui.widgets.bulk_table import ListSource

from .host import COLUMNS, TableApp, make_rows


@pytest.fixture
def list_app() -> TableApp:
    return TableApp(ListSource(COLUMNS, make_rows(300)))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory):
    """A 300-product SQLite demo store, with the first category mapped to a Jet node."""
    from dataclasses import replace

    from jettui.config import Settings
    from jettui.store import db as store_db
    from jettui.store.demo import build_demo_store
    from jettui.store.jet_tables import JetCategory, JetProduct
    from jettui.store.opencart import ProductToCategory

    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'demo.db'}"
    build_demo_store(url, products=300)
    settings = Settings()
    database = store_db.connect(replace(settings, store=replace(settings.store, database=url)))
    category_id = ProductToCategory.select(ProductToCategory.category_id).scalar()
    JetCategory.create(category_id=category_id, jet_node_id=4000001, node_path="Kitchen > Mugs")
    JetProduct.create(product_id=2, merchant_sku="SKU-2", status="Available for Purchase")
    yield database
    database.close()
