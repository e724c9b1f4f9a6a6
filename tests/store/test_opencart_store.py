"""The same assertions on SQLite (schema from the models) and MariaDB (OpenCart's own SQL)."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

import peewee as pw
import pytest

from jettui.store import opencart as oc
from jettui.store.text import REPLACEMENT_CHAR

DEMO_PRODUCT_IDS = [28, 29, 30, 31, 32, 33, 34, 35, 36, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49]
LANG = 1


def raw(model: type[pw.Model], column: str, where: pw.Expression):
    """The column's value exactly as stored (no field conversion)."""
    db = model._meta.database
    query = model.select(pw.Entity(column)).where(where)
    return db.execute(query).fetchone()[0]


def unique(text: str) -> str:
    return f"{text} {secrets.token_hex(3)}"


# --- reading the demo catalog -----------------------------------------------------------------


def test_all_demo_products_with_descriptions(store):
    rows = list(
        oc.Product.select(
            oc.Product, oc.ProductDescription.name, oc.Manufacturer.name.alias("brand")
        )
        .join(
            oc.ProductDescription,
            on=(
                (oc.ProductDescription.product_id == oc.Product.product_id)
                & (oc.ProductDescription.language_id == LANG)
            ),
        )
        .join(
            oc.Manufacturer,
            pw.JOIN.LEFT_OUTER,
            on=(oc.Manufacturer.manufacturer_id == oc.Product.manufacturer_id),
            src=oc.Product,
        )
        .where(oc.Product.product_id.in_(DEMO_PRODUCT_IDS))
        .order_by(oc.Product.product_id)
        .objects()
    )
    assert [r.product_id for r in rows] == DEMO_PRODUCT_IDS
    by_id = {r.product_id: r for r in rows}
    assert by_id[42].name == 'Apple Cinema 30"'  # stored as Apple Cinema 30&quot;
    assert by_id[40].name == "iPhone" and by_id[40].brand == "Apple"
    assert by_id[30].name == "Canon EOS 5D" and by_id[30].brand == "Canon"
    assert by_id[31].brand is None  # manufacturer_id 0
    assert by_id[28].model == "Product 1"
    assert by_id[29].price == Decimal("279.9900")
    assert by_id[28].weight == Decimal("146.40000000")
    assert by_id[28].date_available == dt.date(2009, 2, 3)
    assert by_id[28].date_added == dt.datetime(2009, 2, 3, 16, 6, 50)
    assert by_id[28].image == "catalog/demo/htc_touch_hd_1.jpg"
    assert all(r.status == 1 for r in rows)
    description = oc.ProductDescription.get(
        (oc.ProductDescription.product_id == 42) & (oc.ProductDescription.language_id == LANG)
    ).description
    assert description.startswith("<p>") and "&lt;" not in description
    stores = {
        r.product_id for r in oc.ProductToStore.select().where(oc.ProductToStore.store_id == 0)
    }
    assert set(DEMO_PRODUCT_IDS) <= stores


def test_categories_with_breadcrumbs(store):
    crumbs = oc.category_breadcrumbs(LANG)
    assert crumbs[27] == "Desktops > Mac"
    assert crumbs[28] == "Components > Monitors"
    assert crumbs[58] == "MP3 Players > test 20 > test 25"
    assert crumbs[20] == "Desktops"
    categories = {
        r.category_id
        for r in oc.ProductToCategory.select().where(oc.ProductToCategory.product_id == 41)
    }
    assert {crumbs[c] for c in categories} == {"Desktops > Mac"}
    assert len([c for c in crumbs if c <= 58]) == 38  # the 38 demo categories


def test_manufacturers(store):
    names = {m.manufacturer_id: m.name for m in oc.Manufacturer.select()}
    assert names[5] == "HTC" and names[7] == "Hewlett-Packard" and names[8] == "Apple"
    assert oc.ManufacturerToStore.select().where(oc.ManufacturerToStore.store_id == 0).count() >= 6


