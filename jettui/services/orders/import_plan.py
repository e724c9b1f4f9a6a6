"""From a Jet order to the OpenCart rows that represent it (synchronous: run on the store thread).

:func:`plan_order` reads the shop (SKU links, products, option values, countries and zones)
and decides every column of the OpenCart order addOrder would write, its ``order_product`` /
``order_option`` / ``order_total`` rows, the warnings to put on the order, and the problems
that stop it from being created. It writes nothing, so the writer can decide once, then write.

Jet's money (``order_items[].item_price``) is read by :mod:`jettui.jet.item_price`:
``base_price``, ``item_shipping_cost`` and ``item_shipping_tax`` per unit, ``item_tax`` for
the whole line (the evidence is in that module). So a line's unit price is ``base_price``, its
total ``base_price × quantity``, its unit tax ``item_tax / quantity``; totals: sub_total = Σ
line totals, shipping = Σ item_shipping_cost × quantity, tax = Σ item_tax + item_shipping_tax ×
quantity (only when non-zero), total = their sum = ``order.total``. Each amount is taken to the
cent in dollars, then written in the shop's default currency (``ShopContext.from_usd``, 4
decimals) with ``currency_code`` USD and ``currency_value`` the USD rate, so the admin's ``value ×
currency_value`` shows exactly the dollars Jet charged (:mod:`jettui.store.currency`).

Problems (the order is not created; see the importer for rejected/held):

- an unknown SKU (no jettui link, no OpenCart product with that ``sku`` or ``model``), a SKU
  whose product or option value(s) were deleted → ``nonfulfillable - invalid merchant SKU``;
  a child for a combination of several options (its link holds
  :func:`~jettui.store.combination.combination_slot`) becomes one line with one
  ``order_option`` per option value, as OpenCart's checkout writes a multi-option product;
- a disabled product, or not enough stock (product, and each option value that subtracts) when
  the shop does not sell without stock (``config_stock_checkout`` 0) → ``nonfulfillable - no
  inventory``; units of one product on several items are counted together;
- a quantity of 0 or less → ``nonfulfillable``;
- the variation parent of a product with select/radio options (its own SKU, an older listing:
  the catalog sends the parent with no stock, see :mod:`jettui.services.catalog.payload`) →
  ``nonfulfillable - invalid merchant SKU`` naming the options: it stands for no combination,
  so the order would be a line without the option the shop must ship. Held or rejected as any
  problem order, never imported without its option.

What does not fit OpenCart's columns is written as faithfully as they allow, with a warning:
an unknown US state (zone 0, the state text kept), text cut to the column or holding
characters outside utf8's 3 bytes (replaced by U+FFFD), money that is not a number (0).
"""

from __future__ import annotations

import datetime as _dt
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import peewee as pw

from jettui.jet import item_price
from jettui.jet.dates import parse_jet_date
from jettui.jet.enums import ItemAckStatus
from jettui.services.catalog.payload import COMBINATIONS_MAX, VARIANT_OPTION_TYPES
from jettui.store.base import StoreModel, tuple_rows
from jettui.store.combination import COMBINATION_SLOT_BASE, combination_slot
from jettui.store.jet_tables import JetProduct
from jettui.store.oc_orders import ShopContext, products_now
from jettui.store.opencart import (
    Country,
    Option,
    OptionDescription,
    OptionValueDescription,
    Order,
    OrderProduct,
    Product,
    ProductDescription,
    ProductOption,
    ProductOptionValue,
    Zone,
)
from jettui.store.order_lines import product_for_sku

CENT = Decimal("0.01")  # Jet's amounts are dollars and cents
PAYMENT_METHOD = "Jet.com"
PAYMENT_CODE = "jet"
SHIPPING_CODE = "jet.jet"
USER_AGENT = "jettui (Jet.com order import)"


