"""OpenCart's order side, as OpenCart's own PHP does it (synchronous: run on the store thread).

- :func:`shop_context` reads, once per run, what every order jettui writes needs from the shop
  (store name/URL, invoice prefix, customer group, the USD currency id and rate against the
  default currency, which orders are written in (:mod:`.currency`), language,
  the processing and complete status sets, the order-total sort orders, stock checkout).
- :func:`add_order_history` is catalog/model/checkout/order.php ``addOrderHistory()``: the stock
  rules (processing∪complete set, ``subtract`` flags, ``order_option`` values), then the
  order's status and an ``order_history`` row. Every status change jettui makes goes through it.
- :func:`restock_lines` puts part of an order's units back (a partial cancel) so that a later
  full cancel in OpenCart's admin restocks exactly what is still taken.

Crash safety (OpenCart's tables are MyISAM: nothing rolls back). The stock move and the order's
new status are written by ONE statement, guarded by the status read before it (compare and
set): on MySQL a multi-table ``UPDATE`` of ``order``, ``product`` and ``product_option_value``
(quantities summed per product and per option value first, because MySQL updates each matched
row once); on SQLite the same updates inside one transaction. Whether stock was moved can
therefore always be read back from the order's status: a run killed before the statement moved
nothing, a run killed after it moved everything and the order shows the new status. Only the
``order_history`` insert that follows is a separate statement; callers that must not lose it
check for it on their next run (the importer does).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import peewee as pw

from .base import database_proxy, is_mysql, tuple_rows
from .currency import from_usd, no_usd_problem, usd_rate
from .errors import StoreError
from .fast_sql import execute_once
from .opencart import (
    Language,
    Order,
    OrderHistory,
    OrderOption,
    OrderProduct,
    Product,
    ProductOptionValue,
    Store,
    get_setting,
)
from .text import now

if TYPE_CHECKING:
    from jettui.config import Settings

__all__ = [
    "ShopContext",
    "StatusChange",
    "add_order_history",
    "execute_once",
    "restock_lines",
    "shop_context",
    "stock_direction",
    "take_line_down",
]

#: order_total codes jettui writes, with OpenCart's default sort orders (used when a shop has
#: no ``total_<code>_sort_order`` setting)
TOTAL_CODES = {"sub_total": 1, "shipping": 3, "tax": 5, "total": 9}


@dataclass(frozen=True)
class ShopContext:
    """What every order jettui writes copies from the shop (read once per run)."""

    store_id: int = 0
    store_name: str = ""
    store_url: str = ""
    invoice_prefix: str = ""
    customer_group_id: int = 1
    language_id: int = 1
    currency_id: int = 0
    currency_code: str = "USD"
    currency_value: Decimal = Decimal(1)  # USD's rate against the default currency
    new_order_status_id: int = 1  # config_order_status_id
    processing_status: frozenset[int] = frozenset()
    complete_status: frozenset[int] = frozenset()
    stock_checkout: bool = False  # config_stock_checkout: sell without stock
    total_sort_order: dict[str, int] = field(default_factory=lambda: dict(TOTAL_CODES))

    def from_usd(self, dollars: Decimal) -> Decimal:
        """Dollars Jet charged as the default-currency amount an order stores (4 decimals),
        which the admin shows × ``currency_value`` as exactly those dollars."""
        return from_usd(dollars, self.currency_value)

    @property
    def stock_statuses(self) -> frozenset[int]:
        """Statuses in which an order's units are taken from stock (processing ∪ complete)."""
        return self.processing_status | self.complete_status