def _options(product_id: int):
    return list(
        oc.ProductOption.select(oc.ProductOption, oc.Option.type, oc.OptionDescription.name)
        .join(oc.Option, on=(oc.Option.option_id == oc.ProductOption.option_id))
        .join(
            oc.OptionDescription,
            on=(
                (oc.OptionDescription.option_id == oc.ProductOption.option_id)
                & (oc.OptionDescription.language_id == LANG)
            ),
            src=oc.ProductOption,
        )
        .where(oc.ProductOption.product_id == product_id)
        .order_by(oc.ProductOption.product_option_id)
        .objects()
    )


def _values(product_option_id: int):
    return [
        (v.name, v.quantity, v.price, v.price_prefix)
        for v in oc.ProductOptionValue.select(oc.ProductOptionValue, oc.OptionValueDescription.name)
        .join(
            oc.OptionValueDescription,
            on=(
                (oc.OptionValueDescription.option_value_id == oc.ProductOptionValue.option_value_id)
                & (oc.OptionValueDescription.language_id == LANG)
            ),
        )
        .where(oc.ProductOptionValue.product_option_id == product_option_id)
        .order_by(oc.ProductOptionValue.product_option_value_id)
        .objects()
    ]


def test_product_options(store):
    options42 = _options(42)
    assert {o.type for o in options42} == {
        "text",
        "textarea",
        "select",
        "radio",
        "date",
        "datetime",
        "time",
        "file",
        "checkbox",
    }
    assert "Date & Time" in {o.name for o in options42}  # stored as Date &amp; Time
    select42 = next(o for o in options42 if o.type == "select")
    assert [v[0] for v in _values(select42.product_option_id)] == ["Green", "Yellow", "Blue", "Red"]

    (option30,) = _options(30)
    assert (option30.type, option30.name, option30.required) == ("select", "Select", 1)
    assert _values(option30.product_option_id) == [
        ("Red", 2, Decimal("0.0000"), "+"),
        ("Blue", 5, Decimal("0.0000"), "+"),
    ]
    (option35,) = _options(35)
    assert (option35.type, option35.name) == ("select", "Size")
    assert _values(option35.product_option_id) == [
        ("Small", 0, Decimal("5.0000"), "+"),
        ("Medium", 10, Decimal("10.0000"), "+"),
        ("Large", 15, Decimal("15.0000"), "+"),
    ]


def test_settings(store):
    assert oc.get_setting("config_language") == "en-gb"
    assert oc.get_setting("config_currency") == "USD"
    assert oc.get_setting("config_processing_status") == ["5", "1", "2", "12", "3"]
    assert oc.get_setting("config_invoice_prefix").startswith("INV-")
    assert oc.get_setting("no_such_key", default="x") == "x"
    assert oc.language_id("en-gb") == 1


# --- writing ----------------------------------------------------------------------------------