@dataclass
class PlannedLine:
    """One ``order_product`` row (and its ``order_option`` rows) for one Jet order item."""

    order_item_id: str
    merchant_sku: str
    product_id: int
    product_option_value_id: int  # the SKU link's: a value id, a combination slot, or 0
    name: str
    model: str
    quantity: int
    price: Decimal  # unit, ex tax (default currency, as every amount below)
    total: Decimal  # what Jet charged for the item's units
    tax: Decimal  # unit tax
    options: list[dict[str, Any]] = field(default_factory=list)

    def product_row(self, order_id: int) -> dict[str, Any]:
        return {
            "order_id": order_id,
            "product_id": self.product_id,
            "name": self.name,
            "model": self.model,
            "quantity": self.quantity,
            "price": self.price,
            "total": self.total,
            "tax": self.tax,
            "reward": 0,
        }

    def ledger(self, order_product_id: int = 0) -> dict[str, Any]:
        return {
            "order_item_id": self.order_item_id,
            "merchant_sku": self.merchant_sku,
            "order_product_id": order_product_id,
            "product_id": self.product_id,
            "product_option_value_id": self.product_option_value_id,
            "option_value_ids": [int(o["product_option_value_id"]) for o in self.options],
            "quantity": self.quantity,
        }


@dataclass(frozen=True)
class ItemProblem:
    order_item_id: str
    merchant_sku: str
    status: ItemAckStatus
    reason: str


@dataclass
class OrderPlan:
    merchant_order_id: str
    reference_order_id: str
    order: dict[str, Any]  # oc_order columns (order_status_id left at 0: addOrder's value)
    lines: list[PlannedLine]
    totals: list[dict[str, Any]]  # code, title, value, sort_order
    warnings: list[str]
    problems: list[ItemProblem]
    item_ids: list[str]  # every Jet order_item_id, in Jet's order (for the acknowledgement)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def reason(self) -> str:
        """All problems in one line."""
        return "; ".join(p.reason for p in self.problems)

    @property
    def total(self) -> Decimal:
        return self.order["total"]


def marker(merchant_order_id: str) -> str:
    """The text in ``order.comment`` that ties an OpenCart order to its Jet order: written by
    the same INSERT as the order row, so a run killed right after it finds the order again."""
    return f"Jet order id {merchant_order_id}"


def import_comment(plan_or_raw: OrderPlan | dict[str, Any], warnings: list[str]) -> str:
    """The ``order_history`` comment naming the Jet order, its reference id and warnings."""
    if isinstance(plan_or_raw, OrderPlan):
        mid, ref = plan_or_raw.merchant_order_id, plan_or_raw.reference_order_id
    else:
        mid = str(plan_or_raw.get("merchant_order_id") or "")
        ref = str(plan_or_raw.get("reference_order_id") or "")
    text = f"Imported from Jet.com: order {ref} ({marker(mid)})."
    if warnings:
        text += " Warnings: " + "; ".join(warnings) + "."
    return text


