"""Taxonomy cache, mapping and "create category and map" on a SQLite demo store."""

from __future__ import annotations

import asyncio
import json

import pytest

from jettui.services import categories as cat
from jettui.store import opencart as oc
from jettui.store.jet_tables import JetCategory, JetEvent, JetTaxonomyNode

from .conftest import COOKWARE, SANDBOX_NODES, SECRET, category_ids_named, refresh


def test_refresh_fills_the_cache_and_search_reads_it(settings, db) -> None:
    assert cat.taxonomy_count(db) == 0
    seen: list[tuple[int, int]] = []

    from jettui.services.categories import refresh_taxonomy

    result = asyncio.run(
        refresh_taxonomy(settings, db, progress=lambda d, t, m: seen.append((d, t)))
    )
    assert result.ok and result.nodes == SANDBOX_NODES
    assert cat.taxonomy_count(db) == SANDBOX_NODES
    assert seen[-1][0] == seen[-1][1]  # ends complete
    assert max(done for done, _ in seen) == SANDBOX_NODES + result.leaves  # nodes + attributes

    found = cat.search_taxonomy(db, "cOOKware")
    assert [n.node_id for n in found] == [COOKWARE]
    node = found[0]
    assert node.path == "Home & Garden > Kitchen & Dining > Cookware"
    assert node.is_leaf and node.level == 2 and node.attributes
    assert all("attribute_id" in a for a in node.attributes)
    parent = cat.get_node(db, node.parent_id)
    assert parent is not None and not parent.is_leaf and parent.attributes == []
    by_path = {n.node_id for n in cat.search_taxonomy(db, "kitchen & dining", limit=500)}
    assert COOKWARE in by_path and len(by_path) > 1

    event = JetEvent.select().where(JetEvent.kind == "category").get()
    assert "399 nodes cached" in event.message
    assert SECRET not in json.dumps([e.message for e in JetEvent.select()])


def test_refresh_replaces_stale_nodes(settings, cached) -> None:
    JetTaxonomyNode.create(jet_node_id=99, name="Gone", path="Gone", fetched_at="2020-01-01")
    result = refresh(settings, cached)
    assert result.removed == 1
    assert cat.get_node(cached, 99) is None
    assert cat.taxonomy_count(cached) == SANDBOX_NODES


def test_map_remap_and_unmap(settings, cached) -> None:
    pans, knives = category_ids_named("Cookware", "Cutlery & Knives")
    result = cat.map_categories(cached, [pans, knives], COOKWARE)
    assert result.category_ids == [pans, knives]
    row = JetCategory.get(JetCategory.category_id == pans)
    assert row.jet_node_id == COOKWARE
    assert row.node_path == "Home & Garden > Kitchen & Dining > Cookware"

    other = cat.search_taxonomy(cached, "Headphones")[0]
    again = cat.map_categories(cached, [knives], other.node_id)
    assert again.previous == {knives: COOKWARE}
    assert JetCategory.select().where(JetCategory.category_id == knives).count() == 1
    assert JetCategory.get(JetCategory.category_id == knives).jet_node_id == other.node_id

    listed = {r["category_id"]: r for r in cat.list_categories(cached, settings, mapped_only=True)}
    assert set(listed) == {pans, knives}
    assert listed[pans]["path"] == "Kitchen & Dining > Cookware"

    gone = cat.unmap_categories(cached, [pans, 1])
    assert gone.category_ids == [pans] and gone.not_mapped == [1]
    assert JetCategory.get_or_none(JetCategory.category_id == pans) is None
    kinds = [e.message for e in JetEvent.select().where(JetEvent.kind == "category")]
    assert any("2 categories mapped" in m for m in kinds)
    assert any("1 category unmapped" in m for m in kinds)


def test_bad_ids_change_nothing(settings, cached) -> None:
    (pans,) = category_ids_named("Cookware")
    with pytest.raises(cat.CategoryError, match="no OpenCart category with id 98765"):
        cat.map_categories(cached, [pans, 98765], COOKWARE)
    with pytest.raises(cat.CategoryError, match="Jet node 12 is not in the taxonomy cache"):
        cat.map_categories(cached, [pans], 12)
    with pytest.raises(cat.CategoryError, match="no OpenCart category with id 777"):
        cat.create_category_and_map(cached, settings, COOKWARE, parent_id=777)
    assert JetCategory.select().count() == 0


def test_create_category_and_map_writes_what_opencart_reads(settings, cached) -> None:
    (parent,) = category_ids_named("Home & Garden")
    before = oc.Category.select().count()
    result = cat.create_category_and_map(cached, settings, COOKWARE, parent_id=parent)
    new_id = result.created["category_id"]
    assert oc.Category.select().count() == before + 1
    category = oc.Category.get_by_id(new_id)
    assert (category.parent_id, category.status) == (parent, 1)
    description = oc.CategoryDescription.get(oc.CategoryDescription.category_id == new_id)
    assert (description.name, description.meta_title) == ("Cookware", "Cookware")
    assert oc.CategoryToStore.get(oc.CategoryToStore.category_id == new_id).store_id == 0
    levels = [
        (p.path_id, p.level)
        for p in oc.CategoryPath.select()
        .where(oc.CategoryPath.category_id == new_id)
        .order_by(oc.CategoryPath.level)
    ]
    assert levels == [(parent, 0), (new_id, 1)]
    assert oc.category_breadcrumbs(1, [new_id]) == {new_id: "Home & Garden > Cookware"}
    assert JetCategory.get(JetCategory.category_id == new_id).jet_node_id == COOKWARE
    assert result.created["path"] == "Home & Garden > Cookware"

    top = cat.create_category_and_map(cached, settings, COOKWARE, name="Pots & Pans")
    top_id = top.created["category_id"]
    assert oc.category_breadcrumbs(1, [top_id]) == {top_id: "Pots & Pans"}
    listed = {r["category_id"]: r["path"] for r in cat.list_categories(cached, settings)}
    assert listed[top_id] == "Pots & Pans"


def test_taxonomy_source_reads_the_cache_on_its_first_fetch(settings, cached) -> None:
    """The grid asks for rows before it counts: a fresh source must not look empty."""
    from jettui.services.categories import TaxonomySource

    source = TaxonomySource(cached)
    rows = source.fetch("cookware", None, False, 0, 100)
    assert [row_id for row_id, _ in rows] == [4000188]
    assert TaxonomySource(cached).ids("cookware") == [4000188]
