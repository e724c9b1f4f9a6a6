"""The store rows a part of the catalog needs, read with one query per table for a chunk of
products instead of a dozen per product: building a query costs more than running it, and
100,000 products must be checked at thousands of SKUs a second. Rows are read as named tuples
(every column, attribute access like a model, converted like a model: a fraction of a model
instance's cost), so any column can feed a Jet field. Store thread only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from jettui.store.base import database_proxy, tuple_rows

NUMBER_COLUMNS = ("price", "quantity", "weight")


@dataclass
class Batch:
    """Rows keyed by product id (absent = the product has none)."""

    product_ids: set[int] = field(default_factory=set)
    raw: dict[int, tuple[Any, ...]] = field(
        default_factory=dict
    )  # price, quantity, weight, sku, model
    products: dict[int, Any] = field(default_factory=dict)
    descriptions: dict[int, Any] = field(default_factory=dict)
    overrides: dict[int, dict[str, Any]] = field(default_factory=dict)
    # product → {combination slot: the child's own Jet data (its code, MPN)}
    child_overrides: dict[int, dict[int, dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    nodes: dict[int, int] = field(default_factory=dict)
    images: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    specials: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    options: dict[int, list[tuple[Any, str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    values: dict[int, list[tuple[Any, str]]] = field(default_factory=lambda: defaultdict(list))

    def has(self, product_id: int) -> bool:
        return product_id in self.product_ids


def id_list(ids: Iterable[Any]) -> Any:
    """``(1,2,3)`` for ``field.in_(...)``: whole numbers written into the SQL, not one bound
    parameter each (peewee spends more building a 1,000-parameter IN than the database spends
    running it). ``int()`` makes anything else fail loudly, never reach the SQL."""
    from peewee import SQL

    return SQL("(" + (",".join(str(int(i)) for i in ids) or "NULL") + ")")


def load_batch(ids: list[int], language_id: int, customer_group_id: int, clean: Any) -> Batch:
    """Every row the checks of ``ids`` read (``clean`` tidies option value labels); an empty
    batch (each product then read on its own) when a row holds a value that is not a number."""
    from peewee import SQL

    from jettui.store.opencart import Product

    batch = Batch(product_ids=set(ids))
    raw = Product.select(SQL("product_id"), *(SQL(c) for c in (*NUMBER_COLUMNS, "sku", "model")))
    for row in database_proxy.execute(raw.where(Product.product_id.in_(id_list(ids)))).fetchall():
        batch.raw[int(row[0])] = tuple(row[1:])  # the raw cursor: no field conversion
    good = [i for i in ids if i in batch.raw]
    try:
        _read(batch, good, language_id, customer_group_id, clean)
    except (ValueError, ArithmeticError, TypeError):
        # A value that is not a number (SQLite keeps any text in a number column): the chunk's
        # products are read one by one, so that only the product holding it is refused.
        return Batch()
    return batch


def _rows(query: Any) -> list[Any]:
    """Every row of ``query``. On a value its field cannot convert, the cursor is closed
    before raising: a half-read one keeps SQLite's read snapshot open, and the run's next
    write would fail with "database is locked"."""
    cursor = query.execute()
    try:
        return list(cursor)
    except (ValueError, ArithmeticError, TypeError):
        cursor.cursor.close()
        raise


def _read(
    batch: Batch, good: list[int], language_id: int, customer_group_id: int, clean: Any
) -> None:
    from jettui.store.jet_tables import JetCategory, JetProduct
    from jettui.store.opencart import (
        Option,
        OptionDescription,
        OptionValueDescription,
        Product,
        ProductDescription,
        ProductImage,
        ProductOption,
        ProductOptionValue,
        ProductSpecial,
        ProductToCategory,
    )

    rows = _rows(Product.select().where(Product.product_id.in_(id_list(good))).namedtuples())
    batch.products = {p.product_id: p for p in rows}
    descriptions = ProductDescription.select().where(
        ProductDescription.product_id.in_(id_list(good))
        & (ProductDescription.language_id == language_id)
    )
    batch.descriptions = {d.product_id: d for d in _rows(descriptions.namedtuples())}
    batch.overrides = {
        link.product_id: dict(link.overrides or {})
        for link in JetProduct.select(JetProduct.product_id, JetProduct.overrides).where(
            JetProduct.product_id.in_(id_list(good)) & (JetProduct.product_option_value_id == 0)
        )
    }
    children = JetProduct.select(
        JetProduct.product_id, JetProduct.product_option_value_id, JetProduct.overrides
    ).where(JetProduct.product_id.in_(id_list(good)) & (JetProduct.product_option_value_id > 0))
    for link in children:
        if link.overrides:
            batch.child_overrides[link.product_id][link.product_option_value_id] = dict(
                link.overrides
            )
    nodes = _rows(
        ProductToCategory.select(ProductToCategory.product_id, JetCategory.jet_node_id)
        .join(JetCategory, on=JetCategory.category_id == ProductToCategory.category_id)
        .where(ProductToCategory.product_id.in_(id_list(good)))
        .order_by(ProductToCategory.product_id, JetCategory.category_id)
        .tuples()
    )
    for product_id, node in nodes:
        batch.nodes.setdefault(int(product_id), int(node))
    images = _rows(
        ProductImage.select(ProductImage.product_id, ProductImage.image)
        .where(ProductImage.product_id.in_(id_list(good)))
        .order_by(ProductImage.product_id, ProductImage.sort_order, ProductImage.product_image_id)
        .tuples()
    )
    for product_id, image in images:
        batch.images[int(product_id)].append(image or "")
    specials = ProductSpecial.select().where(
        ProductSpecial.product_id.in_(id_list(good))
        & (ProductSpecial.customer_group_id == customer_group_id)
    )
    for special in _rows(specials.namedtuples()):
        batch.specials[special.product_id].append(special)
    product_options = _rows(
        ProductOption.select().where(ProductOption.product_id.in_(id_list(good))).namedtuples()
    )
    option_ids = {po.option_id for po in product_options}
    types: dict[int, str] = dict(
        tuple_rows(
            Option.select(Option.option_id, Option.type)
            .where(Option.option_id.in_(id_list(option_ids)))
            .tuples()
        )
    )
    names: dict[int, str] = dict(
        tuple_rows(
            OptionDescription.select(OptionDescription.option_id, OptionDescription.name)
            .where(
                OptionDescription.option_id.in_(id_list(option_ids))
                & (OptionDescription.language_id == language_id)
            )
            .tuples()
        )
    )
    values = _rows(
        ProductOptionValue.select()
        .where(ProductOptionValue.product_id.in_(id_list(good)))
        .order_by(ProductOptionValue.product_option_value_id)
        .namedtuples()
    )
    labels: dict[int, str] = dict(
        tuple_rows(
            OptionValueDescription.select(
                OptionValueDescription.option_value_id, OptionValueDescription.name
            )
            .where(
                OptionValueDescription.option_value_id.in_(
                    id_list(v.option_value_id for v in values)
                )
                & (OptionValueDescription.language_id == language_id)
            )
            .tuples()
        )
    )
    for value in values:
        label = clean(labels.get(value.option_value_id) or "") or str(value.option_value_id)
        batch.values[value.product_option_id].append((value, label))
    for po in product_options:
        if po.option_id in types and batch.values.get(po.product_option_id):
            batch.options[po.product_id].append(
                (po, types[po.option_id], names.get(po.option_id) or "Option")
            )