class Lookups:
    """What does not change while one run imports orders, read once: SKU links, product
    names and models, option rows, the US country and its zones. Stock and product status
    are read fresh for every order."""

    def __init__(self, shop: ShopContext) -> None:
        self.shop = shop
        self._links: dict[str, tuple[int, int] | None] = {}
        self._names: dict[int, str | None] = {}
        self._options: dict[int, dict[str, Any]] = {}
        self._variants: dict[int, list[str]] = {}
        self._country: Country | None | bool = False
        self._zones: dict[str, Zone] = {}

    def link(self, sku: str) -> tuple[int, int] | None:
        """(product_id, product_option_value_id) of a SKU: jettui's link first, then
        OpenCart's ``sku``, then ``model``; None when nothing matches."""
        if sku not in self._links:
            found = (
                JetProduct.select(JetProduct.product_id, JetProduct.product_option_value_id)
                .where(JetProduct.merchant_sku == sku)
                .tuples()
                .first()
            )
            if found is not None:
                self._links[sku] = (int(found[0]), int(found[1] or 0))
            else:
                product_id = product_for_sku(sku)
                self._links[sku] = (product_id, 0) if product_id else None
        return self._links[sku]

    def name(self, product_id: int) -> str | None:
        if product_id not in self._names:
            self._names[product_id] = (
                ProductDescription.select(ProductDescription.name)
                .where(
                    (ProductDescription.product_id == product_id)
                    & (ProductDescription.language_id == self.shop.language_id)
                )
                .scalar()
            )
        return self._names[product_id]

    def variant_options(self, product_id: int) -> list[str]:
        """The names of the product's select/radio options that have values (the options
        the catalog makes variation children of); [] for a simple product."""
        if product_id not in self._variants:
            rows = (
                ProductOption.select(ProductOption.option_id, OptionDescription.name)
                .join(Option, on=Option.option_id == ProductOption.option_id)
                .switch(ProductOption)
                .join(
                    OptionDescription,
                    pw.JOIN.LEFT_OUTER,
                    on=(OptionDescription.option_id == ProductOption.option_id)
                    & (OptionDescription.language_id == self.shop.language_id),
                )
                .where(
                    (ProductOption.product_id == product_id)
                    & Option.type.in_(list(VARIANT_OPTION_TYPES))
                    & pw.fn.EXISTS(
                        ProductOptionValue.select(ProductOptionValue.product_option_value_id).where(
                            ProductOptionValue.product_option_id == ProductOption.product_option_id
                        )
                    )
                )
                .order_by(ProductOption.product_option_id)
                .tuples()
            )
            self._variants[product_id] = [
                str(name or f"option {oid}") for oid, name in tuple_rows(rows)
            ]
        return self._variants[product_id]

    def option_row(self, value: ProductOptionValue) -> dict[str, Any]:
        key = int(value.product_option_value_id)
        row = self._options.get(key)
        if row is None:
            row = self._options[key] = _option_row(value, self.shop)
        return dict(row)

    def country(self) -> Country | None:
        # Several store threads may share a run's lookups (MySQL): each entry is computed in
        # full before it is published, the country last.
        if self._country is False:
            country = Country.get_or_none(Country.iso_code_2 == "US")
            zones: dict[str, Zone] = {}
            if country is not None:
                query = Zone.select().where(Zone.country_id == country.country_id)
                for zone in query.order_by(Zone.status, Zone.zone_id.desc()):
                    zones[zone.code.upper()] = zone  # the enabled, lowest id wins
            self._zones = zones
            self._country = country
        return self._country  # type: ignore[return-value]

    def zone(self, code: str) -> Zone | None:
        return self._zones.get(code.upper()) if self.country() is not None else None


def plan_order(
    raw: dict[str, Any], shop: ShopContext, customer_email: str, lookups: Lookups | None = None
) -> OrderPlan:
    """Everything the import will write for the Jet order ``raw`` (nothing is written).
    ``lookups``: a run's memo (a fresh one when None)."""
    lookups = lookups or Lookups(shop)
    warnings: list[str] = []
    mid = str(raw.get("merchant_order_id") or "")
    ref = str(raw.get("reference_order_id") or "")
    listed = raw.get("order_items")
    items = [i for i in listed if isinstance(i, dict)] if isinstance(listed, list) else []
    lines, problems = _lines(items, lookups, warnings)
    totals = _totals(items, lines, shop, _shipping_method(raw), warnings)
    order = _order_columns(raw, shop, customer_email, totals, warnings, lookups)
    order["comment"] = f"Jet.com order {ref} ({marker(mid)})"
    if not items:
        problems.append(ItemProblem("", "", ItemAckStatus.NONFULFILLABLE, "the order has no items"))
    return OrderPlan(
        merchant_order_id=mid,
        reference_order_id=ref,
        order=order,
        lines=lines,
        totals=totals,
        warnings=warnings,
        problems=problems,
        item_ids=[str(i.get("order_item_id") or "") for i in items],
    )


# --- lines ------------------------------------------------------------------------------------


@dataclass
class _Resolved:
    product: Product
    values: list[ProductOptionValue]  # none (simple product), one, or a combination's
    slot: int = 0  # the SKU link's product_option_value_id


