"""Paging a big catalog by key: every page equals what OFFSET gives, on SQLite and MariaDB,
and counts come from the search index only when they agree with the database."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from dataclasses import replace

import peewee as pw
import pytest

from jettui.config import Settings
from jettui.services.listing import ProductSource
from jettui.store import db as store_db
from jettui.store.demo import build_demo_store
from jettui.store.jet_tables import JetCategory, JetProduct
from jettui.store.opencart import ProductToCategory
from tests.conftest import store_helpers
from tests.shop_support import BACKENDS

PRODUCTS = 150


@pytest.fixture(scope="module", params=BACKENDS)
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[pw.Database]:
    """A 150-product demo store with a few Jet statuses, once per backend."""
    name = None
    if request.param == "mariadb":
        try:
            admin = store_helpers._mysql_admin()
        except Exception as exc:  # pymysql's OperationalError and friends
            pytest.skip(f"MariaDB not reachable ({type(exc).__name__})")
        name = f"jettui_keyset_{secrets.token_hex(4)}"
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{name}`")
        admin.close()
        url = store_helpers._mysql_url(name)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('keyset') / 'store.db'}"
    try:
        build_demo_store(url, products=PRODUCTS, seed=5)
        settings = Settings()
        database = store_db.connect(replace(settings, store=replace(settings.store, database=url)))
        # statuses with ties, and products without one (NULL sorts as '')
        for product_id in range(3, PRODUCTS, 7):
            status = ("Available for Purchase", "Under Jet Review", "Missing Listing Data")[
                product_id % 3
            ]
            JetProduct.create(
                product_id=product_id, merchant_sku=f"SKU-{product_id}", status=status
            )
        category_id = ProductToCategory.select(ProductToCategory.category_id).scalar()
        JetCategory.create(category_id=category_id, jet_node_id=4000001, node_path="A > B")
        yield database
        database.close()
    finally:
        if name:
            store_helpers.drop_mariadb(name)


def _ids(rows: list) -> list:
    return [row_id for row_id, _cells in rows]


def _wait_for_index(source: ProductSource, *, orders: bool = False) -> None:
    source.count("")  # starts the build
    deadline = time.monotonic() + 30
    while not (source.orders_ready() if orders else source.index_ready()):
        assert time.monotonic() < deadline, "search index never became ready"
        time.sleep(0.01)


SORTS = [None, *[c.key for c in ProductSource.columns if c.sortable]]


@pytest.mark.parametrize("sort_key", SORTS)
@pytest.mark.parametrize("descending", [False, True])
def test_paging_by_key_gives_the_rows_offset_gives(store, sort_key, descending) -> None:
    reference = ProductSource(store, 1, 0)
    everything = _ids(reference.offset_fetch("", sort_key, descending, 0, PRODUCTS + 10))
    assert sorted(everything) == list(range(1, PRODUCTS + 1))

    scrolled = ProductSource(store, 1, 0)  # page after page: each from the last one's key
    pages = [scrolled.fetch("", sort_key, descending, offset, 20) for offset in range(0, 160, 20)]
    assert [row_id for page in pages for row_id in _ids(page)] == everything
    assert scrolled.fetch("", sort_key, descending, 0, 20) == reference.offset_fetch(
        "", sort_key, descending, 0, 20
    )  # same cells too

    jumped = ProductSource(store, 1, 0)  # a deep page with nothing fetched before it
    for offset in (97, 131, 20, 140):  # from the end once the count is known, then anchors
        if offset == 131:
            assert jumped.count("") == PRODUCTS
        page = _ids(jumped.fetch("", sort_key, descending, offset, 15))
        assert page == everything[offset : offset + 15], offset


@pytest.mark.parametrize("sort_key", ["name", "price", "jet_status"])
def test_a_filtered_deep_page_matches_offset_before_and_after_the_index(store, sort_key) -> None:
    reference = ProductSource(store, 1, 0)
    word = "a"  # matches most names: the database's LIKE, not the index's id list
    expected = _ids(reference.offset_fetch(word, sort_key, True, 0, PRODUCTS))
    source = ProductSource(store, 1, 0)
    assert _ids(source.fetch(word, sort_key, True, 30, 10)) == expected[30:40]
    _wait_for_index(source)
    assert (
        source.count(word)
        == len(expected)
        == reference.offset_fetch(word, None, False, 0, 1000).__len__()
    )
    assert _ids(source.fetch(word, sort_key, True, 40, 10)) == expected[40:50]
    rare = reference.offset_fetch("", None, False, 11, 1)[0][1][1]  # one model code
    assert source.count(rare) == 1 and _ids(source.fetch(rare, sort_key, False, 0, 5)) == [12]
    assert source.ids(rare) == [12]


@pytest.fixture(scope="module")
def loaded(store) -> ProductSource:
    """A source with its search index and every sort order in memory."""
    source = ProductSource(store, 1, 0)
    _wait_for_index(source, orders=True)
    return source


@pytest.mark.parametrize("sort_key", SORTS)
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("word", ["", "a", "e c"])
def test_pages_from_memory_are_the_rows_offset_gives(store, loaded, sort_key, descending, word):
    reference = ProductSource(store, 1, 0)  # never loads: count() is not called
    everything = _ids(reference.offset_fetch(word, sort_key, descending, 0, PRODUCTS + 10))
    assert everything and loaded.count(word) == len(everything)
    for offset in (0, 17, len(everything) // 2, max(len(everything) - 5, 0)):
        page = loaded.fetch(word, sort_key, descending, offset, 12)
        assert _ids(page) == everything[offset : offset + 12], offset
        assert page == reference.offset_fetch(word, sort_key, descending, offset, 12)
