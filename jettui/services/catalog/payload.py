"""Jet payloads from OpenCart products, and the checks made before anything is sent.

Synchronous store reads only (run them on the store thread). One OpenCart product gives one
:class:`ProductCheck`: its errors (block sending), warnings, and the :class:`Listing` s to send.
A product with select/radio options is configurable: the product's own SKU is the variation
parent, and each combination of their values is a child SKU ``<sku>-<slug>[-<slug>...]`` (one
slug per option, in option order), at most :data:`COMBINATIONS_MAX` of them. Other option types
(checkbox, text, file, date) are ignored with a warning. Prices start from the price the shop
charges (:mod:`.specials`), images come from :mod:`.images`.

The variation parent (jet-api.md does not settle whether it is a sellable member of its
family): jettui's reading is that **the parent carries no stock of its own**. It is sent with
its listing data, its price and an inventory of 0, never the sum of its children, so Jet never
sells it as a product without its options; an order for it is held by the import
(:mod:`jettui.services.orders.import_plan`). Each child is a real combination:

- its own standard code, set on the child (``products edit CHILD --upc/--ean/--gtin``, kept on
  the child's JetProduct row: OpenCart 3.0 keeps no code per option value); without one it is
  sent with the brand and a manufacturer part number (the child's own, else the parent's MPN
  or model plus the option slugs) and a warning says it will never go live. A child never
  carries the parent's code or ASIN (Jet keys a listing on its code).
- its refinement values: each option maps to the node's variant attribute named like it
  (:func:`.attributes.matching_variant`), or to the one the merchant chose (Jet data
  ``option_attributes``), else to none (a warning, never a guess). The child sends, for each
  mapped option, the option value's name, or the merchant's mapped value (Jet data
  ``option_values``: option value id → ``VALUE[ UNIT]``), checked against the attribute's
  allowed values and units (an error names the child, the attribute and the reason).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from jettui.config import Settings
from jettui.jet import models
from jettui.services.catalog import field_map, specials
from jettui.services.catalog.attributes import (
    NodeAttribute,
    matching_variant,
    node_attributes,
    product_node,
    refinement_item,
)
from jettui.services.catalog.batch import Batch, load_batch
from jettui.services.catalog.images import ImageFinder
from jettui.store.base import database_proxy, tuple_rows
from jettui.store.combination import combination_slot
from jettui.store.currency import UsdRate, no_usd_problem, usd_rate

VARIANT_OPTION_TYPES = ("select", "radio")
DESCRIPTION_MAX = 2000
BRAND_MAX = 50
MIN_PRICE = Decimal("0.01")
STORE_NUMBER_MAX = Decimal("1e15")  # OpenCart's DECIMAL(15,4) holds less than this
NUMBER_COLUMNS = ("price", "quantity", "weight")
LB_PER_KG = Decimal("2.20462262")
NEVER_LIVE = "no standard code: sent with brand + manufacturer part number, it will never go live"
CHILD_NEVER_LIVE = (
    "variation child(ren) without a standard code, sent with brand + manufacturer part number: "
    "they will never go live (give each its code: products edit CHILD --upc/--ean/--gtin)"
)
CHILD_KEYS = ("standard_code", "standard_code_type", "asin", "mpn")  # a child's own Jet data
BATCH_PRODUCTS = 500  # products whose rows are read together (one query per table)
# Fields models.validate_merchant_sku reads together (identification, MAP): a child that
# changes one of them is validated whole, not only where it differs from its parent.
CROSS_CHECKED = frozenset(
    {
        "standard_product_codes",
        "ASIN",
        "brand",
        "mfr_part_number",
        "map_implementation",
        "map_price",
    }
)
COMBINATIONS_MAX = 100  # children of one product (Jet variation groups stay manageable)


class UnknownSku(LookupError):
    """A SKU asked for by name matches no product of the store."""


class BadPrice(ValueError):
    """A price that cannot be listed: zero, negative, or below one cent after the increment."""


# TAB, CR, LF and every other control character (C0, DEL, C1): they break Jet's titles and the
# grid's rows. Whitespace controls become a space; the others are dropped.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_SPACE = re.compile(r"[\t\n\r]")


@dataclass
class Listing:
    """One Jet SKU: its MerchantSKUs, Price and Inventory bodies, and the ShippingException and
    ReturnsException bodies when the product's Jet data has them."""

    sku: str
    product_id: int
    option_value_id: int  # 0 = the product itself (simple product or variation parent)
    parent_sku: str | None
    product: dict[str, Any]
    price: dict[str, Any]
    inventory: dict[str, Any]
    shipping_exception: dict[str, Any] | None = None
    returns_exception: dict[str, Any] | None = None
    # How the price was made, for the dry run and the detail: source (price | special), the
    # store's amount, the option deltas applied and the pricing increment.
    pricing: dict[str, str] = field(default_factory=dict)

    def preview(self) -> dict[str, Any]:
        """What a dry run shows of this SKU, and the exact bodies it would send."""
        body = self.product
        return {
            "sku": self.sku,
            "parent_sku": self.parent_sku,
            "title": body.get("product_title", ""),
            "brand": body.get("brand", ""),
            "codes": [
                f"{c['standard_product_code_type']} {c['standard_product_code']}"
                for c in body.get("standard_product_codes", [])
            ]
            + ([f"ASIN {body['ASIN']}"] if body.get("ASIN") else []),
            "price": self.price.get("price"),
            "pricing": dict(self.pricing),
            "inventory": sum(n.get("quantity", 0) for n in self.inventory["fulfillment_nodes"]),
            "weight_lb": body.get("shipping_weight_pounds"),
            "images": ([body["main_image_url"]] if body.get("main_image_url") else [])
            + [a["image_url"] for a in body.get("alternate_images", [])],
            "node": body.get("jet_browse_node_id"),
            "bodies": {
                "MerchantSKUs": body,
                "Price": self.price,
                "Inventory": self.inventory,
                **(
                    {"ShippingException": self.shipping_exception}
                    if self.shipping_exception
                    else {}
                ),
                **({"ReturnsException": self.returns_exception} if self.returns_exception else {}),
            },
        }

    @property
    def offer_hash(self) -> str:
        """Hash of price + inventory: ``JetProduct.sent_hash``, so sync skips unchanged SKUs."""
        raw = json.dumps([self.price, self.inventory], sort_keys=True, default=str)
        return hashlib.sha256(raw.encode()).hexdigest()