def _lines(
    items: list[dict[str, Any]], lookups: Lookups, warnings: list[str]
) -> tuple[list[PlannedLine], list[ItemProblem]]:
    lines: list[PlannedLine] = []
    problems: list[ItemProblem] = []
    resolved: list[tuple[dict[str, Any], _Resolved, int]] = []
    skus = [str(item.get("merchant_sku") or "") for item in items]
    links = [lookups.link(sku) if sku else None for sku in skus]
    products = products_now(link[0] for link in links if link is not None)  # read now, together
    for item, sku, link in zip(items, skus, links, strict=True):
        item_id = str(item.get("order_item_id") or "")
        qty = _int(item.get("request_order_quantity"))
        found, problem = _resolve(sku, link, products, lookups)
        if problem is not None:
            problems.append(ItemProblem(item_id, sku, *problem))
            continue
        assert found is not None
        if qty <= 0:
            problems.append(
                ItemProblem(item_id, sku, ItemAckStatus.NONFULFILLABLE, f"{sku}: quantity {qty}")
            )
            continue
        resolved.append((item, found, qty))
    if not lookups.shop.stock_checkout:
        problems += _stock_problems(resolved)
    for item, found, qty in resolved:
        lines.append(_line(item, found, qty, lookups, warnings))
    return lines, problems


def _resolve(
    sku: str,
    link: tuple[int, int] | None,
    products: dict[int, Product],
    lookups: Lookups,
) -> tuple[_Resolved | None, tuple[ItemAckStatus, str] | None]:
    """The product (and option value) a Jet SKU stands for (``link``: what the SKU is linked
    to), with its stock as ``products`` read it."""
    invalid = ItemAckStatus.INVALID_SKU
    if link is None:
        return None, (invalid, f"{sku or '(empty)'}: unknown merchant SKU")
    product_id, value_id = link
    product = products.get(product_id)
    if product is None:
        return None, (invalid, f"{sku}: product {product_id} no longer exists in OpenCart")
    values: list[ProductOptionValue] = []
    if value_id >= COMBINATION_SLOT_BASE:
        values = _combination(product_id, value_id)
        if not values:
            return None, (
                invalid,
                f"{sku}: its option combination no longer exists in OpenCart "
                f"(product {product_id})",
            )
    elif value_id:
        value = (
            ProductOptionValue.select()
            .where(
                (ProductOptionValue.product_option_value_id == value_id)
                & (ProductOptionValue.product_id == product_id)
            )
            .first()
        )
        if value is None:
            return None, (invalid, f"{sku}: option value {value_id} no longer exists in OpenCart")
        values = [value]
    if not value_id:
        options = lookups.variant_options(product_id)
        if options:
            return None, (
                invalid,
                f"{sku}: the variation parent of product {product_id} stands for no "
                f"{' × '.join(options)}: it cannot be shipped without its option (the buyer "
                "must order a child SKU)",
            )
    if not product.status:
        return None, (
            ItemAckStatus.NO_INVENTORY,
            f"{sku}: product {product_id} is disabled in OpenCart",
        )
    return _Resolved(product, values, value_id), None


def _combination(product_id: int, slot: int) -> list[ProductOptionValue]:
    """The option values (one per select/radio option, in option order) whose
    :func:`combination_slot` is ``slot``: the catalog uploads a child per combination of the
    product's select/radio values, so the same enumeration finds it again. [] when none
    matches (a value or option deleted since the upload)."""
    rows = (
        ProductOptionValue.select()
        .join(Option, on=(Option.option_id == ProductOptionValue.option_id))
        .where(
            (ProductOptionValue.product_id == product_id)
            & Option.type.in_(list(VARIANT_OPTION_TYPES))
        )
        .order_by(ProductOptionValue.product_option_id, ProductOptionValue.product_option_value_id)
    )
    per_option: dict[int, list[ProductOptionValue]] = defaultdict(list)
    for row in rows:
        per_option[int(row.product_option_id)].append(row)
    groups = list(per_option.values())
    count = 1
    for group in groups:
        count *= len(group)
    if len(groups) < 2 or count > COMBINATIONS_MAX:
        return []  # the catalog uploads no combination children for such a product
    for combo in itertools.product(*groups):
        if combination_slot([int(v.product_option_value_id) for v in combo]) == slot:
            return list(combo)
    return []


