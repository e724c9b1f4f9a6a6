"""Jet payloads from OpenCart products, and the checks made before anything is sent.

Synchronous store reads only (run them on the store thread). One OpenCart product gives one
:class:`ProductCheck`: its errors (block sending), warnings, and the :class:`Listing` s to send.
A product whose single select/radio option has values is configurable: the product's own SKU
is the variation parent, and each option value is a child SKU ``<sku>-<value slug>``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from jettui.config import Settings
from jettui.jet import models
from jettui.store.base import database_proxy

VARIANT_OPTION_TYPES = ("select", "radio")
DESCRIPTION_MAX = 2000
BRAND_MAX = 50
MIN_PRICE = Decimal("0.01")
STORE_NUMBER_MAX = Decimal("1e15")  # OpenCart's DECIMAL(15,4) holds less than this
NUMBER_COLUMNS = ("price", "quantity", "weight")
LB_PER_KG = Decimal("2.20462262")
CODE_COLUMNS = (("upc", "UPC"), ("ean", "EAN"), ("isbn", "ISBN"))
NEVER_LIVE = "no standard code: sent with brand + manufacturer part number, it will never go live"
SEVERAL_OPTIONS = "several options: not supported yet"


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
    unknown = [s for s in wanted if s not in found]
    if unknown:
        raise UnknownSku(f"unknown SKU(s): {', '.join(unknown)}")
    return list(dict.fromkeys(found[s] for s in wanted))


# --- building ---------------------------------------------------------------------------------


def validate_products(settings: Settings, product_ids: Iterable[int]) -> list[ProductCheck]:
    """Build and check every product (store thread). Errors block; warnings do not."""
    ids = list(dict.fromkeys(product_ids))
    context = _Context(settings)
    return [context.check(pid) for pid in ids]


def price_with_increment(base: Decimal, settings: Settings) -> Decimal:
    """OpenCart price → Jet price: ``settings.pricing`` increment, 2 decimals.

    Raises :class:`BadPrice` for a store price of 0 or less, or a result below one cent: such
    a product is refused, never listed at a price the merchant did not set."""
    if not base.is_finite() or base <= 0:
        raise BadPrice(f"the store price is {_money(base)}: it must be above 0")
    amount = Decimal(str(settings.pricing.increment_amount))
    if settings.pricing.increment_type == "fixed":
        value = base + amount
    else:
        value = base * (1 + amount / 100)
    value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value < MIN_PRICE:
        raise BadPrice(
            f"the store price {_money(base)} with the increment "
            f"({_increment(settings)}) gives {_money(value)}: Jet needs at least 0.01"
        )
    return value


def _money(value: Decimal) -> str:
    return format(value.normalize(), "f") if value.is_finite() else str(value)


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


class _Context:
    """Store lookups shared by the products of one run."""

    def __init__(self, settings: Settings) -> None:
        from jettui.store.opencart import WeightClass, WeightClassDescription, get_setting

        self.settings = settings
        self.language_id = settings.store.language_id
        base = str(get_setting("config_url", settings.store.store_id, "") or "")
        if not base and settings.store.store_id:
            base = str(get_setting("config_url", 0, "") or "")
        self.image_base = (base.rstrip("/") + "/image/") if base else ""
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

    def _sku_owners(self) -> dict[str, list[int]]:
        from jettui.store.opencart import Product

        owners: dict[str, list[int]] = {}
        for row in Product.select(Product.product_id, Product.sku, Product.model):
            owners.setdefault(merchant_sku(row), []).append(row.product_id)
        return owners

    def pounds(self, weight: Decimal, weight_class_id: int) -> float | None:
        value = self.weight_values.get(weight_class_id)
        if not value or self.lb_value is None or weight is None or weight <= 0:
            return None
        return float((Decimal(weight) / value * self.lb_value).quantize(Decimal("0.01")))

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

        query = Product.select(*(SQL(c) for c in NUMBER_COLUMNS)).where(
            Product.product_id == product_id
        )
        row = database_proxy.execute(query).fetchone()  # the raw cursor: no field conversion
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

        query = Product.select(SQL("sku"), SQL("model")).where(Product.product_id == product_id)
        row = database_proxy.execute(query).fetchone()
        return (str(row[0] or "").strip() or str(row[1] or "").strip()) if row else ""

    def _check(self, product_id: int) -> ProductCheck:
        from jettui.store.opencart import Product

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
        options = self._options(product_id)
        if len(options) > 1:
            check.errors.append(SEVERAL_OPTIONS)
        price = self._price(check, Decimal(product.price or 0))
        quantity = max(0, int(product.quantity or 0))
        if check.errors or price is None:
            return check
        check.listings.append(self._listing(sku, product_id, 0, None, body, price, quantity))
        if options:
            self._children(check, product, body, options[0])
        self._exceptions(check, overrides)
        for listing in check.listings:
            self._validate_listing(check, listing)
        if check.variation is not None:
            for problem in models.validate_variation(check.variation):
                check.errors.append(f"variation: {problem}")
        return check

    def _name(self, product_id: int) -> str:
        from jettui.store.opencart import ProductDescription

        row = ProductDescription.get_or_none(
            (ProductDescription.product_id == product_id)
            & (ProductDescription.language_id == self.language_id)
        )
        return (row.name or "").strip() if row else ""

    def _price(self, check: ProductCheck, base: Decimal, label: str = "") -> Decimal | None:
        """The Jet price of ``base``, or None with the reason among the check's errors."""
        try:
            return price_with_increment(base, self.settings)
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
        """The child SKUs the product's single variant option generates (none otherwise)."""
        options = self._options(product_id)
        if len(options) != 1 or options[0][1] not in VARIANT_OPTION_TYPES:
            return []
        return [f"{parent_sku}-{slug(label)}" for _, label in self._values(options[0][0])]

    def _values(self, po: Any) -> list[tuple[Any, str]]:
        """(ProductOptionValue, its label without control characters) of an option."""
        from jettui.store.opencart import OptionValueDescription, ProductOptionValue

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
        from jettui.store.opencart import Manufacturer, ProductDescription

        body: dict[str, Any] = {"multipack_quantity": 1}
        node = self._node(product.product_id)
        if node is None:
            check.errors.append("no mapped Jet category (map one of its categories first)")
        else:
            body["jet_browse_node_id"] = node
        title = check.name
        if not 5 <= len(title) <= 500:
            check.errors.append(f"title must be 5-500 characters (got {len(title)})")
        body["product_title"] = title
        maker = Manufacturer.get_or_none(Manufacturer.manufacturer_id == product.manufacturer_id)
        brand = clean_text(str(overrides.get("brand") or (maker.name if maker else "") or ""))
        if not brand:
            check.errors.append("no brand: set the product's manufacturer or a Jet brand")
        elif len(brand) > BRAND_MAX:
            check.errors.append(f"brand must be at most {BRAND_MAX} characters")
        else:
            body["brand"] = brand
        mpn = str(overrides.get("mpn") or product.mpn or "").strip()
        if mpn:
            body["mfr_part_number"] = mpn[:50]
        codes = self._codes(product, overrides, check)
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
        row = ProductDescription.get_or_none(
            (ProductDescription.product_id == product.product_id)
            & (ProductDescription.language_id == self.language_id)
        )
        description = plain_description(row.description if row else "")
        if description:
            body["product_description"] = description
        if product.image and self.image_base:
            body["main_image_url"] = self.image_base + product.image.lstrip("/")
        else:
            check.warnings.append("no image: Jet keeps it in Missing Listing Data")
        pounds = self.pounds(product.weight, product.weight_class_id)
        if pounds:
            body["shipping_weight_pounds"] = pounds
        return body

    def _node(self, product_id: int) -> int | None:
        from jettui.store.jet_tables import JetCategory
        from jettui.store.opencart import ProductToCategory

        row = (
            JetCategory.select(JetCategory.jet_node_id)
            .join(ProductToCategory, on=ProductToCategory.category_id == JetCategory.category_id)
            .where(ProductToCategory.product_id == product_id)
            .order_by(JetCategory.category_id)
            .first()
        )
        return int(row.jet_node_id) if row else None

    def _codes(
        self, product: Any, overrides: dict[str, Any], check: ProductCheck
    ) -> list[dict[str, str]]:
        given: list[tuple[str, str]] = []
        if overrides.get("standard_code"):
            code = str(overrides["standard_code"]).strip()
            given.append((code, str(overrides.get("standard_code_type") or "")))
        else:
            for column, _label in CODE_COLUMNS:
                value = re.sub(r"[\s-]", "", str(getattr(product, column) or ""))
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

    def _children(
        self, check: ProductCheck, product: Any, body: dict[str, Any], option: tuple
    ) -> None:
        po, option_type, option_name = option
        if option_type not in VARIANT_OPTION_TYPES:
            check.errors.append(f"option type '{option_type}' cannot become Jet variations")
            return
        parent = check.sku
        for value, label in self._values(po):
            child_sku = f"{parent}-{slug(label)}"
            owners = [p for p in self.sku_owners.get(child_sku, []) if p != product.product_id]
            if owners:
                check.errors.append(
                    f"{child_sku}: the variation child SKU is also the SKU of product(s) {owners}"
                )
            sign = -1 if value.price_prefix == "-" else 1
            base = store_number(product.price) + sign * store_number(value.price)
            price = self._price(check, base, f"{child_sku}: ")
            if price is None:
                continue
            child_body = dict(body, product_title=f"{check.name} - {label}"[:500])
            if "attributes_node_specific" in body:  # each child its own copy of the list
                child_body["attributes_node_specific"] = [
                    dict(a) for a in body["attributes_node_specific"]
                ]
            weight_sign = -1 if value.weight_prefix == "-" else 1
            weight = store_number(product.weight) + weight_sign * store_number(value.weight)
            pounds = self.pounds(weight, product.weight_class_id)
            if pounds:
                child_body["shipping_weight_pounds"] = pounds
            child = self._listing(
                child_sku,
                product.product_id,
                value.product_option_value_id,
                parent,
                child_body,
                price,
                max(0, int(store_number(value.quantity))),
            )
            check.listings.append(child)
        if check.errors:
            return
        children = [x.sku for x in check.listings[1:]]
        if len(set(children)) != len(children):
            check.errors.append(f"option '{option_name}' has values with the same name")
            return
        refinements = self._variant_attributes(body["jet_browse_node_id"])
        if not refinements:
            check.warnings.append(
                "the Jet node's variant attribute is unknown: children are sent without a "
                "variation group"
            )
            return
        check.variation = {
            "relationship": "Variation",
            "variation_refinements": refinements,
            "children_skus": children,
            "group_title": check.name[:500],
        }

    def _variant_attributes(self, node_id: int) -> list[int]:
        """Ids of the node's variant attributes, from the taxonomy cache (categories service)."""
        from jettui.store.jet_tables import JetTaxonomyNode

        node = JetTaxonomyNode.get_or_none(JetTaxonomyNode.jet_node_id == node_id)
        ids = []
        for item in node.attributes if node else []:
            if isinstance(item, dict) and item.get("variant"):
                value = item.get("attribute_id")
                if isinstance(value, int) and value > 0:
                    ids.append(value)
        return ids

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

    def _validate_listing(self, check: ProductCheck, listing: Listing) -> None:
        problems = (
            models.validate_merchant_sku_id(listing.sku)
            + models.validate_merchant_sku(listing.product)
            + models.validate_price(listing.price)
            + models.validate_inventory(listing.inventory)
        )
        prefix = "" if listing.sku == check.sku else f"{listing.sku}: "
        check.errors.extend(f"{prefix}{p}" for p in problems)