def test_write_and_read_back_product(store):
    name = unique("Tripod & Stand")
    product = oc.Product.create(
        model="TRI-1",
        sku="SKU-TRI-1",
        upc="012345678905",
        quantity=12,
        price="49.5",
        weight=Decimal("1.25"),
        weight_class_id=1,
        manufacturer_id=8,
        status=1,
        tax_class_id=9,
        stock_status_id=7,
    )
    pid = product.product_id
    assert pid > 49
    oc.ProductDescription.create(
        product_id=pid,
        language_id=LANG,
        name=name,
        description="<p>Sturdy & light</p>",
        meta_title=name,
    )
    oc.ProductToCategory.create(product_id=pid, category_id=33)
    oc.ProductToStore.create(product_id=pid, store_id=0)
    po = oc.ProductOption.create(product_id=pid, option_id=11, required=1)
    for ov_id, qty in ((46, 3), (47, 4)):
        oc.ProductOptionValue.create(
            product_option_id=po.product_option_id,
            product_id=pid,
            option_id=11,
            option_value_id=ov_id,
            quantity=qty,
            subtract=1,
            price="2.00",
        )

    back = oc.Product.get_by_id(pid)
    assert back.price == Decimal("49.5000") and back.weight == Decimal("1.25000000")
    assert back.quantity == 12 and back.subtract == 1 and back.shipping == 1 and back.minimum == 1
    assert back.date_available is None  # never set: the zero date
    assert isinstance(back.date_added, dt.datetime) and back.date_added.microsecond == 0
    assert raw(oc.Product, "date_available", oc.Product.product_id == pid) in (
        "0000-00-00",
        b"0000-00-00",
    )
    desc = oc.ProductDescription.get(oc.ProductDescription.product_id == pid)
    assert desc.name == name and desc.description == "<p>Sturdy & light</p>"
    assert desc.tag == "" and desc.meta_keyword == ""
    assert raw(oc.ProductDescription, "description", oc.ProductDescription.product_id == pid) == (
        "&lt;p&gt;Sturdy &amp; light&lt;/p&gt;"
    )
    # lookups by text go through the same escaping
    assert oc.ProductDescription.get(oc.ProductDescription.name == name).product_id == pid
    assert (
        oc.ProductDescription.select()
        .where(oc.ProductDescription.name.contains("Tripod & St"))
        .count()
        >= 1
    )
    assert oc.category_breadcrumbs(LANG, [33])[33] == "Cameras"
    assert [
        c.category_id
        for c in oc.ProductToCategory.select().where(oc.ProductToCategory.product_id == pid)
    ] == [33]
    assert _values(po.product_option_id) == [
        ("Small", 3, Decimal("2.0000"), "+"),
        ("Medium", 4, Decimal("2.0000"), "+"),
    ]


def test_write_category_with_path(store):
    now = dt.datetime(2024, 5, 6, 7, 8, 9)
    parent = oc.Category.create(
        parent_id=20, top=0, column=1, status=1, date_added=now, date_modified=now
    )
    oc.CategoryDescription.create(
        category_id=parent.category_id,
        language_id=LANG,
        name="Cameras & Lenses",
        meta_title="Cameras & Lenses",
    )
    oc.write_category_path(parent.category_id, 20)
    child = oc.Category.create(parent_id=parent.category_id, top=0, column=1, status=1)
    oc.CategoryDescription.create(
        category_id=child.category_id, language_id=LANG, name="Zoom", meta_title="Zoom"
    )
    oc.write_category_path(child.category_id, parent.category_id)
    oc.CategoryToStore.create(category_id=child.category_id, store_id=0)

    paths = [
        (p.path_id, p.level)
        for p in oc.CategoryPath.select()
        .where(oc.CategoryPath.category_id == child.category_id)
        .order_by(oc.CategoryPath.level)
    ]
    assert paths == [(20, 0), (parent.category_id, 1), (child.category_id, 2)]
    crumbs = oc.category_breadcrumbs(LANG, [parent.category_id, child.category_id])
    assert crumbs[parent.category_id] == "Desktops > Cameras & Lenses"
    assert crumbs[child.category_id] == "Desktops > Cameras & Lenses > Zoom"
    assert oc.Category.get_by_id(parent.category_id).date_added == now
    # a top-level category: just itself at level 0; rewriting is idempotent
    top = oc.Category.create(top=1, column=1, status=1)
    oc.write_category_path(top.category_id, 0)
    oc.write_category_path(top.category_id, 0)
    assert [
        (p.path_id, p.level)
        for p in oc.CategoryPath.select().where(oc.CategoryPath.category_id == top.category_id)
    ] == [(top.category_id, 0)]