def _stock_problems(resolved: list[tuple[dict[str, Any], _Resolved, int]]) -> list[ItemProblem]:
    """OpenCart's checkout refuses a cart whose product (or subtracting option value) has
    fewer units than ordered; units of one product on several items count together."""
    per_product: dict[int, int] = defaultdict(int)
    per_value: dict[int, int] = defaultdict(int)
    for _item, found, qty in resolved:
        per_product[found.product.product_id] += qty
        for value in found.values:
            if value.subtract:
                per_value[value.product_option_value_id] += qty
    problems = []
    for item, found, _qty in resolved:
        sku = str(item.get("merchant_sku") or "")
        have, want = int(found.product.quantity), per_product[found.product.product_id]
        short = have < want
        for value in found.values:
            if value.subtract and int(value.quantity) < per_value[value.product_option_value_id]:
                short = True
                have = min(have, int(value.quantity))
                want = max(want, per_value[value.product_option_value_id])
        if short:
            problems.append(
                ItemProblem(
                    str(item.get("order_item_id") or ""),
                    sku,
                    ItemAckStatus.NO_INVENTORY,
                    f"{sku}: {max(have, 0)} in stock, {want} ordered",
                )
            )
    return problems


def _line(
    item: dict[str, Any], found: _Resolved, qty: int, lookups: Lookups, warnings: list[str]
) -> PlannedLine:
    sku = str(item.get("merchant_sku") or "")
    price = _dict(item.get("item_price"))
    base = _money(price.get("base_price"), f"{sku} base_price", warnings)
    tax = _money(price.get("item_tax"), f"{sku} item_tax", warnings)
    product = found.product
    name = lookups.name(int(product.product_id)) or str(item.get("product_title") or sku)
    shop = lookups.shop
    line = PlannedLine(
        order_item_id=str(item.get("order_item_id") or ""),
        merchant_sku=sku,
        product_id=int(product.product_id),
        product_option_value_id=int(found.slot),
        name=name,
        model=product.model,
        quantity=qty,
        price=shop.from_usd(item_price.unit_amount(base, "base_price", qty)),
        total=shop.from_usd(_cents(item_price.line_amount(base, "base_price", qty))),
        tax=shop.from_usd(item_price.unit_amount(tax, "item_tax", qty)),
    )
    _check_fits(OrderProduct, {"name": line.name, "model": line.model}, f"{sku} ", warnings)
    line.options.extend(lookups.option_row(value) for value in found.values)
    return line


def _option_row(value: ProductOptionValue, shop: ShopContext) -> dict[str, Any]:
    """``order_option`` columns for a variation child's option value (what the cart writes:
    option name, value name, option type)."""
    option_name = (
        OptionDescription.select(OptionDescription.name)
        .where(
            (OptionDescription.option_id == value.option_id)
            & (OptionDescription.language_id == shop.language_id)
        )
        .scalar()
    )
    value_name = (
        OptionValueDescription.select(OptionValueDescription.name)
        .where(
            (OptionValueDescription.option_value_id == value.option_value_id)
            & (OptionValueDescription.language_id == shop.language_id)
        )
        .scalar()
    )
    option_type = Option.select(Option.type).where(Option.option_id == value.option_id).scalar()
    product_option_id = value.product_option_id or (
        ProductOption.select(ProductOption.product_option_id)
        .where(
            (ProductOption.product_id == value.product_id)
            & (ProductOption.option_id == value.option_id)
        )
        .scalar()
    )
    return {
        "product_option_id": int(product_option_id or 0),
        "product_option_value_id": int(value.product_option_value_id),
        "name": option_name or "",
        "value": value_name or "",
        "type": option_type or "select",
    }


# --- totals -----------------------------------------------------------------------------------