@dataclass
class ProductCheck:
    product_id: int
    sku: str
    name: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    listings: list[Listing] = field(default_factory=list)
    variation: dict[str, Any] | None = None  # the parent's Variation body, when configurable
    refinements: list[int] = field(default_factory=list)  # its variant attributes, even if invalid
    # Jet field → its catalog.field_map source, for the fields fed by a non-default source
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def skus(self) -> list[str]:
        return [x.sku for x in self.listings] or [self.sku or f"product {self.product_id}"]

    @property
    def label(self) -> str:
        return self.sku or f"product {self.product_id}"

    def lines(self) -> list[str]:
        """One line per problem, named by SKU."""
        return [f"{self.label}: error: {e}" for e in self.errors] + [
            f"{self.label}: warning: {w}" for w in self.warnings
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "product_id": self.product_id,
            "sku": self.sku,
            "skus": self.skus,
            "errors": self.errors,
            "warnings": self.warnings,
        }


# --- selection --------------------------------------------------------------------------------


def merchant_sku(product: Any) -> str:
    return (product.sku or "").strip() or (product.model or "").strip()


def mapped_product_ids(settings: Settings, *, include_disabled: bool = False) -> list[int]:
    """Every product of the store in at least one category mapped to a Jet node; disabled
    products (``status = 0``) only when ``include_disabled``."""
    from jettui.store.base import tuple_rows

    query = _mapped_products(settings)
    if not include_disabled:
        from jettui.store.opencart import Product

        query = query.where(Product.status != 0)
    return [pid for (pid,) in tuple_rows(query)]


def disabled_mapped_count(settings: Settings) -> int:
    """How many mapped products are disabled in OpenCart (left out of ``--all``)."""
    from jettui.store.opencart import Product

    return _mapped_products(settings).where(Product.status == 0).count()


def _mapped_products(settings: Settings) -> Any:
    from jettui.store.jet_tables import JetCategory
    from jettui.store.opencart import Product, ProductToCategory, ProductToStore

    query = (
        Product.select(Product.product_id)
        .join(ProductToStore, on=ProductToStore.product_id == Product.product_id)
        .switch(Product)
        .join(ProductToCategory, on=ProductToCategory.product_id == Product.product_id)
        .join(JetCategory, on=JetCategory.category_id == ProductToCategory.category_id)
        .where(ProductToStore.store_id == settings.store.store_id)
        .distinct()
        .order_by(Product.product_id)
    )
    return query


def product_ids_for_skus(skus: Iterable[str]) -> list[int]:
    """The products behind merchant SKUs (a product's own SKU or an uploaded child's).
    Raises :class:`UnknownSku` naming every SKU that matches nothing."""
    from jettui.store.jet_tables import JetProduct
    from jettui.store.opencart import Product

    wanted = list(dict.fromkeys(skus))
    found: dict[str, int] = {}
    rows = Product.select(Product.product_id, Product.sku, Product.model).where(
        Product.sku.in_(wanted) | Product.model.in_(wanted)
    )
    for row in rows:
        sku = merchant_sku(row)
        if sku in wanted:
            found.setdefault(sku, row.product_id)
    for jet_row in JetProduct.select().where(JetProduct.merchant_sku.in_(wanted)):
        found.setdefault(jet_row.merchant_sku, jet_row.product_id)
    for sku in [s for s in wanted if s not in found]:  # a variation child not uploaded yet
        parent = _parent_of_child(sku)
        if parent is not None:
            found[sku] = parent
    unknown = [s for s in wanted if s not in found]
    if unknown:
        raise UnknownSku(f"unknown SKU(s): {', '.join(unknown)}")
    return list(dict.fromkeys(found[s] for s in wanted))


def _parent_of_child(sku: str) -> int | None:
    """The product whose select/radio options generate ``sku`` as a variation child SKU
    (``<parent sku>-<slug>...``): products whose SKU is a prefix of ``sku`` are read."""
    from jettui.store.opencart import Product

    prefixes = [sku[:i] for i, char in enumerate(sku) if char == "-" and i]
    if not prefixes:
        return None
    rows = Product.select(Product.product_id, Product.sku, Product.model).where(
        Product.sku.in_(prefixes) | Product.model.in_(prefixes)
    )
    for row in rows:
        parent = merchant_sku(row)
        if parent not in prefixes:
            continue
        if _is_child_of(sku[len(parent) + 1 :], _option_slugs(row.product_id)):
            return int(row.product_id)
    return None