def shop_context(settings: Settings | None = None, *, store_id: int | None = None) -> ShopContext:
    """Read the shop's order settings (settings.store.store_id unless ``store_id``).

    Raises :class:`StoreError` when the shop has no USD currency with a rate (Jet sells in US
    dollars; see :mod:`jettui.store.currency`).
    """
    sid = store_id if store_id is not None else (settings.store.store_id if settings else 0)
    usd = usd_rate(sid)
    if usd is None:
        raise StoreError(no_usd_problem())
    return ShopContext(
        store_id=sid,
        store_name=_store_name(sid),
        store_url=_store_url(sid, settings),
        invoice_prefix=str(_setting("config_invoice_prefix", sid, "") or ""),
        customer_group_id=_int(_setting("config_customer_group_id", sid, 1), 1),
        language_id=_language_id(settings, sid),
        currency_id=usd.currency_id,
        currency_code="USD",
        currency_value=usd.value,
        new_order_status_id=_int(_setting("config_order_status_id", sid, 1), 1),
        processing_status=_status_set(_setting("config_processing_status", sid, [])),
        complete_status=_status_set(_setting("config_complete_status", sid, [])),
        stock_checkout=bool(_int(_setting("config_stock_checkout", sid, 0), 0)),
        total_sort_order={
            code: _int(_setting(f"total_{code}_sort_order", sid, default), default)
            for code, default in TOTAL_CODES.items()
        },
    )


def _setting(key: str, store_id: int, default: Any) -> Any:
    value = get_setting(key, store_id, None)
    if value is None and store_id:
        value = get_setting(key, 0, None)  # extra stores fall back to the default store
    return default if value is None else value


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _status_set(value: Any) -> frozenset[int]:
    items = value if isinstance(value, list | tuple) else [value]
    return frozenset(i for i in (_int(v, 0) for v in items) if i > 0)


def _store_name(store_id: int) -> str:
    if store_id:
        row = Store.get_or_none(Store.store_id == store_id)
        if row is not None:
            return row.name
    return str(_setting("config_name", store_id, "") or "")


def _store_url(store_id: int, settings: Settings | None = None) -> str:
    """The URL OpenCart's checkout writes in ``order.store_url``: an extra store's from
    ``oc_store``; the default store's is config.php's HTTP_SERVER, which is not in the database,
    so ``config_url`` when a shop (or the demo) has it, else jettui's ``store.url`` (the same
    public address), ending in "/" as HTTP_SERVER does."""
    if store_id:
        row = Store.get_or_none(Store.store_id == store_id)
        if row is not None:
            return row.url
    url = str(_setting("config_url", store_id, "") or "")
    if not url and settings is not None and settings.store.url:
        url = settings.store.url.rstrip("/") + "/"
    return url


def _language_id(settings: Settings | None, store_id: int) -> int:
    code = _setting("config_language", store_id, "")
    if code:
        found = Language.select(Language.language_id).where(Language.code == code).scalar()
        if found:
            return int(found)
    return settings.store.language_id if settings else 1


# --- status changes and stock ---------------------------------------------------------------


@dataclass(frozen=True)
class StatusChange:
    """What :func:`add_order_history` did."""

    order_id: int
    old_status_id: int
    new_status_id: int
    stock: int  # -1 units taken from stock, +1 put back, 0 untouched
    history_id: int


def stock_direction(shop: ShopContext, old_status_id: int, new_status_id: int) -> int:
    """-1 (subtract), +1 (restock) or 0, by OpenCart's rule: stock is taken when an order enters
    processing∪complete from outside it, and put back when it leaves that set."""
    was = old_status_id in shop.stock_statuses
    will = new_status_id in shop.stock_statuses
    if not was and will:
        return -1
    if was and not will:
        return 1
    return 0


def has_history(order_id: int, text: str) -> bool:
    """Does the order's history hold a comment containing ``text``? jettui's comments name a
    unique id (the Jet order, the shipment's alt id, the refund's alt id), so a step that
    writes history asks this first and never writes its row twice after a crash."""
    return (
        OrderHistory.select()
        .where((OrderHistory.order_id == order_id) & OrderHistory.comment.contains(text))
        .exists()
    )