def test_write_full_order_and_read_back(store):
    us = oc.country_id("US")
    assert us == 223
    ny, ca = oc.zone_id(us, "NY"), oc.zone_id(us, "ca")
    assert (ny, ca) == (3655, 3624)
    usd = oc.Currency.get(oc.Currency.code == "USD")
    assert usd.currency_id == 2 and usd.value == pytest.approx(1.0)
    country = oc.Country.get_by_id(us)
    zone = oc.Zone.get_by_id(ny)
    status_processing = 2
    address = {
        "firstname": "Jo",
        "lastname": "O'Neil & Sons",
        "address_1": "1 Main St <Apt 2>",
        "address_2": "",
        "city": "New York",
        "postcode": "10001",
        "country": country.name,
        "country_id": us,
        "zone": zone.name,
        "zone_id": ny,
        "company": "",
    }
    fields = {f"payment_{k}": v for k, v in address.items()}
    fields.update({f"shipping_{k}": v for k, v in address.items()})
    merchant_order_id = unique("jet")
    order = oc.Order.create(
        invoice_prefix=oc.get_setting("config_invoice_prefix"),
        store_id=0,
        store_name=oc.get_setting("config_name"),
        store_url="http://localhost/",
        customer_group_id=1,
        firstname="Jo",
        lastname="O'Neil & Sons",
        email="jet-orders@example.com",
        telephone="555-0100",
        payment_method="Jet.com",
        payment_code="jet.jet",
        shipping_method="Standard",
        shipping_code="jet.standard",
        comment=f"Jet order {merchant_order_id}",
        total="109.9800",
        order_status_id=status_processing,
        language_id=LANG,
        currency_id=usd.currency_id,
        currency_code="USD",
        currency_value=usd.value,
        ip="127.0.0.1",
        **fields,
    )
    oid = order.order_id
    line = oc.OrderProduct.create(
        order_id=oid,
        product_id=30,
        name="Canon EOS 5D",
        model="Product 3",
        quantity=1,
        price="99.99",
        total="99.99",
        tax=0,
        reward=0,
    )
    pov = oc.ProductOptionValue.get_by_id(15)
    oc.OrderOption.create(
        order_id=oid,
        order_product_id=line.order_product_id,
        product_option_id=pov.product_option_id,
        product_option_value_id=15,
        name="Select",
        value="Red",
        type="select",
    )
    for code, title, value, sort in (
        ("sub_total", "Sub-Total", "99.99", 1),
        ("shipping", "Standard", "9.99", 3),
        ("total", "Total", "109.98", 9),
    ):
        oc.OrderTotal.create(order_id=oid, code=code, title=title, value=value, sort_order=sort)
    oc.OrderHistory.create(
        order_id=oid, order_status_id=status_processing, comment="Imported from Jet"
    )

    back = oc.Order.get_by_id(oid)
    assert back.order_status_id > 0
    assert back.lastname == "O'Neil & Sons" and back.shipping_address_1 == "1 Main St <Apt 2>"
    assert (
        raw(oc.Order, "shipping_address_1", oc.Order.order_id == oid) == "1 Main St &lt;Apt 2&gt;"
    )
    assert (back.shipping_country_id, back.shipping_zone_id, back.shipping_zone) == (
        223,
        3655,
        "New York",
    )
    assert back.total == Decimal("109.9800") and back.currency_value == Decimal("1.00000000")
    assert back.invoice_no == 0 and back.customer_id == 0 and back.custom_field == ""
    assert back.date_added is not None and back.date_modified is not None
    lines = list(oc.OrderProduct.select().where(oc.OrderProduct.order_id == oid))
    assert [(p.product_id, p.quantity, p.total) for p in lines] == [(30, 1, Decimal("99.9900"))]
    opts = list(oc.OrderOption.select().where(oc.OrderOption.order_id == oid))
    assert [(o.name, o.value, o.product_option_value_id) for o in opts] == [("Select", "Red", 15)]
    totals = list(
        oc.OrderTotal.select()
        .where(oc.OrderTotal.order_id == oid)
        .order_by(oc.OrderTotal.sort_order)
    )
    assert [t.code for t in totals] == ["sub_total", "shipping", "total"]
    assert totals[0].value + totals[1].value == totals[2].value == back.total
    history = list(oc.OrderHistory.select().where(oc.OrderHistory.order_id == oid))
    assert [(h.order_status_id, h.notify, h.comment) for h in history] == [
        (2, 0, "Imported from Jet")
    ]
    # the admin list shows orders with a status > 0
    visible = oc.Order.select().where((oc.Order.order_status_id > 0) & (oc.Order.order_id == oid))
    assert visible.count() == 1
    assert (
        oc.OrderStatus.get(
            (oc.OrderStatus.order_status_id == 2) & (oc.OrderStatus.language_id == LANG)
        ).name
        == "Processing"
    )