def _totals(
    items: list[dict[str, Any]],
    lines: list[PlannedLine],
    shop: ShopContext,
    shipping_method: str,
    warnings: list[str],
) -> list[dict[str, Any]]:
    """The order_total rows: each amount summed in dollars (what the buyer paid for every
    unit, to the cent), then written in the default currency."""
    quantities = {line.order_item_id: line.quantity for line in lines}
    sub_total = shipping = tax = Decimal(0)
    for item in items:
        qty = quantities.get(str(item.get("order_item_id") or ""))
        if qty is None:
            continue
        price = _dict(item.get("item_price"))
        sku = str(item.get("merchant_sku") or "")
        sub_total += _paid(price, "base_price", qty, sku, [])  # warned about by the line
        shipping += _paid(price, "item_shipping_cost", qty, sku, warnings)
        tax += _paid(price, "item_tax", qty, sku, [])
        tax += _paid(price, "item_shipping_tax", qty, sku, warnings)
    sort = shop.total_sort_order
    rows = [
        ("sub_total", "Sub-Total", sub_total),
        ("shipping", shipping_method, shipping),
    ]
    if tax:
        rows.append(("tax", "Tax", tax))
    rows.append(("total", "Total", sub_total + shipping + tax))
    return [
        {"code": code, "title": title, "value": shop.from_usd(value), "sort_order": sort[code]}
        for code, title, value in rows
    ]


def _paid(price: dict[str, Any], key: str, qty: int, sku: str, warnings: list[str]) -> Decimal:
    """What the buyer paid for every unit of a line for one ``item_price`` key, in dollars."""
    amount = _money(price.get(key), f"{sku} {key}", warnings)
    return _cents(item_price.line_amount(amount, key, qty))


def _cents(dollars: Decimal) -> Decimal:
    """Dollars to the cent (Jet's amounts have 2 decimals; a product of them is kept so)."""
    return dollars.quantize(CENT, rounding=ROUND_HALF_UP)


def _money(value: Any, what: str, warnings: list[str]) -> Decimal:
    if value is None:
        return Decimal(0)
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        warnings.append(f"{what} '{value}' is not an amount: written as 0")
        return Decimal(0)
    if not amount.is_finite() or amount < 0:
        warnings.append(f"{what} '{value}' is not an amount: written as 0")
        return Decimal(0)
    return amount


def _dict(value: Any) -> dict[str, Any]:
    """Jet's nested objects, or {} for anything else (missing, null, a list...)."""
    return value if isinstance(value, dict) else {}


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# --- the order row ----------------------------------------------------------------------------


def _shipping_method(raw: dict[str, Any]) -> str:
    detail = _dict(raw.get("order_detail"))
    method = str(detail.get("request_shipping_method") or "").strip()
    carrier = str(detail.get("request_shipping_carrier") or "").strip()
    level = str(detail.get("request_service_level") or "").strip()
    if method and carrier and not method.lower().startswith(carrier.lower()):
        method = f"{carrier} {method}"
    text = method or carrier or "Jet.com shipping"
    return f"{text} ({level})" if level else text


def split_name(name: str) -> tuple[str, str]:
    """``"Jane Q. Doe"`` → ``("Jane", "Q. Doe")``; one word → ``(word, "")``."""
    parts = str(name or "").split()
    if not parts:
        return "", ""
    return parts[0], " ".join(parts[1:])