def add_order_history(
    order_id: int,
    status_id: int,
    comment: str,
    *,
    notify: bool = False,
    shop: ShopContext | None = None,
    expected_status_id: int | None = None,
) -> StatusChange:
    """OpenCart's ``addOrderHistory(order_id, status_id, comment, notify)``: move stock as
    OpenCart would for the change from the order's current status, set ``order_status_id`` and
    ``date_modified``, insert an ``order_history`` row (also when the status stays the same,
    as OpenCart does).

    The stock move and the status change are one atomic step guarded by the status read
    before it: if another writer changed the order's status in between (or it is not
    ``expected_status_id`` when given), nothing is written and :class:`StoreError` is raised.
    Raises :class:`StoreError` for an order that does not exist.
    """
    shop = shop or shop_context()
    if expected_status_id is None:
        current = Order.select(Order.order_status_id).where(Order.order_id == order_id).scalar()
        if current is None:
            raise StoreError(f"OpenCart order {order_id} does not exist")
        old = int(current or 0)
    else:
        old = expected_status_id  # the guarded update below says whether it still is
    direction = stock_direction(shop, old, status_id)
    stamp = now()
    if not _set_status_and_stock(order_id, old, status_id, direction, stamp):
        current = Order.select(Order.order_status_id).where(Order.order_id == order_id).scalar()
        if current is None:
            raise StoreError(f"OpenCart order {order_id} does not exist")
        raise StoreError(
            f"OpenCart order {order_id} has status {current}, not {old}: changed by someone else"
        )
    history = execute_once(
        _sql(
            "INSERT INTO {order_history} (order_id, order_status_id, notify, comment, date_added)"
            " VALUES ({p}, {p}, {p}, {p}, {p})"
        ),
        (
            order_id,
            status_id,
            1 if notify else 0,
            OrderHistory.comment.db_value(comment),
            OrderHistory.date_added.db_value(stamp),
        ),
    ).lastrowid
    return StatusChange(order_id, old, status_id, direction, int(history))


def products_now(product_ids: Iterable[int]) -> dict[int, Product]:
    """Id, model, quantity and status of each product as they are now, by id (the import
    reads an order's products together: one cached statement, no query building). A product
    that is gone is missing."""
    wanted = sorted(set(product_ids))
    if not wanted:
        return {}
    marks = ", ".join(["{p}"] * len(wanted))
    sql = _sql(
        f"SELECT product_id, model, quantity, status FROM {{product}} WHERE product_id IN ({marks})"
    )
    found: dict[int, Product] = {}
    for pid, model, quantity, status in database_proxy.execute_sql(sql, wanted).fetchall():
        found[int(pid)] = Product(
            product_id=int(pid),
            model=Product.model.python_value(model),
            quantity=Product.quantity.python_value(quantity),
            status=Product.status.python_value(status),
        )
    return found


def _sql(template: str) -> str:
    """``template`` with ``{table}`` names (quoted, with the bound prefix) and ``{p}``
    placeholders for the bound database (cached: these run for every order)."""
    db = database_proxy
    key = (template, db.param, OrderHistory._meta.table_name)
    if key not in _SQL:
        q0, q1 = db.quote[0], db.quote[-1]
        names = {
            m.base_table: f"{q0}{m._meta.table_name}{q1}"
            for m in (Order, OrderHistory, OrderProduct, OrderOption, Product, ProductOptionValue)
        }
        _SQL[key] = template.format(p=db.param, **names)
    return _SQL[key]


_SQL: dict[tuple[str, str, str], str] = {}


def _set_status_and_stock(
    order_id: int, old: int, new: int, direction: int, stamp: _dt.datetime
) -> bool:
    """One atomic step: stock moved by ``direction`` × each line's quantity, and the order's
    status ``old`` → ``new``. False when the order's status is no longer ``old``."""
    db = database_proxy
    if is_mysql(db):
        return _set_status_and_stock_mysql(order_id, old, new, direction, stamp)
    with db.atomic():
        changed = execute_once(
            _sql(
                "UPDATE {order} SET order_status_id = {p}, date_modified = {p} "
                "WHERE order_id = {p} AND order_status_id = {p}"
            ),
            (new, Order.date_modified.db_value(stamp), order_id, old),
        ).rowcount
        if not changed:
            return False
        if direction:
            # set-based, like the MySQL statement: units summed per product / option value
            execute_once(
                _sql(
                    "UPDATE {product} SET quantity = quantity + {p} * (SELECT SUM(op.quantity) "
                    "FROM {order_product} AS op WHERE op.order_id = {p} "
                    "AND op.product_id = {product}.product_id) "
                    "WHERE subtract = 1 AND product_id IN "
                    "(SELECT product_id FROM {order_product} WHERE order_id = {p})"
                ),
                (direction, order_id, order_id),
            )
            execute_once(
                _sql(
                    "UPDATE {product_option_value} SET quantity = quantity + {p} * "
                    "(SELECT SUM(op.quantity) FROM {order_option} AS oo JOIN {order_product} AS op "
                    "ON op.order_product_id = oo.order_product_id WHERE oo.order_id = {p} AND "
                    "oo.product_option_value_id = "
                    "{product_option_value}.product_option_value_id) "
                    "WHERE subtract = 1 AND product_option_value_id IN (SELECT "
                    "product_option_value_id FROM {order_option} WHERE order_id = {p})"
                ),
                (direction, order_id, order_id),
            )
    return True


