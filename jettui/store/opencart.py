"""peewee models of the OpenCart 3.0 tables jettui reads or writes, and a few small helpers.

NAMING CONTRACT: class = CamelCase of the table name without prefix (``product_option_value``
→ :class:`ProductOptionValue`, ``order`` → :class:`Order`, ``return`` → :class:`Return`); field
= column name exactly. Columns, types, lengths and keys follow OpenCart 3.0.3.8's install SQL
(``shared/opencart/opencart-3.0.sql``). There are no foreign keys in OpenCart: links are plain
integer fields, so joins name their condition (``.join(ProductDescription,
on=(ProductDescription.product_id == Product.product_id))``).

Storage rules (see :mod:`.text` and :mod:`.fields`):

- every NOT NULL column has a default ('' / 0 / unset date; ``date_added``/``date_modified``
  default to now), so inserts never rely on MySQL's non-strict mode;
- zero dates read as ``None``; ``None`` is written back as the zero date. Query "unset" with
  :func:`unset` (``field.is_null()`` does not match the zero date);
- text columns are HTML-escaped on write and unescaped on read (``Date & Time`` in Python,
  ``Date &amp; Time`` in the database), except ``setting.value`` and the ``custom_field``
  columns, which hold JSON that OpenCart stores unescaped;
- characters outside the BMP (emoji) become U+FFFD; text is cut to the column's length.

Tables whose AUTO_INCREMENT id is part of a composite key (``order_status``, ``stock_status``,
``return_status``, ``return_reason``, ``return_action``) cannot auto-number on SQLite: assign
ids with :func:`next_id`.

Writes are not transactional on MySQL (the tables are MyISAM): see docs/opencart.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import peewee as pw

from .base import StoreModel, opencart_model, tuple_rows
from .fields import (
    OcCharField,
    OcDateField,
    OcDateTimeField,
    OcDecimalField,
    OcDoubleField,
    OcFixedCharField,
    OcIntegerField,
    OcTextField,
    OcTinyIntField,
)
from .text import ZERO_DATE, ZERO_DATETIME, now

__all__ = [
    "Attribute",
    "AttributeDescription",
    "AttributeGroup",
    "AttributeGroupDescription",
    "Category",
    "CategoryDescription",
    "CategoryPath",
    "CategoryToStore",
    "Country",
    "Currency",
    "CustomerGroup",
    "CustomerGroupDescription",
    "Language",
    "LengthClass",
    "LengthClassDescription",
    "Manufacturer",
    "ManufacturerToStore",
    "Option",
    "OptionDescription",
    "OptionValue",
    "OptionValueDescription",
    "Order",
    "OrderHistory",
    "OrderOption",
    "OrderProduct",
    "OrderStatus",
    "OrderTotal",
    "Product",
    "ProductAttribute",
    "ProductDescription",
    "ProductDiscount",
    "ProductImage",
    "ProductOption",
    "ProductOptionValue",
    "ProductSpecial",
    "ProductToCategory",
    "ProductToStore",
    "Return",
    "ReturnAction",
    "ReturnHistory",
    "ReturnReason",
    "ReturnStatus",
    "SeoUrl",
    "Setting",
    "StockStatus",
    "Store",
    "TaxClass",
    "WeightClass",
    "WeightClassDescription",
    "Zone",
    "category_breadcrumbs",
    "country_id",
    "get_setting",
    "language_id",
    "next_id",
    "unset",
    "write_category_path",
    "zone_id",
]


def _created() -> OcDateTimeField:
    return OcDateTimeField(default=now)


# --- catalog: products ------------------------------------------------------------------------


@opencart_model
class Product(StoreModel):
    product_id = pw.AutoField()
    model = OcCharField(64)
    sku = OcCharField(64)
    upc = OcCharField(12)
    ean = OcCharField(14)
    jan = OcCharField(13)
    isbn = OcCharField(17)
    mpn = OcCharField(64)
    location = OcCharField(128)
    quantity = OcIntegerField(default=0)
    stock_status_id = OcIntegerField()
    image = OcCharField(255, null=True)
    manufacturer_id = OcIntegerField()
    shipping = OcTinyIntField(default=1)
    price = OcDecimalField(15, 4)
    points = OcIntegerField(default=0)
    tax_class_id = OcIntegerField()
    date_available = OcDateField()
    weight = OcDecimalField(15, 8)
    weight_class_id = OcIntegerField(default=0)
    length = OcDecimalField(15, 8)
    width = OcDecimalField(15, 8)
    height = OcDecimalField(15, 8)
    length_class_id = OcIntegerField(default=0)
    subtract = OcTinyIntField(default=1)
    minimum = OcIntegerField(default=1)
    sort_order = OcIntegerField(default=0)
    status = OcTinyIntField(default=0)
    viewed = OcIntegerField(default=0)
    date_added = _created()
    date_modified = _created()

    class Meta:
        table_name = "product"


@opencart_model
class ProductDescription(StoreModel):
    product_id = OcIntegerField()
    language_id = OcIntegerField()
    name = OcCharField(255, index=True)
    description = OcTextField()
    tag = OcTextField()
    meta_title = OcCharField(255)
    meta_description = OcCharField(255)
    meta_keyword = OcCharField(255)

    class Meta:
        table_name = "product_description"
        primary_key = pw.CompositeKey("product_id", "language_id")


@opencart_model
class ProductToCategory(StoreModel):
    product_id = OcIntegerField()
    category_id = OcIntegerField(index=True)

    class Meta:
        table_name = "product_to_category"
        primary_key = pw.CompositeKey("product_id", "category_id")


@opencart_model
class ProductToStore(StoreModel):
    product_id = OcIntegerField()
    store_id = OcIntegerField(default=0)

    class Meta:
        table_name = "product_to_store"
        primary_key = pw.CompositeKey("product_id", "store_id")


@opencart_model
class ProductImage(StoreModel):
    product_image_id = pw.AutoField()
    product_id = OcIntegerField(index=True)
    image = OcCharField(255, null=True)
    sort_order = OcIntegerField(default=0)

    class Meta:
        table_name = "product_image"


@opencart_model
class ProductOption(StoreModel):
    product_option_id = pw.AutoField()
    product_id = OcIntegerField()
    option_id = OcIntegerField()
    value = OcTextField()
    required = OcTinyIntField()

    class Meta:
        table_name = "product_option"


@opencart_model
class ProductOptionValue(StoreModel):
    product_option_value_id = pw.AutoField()
    product_option_id = OcIntegerField()
    product_id = OcIntegerField()
    option_id = OcIntegerField()
    option_value_id = OcIntegerField()
    quantity = OcIntegerField()
    subtract = OcTinyIntField()
    price = OcDecimalField(15, 4)
    price_prefix = OcCharField(1, default="+")
    points = OcIntegerField()
    points_prefix = OcCharField(1, default="+")
    weight = OcDecimalField(15, 8)
    weight_prefix = OcCharField(1, default="+")

    class Meta:
        table_name = "product_option_value"


@opencart_model
class ProductAttribute(StoreModel):
    product_id = OcIntegerField()
    attribute_id = OcIntegerField()
    language_id = OcIntegerField()
    text = OcTextField()

    class Meta:
        table_name = "product_attribute"
        primary_key = pw.CompositeKey("product_id", "attribute_id", "language_id")


@opencart_model
class ProductSpecial(StoreModel):
    product_special_id = pw.AutoField()
    product_id = OcIntegerField(index=True)
    customer_group_id = OcIntegerField()
    priority = OcIntegerField(default=1)
    price = OcDecimalField(15, 4)
    date_start = OcDateField()
    date_end = OcDateField()

    class Meta:
        table_name = "product_special"


@opencart_model
class ProductDiscount(StoreModel):
    product_discount_id = pw.AutoField()
    product_id = OcIntegerField(index=True)
    customer_group_id = OcIntegerField()
    quantity = OcIntegerField(default=0)
    priority = OcIntegerField(default=1)
    price = OcDecimalField(15, 4)
    date_start = OcDateField()
    date_end = OcDateField()

    class Meta:
        table_name = "product_discount"


# --- catalog: attributes ----------------------------------------------------------------------


@opencart_model
class Attribute(StoreModel):
    attribute_id = pw.AutoField()
    attribute_group_id = OcIntegerField()
    sort_order = OcIntegerField()

    class Meta:
        table_name = "attribute"


@opencart_model
class AttributeDescription(StoreModel):
    attribute_id = OcIntegerField()
    language_id = OcIntegerField()
    name = OcCharField(64)

    class Meta:
        table_name = "attribute_description"
        primary_key = pw.CompositeKey("attribute_id", "language_id")


@opencart_model
class AttributeGroup(StoreModel):
    attribute_group_id = pw.AutoField()
    sort_order = OcIntegerField()

    class Meta:
        table_name = "attribute_group"


@opencart_model
class AttributeGroupDescription(StoreModel):
    attribute_group_id = OcIntegerField()
    language_id = OcIntegerField()
    name = OcCharField(64)

    class Meta:
        table_name = "attribute_group_description"
        primary_key = pw.CompositeKey("attribute_group_id", "language_id")


# --- catalog: categories, manufacturers -------------------------------------------------------


@opencart_model
class Category(StoreModel):
    category_id = pw.AutoField()
    image = OcCharField(255, null=True)
    parent_id = OcIntegerField(default=0, index=True)
    top = OcTinyIntField()
    column = OcIntegerField()
    sort_order = OcIntegerField(default=0)
    status = OcTinyIntField()
    date_added = _created()
    date_modified = _created()

    class Meta:
        table_name = "category"


@opencart_model
class CategoryDescription(StoreModel):
    category_id = OcIntegerField()
    language_id = OcIntegerField()
    name = OcCharField(255, index=True)
    description = OcTextField()
    meta_title = OcCharField(255)
    meta_description = OcCharField(255)
    meta_keyword = OcCharField(255)

    class Meta:
        table_name = "category_description"
        primary_key = pw.CompositeKey("category_id", "language_id")


@opencart_model
class CategoryPath(StoreModel):
    """Closure table: one row per ancestor (and itself); ``level`` 0 = the root."""

    category_id = OcIntegerField()
    path_id = OcIntegerField()
    level = OcIntegerField()

    class Meta:
        table_name = "category_path"
        primary_key = pw.CompositeKey("category_id", "path_id")


@opencart_model
class CategoryToStore(StoreModel):
    category_id = OcIntegerField()
    store_id = OcIntegerField()

    class Meta:
        table_name = "category_to_store"
        primary_key = pw.CompositeKey("category_id", "store_id")


@opencart_model
class Manufacturer(StoreModel):
    manufacturer_id = pw.AutoField()
    name = OcCharField(64)
    image = OcCharField(255, null=True)
    sort_order = OcIntegerField()

    class Meta:
        table_name = "manufacturer"


@opencart_model
class ManufacturerToStore(StoreModel):
    manufacturer_id = OcIntegerField()
    store_id = OcIntegerField()

    class Meta:
        table_name = "manufacturer_to_store"
        primary_key = pw.CompositeKey("manufacturer_id", "store_id")


# --- catalog: options -------------------------------------------------------------------------


@opencart_model
class Option(StoreModel):
    option_id = pw.AutoField()
    type = OcCharField(32)
    sort_order = OcIntegerField()

    class Meta:
        table_name = "option"


@opencart_model
class OptionDescription(StoreModel):
    option_id = OcIntegerField()
    language_id = OcIntegerField()
    name = OcCharField(128)

    class Meta:
        table_name = "option_description"
        primary_key = pw.CompositeKey("option_id", "language_id")


@opencart_model
class OptionValue(StoreModel):
    option_value_id = pw.AutoField()
    option_id = OcIntegerField()
    image = OcCharField(255)
    sort_order = OcIntegerField()

    class Meta:
        table_name = "option_value"


@opencart_model
class OptionValueDescription(StoreModel):
    option_value_id = OcIntegerField()
    language_id = OcIntegerField()
    option_id = OcIntegerField()
    name = OcCharField(128)

    class Meta:
        table_name = "option_value_description"
        primary_key = pw.CompositeKey("option_value_id", "language_id")


# --- orders -----------------------------------------------------------------------------------


@opencart_model
class Order(StoreModel):
    order_id = pw.AutoField()
    invoice_no = OcIntegerField(default=0)
    invoice_prefix = OcCharField(26)
    store_id = OcIntegerField(default=0)
    store_name = OcCharField(64)
    store_url = OcCharField(255)
    customer_id = OcIntegerField(default=0)
    customer_group_id = OcIntegerField(default=0)
    firstname = OcCharField(32)
    lastname = OcCharField(32)
    email = OcCharField(96)
    telephone = OcCharField(32)
    fax = OcCharField(32)
    custom_field = OcTextField(html=False)
    payment_firstname = OcCharField(32)
    payment_lastname = OcCharField(32)
    payment_company = OcCharField(60)
    payment_address_1 = OcCharField(128)
    payment_address_2 = OcCharField(128)
    payment_city = OcCharField(128)
    payment_postcode = OcCharField(10)
    payment_country = OcCharField(128)
    payment_country_id = OcIntegerField()
    payment_zone = OcCharField(128)
    payment_zone_id = OcIntegerField()
    payment_address_format = OcTextField()
    payment_custom_field = OcTextField(html=False)
    payment_method = OcCharField(128)
    payment_code = OcCharField(128)
    shipping_firstname = OcCharField(32)
    shipping_lastname = OcCharField(32)
    shipping_company = OcCharField(40)
    shipping_address_1 = OcCharField(128)
    shipping_address_2 = OcCharField(128)
    shipping_city = OcCharField(128)
    shipping_postcode = OcCharField(10)
    shipping_country = OcCharField(128)
    shipping_country_id = OcIntegerField()
    shipping_zone = OcCharField(128)
    shipping_zone_id = OcIntegerField()
    shipping_address_format = OcTextField()
    shipping_custom_field = OcTextField(html=False)
    shipping_method = OcCharField(128)
    shipping_code = OcCharField(128)
    comment = OcTextField()
    total = OcDecimalField(15, 4)
    order_status_id = OcIntegerField(default=0)
    affiliate_id = OcIntegerField()
    commission = OcDecimalField(15, 4)
    marketing_id = OcIntegerField()
    tracking = OcCharField(64)
    language_id = OcIntegerField()
    currency_id = OcIntegerField()
    currency_code = OcCharField(3)
    currency_value = OcDecimalField(15, 8, default=1)
    ip = OcCharField(40)
    forwarded_ip = OcCharField(40)
    user_agent = OcCharField(255)
    accept_language = OcCharField(255)
    date_added = _created()
    date_modified = _created()

    class Meta:
        table_name = "order"


@opencart_model
class OrderProduct(StoreModel):
    order_product_id = pw.AutoField()
    order_id = OcIntegerField(index=True)
    product_id = OcIntegerField()
    name = OcCharField(255)
    model = OcCharField(64)
    quantity = OcIntegerField()
    price = OcDecimalField(15, 4)
    total = OcDecimalField(15, 4)
    tax = OcDecimalField(15, 4)
    reward = OcIntegerField()

    class Meta:
        table_name = "order_product"


@opencart_model
class OrderOption(StoreModel):
    order_option_id = pw.AutoField()
    order_id = OcIntegerField()
    order_product_id = OcIntegerField()
    product_option_id = OcIntegerField()
    product_option_value_id = OcIntegerField(default=0)
    name = OcCharField(255)
    value = OcTextField()
    type = OcCharField(32)

    class Meta:
        table_name = "order_option"


@opencart_model
class OrderTotal(StoreModel):
    order_total_id = pw.AutoField()
    order_id = OcIntegerField(index=True)
    code = OcCharField(32)
    title = OcCharField(255)
    value = OcDecimalField(15, 4)
    sort_order = OcIntegerField()

    class Meta:
        table_name = "order_total"


@opencart_model
class OrderHistory(StoreModel):
    order_history_id = pw.AutoField()
    order_id = OcIntegerField()
    order_status_id = OcIntegerField()
    notify = OcTinyIntField(default=0)
    comment = OcTextField()
    date_added = _created()

    class Meta:
        table_name = "order_history"


@opencart_model
class OrderStatus(StoreModel):
    """AUTO_INCREMENT on a composite key in MySQL: assign ids with :func:`next_id`."""

    order_status_id = OcIntegerField()
    language_id = OcIntegerField()
    name = OcCharField(32)

    class Meta:
        table_name = "order_status"
        primary_key = pw.CompositeKey("order_status_id", "language_id")


# --- returns ----------------------------------------------------------------------------------


@opencart_model
class Return(StoreModel):
    return_id = pw.AutoField()
    order_id = OcIntegerField()
    product_id = OcIntegerField()
    customer_id = OcIntegerField()
    firstname = OcCharField(32)
    lastname = OcCharField(32)
    email = OcCharField(96)
    telephone = OcCharField(32)
    product = OcCharField(255)
    model = OcCharField(64)
    quantity = OcIntegerField()
    opened = OcTinyIntField()
    return_reason_id = OcIntegerField()
    return_action_id = OcIntegerField()
    return_status_id = OcIntegerField()
    comment = OcTextField(null=True)
    date_ordered = OcDateField()
    date_added = _created()
    date_modified = _created()

    class Meta:
        table_name = "return"


@opencart_model
class ReturnHistory(StoreModel):
    return_history_id = pw.AutoField()
    return_id = OcIntegerField()
    return_status_id = OcIntegerField()
    notify = OcTinyIntField()
    comment = OcTextField()
    date_added = _created()

    class Meta:
        table_name = "return_history"


@opencart_model
class ReturnStatus(StoreModel):
    return_status_id = OcIntegerField()
    language_id = OcIntegerField(default=0)
    name = OcCharField(32)

    class Meta:
        table_name = "return_status"
        primary_key = pw.CompositeKey("return_status_id", "language_id")


@opencart_model
class ReturnReason(StoreModel):
    return_reason_id = OcIntegerField()
    language_id = OcIntegerField(default=0)
    name = OcCharField(128)

    class Meta:
        table_name = "return_reason"
        primary_key = pw.CompositeKey("return_reason_id", "language_id")


@opencart_model
class ReturnAction(StoreModel):
    return_action_id = OcIntegerField()
    language_id = OcIntegerField(default=0)
    name = OcCharField(64)

    class Meta:
        table_name = "return_action"
        primary_key = pw.CompositeKey("return_action_id", "language_id")


# --- settings, localisation, stores -----------------------------------------------------------


@opencart_model
class Setting(StoreModel):
    """``value`` is stored as OpenCart wrote it (JSON when ``serialized`` = 1): no unescaping.
    Use :func:`get_setting` for the decoded value."""

    setting_id = pw.AutoField()
    store_id = OcIntegerField(default=0)
    code = OcCharField(128)
    key = OcCharField(128)
    value = OcTextField(html=False)
    serialized = OcTinyIntField()

    class Meta:
        table_name = "setting"


@opencart_model
class Country(StoreModel):
    country_id = pw.AutoField()
    name = OcCharField(128)
    iso_code_2 = OcCharField(2)
    iso_code_3 = OcCharField(3)
    address_format = OcTextField()
    postcode_required = OcTinyIntField()
    status = OcTinyIntField(default=1)

    class Meta:
        table_name = "country"


@opencart_model
class Zone(StoreModel):
    zone_id = pw.AutoField()
    country_id = OcIntegerField()
    name = OcCharField(128)
    code = OcCharField(32)
    status = OcTinyIntField(default=1)

    class Meta:
        table_name = "zone"


@opencart_model
class Currency(StoreModel):
    currency_id = pw.AutoField()
    title = OcCharField(32)
    code = OcCharField(3)
    symbol_left = OcCharField(12)
    symbol_right = OcCharField(12)
    decimal_place = OcFixedCharField(1)
    value = OcDoubleField()
    status = OcTinyIntField()
    date_modified = _created()

    class Meta:
        table_name = "currency"


@opencart_model
class Language(StoreModel):
    language_id = pw.AutoField()
    name = OcCharField(32, index=True)
    code = OcCharField(5)
    locale = OcCharField(255)
    image = OcCharField(64)
    directory = OcCharField(32)
    sort_order = OcIntegerField(default=0)
    status = OcTinyIntField()

    class Meta:
        table_name = "language"


@opencart_model
class WeightClass(StoreModel):
    weight_class_id = pw.AutoField()
    value = OcDecimalField(15, 8)

    class Meta:
        table_name = "weight_class"


@opencart_model
class WeightClassDescription(StoreModel):
    weight_class_id = OcIntegerField()
    language_id = OcIntegerField()
    title = OcCharField(32)
    unit = OcCharField(4)

    class Meta:
        table_name = "weight_class_description"
        primary_key = pw.CompositeKey("weight_class_id", "language_id")


@opencart_model
class LengthClass(StoreModel):
    length_class_id = pw.AutoField()
    value = OcDecimalField(15, 8)

    class Meta:
        table_name = "length_class"


@opencart_model
class LengthClassDescription(StoreModel):
    length_class_id = OcIntegerField()
    language_id = OcIntegerField()
    title = OcCharField(32)
    unit = OcCharField(4)

    class Meta:
        table_name = "length_class_description"
        primary_key = pw.CompositeKey("length_class_id", "language_id")


@opencart_model
class StockStatus(StoreModel):
    """AUTO_INCREMENT on a composite key in MySQL: assign ids with :func:`next_id`."""

    stock_status_id = OcIntegerField()
    language_id = OcIntegerField()
    name = OcCharField(32)

    class Meta:
        table_name = "stock_status"
        primary_key = pw.CompositeKey("stock_status_id", "language_id")


@opencart_model
class TaxClass(StoreModel):
    tax_class_id = pw.AutoField()
    title = OcCharField(32)
    description = OcCharField(255)
    date_added = _created()
    date_modified = _created()

    class Meta:
        table_name = "tax_class"


@opencart_model
class CustomerGroup(StoreModel):
    customer_group_id = pw.AutoField()
    approval = OcIntegerField()
    sort_order = OcIntegerField()

    class Meta:
        table_name = "customer_group"


@opencart_model
class CustomerGroupDescription(StoreModel):
    customer_group_id = OcIntegerField()
    language_id = OcIntegerField()
    name = OcCharField(32)
    description = OcTextField()

    class Meta:
        table_name = "customer_group_description"
        primary_key = pw.CompositeKey("customer_group_id", "language_id")


@opencart_model
class Store(StoreModel):
    """Extra stores only: the default store 0 has no row (its name is setting config_name)."""

    store_id = pw.AutoField()
    name = OcCharField(64)
    url = OcCharField(255)
    ssl = OcCharField(255)

    class Meta:
        table_name = "store"


@opencart_model
class SeoUrl(StoreModel):
    """OpenCart 3.0 only (2.x has ``url_alias``): optional for jettui."""

    seo_url_id = pw.AutoField()
    store_id = OcIntegerField()
    language_id = OcIntegerField()
    query = OcCharField(255, index=True)
    keyword = OcCharField(255, index=True)

    class Meta:
        table_name = "seo_url"


#: tables jettui can live without (checked as warnings, not errors, by recognise_store)
OPTIONAL_MODELS: tuple[type[StoreModel], ...] = (SeoUrl,)


# --- small helpers ----------------------------------------------------------------------------


def unset(field: pw.Field) -> pw.Expression:
    """WHERE-clause for an "unset" OpenCart date (the zero date, or NULL)."""
    zero = ZERO_DATETIME if isinstance(field, OcDateTimeField) else ZERO_DATE
    return (field == pw.Value(zero, converter=False)) | field.is_null()


def next_id(field: pw.Field) -> int:
    """``MAX(field) + 1`` (for the composite-key tables whose id MySQL numbers but SQLite can't)."""
    model = field.model
    current = model.select(pw.fn.MAX(field)).scalar()
    return int(current or 0) + 1


def get_setting(key: str, store_id: int = 0, default: Any = None) -> Any:
    """A setting's value: JSON-decoded when ``serialized``, else HTML-unescaped text."""
    from .text import oc_unescape

    row = (
        Setting.select(Setting.value, Setting.serialized)
        .where((Setting.store_id == store_id) & (Setting.key == key))
        .first()
    )
    if row is None:
        return default
    if row.serialized:
        try:
            return json.loads(row.value)
        except ValueError:
            return default
    return oc_unescape(row.value)


def language_id(code: str) -> int | None:
    """``language.language_id`` for a code such as ``en-gb``."""
    return Language.select(Language.language_id).where(Language.code == code).scalar()


def country_id(iso_code_2: str) -> int | None:
    """``country.country_id`` for an ISO 3166 alpha-2 code (``'US'`` → 223 in the demo)."""
    return (
        Country.select(Country.country_id).where(Country.iso_code_2 == iso_code_2.upper()).scalar()
    )


def zone_id(country: int, code: str) -> int | None:
    """``zone.zone_id`` of a state/zone code within a country (``223, 'NY'`` → 3655)."""
    return (
        Zone.select(Zone.zone_id)
        .where((Zone.country_id == country) & (Zone.code == code.upper()))
        .order_by(Zone.status.desc(), Zone.zone_id)
        .scalar()
    )


def write_category_path(category_id: int, parent_id: int) -> None:
    """Write ``category_path`` rows for a new category the way OpenCart's admin does:
    the parent's path (root first, levels 0..n-1) and the category itself at level n.

    Only for a new (leaf) category: moving a category with children also needs its
    descendants' rows rewritten, which jettui never does.
    """
    CategoryPath.delete().where(CategoryPath.category_id == category_id).execute()
    parents = (
        CategoryPath.select(CategoryPath.path_id)
        .where(CategoryPath.category_id == parent_id)
        .order_by(CategoryPath.level)
        if parent_id
        else []
    )
    rows = [
        {"category_id": category_id, "path_id": p.path_id, "level": level}
        for level, p in enumerate(parents)
    ]
    rows.append({"category_id": category_id, "path_id": category_id, "level": len(rows)})
    CategoryPath.replace_many(rows).execute()


def category_breadcrumbs(
    lang_id: int = 1, category_ids: Iterable[int] | None = None, separator: str = " > "
) -> dict[int, str]:
    """``{category_id: "Root > Child > Leaf"}`` from ``category_path`` (what OpenCart's admin
    shows with ``GROUP_CONCAT(... ORDER BY level SEPARATOR ' > ')``)."""
    query = (
        CategoryPath.select(CategoryPath.category_id, CategoryPath.level, CategoryDescription.name)
        .join(
            CategoryDescription,
            on=(
                (CategoryDescription.category_id == CategoryPath.path_id)
                & (CategoryDescription.language_id == lang_id)
            ),
        )
        .order_by(CategoryPath.category_id, CategoryPath.level)
    )
    if category_ids is not None:
        query = query.where(CategoryPath.category_id.in_(list(category_ids)))
    names: dict[int, list[str]] = {}
    for category_id, _level, name in tuple_rows(query):
        names.setdefault(category_id, []).append(name or "")  # .tuples() already unescaped
    return {cid: separator.join(parts) for cid, parts in names.items()}