def _order_columns(
    raw: dict[str, Any],
    shop: ShopContext,
    customer_email: str,
    totals: list[dict[str, Any]],
    warnings: list[str],
    lookups: Lookups,
) -> dict[str, Any]:
    buyer = _dict(raw.get("buyer"))
    ship_to = _dict(raw.get("shipping_to"))
    recipient = _dict(ship_to.get("recipient")) or buyer
    address = _dict(ship_to.get("address"))
    first, last = split_name(buyer.get("name") or recipient.get("name") or "")
    ship_first, ship_last = split_name(recipient.get("name") or buyer.get("name") or "")
    place = _place(address, warnings, lookups)
    placed = _local_time(raw.get("order_placed_date"))
    common = {
        "address_1": str(address.get("address1") or ""),
        "address_2": str(address.get("address2") or ""),
        "city": str(address.get("city") or ""),
        "postcode": str(address.get("zip_code") or ""),
        "custom_field": "[]",
        "company": "",
        **place,
    }
    columns: dict[str, Any] = {
        "invoice_no": 0,
        "invoice_prefix": shop.invoice_prefix,
        "store_id": shop.store_id,
        "store_name": shop.store_name,
        "store_url": shop.store_url,
        "customer_id": 0,
        "customer_group_id": shop.customer_group_id,
        "firstname": first,
        "lastname": last,
        "email": customer_email,
        "telephone": str(buyer.get("phone_number") or recipient.get("phone_number") or ""),
        "fax": "",
        "custom_field": "[]",
        **{f"payment_{k}": v for k, v in common.items()},
        "payment_firstname": first,
        "payment_lastname": last,
        "payment_method": PAYMENT_METHOD,
        "payment_code": PAYMENT_CODE,
        **{f"shipping_{k}": v for k, v in common.items()},
        "shipping_firstname": ship_first,
        "shipping_lastname": ship_last,
        "shipping_method": _shipping_method(raw),
        "shipping_code": SHIPPING_CODE,
        "total": next(t["value"] for t in totals if t["code"] == "total"),
        "order_status_id": 0,
        "affiliate_id": 0,
        "commission": Decimal(0),
        "marketing_id": 0,
        "tracking": "",
        "language_id": shop.language_id,
        "currency_id": shop.currency_id,
        "currency_code": shop.currency_code,
        "currency_value": shop.currency_value,
        "ip": "",
        "forwarded_ip": "",
        "user_agent": USER_AGENT,
        "accept_language": "",
        "date_added": placed,
        "date_modified": placed,
    }
    _check_fits(Order, columns, "", warnings, skip_prefix="payment_")
    return columns


def _place(address: dict[str, Any], warnings: list[str], lookups: Lookups) -> dict[str, Any]:
    """Country and zone: Jet ships to the US; the state code is looked up in ``oc_zone``."""
    country = lookups.country()
    state = str(address.get("state") or "").strip()
    if country is None:
        warnings.append("the shop has no country with ISO code US: country 0")
        return {
            "country": "United States",
            "country_id": 0,
            "zone": state,
            "zone_id": 0,
            "address_format": "",
        }
    zone = lookups.zone(state) if state else None
    if zone is None:
        warnings.append(f"state '{state}' is not a zone of {country.name}: zone 0")
    return {
        "country": country.name,
        "country_id": int(country.country_id),
        "zone": zone.name if zone is not None else state,
        "zone_id": int(zone.zone_id) if zone is not None else 0,
        "address_format": country.address_format or "",
    }


def _local_time(value: Any) -> _dt.datetime:
    """A Jet date (UTC) as the shop's local time, which is what OpenCart's NOW() writes."""
    try:
        moment = parse_jet_date(str(value))
    except (TypeError, ValueError):
        return _dt.datetime.now().replace(microsecond=0)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.UTC)
    return moment.astimezone().replace(tzinfo=None, microsecond=0)


def _check_fits(
    model: type[StoreModel],
    values: dict[str, Any],
    what: str,
    warnings: list[str],
    skip_prefix: str = "",
) -> None:
    """Warn about text a column cannot hold as given (cut to its length, 4-byte characters
    replaced). Payment columns repeat the shipping ones, so only one of them is named."""
    fields = model._meta.fields
    for column, value in values.items():
        if (
            not isinstance(value, str)
            or not value
            or (skip_prefix and column.startswith(skip_prefix))
        ):
            continue
        f = fields.get(column)
        if f is None or not hasattr(f, "html"):
            continue
        stored = f.python_value(f.db_value(value))
        if stored != value:
            column_name = (
                column.removeprefix("shipping_") if column.startswith("shipping_") else column
            )
            warnings.append(f"{what}{column_name} '{value[:40]}' stored as '{stored[:40]}'")