def _set_status_and_stock_mysql(
    order_id: int, old: int, new: int, direction: int, stamp: _dt.datetime
) -> bool:
    """The single multi-table UPDATE (MySQL updates each matched row once, so the per-product
    and per-option-value sums come from derived tables joined to every row)."""
    o = _table(Order)
    if not direction:
        cursor = execute_once(
            f"UPDATE {o} SET order_status_id = %s, date_modified = %s "
            "WHERE order_id = %s AND order_status_id = %s",
            (new, stamp, order_id, old),
        )
        return cursor.rowcount > 0 or _status_is(order_id, new, old)
    op, oo = _table(OrderProduct), _table(OrderOption)
    p, pov = _table(Product), _table(ProductOptionValue)
    sql = (
        f"UPDATE {o} AS o "
        f"LEFT JOIN (SELECT product_id, SUM(quantity) AS q FROM {op} WHERE order_id = %s "
        "GROUP BY product_id) AS ps ON 1 = 1 "
        f"LEFT JOIN {p} AS p ON p.product_id = ps.product_id AND p.subtract = 1 "
        f"LEFT JOIN (SELECT oo.product_option_value_id AS id, SUM(opq.quantity) AS q FROM {oo} AS oo "
        f"JOIN {op} AS opq ON opq.order_product_id = oo.order_product_id WHERE oo.order_id = %s "
        "AND oo.product_option_value_id > 0 GROUP BY oo.product_option_value_id) AS vs ON 1 = 1 "
        f"LEFT JOIN {pov} AS pov ON pov.product_option_value_id = vs.id AND pov.subtract = 1 "
        "SET p.quantity = p.quantity + %s * ps.q, pov.quantity = pov.quantity + %s * vs.q, "
        "o.order_status_id = %s, o.date_modified = %s "
        "WHERE o.order_id = %s AND o.order_status_id = %s"
    )
    cursor = execute_once(
        sql, (order_id, order_id, direction, direction, new, stamp, order_id, old)
    )
    # old != new here (the direction is non-zero), so a matched order row always changes.
    return cursor.rowcount > 0


def _status_is(order_id: int, new: int, old: int) -> bool:
    """After an UPDATE that reported no changed row: was it a no-op (same status, same
    second) rather than a lost race? MySQL counts changed rows, not matched ones."""
    current = Order.select(Order.order_status_id).where(Order.order_id == order_id).scalar()
    return old == new and current == new


def _table(model: type[pw.Model]) -> str:
    return f"`{model._meta.table_name}`"


