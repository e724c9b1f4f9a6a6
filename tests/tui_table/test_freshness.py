"""The product grid's freshness check (`ProductSource._data_mark`, compared every `CHECK_SECONDS`
while the Products panel is used) on OpenCart's own install data, on SQLite and on MariaDB
(MyISAM tables, as OpenCart creates them): every kind of change to what the grid lists, searches
or sorts by is noticed by the next check (the index reloads, the grid's rows and counts show
it), whoever made it and whether or not it set `date_modified`; two edits within one second
are both noticed; an unchanged store is never reloaded."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import peewee as pw
import pytest

from jettui.services.listing import ProductSource
from jettui.store.base import is_mysql
from jettui.store.jet_tables import JetCategory, JetProduct
from jettui.store.opencart import (
    CategoryDescription,
    Product,
    ProductDescription,
    ProductToCategory,
    ProductToStore,
)
from jettui.store.text import utcnow
from tests.shop_support import CANON, IPHONE, oc_database, oc_db, oc_settings  # noqa: F401

CINEMA = 42  # "Apple Cinema 30"" (OpenCart's demo)
MODEL, NAME, PRICE, QTY, JET_STATUS, CATEGORY = 1, 2, 3, 4, 5, 6  # cells of a grid row


def wait(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, f"{what} never happened"
        time.sleep(0.01)


def settled_grid(db: pw.Database, *, mapped_only: bool = False) -> ProductSource:
    """The grid's source with its index and sort orders loaded, once the store's last write
    is two seconds old (MariaDB's change times are to the second), and checked once: an
    unchanged store is not reloaded."""
    if is_mysql(db):
        time.sleep(2.1)
    source = ProductSource(db, 1, 0, mapped_only=mapped_only)
    source.count("")  # starts the load, as the grid's first page does
    wait(source.orders_ready, "the index load")
    assert not checked(source), "an unchanged store was reloaded"
    return source


def checked(source: ProductSource) -> bool:
    """One freshness check, run as the grid's timer runs it (on a thread of its own); True
    when it reloaded the index (the reload and its sort orders are waited for)."""
    before = source._index
    thread = threading.Thread(target=source._check_index)
    thread.start()
    thread.join()
    wait(source.orders_ready, "the index reload")
    return source._index is not before


def settles(source: ProductSource) -> None:
    """Checks stop reloading once the change is two seconds old: one reload too many at most
    (a mark read in the edit's own second cannot be trusted, see `_data_mark`)."""
    if is_mysql(source.db):
        time.sleep(2.1)
    checked(source)
    assert not checked(source), "an unchanged store was reloaded again and again"


def first(source: ProductSource, sort_key: str, *, descending: bool = False) -> Any:
    """The grid's first row in that sort (from the index's sort order)."""
    return source.fetch("", sort_key, descending, 0, 1)[0]


def copy_of(product_id: int, name: str) -> int:
    """A new product like `product_id`, in the default store, as OpenCart's admin copies."""
    values = dict(Product.get_by_id(product_id).__data__)
    del values["product_id"]
    new_id = int(Product.insert(values).execute())
    description = ProductDescription.get(
        (ProductDescription.product_id == product_id) & (ProductDescription.language_id == 1)
    )
    ProductDescription.insert(
        {**description.__data__, "product_id": new_id, "name": name}
    ).execute()
    ProductToStore.insert(product_id=new_id, store_id=0).execute()
    return new_id


def linked(product_id: int, status: str) -> None:
    JetProduct.create(product_id=product_id, merchant_sku=f"SKU-{product_id}", status=status)


# -- each kind of change: (make it, what the grid shows afterwards) ----------------------------


def admin_edit(source: ProductSource) -> Callable[[], bool]:
    ProductDescription.update(name="Zanzibar Teapot").where(
        (ProductDescription.product_id == IPHONE) & (ProductDescription.language_id == 1)
    ).execute()
    Product.update(date_modified=Product.date_modified.default()).where(
        Product.product_id == IPHONE
    ).execute()
    return lambda: source.ids("zanzibar teapot") == [IPHONE]


def price(source: ProductSource) -> Callable[[], bool]:
    Product.update(price=0.5).where(Product.product_id == IPHONE).execute()  # no date_modified
    return lambda: first(source, "price")[1][PRICE] == "0.50"


def quantity(source: ProductSource) -> Callable[[], bool]:
    Product.update(quantity=-7).where(Product.product_id == CANON).execute()  # stock taken
    return lambda: first(source, "quantity")[0] == CANON


def name(source: ProductSource) -> Callable[[], bool]:
    ProductDescription.update(name="Aaa Zanzibar").where(
        (ProductDescription.product_id == CANON) & (ProductDescription.language_id == 1)
    ).execute()
    return lambda: source.count("zanzibar") == 1 and first(source, "name")[0] == CANON


def model(source: ProductSource) -> Callable[[], bool]:
    Product.update(model="QQ-77").where(Product.product_id == CINEMA).execute()
    return lambda: source.ids("qq-77") == [CINEMA]


def added(source: ProductSource) -> Callable[[], bool]:
    total = source.count("")
    new_id = copy_of(IPHONE, "Zanzibar Phone")
    return lambda: source.count("") == total + 1 and source.ids("zanzibar") == [new_id]


def removed(source: ProductSource) -> Callable[[], bool]:
    total = source.count("")
    for table in (Product, ProductDescription, ProductToStore, ProductToCategory):
        table.delete().where(table.product_id == CANON).execute()
    return lambda: source.count("") == total - 1 and CANON not in source.ids("")


def store(source: ProductSource) -> Callable[[], bool]:
    total = source.count("")
    ProductToStore.update(store_id=1).where(ProductToStore.product_id == IPHONE).execute()
    return lambda: source.count("") == total - 1 and IPHONE not in source.ids("")


def category_name(source: ProductSource) -> Callable[[], bool]:
    category_id = ProductToCategory.get(ProductToCategory.product_id == CINEMA).category_id
    CategoryDescription.update(name="zzz Last").where(
        CategoryDescription.category_id == category_id
    ).execute()
    return lambda: first(source, "category", descending=True)[1][CATEGORY] == "zzz Last"


def jet_link(source: ProductSource) -> Callable[[], bool]:
    linked(IPHONE, "Available for Purchase")  # a SKU link, as the upload writes it
    return lambda: first(source, "jet_status", descending=True)[0] == IPHONE


def jet_status(source: ProductSource) -> Callable[[], bool]:
    JetProduct.update(status="Under Jet Review", updated_at=utcnow()).where(
        JetProduct.product_id == IPHONE
    ).execute()  # as the status job writes it
    return lambda: first(source, "jet_status", descending=True)[0] == IPHONE


KINDS = [admin_edit, price, quantity, name, model, added, removed, store, category_name, jet_link]


@pytest.mark.parametrize("change", KINDS + [jet_status], ids=lambda change: change.__name__)
def test_each_kind_of_change_is_noticed_by_the_next_check(oc_db, change) -> None:  # noqa: F811
    if change is jet_status:
        linked(IPHONE, "Available for Purchase")
        linked(CANON, "Missing Listing Data")
    source = settled_grid(oc_db)
    shown = change(source)
    assert not shown(), "the grid showed the change before any check"
    assert checked(source), "the check did not notice the change"
    assert shown(), "the reloaded grid does not show the change"
    settles(source)


def unmapped_category() -> int:
    used = ProductToCategory.select(ProductToCategory.category_id)
    return int(
        CategoryDescription.select(CategoryDescription.category_id)
        .where(CategoryDescription.category_id.not_in(used))
        .order_by(CategoryDescription.category_id)
        .scalar()
    )


def test_category_links_and_mappings_are_noticed_by_the_mapped_only_grid(
    oc_db,  # noqa: F811
) -> None:
    category_id = unmapped_category()  # no product in it yet
    JetCategory.create(category_id=category_id, jet_node_id=4000001, node_path="Kitchen > Mugs")
    source = settled_grid(oc_db, mapped_only=True)
    assert source.count("") == 0
    ProductToCategory.insert(product_id=IPHONE, category_id=category_id).execute()
    assert checked(source) and source.ids("") == [IPHONE]
    other = ProductToCategory.get(ProductToCategory.product_id == CANON).category_id
    JetCategory.create(category_id=other, jet_node_id=4000002, node_path="Cameras")
    assert checked(source) and CANON in source.ids("")
    settles(source)


def same_second_prices() -> list[Callable[[], None]]:
    return [
        lambda: Product.update(price=0.5).where(Product.product_id == IPHONE).execute(),
        lambda: Product.update(price=0.25).where(Product.product_id == CINEMA).execute(),
    ]


def same_second_statuses() -> list[Callable[[], None]]:
    def status(product_id: int, text: str) -> Callable[[], None]:
        return lambda: (
            JetProduct.update(status=text, updated_at=utcnow())
            .where(JetProduct.product_id == product_id)
            .execute()
        )

    return [status(IPHONE, "Under Jet Review"), status(CINEMA, "Unauthorized")]


@pytest.mark.parametrize(
    ("edits", "sort_key", "descending", "top"),
    [
        (same_second_prices, "price", False, [CINEMA, IPHONE]),
        (same_second_statuses, "jet_status", True, [IPHONE, CINEMA]),
    ],
    ids=["prices", "jet statuses"],
)
def test_two_edits_in_the_same_second_are_both_noticed(
    oc_db,  # noqa: F811
    edits,
    sort_key,
    descending,
    top,
) -> None:
    linked(IPHONE, "Available for Purchase")
    linked(CINEMA, "Available for Purchase")
    linked(CANON, "Not Uploaded")  # first by status until both edits are seen
    source = settled_grid(oc_db)
    first_edit, second_edit = edits()
    for _attempt in range(5):  # both edits and the reload between them within one second
        while time.time() % 1 > 0.2:
            time.sleep(0.01)
        second = int(time.time())
        first_edit()
        assert checked(source), "the first edit was not noticed"
        if int(time.time()) == second:
            break
    else:
        pytest.skip("the machine is too slow to edit, check and reload within one second")
    second_edit()
    assert int(time.time()) == second
    assert checked(source), "the second edit of the same second was missed"
    assert [row[0] for row in source.fetch("", sort_key, descending, 0, 2)] == top


@pytest.mark.parametrize("oc_database", ["mariadb"], indirect=True)
def test_tables_converted_to_innodb_are_checked_by_the_products_dates(oc_db) -> None:  # noqa: F811
    for model in (Product, ProductDescription):  # no update time to trust: InnoDB's
        oc_db.execute_sql(f"ALTER TABLE {model._meta.table_name} ENGINE=InnoDB")
    source = settled_grid(oc_db)
    shown = admin_edit(source)  # the name, and date_modified as OpenCart's admin sets it
    assert checked(source) and shown()
    settles(source)


class RenamedDuringTheLoad(ProductSource):
    """A source whose store is edited just after its rows were loaded, before the load's own
    mark is read (SQLite reads that mark once the index answers)."""

    renamed = False

    def _sqlite_summary(self, connection: Any) -> tuple[Any, ...]:
        if not self.renamed:
            self.renamed = True
            ProductDescription.update(name="Zanzibar Teapot").where(
                (ProductDescription.product_id == CANON) & (ProductDescription.language_id == 1)
            ).execute()
        return super()._sqlite_summary(connection)


@pytest.mark.parametrize("oc_database", ["sqlite"], indirect=True)
def test_an_edit_while_the_index_loads_is_noticed_by_the_next_check(oc_db) -> None:  # noqa: F811
    source = RenamedDuringTheLoad(oc_db, 1, 0)
    source.count("")
    wait(source.orders_ready, "the index load")
    assert source.renamed and source.count("zanzibar") == 0  # loaded before the edit
    assert checked(source), "the edit made while the index loaded was missed"
    assert source.ids("zanzibar teapot") == [CANON]
    settles(source)
