"""The models match OpenCart 3.0.3.8's install SQL column for column."""

from __future__ import annotations

import re
from decimal import Decimal

import peewee as pw
import pytest

from jettui.store import opencart as oc
from jettui.store.base import OPENCART_MODELS
from jettui.store.fields import (
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

_COLUMN = re.compile(
    r"^\s*`(?P<name>\w+)` (?P<type>\w+)(?:\((?P<a>\d+)(?:,(?P<b>\d+))?\))?(?P<rest>.*?),?\s*$"
)
_PK = re.compile(r"PRIMARY KEY \(([^)]*)\)")


def parse_tables(sql: str) -> dict[str, dict]:
    tables = {}
    for m in re.finditer(r"CREATE TABLE `oc_(\w+)` \((.*?)\n\)", sql, re.S):
        columns, pk = {}, []
        for line in m.group(2).splitlines():
            col = _COLUMN.match(line)
            if col:
                columns[col["name"]] = col.groupdict()
            pk_match = _PK.search(line)
            if pk_match:
                pk = [c.strip("` ") for c in pk_match.group(1).split(",")]
        tables[m.group(1)] = {"columns": columns, "pk": pk}
    return tables


@pytest.fixture(scope="module")
def install_tables(opencart_sql):
    return parse_tables(opencart_sql.read_text(encoding="utf-8"))


EXPECTED_CLASSES = {
    "product": "Product",
    "product_option_value": "ProductOptionValue",
    "order": "Order",
    "order_product": "OrderProduct",
    "return": "Return",
    "setting": "Setting",
    "category_path": "CategoryPath",
    "zone": "Zone",
    "seo_url": "SeoUrl",
}


def test_naming_contract():
    for model in OPENCART_MODELS:
        camel = "".join(part.capitalize() for part in model.base_table.split("_"))
        assert model.__name__ == camel
        assert getattr(oc, camel) is model
    names = {m.base_table: m.__name__ for m in OPENCART_MODELS}
    for table, cls in EXPECTED_CLASSES.items():
        assert names[table] == cls
    required = """product product_description product_to_category product_to_store product_image
    product_option product_option_value product_attribute product_special product_discount
    attribute attribute_description attribute_group attribute_group_description category
    category_description category_path category_to_store manufacturer manufacturer_to_store
    option option_description option_value option_value_description order order_product
    order_option order_total order_history order_status return return_history return_status
    return_reason return_action setting country zone currency language weight_class
    weight_class_description length_class length_class_description stock_status tax_class
    customer_group store seo_url""".split()
    assert set(required) <= set(names)


def test_models_match_install_sql(install_tables):
    problems = []
    for model in OPENCART_MODELS:
        table = install_tables[model.base_table]
        cols = table["columns"]
        fields = model._meta.sorted_fields
        if [f.column_name for f in fields] != list(cols):
            problems.append(
                f"{model.__name__}: columns {[f.column_name for f in fields]} != {list(cols)}"
            )
            continue
        pk = model._meta.primary_key
        pk_names = list(pk.field_names) if isinstance(pk, pw.CompositeKey) else [pk.column_name]
        if pk_names != table["pk"]:
            problems.append(f"{model.__name__}: primary key {pk_names} != {table['pk']}")
        for field in fields:
            spec = cols[field.column_name]
            where = f"{model.__name__}.{field.name}"
            sql_type, a, b, rest = spec["type"], spec["a"], spec["b"], spec["rest"]
            auto = "AUTO_INCREMENT" in rest
            if auto and len(table["pk"]) == 1:
                ok = isinstance(field, pw.AutoField)
            elif sql_type == "int":
                ok = type(field) is OcIntegerField
            elif sql_type == "tinyint":
                ok = isinstance(field, OcTinyIntField)
            elif sql_type == "varchar":
                ok = type(field) is OcCharField and field.max_length == int(a)
            elif sql_type == "char":
                ok = isinstance(field, OcFixedCharField) and field.max_length == int(a)
            elif sql_type == "text":
                ok = isinstance(field, OcTextField)
            elif sql_type == "decimal":
                ok = isinstance(field, OcDecimalField) and (
                    field.max_digits,
                    field.decimal_places,
                ) == (int(a), int(b))
            elif sql_type == "double":
                ok = isinstance(field, OcDoubleField)
            elif sql_type == "date":
                ok = isinstance(field, OcDateField)
            elif sql_type == "datetime":
                ok = isinstance(field, OcDateTimeField)
            else:
                ok = False
            if not ok:
                problems.append(f"{where}: {type(field).__name__} for {sql_type}({a},{b})")
            not_null = "NOT NULL" in rest
            if field.null == not_null and not isinstance(field, pw.AutoField):
                problems.append(f"{where}: null={field.null} but SQL says {rest.strip()}")
            default = re.search(r"DEFAULT '([^']*)'", rest)
            if not_null and not isinstance(field, pw.AutoField):
                if field.default is None and not isinstance(field, OcDateField | OcDateTimeField):
                    problems.append(f"{where}: NOT NULL without a default")
                if default and not default.group(1).startswith("0000"):
                    want = default.group(1)
                    have = field.default
                    if isinstance(field, OcDecimalField):
                        same = Decimal(want) == Decimal(have)
                    elif isinstance(field, OcIntegerField):
                        same = int(want) == have
                    else:
                        same = want == have
                    if not same:
                        problems.append(f"{where}: default {have!r} != SQL {want!r}")
                # date_added / date_modified: NOT NULL, no default → now
                if sql_type == "datetime" and not default and not callable(field.default):
                    problems.append(f"{where}: datetime without default should default to now")
    assert not problems, "\n".join(problems)


def test_html_escaping_exceptions():
    assert oc.Setting.value.html is False
    for name in ("custom_field", "payment_custom_field", "shipping_custom_field"):
        assert oc.Order._meta.fields[name].html is False
    assert oc.ProductDescription.name.html is True
    assert oc.OptionDescription.name.html is True
    assert oc.Order.shipping_address_1.html is True