def _option_slugs(product_id: int) -> list[set[str]]:
    """Per select/radio option of the product (in order), the slugs of its values' names in
    every language."""
    from jettui.store.opencart import Option, OptionValueDescription, ProductOptionValue

    rows = (
        ProductOptionValue.select(ProductOptionValue.product_option_id, OptionValueDescription.name)
        .join(Option, on=Option.option_id == ProductOptionValue.option_id)
        .join(
            OptionValueDescription,
            on=OptionValueDescription.option_value_id == ProductOptionValue.option_value_id,
        )
        .where(
            (ProductOptionValue.product_id == product_id)
            & Option.type.in_(list(VARIANT_OPTION_TYPES))
        )
        .order_by(ProductOptionValue.product_option_id)
    )
    per_option: dict[int, set[str]] = {}
    for option_id, name in tuple_rows(rows):
        per_option.setdefault(int(option_id), set()).add(slug(clean_text(name or "")))
    return list(per_option.values())


def _is_child_of(rest: str, slugs: list[set[str]]) -> bool:
    """``rest`` is one slug of each option in turn, joined by '-'."""
    if not slugs:
        return False
    for value in slugs[0]:
        if len(slugs) == 1 and rest == value:
            return True
        nested = len(slugs) > 1 and rest.startswith(value + "-")
        if nested and _is_child_of(rest[len(value) + 1 :], slugs[1:]):
            return True
    return False


# --- building ---------------------------------------------------------------------------------


def validate_products(settings: Settings, product_ids: Iterable[int]) -> list[ProductCheck]:
    """Build and check every product (store thread). Errors block; warnings do not."""
    return Checker(settings).check_many(product_ids)


def price_with_increment(base: Decimal, settings: Settings, usd: UsdRate | None = None) -> Decimal:
    """OpenCart price → Jet price: the store's amount (its default currency) in US dollars as
    a USD shopper sees it in the storefront (``usd``: the shop's rate, see
    :mod:`jettui.store.currency`; None: the amount is dollars already), rounded half up to the
    cent, then the ``settings.pricing`` increment (a fixed one is dollars), 2 decimals.

    Raises :class:`BadPrice` for a store price of 0 or less, or a result below one cent: such
    a product is refused, never listed at a price the merchant did not set."""
    if not base.is_finite() or base <= 0:
        raise BadPrice(f"the store price is {_money(base)}: it must be above 0")
    dollars = usd.to_usd(base) if usd is not None else base
    amount = Decimal(str(settings.pricing.increment_amount))
    if settings.pricing.increment_type == "fixed":
        value = dollars + amount
    else:
        value = dollars * (1 + amount / 100)
    value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value < MIN_PRICE:
        raise BadPrice(
            f"the store price {_money(base)}{_in_dollars(base, usd)} with the increment "
            f"({_increment(settings)}) gives {_money(value)}: Jet needs at least 0.01"
        )
    return value


def _in_dollars(base: Decimal, usd: UsdRate | None) -> str:
    if usd is None or not usd.converts:
        return ""
    return f" {usd.default_code or 'default currency'} (USD {_money2(usd.to_usd(base))})"


def conversion_text(usd: UsdRate, amount: Decimal) -> str:
    """How a price source names the conversion of ``amount``: ``GBP × 1.25 = USD 100.00``."""
    code = usd.default_code or "default currency"
    return f"{code} × {usd.value.normalize():f} = USD {_money2(usd.to_usd(amount))}"


def _money(value: Decimal) -> str:
    return format(value.normalize(), "f") if value.is_finite() else str(value)