def test_order_status_ids_assigned_by_hand(store):
    new_id = oc.next_id(oc.OrderStatus.order_status_id)
    assert new_id > 16
    oc.OrderStatus.create(order_status_id=new_id, language_id=LANG, name="Jet: Acknowledged")
    assert oc.OrderStatus.get(oc.OrderStatus.order_status_id == new_id).name == "Jet: Acknowledged"


def test_zero_dates_read_as_none(store):
    specials = list(oc.ProductSpecial.select().where(oc.ProductSpecial.product_id == 42))
    assert specials and all(s.date_start is None and s.date_end is None for s in specials)
    assert oc.ProductSpecial.select().where(oc.unset(oc.ProductSpecial.date_end)).count() >= 3

    special = oc.ProductSpecial.create(
        product_id=28, customer_group_id=1, price="88", date_start=dt.date(2030, 1, 2)
    )
    back = oc.ProductSpecial.get_by_id(special.product_special_id)
    assert back.date_start == dt.date(2030, 1, 2) and back.date_end is None
    assert raw(
        oc.ProductSpecial,
        "date_end",
        oc.ProductSpecial.product_special_id == back.product_special_id,
    ) in (
        "0000-00-00",
        b"0000-00-00",
    )
    back.date_start = None
    back.save()
    assert oc.ProductSpecial.get_by_id(special.product_special_id).date_start is None

    ret = oc.Return.create(
        order_id=1,
        product_id=28,
        firstname="A",
        lastname="B",
        product="HTC Touch HD",
        model="Product 1",
        quantity=1,
        return_reason_id=1,
        return_status_id=1,
    )
    back_ret = oc.Return.get_by_id(ret.return_id)
    assert back_ret.date_ordered is None and back_ret.comment is None
    assert back_ret.date_added is not None


def test_emoji_does_not_break_utf8_table(store):
    name = unique("Party 🎉 Hat")
    pid = oc.Product.create(model="HAT-1").product_id
    oc.ProductDescription.create(product_id=pid, language_id=LANG, name=name, meta_title="x")
    stored = oc.ProductDescription.get(oc.ProductDescription.product_id == pid).name
    assert stored == name.replace("🎉", REPLACEMENT_CHAR)
    assert stored.endswith(name[-10:])  # nothing cut after the emoji
    order = oc.Order.create(firstname="Zoë 😀", shipping_city="Köln", order_status_id=1)
    assert oc.Order.get_by_id(order.order_id).firstname == f"Zoë {REPLACEMENT_CHAR}"


def test_ampersand_round_trip(store):
    name = unique("Salt & Pepper")
    pid = oc.Product.create(model="S&P").product_id
    oc.ProductDescription.create(product_id=pid, language_id=LANG, name=name, meta_title=name)
    assert raw(
        oc.ProductDescription, "name", oc.ProductDescription.product_id == pid
    ) == name.replace("&", "&amp;")
    assert oc.ProductDescription.get(oc.ProductDescription.product_id == pid).name == name
    assert raw(oc.Product, "model", oc.Product.product_id == pid) == "S&amp;P"
    assert oc.Product.get(oc.Product.model == "S&P").product_id == pid


def test_text_is_cut_to_column_length_without_broken_entities(store):
    company = "A" * 36 + " & Co"  # 41 chars; escaped "&amp;" would be cut at 40
    order = oc.Order.create(shipping_company=company, payment_postcode="12345-6789-00")
    stored = raw(oc.Order, "shipping_company", oc.Order.order_id == order.order_id)
    assert stored == "A" * 36 + " "
    assert oc.Order.get_by_id(order.order_id).payment_postcode == "12345-6789"
