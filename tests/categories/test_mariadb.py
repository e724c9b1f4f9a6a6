"""Taxonomy refresh, map and create-and-map with the store on MariaDB (OpenCart 3.0's tables)."""

from __future__ import annotations

import asyncio

import pytest

from jettui.services import categories as cat
from jettui.store import opencart as oc
from jettui.store.db import connect, ensure_jet_tables
from jettui.store.jet_tables import JetCategory

from .conftest import COOKWARE, SANDBOX_NODES


@pytest.mark.mariadb
def test_create_and_map_on_mariadb(make_settings, mariadb_url: str) -> None:
    settings = make_settings(database=mariadb_url)
    db = connect(settings)
    try:
        ensure_jet_tables(db)
        result = asyncio.run(cat.refresh_taxonomy(settings, db))
        assert result.ok and cat.taxonomy_count(db) == SANDBOX_NODES
        assert [n.node_id for n in cat.search_taxonomy(db, "COOKWARE")] == [COOKWARE]

        parent = oc.Category.select().where(oc.Category.parent_id == 0).first().category_id
        parent_path = oc.category_breadcrumbs(1, [parent])[parent]
        created = cat.create_category_and_map(db, settings, COOKWARE, parent_id=parent)
        new_id = created.created["category_id"]
        assert oc.category_breadcrumbs(1, [new_id]) == {new_id: f"{parent_path} > Cookware"}
        assert oc.CategoryToStore.get(oc.CategoryToStore.category_id == new_id).store_id == 0

        mapped = cat.map_categories(db, [parent], COOKWARE)
        assert mapped.category_ids == [parent]
        assert {r.category_id for r in JetCategory.select()} == {parent, new_id}
        cat.unmap_categories(db, [parent, new_id])
        assert JetCategory.select().count() == 0
    finally:
        db.close()