def restock_lines(
    order_id: int, lines: dict[int, int], *, shop: ShopContext | None = None
) -> dict[int, int]:
    """Take ``qty`` units off each ``order_product`` line (``{order_product_id: qty}``): the
    line's ``quantity`` and ``total`` shrink, and when the order's status holds stock
    (processing∪complete) the units go back to the product and its option values
    (``subtract`` flags honoured). A later full cancel in OpenCart then restocks exactly what
    is still taken. Returns ``{order_product_id: units taken off}`` (capped at the line's
    quantity). Each line is one atomic step guarded by the quantity read before it; order
    totals are the caller's business."""
    shop = shop or shop_context()
    status = Order.select(Order.order_status_id).where(Order.order_id == order_id).scalar()
    if status is None:
        raise StoreError(f"OpenCart order {order_id} does not exist")
    holds_stock = int(status) in shop.stock_statuses
    done: dict[int, int] = {}
    for line_id, wanted in lines.items():
        line = OrderProduct.get_or_none(
            (OrderProduct.order_product_id == line_id) & (OrderProduct.order_id == order_id)
        )
        if line is None:
            raise StoreError(f"order {order_id} has no line {line_id}")
        qty = max(0, min(int(wanted), int(line.quantity)))
        if not qty:
            done[line_id] = 0
            continue
        if not _take_off_line(line, qty, holds_stock):
            raise StoreError(f"order {order_id} line {line_id} changed while jettui updated it")
        done[line_id] = qty
    return done


def take_line_down(
    order_id: int, order_product_id: int, before: int, after: int, *, shop: ShopContext
) -> bool:
    """Bring one ``order_product`` line from ``before`` units down to ``after`` (what it must
    still hold), putting the difference back in stock when the order's status holds stock,
    like :func:`restock_lines`; ONE statement guarded by "the line still holds ``before``"
    (MySQL: one multi-table UPDATE; SQLite: one transaction). False when the line no longer
    holds ``before`` (done by an earlier run, or changed by someone else): nothing written."""
    if after >= before:
        return False
    line = OrderProduct.get_or_none(
        (OrderProduct.order_product_id == order_product_id) & (OrderProduct.order_id == order_id)
    )
    status = Order.select(Order.order_status_id).where(Order.order_id == order_id).scalar()
    if line is None or status is None or int(line.quantity) != before:
        return False
    return _take_off_line(line, before - max(after, 0), int(status) in shop.stock_statuses)


def _take_off_line(line: OrderProduct, qty: int, restock: bool) -> bool:
    left = int(line.quantity) - qty
    total = (Decimal(str(line.price)) * left).quantize(Decimal("0.0001"))
    db = database_proxy
    values = (line.order_product_id, line.quantity)
    if is_mysql(db):
        op, oo = _table(OrderProduct), _table(OrderOption)
        p, pov = _table(Product), _table(ProductOptionValue)
        if restock:
            sql = (
                f"UPDATE {op} AS op "
                f"LEFT JOIN {p} AS p ON p.product_id = op.product_id AND p.subtract = 1 "
                f"LEFT JOIN {oo} AS oo ON oo.order_product_id = op.order_product_id "
                "AND oo.product_option_value_id > 0 "
                f"LEFT JOIN {pov} AS pov ON pov.product_option_value_id = oo.product_option_value_id "
                "AND pov.subtract = 1 "
                "SET p.quantity = p.quantity + %s, pov.quantity = pov.quantity + %s, "
                "op.quantity = %s, op.total = %s "
                "WHERE op.order_product_id = %s AND op.quantity = %s"
            )
            params: tuple[Any, ...] = (qty, qty, left, total, *values)
        else:
            sql = (
                f"UPDATE {op} SET quantity = %s, total = %s "
                "WHERE order_product_id = %s AND quantity = %s"
            )
            params = (left, total, *values)
        return execute_once(sql, params).rowcount > 0
    with db.atomic():
        changed = (
            OrderProduct.update(quantity=left, total=total)
            .where(
                (OrderProduct.order_product_id == line.order_product_id)
                & (OrderProduct.quantity == line.quantity)
            )
            .execute()
        )
        if not changed:
            return False
        if restock:
            Product.update(quantity=Product.quantity + qty).where(
                (Product.product_id == line.product_id) & (Product.subtract == 1)
            ).execute()
            value_ids = [
                v
                for (v,) in tuple_rows(
                    OrderOption.select(OrderOption.product_option_value_id).where(
                        OrderOption.order_product_id == line.order_product_id
                    )
                )
                if v
            ]
            if value_ids:
                ProductOptionValue.update(quantity=ProductOptionValue.quantity + qty).where(
                    ProductOptionValue.product_option_value_id.in_(value_ids)
                    & (ProductOptionValue.subtract == 1)
                ).execute()
    return True