def _money2(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")


def _increment(settings: Settings) -> str:
    amount = settings.pricing.increment_amount
    return f"{amount:+g}" + ("%" if settings.pricing.increment_type == "percent" else "")


def clean_text(text: str) -> str:
    """``text`` without control characters (TAB/CR/LF become spaces), spaces collapsed."""
    spaced = _CONTROL_SPACE.sub(" ", text or "")
    return " ".join(_CONTROL.sub("", spaced).split())


def store_number(value: Any) -> Decimal:
    """A price/quantity/weight as the store holds it → a finite Decimal; ValueError (naming
    the value) when it is not a number (SQLite keeps any text) or out of range (1e400)."""
    try:
        number = Decimal(str(value if value is not None else 0).strip() or "0")
    except InvalidOperation:
        raise ValueError(f"'{str(value)[:40]}' is not a number") from None
    if not number.is_finite() or abs(number) >= STORE_NUMBER_MAX:
        raise ValueError(f"'{str(value)[:40]}' is out of range")
    return number


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def plain_description(text: str) -> str:
    """A description as read from the store (HTML: the column's escaping already undone) →
    Jet's plain text, ≤ 2000 characters. Entities are decoded exactly once, after the tags
    are gone (:func:`jettui.store.text.html_to_text`)."""
    from jettui.store.text import html_to_text

    return html_to_text(text or "")[:DESCRIPTION_MAX].rstrip()


def child_sku(parent: str, combination: Iterable[tuple[Any, str]]) -> str:
    """``<parent>-<slug>[-<slug>...]``: one slug per option value label, in option order."""
    return "-".join([parent, *(slug(label) for _, label in combination)])


def _combination_count(values: list[list[Any]]) -> int:
    total = 1
    for option_values in values:
        total *= len(option_values)
    return total


def _signed(prefix: str | None, amount: Decimal) -> Decimal:
    return -amount if prefix == "-" else amount


def _money_signed(value: Decimal) -> str:
    return ("+" if value >= 0 else "-") + _money2(abs(value))


def _from(mapped: field_map.Mapped) -> str:
    """`` (from meta_title)`` after a problem with a value the field map took elsewhere."""
    return "" if mapped.default else f" (from {mapped.source})"


class SkuOwners:
    """Merchant SKU → the ids of the products carrying it, for every product of the store:
    one int per SKU (a list only for a SKU shared by several), so 100,000 products cost a
    few megabytes, not a list each."""

    def __init__(self) -> None:
        self.one: dict[str, int] = {}
        self.more: dict[str, list[int]] = {}

    def add(self, sku: str, product_id: int) -> None:
        if sku in self.more:
            self.more[sku].append(product_id)
        elif sku in self.one:
            self.more[sku] = [self.one.pop(sku), product_id]
        else:
            self.one[sku] = product_id

    def get(self, sku: str, default: list[int] | None = None) -> list[int]:
        """The products carrying ``sku`` (``default``, else [], when none)."""
        if sku in self.one:
            return [self.one[sku]]
        return list(self.more.get(sku, default if default is not None else []))


class Checker:
    """Store lookups shared by the products of one run: made once, then
    :meth:`check_many` chunk after chunk (store thread)."""

    def __init__(self, settings: Settings) -> None:
        from jettui.store.opencart import Manufacturer, WeightClass, WeightClassDescription

        self.settings = settings
        self.language_id = settings.store.language_id
        self.images = ImageFinder(settings)
        self.customer_group_id = specials.default_customer_group(settings.store.store_id)
        self.today = specials.shop_today()
        self.usd = usd_rate(settings.store.store_id)  # None: no USD currency, nothing priced
        self.weight_values = {w.weight_class_id: w.value for w in WeightClass.select()}
        units = {
            d.unit.strip().lower(): d.weight_class_id
            for d in WeightClassDescription.select()
            if d.unit
        }
        self.lb_value: Decimal | None = None
        if "lb" in units:
            self.lb_value = self.weight_values.get(units["lb"])
        elif "kg" in units and self.weight_values.get(units["kg"]):
            self.lb_value = self.weight_values[units["kg"]] * LB_PER_KG
        self.sku_owners = self._sku_owners()
        self.manufacturers: dict[int, str] = dict(
            tuple_rows(Manufacturer.select(Manufacturer.manufacturer_id, Manufacturer.name))
        )
        self.variant_cache: dict[int, list[NodeAttribute]] = {}  # node id → its attributes
        self.batch = Batch()  # the rows of the chunk being checked (check_many)
        self.mapper = field_map.Mapper(settings)  # catalog.field_map

    def _sku_owners(self) -> SkuOwners:
        from jettui.store.opencart import Product

        owners = SkuOwners()
        rows = Product.select(Product.product_id, Product.sku, Product.model).namedtuples()
        for row in rows.iterator():  # 100,000 products: no result cache kept meanwhile
            owners.add(merchant_sku(row), row.product_id)
        return owners

    def pounds(self, weight: Decimal, weight_class_id: int) -> float | None:
        value = self.weight_values.get(weight_class_id)
        if not value or self.lb_value is None or weight is None or weight <= 0:
            return None
        return float((Decimal(weight) / value * self.lb_value).quantize(Decimal("0.01")))

    def check_many(self, product_ids: Iterable[int]) -> list[ProductCheck]:
        """The checks of ``product_ids``, their rows read per chunk (:mod:`.batch`)."""
        ids = list(dict.fromkeys(product_ids))
        out: list[ProductCheck] = []
        for start in range(0, len(ids), BATCH_PRODUCTS):
            chunk = ids[start : start + BATCH_PRODUCTS]
            self.batch = load_batch(chunk, self.language_id, self.customer_group_id, clean_text)
            try:
                out += [self.check(pid) for pid in chunk]
            finally:
                self.batch = Batch()
        return out

    def check(self, product_id: int) -> ProductCheck:
        """One product's check. A value the store holds that is not a number refuses this
        product only: the other products of the run go on."""
        unreadable = self._unreadable_numbers(product_id)
        if unreadable:
            sku = self._raw_sku(product_id)
            return ProductCheck(product_id, sku, "", errors=unreadable)
        try:
            return self._check(product_id)
        except (ValueError, ArithmeticError, TypeError) as exc:  # e.g. an option value's price
            sku = self._raw_sku(product_id)
            return ProductCheck(product_id, sku, "", errors=[f"unreadable store value: {exc}"])

    def _unreadable_numbers(self, product_id: int) -> list[str]:
        """The product's price/quantity/weight read raw (SQLite keeps any text in them)."""
        from peewee import SQL

        from jettui.store.opencart import Product

        if self.batch.has(product_id):
            row = self.batch.raw.get(product_id, ())[:3]
        else:
            query = Product.select(*(SQL(c) for c in NUMBER_COLUMNS)).where(
                Product.product_id == product_id
            )
            row = database_proxy.execute(query).fetchone()  # the raw cursor: no conversion
        problems = []
        for column, value in zip(NUMBER_COLUMNS, row or (), strict=False):
            try:
                store_number(value)
            except ValueError as exc:
                problems.append(f"{column}: {exc} in the store")
        return problems

    def _raw_sku(self, product_id: int) -> str:
        from peewee import SQL

        from jettui.store.opencart import Product

        if self.batch.has(product_id):
            row = self.batch.raw.get(product_id, (None,) * 5)[3:]
        else:
            query = Product.select(SQL("sku"), SQL("model")).where(Product.product_id == product_id)
            row = database_proxy.execute(query).fetchone()
        return (str(row[0] or "").strip() or str(row[1] or "").strip()) if row else ""

    def _check(self, product_id: int) -> ProductCheck:
        from jettui.store.opencart import Product

        if self.batch.has(product_id):
            product = self.batch.products.get(product_id)
        else:
            product = Product.get_or_none(Product.product_id == product_id)
        if product is None:
            return ProductCheck(product_id, "", "", errors=["no such product in the store"])
        sku = merchant_sku(product)
        raw_name = self._name(product_id)
        check = ProductCheck(product_id, sku, clean_text(raw_name))
        if check.name != " ".join(raw_name.split()):
            check.warnings.append("control characters removed from the name")
        self._check_sku(check, product_id)
        overrides = self._overrides(product_id)
        body = self._body(product, overrides, check)
        options = self._variant_options(check, self._options(product_id))
        rows = self.batch.specials.get(product_id, []) if self.batch.has(product_id) else None
        base = specials.base_price(
            product_id, store_number(product.price), self.customer_group_id, self.today, rows
        )
        check.warnings.extend(base.warnings)
        price = self._price(check, base.amount)
        quantity = max(0, int(product.quantity or 0))
        if check.errors or price is None:
            return check
        if options:  # a variation parent: no stock of its own (module docstring)
            quantity = 0
        parent = self._listing(sku, product_id, 0, None, body, price, quantity)
        parent.pricing = self._pricing(base)
        check.listings.append(parent)
        if options:
            self._children(check, product, body, options, base, overrides)
        self._exceptions(check, overrides)
        parent_ok = True
        for listing in check.listings:
            parent_ok = self._validate_listing(check, listing, parent_ok) and parent_ok
        if check.variation is not None:
            for problem in models.validate_variation(check.variation):
                check.errors.append(f"variation: {problem}")
        return check

    def _description(self, product_id: int) -> Any:
        from jettui.store.opencart import ProductDescription

        if self.batch.has(product_id):
            return self.batch.descriptions.get(product_id)
        return ProductDescription.get_or_none(
            (ProductDescription.product_id == product_id)
            & (ProductDescription.language_id == self.language_id)
        )

    def _name(self, product_id: int) -> str:
        row = self._description(product_id)
        return (row.name or "").strip() if row else ""

    def _pricing(self, base: specials.BasePrice, delta: Decimal = Decimal(0)) -> dict[str, str]:
        out = {"source": base.source, "store_price": _money2(base.amount)}
        if delta:
            out["options"] = _money_signed(delta)
        if self.usd is not None and self.usd.converts:
            out["currency"] = conversion_text(self.usd, base.amount + delta)
        out["increment"] = _increment(self.settings)
        return out

    def _price(self, check: ProductCheck, base: Decimal, label: str = "") -> Decimal | None:
        """The Jet price (US dollars) of ``base`` (the shop's default currency), or None with
        the reason among the check's errors."""
        if self.usd is None:
            check.errors.append(f"{label}price: {no_usd_problem()}")
            return None
        try:
            return price_with_increment(base, self.settings, self.usd)
        except BadPrice as exc:
            check.errors.append(f"{label}{exc}")
            return None

    def _check_sku(self, check: ProductCheck, product_id: int) -> None:
        if not check.sku:
            check.errors.append("no SKU or model: Jet needs a merchant SKU")
            return
        check.errors.extend(models.validate_merchant_sku_id(check.sku))
        others = [p for p in self.sku_owners.get(check.sku, []) if p != product_id]
        if others:
            check.errors.append(f"SKU '{check.sku}' is also used by product(s) {others}")
        parents = self._generated_by_others(check.sku, product_id)
        if parents:
            check.errors.append(
                f"SKU '{check.sku}' is also the variation child SKU of product(s) {parents}"
            )

    def _generated_by_others(self, sku: str, product_id: int) -> list[int]:
        """Other products whose option values generate ``sku`` as a child SKU
        (``<parent sku>-<value slug>``): only parents that are a prefix of ``sku`` are read."""
        found = []
        for i, char in enumerate(sku):
            if char != "-":
                continue
            for parent_id in self.sku_owners.get(sku[:i], []):
                if parent_id != product_id and sku in self._child_skus(parent_id, sku[:i]):
                    found.append(parent_id)
        return sorted(set(found))

    def _child_skus(self, product_id: int, parent_sku: str) -> list[str]:
        """The child SKUs the product's select/radio options generate (none otherwise)."""
        options = [o for o in self._options(product_id) if o[1] in VARIANT_OPTION_TYPES]
        values = [self._values(o[0]) for o in options]
        if not options or _combination_count(values) > COMBINATIONS_MAX:
            return []
        return [child_sku(parent_sku, combo) for combo in itertools.product(*values)]

    def _values(self, po: Any) -> list[tuple[Any, str]]:
        """(ProductOptionValue, its label without control characters) of an option."""
        from jettui.store.opencart import OptionValueDescription, ProductOptionValue

        if self.batch.has(po.product_id):
            return list(self.batch.values.get(po.product_option_id, []))

        values = ProductOptionValue.select().where(
            ProductOptionValue.product_option_id == po.product_option_id
        )
        out = []
        for value in values.order_by(ProductOptionValue.product_option_value_id):
            described = OptionValueDescription.get_or_none(
                (OptionValueDescription.option_value_id == value.option_value_id)
                & (OptionValueDescription.language_id == self.language_id)
            )
            label = clean_text(described.name if described else "") or str(value.option_value_id)
            out.append((value, label))
        return out

    def _overrides(self, product_id: int) -> dict[str, Any]:
        """The product's edited Jet data (edit.py), kept on its own (option value 0) row."""
        from jettui.store.jet_tables import JetProduct

        if self.batch.has(product_id):
            return dict(self.batch.overrides.get(product_id, {}))
        link = JetProduct.get_or_none(
            (JetProduct.product_id == product_id) & (JetProduct.product_option_value_id == 0)
        )
        return dict(link.overrides or {}) if link else {}

    def _exceptions(self, check: ProductCheck, overrides: dict[str, Any]) -> None:
        """The product's shipping / returns exceptions apply to each of its SKUs."""
        shipping = overrides.get("shipping_exceptions")
        returns = overrides.get("returns_exceptions")
        node = self.settings.jet.fulfillment_node_id
        for listing in check.listings:
            if shipping:
                listing.shipping_exception = {
                    "fulfillment_nodes": [
                        {"fulfillment_node_id": node, "shipping_exceptions": list(shipping)}
                    ]
                }
            if returns:
                listing.returns_exception = dict(returns)

    def _body(self, product: Any, overrides: dict[str, Any], check: ProductCheck) -> dict[str, Any]:

        body: dict[str, Any] = {"multipack_quantity": 1}
        node = self._node(product.product_id)
        if node is None:
            check.errors.append("no mapped Jet category (map one of its categories first)")
        else:
            body["jet_browse_node_id"] = node
        maker = self.manufacturers.get(product.manufacturer_id, "")
        description_row = self._description(product.product_id)
        fields = field_map.row_fields(product, description_row, manufacturer=maker)
        mapped = self.mapper.map(fields, product.product_id, self.batch.product_ids)
        check.sources = field_map.used_sources(mapped, overrides)
        if not mapped["title"].default:
            check.name = str(mapped["title"].value)  # children and the variation group too
        title = check.name
        if not 5 <= len(title) <= 500:
            check.errors.append(
                f"title must be 5-500 characters (got {len(title)}){_from(mapped['title'])}"
            )
        body["product_title"] = title
        brand = clean_text(str(overrides.get("brand") or mapped["brand"].value or ""))
        if not brand:
            check.errors.append(
                "no brand: set the product's manufacturer or a Jet brand"
                if mapped["brand"].default
                else f"no brand: {mapped['brand'].source} is empty (catalog.field_map); "
                "set it or a Jet brand"
            )
        elif len(brand) > BRAND_MAX:
            check.errors.append(f"brand must be at most {BRAND_MAX} characters")
        else:
            body["brand"] = brand
        mpn = str(overrides.get("mpn") or mapped["mfr_part_number"].value or "").strip()
        if mpn:
            body["mfr_part_number"] = mpn[:50]
        for key in ("manufacturer", "country_of_origin", "bullets"):
            if mapped[key].value:
                body[key] = mapped[key].value
        codes = self._codes(mapped, overrides, check)
        if codes:
            body["standard_product_codes"] = codes
        if overrides.get("asin"):
            body["ASIN"] = str(overrides["asin"])
        if overrides.get("attributes"):
            body["attributes_node_specific"] = [dict(a) for a in overrides["attributes"]]
        if not codes and not body.get("ASIN"):
            if mpn and brand:
                check.warnings.append(NEVER_LIVE)
            elif not any("code" in e for e in check.errors):
                check.errors.append(
                    "no standard code (UPC, EAN, ISBN) and no manufacturer part number"
                )
        description = str(mapped["description"].value)
        if description:
            body["product_description"] = description
        paths = (
            self.batch.images.get(product.product_id, [])
            if self.batch.has(product.product_id)
            else None
        )
        images = self.images.for_product(product.product_id, product.image, paths)
        images.apply(body)
        check.warnings.extend(images.warnings)
        pounds = self.pounds(product.weight, product.weight_class_id)
        if pounds:
            body["shipping_weight_pounds"] = pounds
        return body

    def _node(self, product_id: int) -> int | None:
        if self.batch.has(product_id):
            return self.batch.nodes.get(product_id)
        return product_node(product_id)

    def _codes(
        self, mapped: dict[str, field_map.Mapped], overrides: dict[str, Any], check: ProductCheck
    ) -> list[dict[str, str]]:
        given: list[tuple[str, str]] = []
        if overrides.get("standard_code"):
            code = str(overrides["standard_code"]).strip()
            given.append((code, str(overrides.get("standard_code_type") or "")))
        else:  # the code slots of catalog.field_map, spaces and hyphens already out
            for key in field_map.CODE_KEYS:
                value = str(mapped[key].value)
                if value:
                    given.append((value, ""))
        codes: list[dict[str, str]] = []
        for code, code_type in given:
            code_type = code_type or models.guess_code_type(code) or ""
            if not code_type or code_type == "ASIN":
                check.errors.append(f"'{code}' is not a UPC, EAN, ISBN or GTIN-14 code")
                continue
            problem = models.check_product_code(code, code_type)
            if problem:
                check.errors.append(f"standard code: {problem}")
                continue
            entry = {"standard_product_code": code, "standard_product_code_type": code_type}
            if entry not in codes:
                codes.append(entry)
        return codes

    def _options(self, product_id: int) -> list[tuple[Any, str, str]]:
        """(ProductOption, option type, option name) of the product's options with values."""
        from jettui.store.opencart import (
            Option,
            OptionDescription,
            ProductOption,
            ProductOptionValue,
        )

        if self.batch.has(product_id):
            return list(self.batch.options.get(product_id, []))
        out = []
        for po in ProductOption.select().where(ProductOption.product_id == product_id):
            option = Option.get_or_none(Option.option_id == po.option_id)
            has_values = (
                ProductOptionValue.select()
                .where(ProductOptionValue.product_option_id == po.product_option_id)
                .exists()
            )
            if option is None or not has_values:
                continue
            name = OptionDescription.get_or_none(
                (OptionDescription.option_id == po.option_id)
                & (OptionDescription.language_id == self.language_id)
            )
            out.append((po, option.type, name.name if name else "Option"))
        return out

    def _variant_options(self, check: ProductCheck, options: list[tuple]) -> list[tuple]:
        """The select/radio options (variations); the others are ignored with a warning."""
        for _po, option_type, name in options:
            if option_type not in VARIANT_OPTION_TYPES:
                check.warnings.append(
                    f"option '{name}' ({option_type}) ignored: only select and radio options "
                    "become Jet variations"
                )
        return [o for o in options if o[1] in VARIANT_OPTION_TYPES]

    def _children(
        self,
        check: ProductCheck,
        product: Any,
        body: dict[str, Any],
        options: list[tuple],
        base: specials.BasePrice,
        overrides: dict[str, Any],
    ) -> None:
        """One child per combination of the options' values: price = base ± each value's
        delta, stock = the lowest of the values that subtract stock, weight ± each delta; its
        own code (or MPN) and its refinement values (module docstring)."""
        values = [self._values(po) for po, _type, _name in options]
        combinations = _combination_count(values)
        if combinations > COMBINATIONS_MAX:
            check.errors.append(
                f"{combinations} option combinations: at most {COMBINATIONS_MAX} children "
                "per product (remove option values or split the product)"
            )
            return
        node_id = body.get("jet_browse_node_id")
        chosen = self._refinements(check, node_id, options, overrides)
        check.refinements = [a.attribute_id for a in chosen if a is not None]
        mapped_values = {str(k): str(v) for k, v in (overrides.get("option_values") or {}).items()}
        own = self._child_overrides(product.product_id)
        parent = check.sku
        mpn_base = str(body.get("mfr_part_number") or product.model or parent).strip()
        uncoded = 0
        for combo in itertools.product(*values):
            sku = child_sku(parent, combo)
            owners = [p for p in self.sku_owners.get(sku, []) if p != product.product_id]
            if owners:
                check.errors.append(
                    f"{sku}: the variation child SKU is also the SKU of product(s) {owners}"
                )
            delta = sum(
                (_signed(v.price_prefix, store_number(v.price)) for v, _ in combo), Decimal(0)
            )
            price = self._price(check, base.amount + delta, f"{sku}: ")
            if price is None:
                continue
            labels = [label for _, label in combo]
            slot = combination_slot([v.product_option_value_id for v, _ in combo])
            child_body = dict(body, product_title=f"{check.name} - {' / '.join(labels)}"[:500])
            if not self._child_code(check, sku, child_body, own.get(slot, {}), mpn_base, labels):
                uncoded += 1
            refined = self._refinement_items(check, sku, combo, chosen, mapped_values)
            kept = [
                dict(a)
                for a in body.get("attributes_node_specific") or []
                if a.get("attribute_id") not in {item["attribute_id"] for item in refined}
            ]
            if kept or refined:  # each child its own copy of the list
                child_body["attributes_node_specific"] = kept + refined
            weight = store_number(product.weight) + sum(
                (_signed(v.weight_prefix, store_number(v.weight)) for v, _ in combo), Decimal(0)
            )
            pounds = self.pounds(weight, product.weight_class_id)
            if pounds:
                child_body["shipping_weight_pounds"] = pounds
            stocked = [max(0, int(store_number(v.quantity))) for v, _ in combo if v.subtract]
            quantity = min(stocked) if stocked else max(0, int(product.quantity or 0))
            child = self._listing(
                sku, product.product_id, slot, parent, child_body, price, quantity
            )
            child.pricing = self._pricing(base, delta)
            check.listings.append(child)
        if uncoded:
            check.warnings.append(f"{uncoded} {CHILD_NEVER_LIVE}")
        if check.errors:
            return
        children = [x.sku for x in check.listings[1:]]
        if len(set(children)) != len(children):
            names = ", ".join(f"'{name}'" for _po, _type, name in options)
            check.errors.append(f"option {names} has values with the same name")
            return
        refinements = check.refinements
        if not refinements:
            return
        check.variation = {
            "relationship": "Variation",
            "variation_refinements": refinements,
            "children_skus": children,
            "group_title": check.name[:500],
        }

    def _child_code(
        self,
        check: ProductCheck,
        sku: str,
        body: dict[str, Any],
        own: dict[str, Any],
        mpn_base: str,
        labels: list[str],
    ) -> bool:
        """The child's identification in ``body``: its own code or ASIN when it has one, else
        brand + MPN. Never the parent's code or ASIN. False when it has no code."""
        body.pop("standard_product_codes", None)
        body.pop("ASIN", None)
        mpn = str(own.get("mpn") or "").strip()
        body["mfr_part_number"] = (mpn or "-".join([mpn_base, *(slug(x) for x in labels)]))[:50]
        if own.get("asin"):
            body["ASIN"] = str(own["asin"])
        code = str(own.get("standard_code") or "").strip()
        if code:
            code_type = str(own.get("standard_code_type") or "") or models.guess_code_type(code)
            problem = models.check_product_code(code, code_type or "")
            if problem or not code_type:
                check.errors.append(f"{sku}: standard code: {problem or code + ' is not a code'}")
            else:
                body["standard_product_codes"] = [
                    {"standard_product_code": code, "standard_product_code_type": code_type}
                ]
        return bool(body.get("standard_product_codes") or body.get("ASIN"))

    def _refinement_items(
        self,
        check: ProductCheck,
        sku: str,
        combo: tuple[tuple[Any, str], ...],
        chosen: list[NodeAttribute | None],
        mapped_values: dict[str, str],
    ) -> list[dict[str, Any]]:
        """The child's value for each option's variant attribute: the merchant's mapped value
        for the option value, else its name; checked against the attribute."""
        items = []
        for (value, label), attribute in zip(combo, chosen, strict=True):
            if attribute is None:
                continue
            text = mapped_values.get(str(value.option_value_id)) or label
            item, problems = refinement_item(attribute, text)
            for problem in problems:
                hint = (
                    ""
                    if str(value.option_value_id) in mapped_values
                    else (
                        f" (map '{label}' to a value of {attribute.name}: products edit "
                        f"{check.sku} --option-value '{label}=VALUE')"
                    )
                )
                check.errors.append(f"{sku}: {problem}{hint}")
            items.append(item)
        return items

    def _refinements(
        self,
        check: ProductCheck,
        node_id: int | None,
        options: list[tuple],
        overrides: dict[str, Any],
    ) -> list[NodeAttribute | None]:
        """Each option's Jet variant attribute: the merchant's choice (Jet data
        ``option_attributes``: option id → attribute id), else the node's variant attribute
        named like the option, else None with a warning (never a silently wrong one)."""
        mapped = overrides.get("option_attributes") or {}
        attributes = self._node_attributes(node_id)
        by_id = {a.attribute_id: a for a in attributes}
        chosen: list[NodeAttribute | None] = []
        for po, _type, name in options:
            wanted = mapped.get(str(po.option_id))
            if wanted is not None:
                attribute: NodeAttribute | None = by_id.get(int(wanted)) or NodeAttribute(
                    int(wanted), f"attribute {wanted}"
                )
            else:
                attribute = matching_variant(name, attributes)
            if attribute is not None and attribute in chosen:
                attribute = None
            if attribute is None:
                check.warnings.append(
                    f"option '{name}' matches no variant attribute of the Jet node: its "
                    "children are not refined by it (choose one in the edit screen's option "
                    "mapping, or products edit --option-attribute)"
                )
            chosen.append(attribute)
        return chosen

    def _node_attributes(self, node_id: int | None) -> list[NodeAttribute]:
        """The node's cached attributes (taxonomy cache), read once per node per run."""
        if node_id is None:
            return []
        if node_id not in self.variant_cache:
            self.variant_cache[node_id] = node_attributes(node_id)
        return self.variant_cache[node_id]

    def _child_overrides(self, product_id: int) -> dict[int, dict[str, Any]]:
        """Combination slot → the child's own Jet data (code, MPN), from its JetProduct row."""
        from jettui.store.jet_tables import JetProduct

        if self.batch.has(product_id):
            return dict(self.batch.child_overrides.get(product_id, {}))
        rows = JetProduct.select(JetProduct.product_option_value_id, JetProduct.overrides).where(
            (JetProduct.product_id == product_id) & (JetProduct.product_option_value_id > 0)
        )
        return {r.product_option_value_id: dict(r.overrides) for r in rows if r.overrides}

    def _listing(
        self,
        sku: str,
        product_id: int,
        option_value_id: int,
        parent: str | None,
        body: dict[str, Any],
        price: Decimal,
        quantity: int,
    ) -> Listing:
        node = self.settings.jet.fulfillment_node_id
        amount = float(price)
        return Listing(
            sku=sku,
            product_id=product_id,
            option_value_id=option_value_id,
            parent_sku=parent,
            product=body,
            price={
                "price": amount,
                "fulfillment_nodes": [
                    {"fulfillment_node_id": node, "fulfillment_node_price": amount}
                ],
            },
            inventory={"fulfillment_nodes": [{"fulfillment_node_id": node, "quantity": quantity}]},
        )

    def _validate_listing(
        self, check: ProductCheck, listing: Listing, parent_ok: bool = False
    ) -> bool:
        """Jet's rules for the SKU's bodies (errors named by SKU); True when it has none.

        A child's body is its parent's with a few fields replaced (title, weight, attributes):
        once the parent's passed, only the fields that differ are checked again."""
        parent = check.listings[0] if check.listings else None
        changed: dict[str, Any] | None = None
        if parent_ok and parent is not None and listing is not parent:
            changed = {k: v for k, v in listing.product.items() if parent.product.get(k) is not v}
            if len(listing.product) != len(parent.product) or not CROSS_CHECKED.isdisjoint(changed):
                changed = None  # a field a rule across fields reads: the whole body again
        if changed is not None:
            spec = models.MERCHANT_SKU_SPEC  # only the changed fields: the rest passed
            body_problems = models.fields(changed, {k: spec[k] for k in changed if k in spec})
        else:
            body_problems = models.validate_merchant_sku(listing.product)
        problems = (
            models.validate_merchant_sku_id(listing.sku)
            + body_problems
            + models.validate_price(listing.price)
            + models.validate_inventory(listing.inventory)
        )
        prefix = "" if listing.sku == check.sku else f"{listing.sku}: "
        check.errors.extend(f"{prefix}{p}" for p in problems)
        return not problems
