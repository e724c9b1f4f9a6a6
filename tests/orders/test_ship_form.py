"""The ship form on its own: open units, the defaults, one test per rule (each refusal names
its field), the CLI's SKU=QTY options and the Jet body it becomes."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from jettui.config import Settings
from jettui.jet import models
from jettui.services.orders.ship_form import (
    OrderView,
    ReturnLocation,
    ShipLine,
    ShipmentForm,
    build_order_view,
    check_shipment,
    default_form,
    form_from_options,
    parse_quantities,
    shipped_request,
)

NOW = dt.datetime(2026, 11, 29, 15, 0, tzinfo=dt.UTC)
ORDER_ID = "0123456789abcdef0123456789abcdef"


def raw_order(**overrides) -> dict:
    order = {
        "merchant_order_id": ORDER_ID,
        "reference_order_id": "123456789012",
        "status": "acknowledged",
        "order_detail": {
            "request_shipping_carrier": "UPS",
            "request_shipping_method": "UPS Ground",
            "request_delivery_by": "2026-12-04T15:00:00.0000000Z",
        },
        "order_items": [
            {"order_item_id": "a" * 32, "merchant_sku": "CAM-1", "product_title": "Camera",
             "request_order_quantity": 3, "request_order_cancel_qty": 0},
            {"order_item_id": "b" * 32, "merchant_sku": "SHIRT-M", "product_title": "Shirt M",
             "request_order_quantity": 2, "request_order_cancel_qty": 1},
        ],
    }  # fmt: skip
    order.update(overrides)
    return order


def view(records=(), **kw) -> OrderView:
    options = {"order_id": 7, "jet_status": "acknowledged", "import_state": "done"} | kw
    return build_order_view(raw_order(), list(records), **options)


def good_form(**kw) -> ShipmentForm:
    fields = dict(
        lines=[ShipLine("CAM-1", ship=2), ShipLine("SHIRT-M", ship=1, cancel=1)],
        tracking_number="1Z999AA10123456784",
        carrier="UPS",
        method="UPS Ground",
        zip="84047",
        shipment_date=NOW,
        carrier_pick_up_date=NOW,
        expected_delivery_date=NOW + dt.timedelta(days=3),
    )
    return ShipmentForm(**(fields | kw))


def record(items: list[tuple[str, int, int]], alt: str = "jettui-1") -> dict:
    return {
        "alt_shipment_id": alt,
        "body": {
            "alt_shipment_id": alt,
            "shipment_items": [
                {"merchant_sku": s, "response_shipment_sku_quantity": q,
                 "response_shipment_cancel_qty": c} for s, q, c in items
            ],
        },
    }  # fmt: skip


# --- open units ---------------------------------------------------------------------------------


def test_open_units_count_jettui_shipments_and_shipments_jet_reports_from_elsewhere() -> None:
    foreign = record([("CAM-1", 1, 0)], alt="other-tool")["body"]
    raw = raw_order(shipments=[foreign, record([("SHIRT-M", 1, 0)])["body"]])
    v = build_order_view(raw, [record([("SHIRT-M", 1, 0)])], order_id=7)
    cam, shirt = v.line("CAM-1"), v.line("SHIRT-M")
    assert (cam.shipped, cam.open) == (1, 2)
    assert (shirt.shipped, shirt.cancelled, shirt.open) == (1, 0, 1)  # ours counted once
    assert shirt.cancel_due == 1 and shirt.shippable == 0
    assert v.open_units == 3


def test_default_form_ships_every_open_unit_and_prefills_the_directed_cancel() -> None:
    form = default_form(view([record([("CAM-1", 1, 0)])]), Settings(), now=NOW)
    assert [(x.merchant_sku, x.ship, x.cancel) for x in form.lines] == [
        ("CAM-1", 2, 0),
        ("SHIRT-M", 1, 1),
    ]
    assert (form.carrier, form.method, form.zip) == ("UPS", "UPS Ground", "84047")
    assert form.expected_delivery_date == dt.datetime(2026, 12, 4, 15, 0, tzinfo=dt.UTC)
    assert (
        check_shipment(
            view([record([("CAM-1", 1, 0)])]), replace(form, tracking_number="1ZT100000000000000")
        )
        == []
    )


def test_cli_options_ship_only_what_is_named_and_cancel_what_is_asked() -> None:
    v = view()
    form = form_from_options(v, Settings(), carrier="USPS", method="USPS Priority Mail",
                             tracking="9400100000000000000001", zip="10001", ship={"CAM-1": 1}, now=NOW)  # fmt: skip
    assert [(x.merchant_sku, x.ship, x.cancel) for x in form.lines] == [
        ("CAM-1", 1, 0),
        ("SHIRT-M", 0, 1),
    ]
    form = form_from_options(v, Settings(), carrier="UPS", method="UPS Ground", tracking="1Z0000000000000000",
                             zip="10001", cancel={"CAM-1": 3}, now=NOW)  # fmt: skip
    assert [(x.merchant_sku, x.ship, x.cancel) for x in form.lines] == [
        ("CAM-1", 0, 3),
        ("SHIRT-M", 1, 1),
    ]
    assert check_shipment(v, form) == []


def test_parse_quantities_names_the_option_and_the_bad_value() -> None:
    assert parse_quantities(["A=2", "B=C=1"], "--ship") == {"A": 2, "B=C": 1}
    for bad in (["A"], ["A=x"], ["=2"], ["A=-1"], ["A=1", "A=2"]):
        with pytest.raises(ValueError, match="^--ship: "):
            parse_quantities(bad, "--ship")


# --- one test per rule ----------------------------------------------------------------------------


def problems(form: ShipmentForm, v: OrderView | None = None) -> list[str]:
    return check_shipment(v or view(), form)


def test_a_good_form_passes() -> None:
    assert problems(good_form()) == []


def test_rule_zip_must_be_exactly_five_digits() -> None:
    for bad in ("8404", "840477", "84047-1234", "abcde", ""):
        assert problems(good_form(zip=bad)) == [
            f"zip: must be exactly 5 digits, e.g. 84047 (got {bad!r})"
        ]


def test_rule_tracking_number_required_without_spaces_in_its_carriers_format() -> None:
    assert problems(good_form(tracking_number="  ")) == [
        "tracking_number: is required when units are shipped"
    ]
    assert problems(good_form(tracking_number="1Z999AA1 0123456784")) == [
        "tracking_number: must have no spaces (got '1Z999AA1 0123456784')"
    ]
    for bad in ("5", "1Z999AA1012345678", "1Z999AA10123456784X", "999AA10123456784XX"):
        [problem] = problems(good_form(tracking_number=bad))
        assert problem.startswith('tracking_number: not a UPS tracking number: "1Z" and 16')
    usps = {"carrier": "USPS", "method": "USPS Priority Mail"}
    for good in ("9400100000000000000001", "94001000000000000000", "EA123456789US"):
        assert problems(good_form(tracking_number=good, **usps)) == [], good
    for bad in ("9400100000000000001", "94001000000000000000011", "EA12345678US"):
        assert problems(good_form(tracking_number=bad, **usps)), bad
    fedex = {"carrier": "FedEx", "method": "FedEx Ground"}
    for good in ("770000000001", "770000000000001", "9" * 20, "9" * 22):
        assert problems(good_form(tracking_number=good, **fedex)) == [], good
    for bad in ("77000000001", "7700000000012", "1Z999AA10123456784"):
        assert problems(good_form(tracking_number=bad, **fedex)), bad
    other = {"carrier": "Estes", "method": "Freight"}
    assert problems(good_form(tracking_number="PRO-12", **other)) == []
    assert problems(good_form(tracking_number="1234", **other)) == [
        "tracking_number: must be 5 to 40 characters (got 4: '1234')"
    ]
    assert problems(good_form(tracking_number="1" * 41, **other)) == [
        f"tracking_number: must be 5 to 40 characters (got 41: {'1' * 40!r})"
    ]


def test_rule_carrier_from_jets_enum() -> None:
    [problem] = problems(good_form(carrier="Royal Mail"))
    assert problem.startswith("carrier: must be one of Jet's carriers")


def test_rule_method_from_jets_enum() -> None:
    [problem] = problems(good_form(method="Pigeon"))
    assert problem.startswith("method: must be one of Jet's shipping methods")


def test_rule_method_belongs_to_the_carrier() -> None:
    assert problems(good_form(carrier="UPS", method="FedEx Ground")) == [
        "method: 'FedEx Ground' is a FedEx method, but the carrier is UPS"
    ]
    assert problems(good_form(carrier="FedEx SmartPost", method="FedEx Smart Post")) == []
    assert problems(good_form(carrier="Estes", method="Freight")) == []
    assert problems(good_form(carrier="Other", method="USPS Priority Mail")) == []


@pytest.mark.parametrize(
    "name", ["shipment_date", "carrier_pick_up_date", "expected_delivery_date"]
)
def test_rule_dates_required_and_readable(name: str) -> None:
    assert problems(good_form(**{name: None})) == [f"{name}: is required when units are shipped"]
    [problem] = problems(good_form(**{name: "next tuesday"}))
    assert problem.startswith(f"{name}: must be a date")
    readable = "2026-12-05" if name == "expected_delivery_date" else "2026-11-29 09:30"
    assert problems(good_form(**{name: readable})) == []  # plain dates and times are read


def test_rule_delivery_not_before_pick_up_or_shipment() -> None:
    early = NOW - dt.timedelta(days=1)
    assert problems(good_form(expected_delivery_date=early)) == [
        "expected_delivery_date: must not be before the carrier pick up date",
        "expected_delivery_date: must not be before the shipment date",
    ]


def test_rule_never_more_than_the_open_units() -> None:
    v = view([record([("CAM-1", 2, 0)])])
    assert problems(good_form(), v) == [
        "lines[CAM-1]: 2 shipped + 0 cancelled is more than the 1 open unit(s)"
    ]
    assert problems(good_form(lines=[ShipLine("CAM-1", cancel=2)]), v) == [
        "lines[CAM-1]: 0 shipped + 2 cancelled is more than the 1 open unit(s)"
    ]


def test_rule_units_jet_asked_to_cancel_cannot_ship() -> None:
    assert problems(good_form(lines=[ShipLine("SHIRT-M", ship=2)])) == [
        "lines[SHIRT-M].ship: Jet asked to cancel 1 unit(s): at most 1 of the 2 open can ship"
    ]


def test_rule_quantities_are_whole_numbers_of_zero_or_more() -> None:
    assert problems(good_form(lines=[ShipLine("CAM-1", ship=-1)])) == [
        "lines[CAM-1].ship: must be a whole number of 0 or more (got -1)"
    ]
    assert problems(good_form(lines=[ShipLine("CAM-1", cancel="two")])) == [
        "lines[CAM-1].cancel: must be a whole number of 0 or more (got 'two')"
    ]
    assert problems(good_form(lines=[ShipLine("CAM-1", ship=1.5)])) == [
        "lines[CAM-1].ship: must be a whole number of 0 or more (got 1.5)"
    ]
    # digits typed into a form field are read as the number they show
    form = good_form(lines=[ShipLine("CAM-1", ship="2", cancel=" 1")])
    assert problems(form) == []
    [item] = shipped_request(view(), form)["shipments"][0]["shipment_items"]
    assert (item["response_shipment_sku_quantity"], item["response_shipment_cancel_qty"]) == (2, 1)


def test_rule_sku_must_be_an_item_of_the_order_and_listed_once() -> None:
    assert problems(good_form(lines=[ShipLine("NOPE", ship=1)])) == [
        "lines[NOPE]: 'NOPE' is not an item of this order"
    ]
    assert problems(good_form(lines=[ShipLine("CAM-1", ship=1), ShipLine("CAM-1", ship=1)])) == [
        "lines[CAM-1]: the SKU is listed twice"
    ]


def test_rule_something_to_ship_or_cancel() -> None:
    assert problems(good_form(lines=[ShipLine("CAM-1")])) == [
        "lines: nothing to ship or cancel: give at least one unit"
    ]


def test_rule_order_must_be_imported() -> None:
    for v in (view(order_id=0), view(import_state="written")):
        assert problems(good_form(), v) == [
            "order: not imported into OpenCart yet: fetch orders first"
        ]
    assert problems(good_form(), view(order_id=0, import_state="held")) == [
        "order: its import is held (fix the problem and retry it, or reject it, on the "
        "Rejected orders panel)"
    ]


def test_rule_order_acknowledged_before_shipping_and_a_ready_order_only_cancelled_whole() -> None:
    ready = view(jet_status="ready")
    assert problems(good_form(), ready) == [
        "order: is 'ready' on Jet: acknowledge it before shipping"
    ]
    # a part cancelled before the acknowledgement would leave an order Jet never takes an
    # acknowledgement for: only every unit (the extension's reject)
    assert problems(good_form(lines=[ShipLine("SHIRT-M", cancel=1)]), ready) == [
        "lines: the order is not acknowledged: only all 5 unit(s) may be cancelled (a reject); "
        "acknowledge it before cancelling part of it"
    ]
    whole = [ShipLine("CAM-1", cancel=3), ShipLine("SHIRT-M", cancel=2)]
    assert problems(good_form(lines=whole), ready) == []
    assert problems(good_form(lines=[ShipLine("SHIRT-M", cancel=1)])) == []  # acknowledged
    assert problems(good_form(), view(jet_status="complete")) == [
        "order: is complete on Jet: nothing is left to ship or cancel"
    ]


def test_cancel_only_needs_no_parcel_fields() -> None:
    form = ShipmentForm(lines=[ShipLine("CAM-1", cancel=3)], zip="bad")
    assert problems(form) == []
    body = shipped_request(view(), form)
    [shipment] = body["shipments"]
    assert set(shipment) == {"alt_shipment_id", "shipment_items"}
    assert models.validate_shipped(body) == []


def test_rule_return_location_needs_an_address_rma_number_and_days() -> None:
    location = ReturnLocation("", "Midvale", "XX", "840", "Suite C")
    assert problems(good_form(return_location=location, days_to_return=400)) == [
        "return_location.address1: is required",
        "return_location.state: must be a 2-letter US state code such as UT (got 'XX')",
        "return_location.zip_code: must be exactly 5 digits (got '840')",
        "rma_number: is required with a return location",
        "days_to_return: must be a whole number from 0 to 365 (got 400)",
    ]


def test_rule_rma_number_and_days_only_with_a_return_location() -> None:
    assert problems(good_form(rma_number="RMA-1", days_to_return=30)) == [
        "rma_number: only goes with a return location: give one, or leave it empty",
        "days_to_return: only goes with a return location: give one, or leave it empty",
    ]


# --- the Jet body ---------------------------------------------------------------------------------


def test_body_of_a_shipment_with_a_cancel_and_a_return_location_passes_jets_validator() -> None:
    form = good_form(
        return_location=ReturnLocation.from_settings(Settings()), rma_number="RMA-7",
        days_to_return=30,
    )  # fmt: skip
    body = shipped_request(view(), form)
    assert models.validate_shipped(body) == []
    assert body["alt_order_id"] == "7"
    [shipment] = body["shipments"]
    assert shipment["carrier"] == "UPS" and shipment["ship_from_zip_code"] == "84047"
    assert shipment["response_shipment_date"] == "2026-11-29T15:00:00.0000000Z"
    cam, shirt = shipment["shipment_items"]
    assert (cam["response_shipment_sku_quantity"], cam["response_shipment_cancel_qty"]) == (2, 0)
    assert (shirt["response_shipment_sku_quantity"], shirt["response_shipment_cancel_qty"]) == (
        1,
        1,
    )
    assert cam["return_location"]["zip_code"] == "84047" and cam["RMA_number"] == "RMA-7"


def test_rule_a_message_is_sent_once() -> None:
    form = good_form(lines=[ShipLine("CAM-1", ship=1)])
    sent = record([("CAM-1", 1, 0)], alt=form.alt_shipment_id)
    assert problems(form, view([sent])) == [
        f"alt_shipment_id: '{form.alt_shipment_id}' was sent already: start a new form"
    ]
    assert problems(good_form(lines=[ShipLine("CAM-1", ship=1)]), view([sent])) == []


# --- the same SKU on two items (issue 15, case 8) -------------------------------------------------


def shared_view(records=()) -> OrderView:
    raw = raw_order(order_items=[
        {"order_item_id": "a" * 32, "merchant_sku": "CAM-1", "request_order_quantity": 1},
        {"order_item_id": "c" * 32, "merchant_sku": "CAM-1", "request_order_quantity": 2},
    ])  # fmt: skip
    return build_order_view(raw, list(records), order_id=7, jet_status="acknowledged",
                            import_state="done")  # fmt: skip


def test_a_sku_on_two_items_is_two_lines_named_by_their_item() -> None:
    v = shared_view()
    assert [(x.name, x.open) for x in v.lines] == [("CAM-1#1", 1), ("CAM-1#2", 2)]
    form = default_form(v, Settings(), now=NOW)
    assert [(x.order_item_id, x.ship) for x in form.lines] == [("a" * 32, 1), ("c" * 32, 2)]
    body = shipped_request(v, replace(form, tracking_number="T"))
    assert models.validate_shipped(body) == []  # Jet's own rules take it
    items = body["shipments"][0]["shipment_items"]
    assert [(i["alt_shipment_item_id"], i["response_shipment_sku_quantity"]) for i in items] == [
        ("a" * 32, 1),
        ("c" * 32, 2),
    ]
    too_many = good_form(lines=[ShipLine("CAM-1", ship=2, order_item_id="a" * 32)])
    assert problems(too_many, v) == [
        "lines[CAM-1#1]: 2 shipped + 0 cancelled is more than the 1 open unit(s)"
    ]
    assert problems(good_form(lines=[ShipLine("CAM-1", ship=1)]), v) == [
        "lines[CAM-1]: 'CAM-1' is on several items of this order: give the line's order_item_id"
    ]


def test_units_read_back_to_their_item_or_fill_the_skus_items_in_order() -> None:
    ours = record([("CAM-1", 1, 0)])
    ours["body"]["shipment_items"][0]["alt_shipment_item_id"] = "c" * 32
    assert [(x.shipped, x.open) for x in shared_view([ours]).lines] == [(0, 1), (1, 1)]
    other = record([("CAM-1", 2, 0)], alt="other-tool")  # no item named: first item first
    assert [(x.shipped, x.open) for x in shared_view([other]).lines] == [(1, 0), (1, 1)]


def test_cli_quantities_spread_over_the_skus_items() -> None:
    v = shared_view()
    form = form_from_options(v, Settings(), ship={"CAM-1": 2}, cancel={"CAM-1": 1})
    assert [(x.order_item_id, x.ship, x.cancel) for x in form.lines] == [
        ("a" * 32, 0, 1),
        ("c" * 32, 2, 0),
    ]
    form = form_from_options(v, Settings(), ship={"CAM-1": 4})  # too many: the last item says
    assert problems(replace(form, **{k: getattr(good_form(), k) for k in (
        "tracking_number", "carrier", "method", "zip")}), v) == [
        "lines[CAM-1#2]: 3 shipped + 0 cancelled is more than the 2 open unit(s)"
    ]  # fmt: skip
