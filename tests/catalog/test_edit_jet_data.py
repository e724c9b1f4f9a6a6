"""What the original extension let merchants edit (issue 10 item 7): the shipping exception,
the full returns exception, the node's Jet attributes (values and units), the Jet variant
attribute of each option, and the store's own values shown when not overridden."""

from __future__ import annotations

import json
from typing import Any

from jettui.cli import main
from jettui.jet.sandbox.engine import taxonomy
from jettui.services.catalog import form_changes, get_jet_data, save_jet_data, validate_products
from jettui.services.catalog.attributes import product_option_values
from tests.catalog.conftest import JET_NODE, NODE, SECRET, jet_products, map_all_categories

SKU = "ACM-WB00002"  # product 2 of the demo store: UPC 712711000018, maker Acme
PARENT = "NWH-DCS00005"  # product 5: option "Bed Size" (id 4), three children
SHIPPING = {
    "service_level": "Standard",
    "shipping_method": "",
    "override_type": "Override charge",
    "shipping_charge_amount": "4.99",
    "shipping_exception_type": "exclusive",
}
RETURNS = {"days": "20", "locations": "loc-east, loc-west", "methods": "UPS Ground"}


def with_sandbox_attributes() -> None:
    """Every category → JET_NODE, whose cached attributes are the sandbox's own: 1 Color
    (pick one, variant), 2 Material (free text, values suggested), 14 Capacity (number with
    units qt / cups / l, variant)."""
    from jettui.store.jet_tables import JetTaxonomyNode

    map_all_categories()
    attributes = taxonomy()["attributes"][str(JET_NODE)]
    JetTaxonomyNode.update(attributes=attributes).where(
        JetTaxonomyNode.jet_node_id == JET_NODE
    ).execute()


def save_form(settings: Any, product_id: int, **form: Any) -> list[str]:
    """Save form fields as the screen does: the problems, or [] when saved."""
    changes, problems = form_changes(settings, product_id, **form)
    return problems or save_jet_data(settings, product_id, changes)


def cli(settings: Any, capsys: Any, *args: str) -> tuple[int, str, str]:
    code = main(["--config", str(settings.path), "products", "edit", *args])
    out = capsys.readouterr()
    assert SECRET not in out.out + out.err
    return code, out.out, out.err


# --- shipping exception ---------------------------------------------------------------------


def test_shipping_exception_saved_and_sent_for_parent_and_children(settings, db) -> None:
    with_sandbox_attributes()
    assert save_form(settings, 5, shipping=SHIPPING) == []
    stored = jet_products()[PARENT].overrides["shipping_exceptions"]
    assert stored == [
        {
            "service_level": "Standard",
            "override_type": "Override charge",
            "shipping_charge_amount": 4.99,
            "shipping_exception_type": "exclusive",
        }
    ]
    check = validate_products(settings, [5])[0]
    assert check.ok, check.errors
    assert len(check.listings) == 4  # the parent and its three children
    for listing in check.listings:
        assert listing.shipping_exception == {
            "fulfillment_nodes": [{"fulfillment_node_id": NODE, "shipping_exceptions": stored}]
        }


def test_shipping_amount_rules_one_line_each_nothing_saved(settings, db) -> None:
    map_all_categories()
    no_type = dict(SHIPPING, override_type="")
    assert save_form(settings, 2, shipping=no_type) == [
        "shipping amount: choose an override type (Override or Additional charge)"
    ]
    bad = save_form(settings, 2, shipping=dict(SHIPPING, shipping_charge_amount="4,99"))
    assert len(bad) == 1 and "'4,99' is not an amount" in bad[0]
    assert save_form(settings, 2, shipping=dict(SHIPPING, shipping_charge_amount="")) == [
        "shipping override 'Override charge': give the amount"
    ]
    neither = dict(SHIPPING, service_level="")
    assert save_form(settings, 2, shipping=neither) == [
        "shipping exception: choose a service level or a shipping method"
    ]
    assert save_form(settings, 2, shipping=dict(SHIPPING, shipping_method="Pony Express")) != []
    assert jet_products() == {}  # nothing saved
    # all fields empty: no shipping exception (and an existing one is removed)
    assert save_form(settings, 2, shipping=SHIPPING) == []
    assert save_form(settings, 2, shipping=dict.fromkeys(SHIPPING, "")) == []
    assert "shipping_exceptions" not in jet_products()[SKU].overrides


# --- returns exception ----------------------------------------------------------------------


def test_full_returns_exception_and_old_stored_days_keep_working(settings, db) -> None:
    from jettui.store.jet_tables import JetProduct

    map_all_categories()
    assert save_jet_data(settings, 2, {"returns_exceptions": {"time_to_return": 14}}) == []
    # a form that only adds locations keeps the stored days
    assert save_form(settings, 2, returns={"locations": "loc-east"}) == []
    assert jet_products()[SKU].overrides["returns_exceptions"] == {
        "time_to_return": 14,
        "return_location_ids": ["loc-east"],
    }
    assert save_form(settings, 2, returns=RETURNS) == []
    body = {
        "time_to_return": 20,
        "return_location_ids": ["loc-east", "loc-west"],
        "return_shipping_methods": ["UPS Ground"],
    }
    assert validate_products(settings, [2])[0].listings[0].returns_exception == body
    assert save_form(settings, 2, returns=dict(RETURNS, days="31")) == [
        "return days: '31' is not a whole number of days from 1 to 30"
    ]
    assert save_form(settings, 2, returns=dict(RETURNS, methods="Carrier Pigeon")) != []
    assert JetProduct.get().overrides["returns_exceptions"] == body


# --- attributes -----------------------------------------------------------------------------


def test_node_attributes_with_values_and_units(settings, db) -> None:
    with_sandbox_attributes()
    data = get_jet_data(settings, 2)
    by_name = {a["name"]: a for a in data["node_attributes"]}
    assert set(by_name) == {"Color", "Material", "Capacity"}
    assert by_name["Color"]["values"][:3] == ("Black", "White", "Red")
    assert by_name["Capacity"]["units"] == ("qt", "cups", "l")
    picked = {
        1: {"attribute_id": 1, "attribute_value": "Red"},
        14: {"attribute_id": 14, "attribute_value": "2", "attribute_value_unit": "qt"},
    }
    assert save_form(settings, 2, attributes=picked) == []
    sent = get_jet_data(settings, 2)["payload"]["attributes_node_specific"]
    assert sent == [picked[1], picked[14]]
    problems = save_form(
        settings,
        2,
        attributes={
            1: {"attribute_id": 1, "attribute_value": "Plaid"},
            14: {"attribute_id": 14, "attribute_value": "lots", "attribute_value_unit": "gal"},
        },
    )
    assert problems == [
        "attribute Color: 'Plaid' is not one of Black, White, Red, Blue, Green, Gray, Silver, Pink",
        "attribute Capacity: 'lots' is not a number",
        "attribute Capacity: unit 'gal' is not one of qt, cups, l",
    ]
    assert save_form(settings, 2, attributes={1: None}) == []  # clearing one keeps the other
    assert get_jet_data(settings, 2)["overrides"]["attributes"] == [picked[14]]


def test_option_mapped_to_a_chosen_variant_attribute(settings, db) -> None:
    with_sandbox_attributes()
    data = get_jet_data(settings, 5)
    [option] = data["options"]
    assert (option["option_id"], option["name"], option["attribute_id"]) == (4, "Bed Size", None)
    assert [(v["name"], v["jet_value"]) for v in option["values"]] == [
        ("Twin", ""),
        ("Full", ""),
        ("Queen", ""),
    ]
    # automatic: the node's variant attributes are Color and Capacity, none named Bed Size:
    # none chosen, never a guess
    assert data["refinements"] == []
    assert any("option 'Bed Size' matches no variant attribute" in w for w in data["warnings"])
    assert save_form(settings, 5, options={"4": 14}) == []
    data = get_jet_data(settings, 5)
    assert data["options"][0]["attribute_id"] == 14
    assert data["refinements"] == [14]
    # Capacity is a number with a unit: the value names do not fit, each child says why
    assert "NWH-DCS00005-twin: attribute Capacity: 'Twin' is not a number" in " ".join(
        data["errors"]
    )
    values = {label: str(vid) for vid, label in product_option_values(5, 1)}
    mapped = {values["Twin"]: "1 qt", values["Full"]: "2 qt", values["Queen"]: "3 qt"}
    assert save_form(settings, 5, values=mapped) == []
    check = validate_products(settings, [5])[0]
    assert check.ok, check.errors
    assert [v["jet_value"] for v in get_jet_data(settings, 5)["options"][0]["values"]] == [
        "1 qt",
        "2 qt",
        "3 qt",
    ]
    assert check.variation["variation_refinements"] == [14]
    assert check.listings[1].product["attributes_node_specific"] == [
        {"attribute_id": 14, "attribute_value": "1", "attribute_value_unit": "qt"}
    ]
    # Material (2) is no variant attribute of the node: refused, the mapping kept
    assert save_form(settings, 5, options={"4": 2}) == [
        "option Bed Size: attribute 2 is not a variant attribute of the node"
    ]
    assert save_form(settings, 5, options={"4": None}) == []  # back to automatic
    assert get_jet_data(settings, 5)["refinements"] == []


def test_store_values_shown_when_not_overridden(settings, db) -> None:
    map_all_categories()
    assert get_jet_data(settings, 2)["store_values"] == {"brand": "Acme", "upc": "712711000018"}
    assert get_jet_data(settings, 5)["store_values"] == {
        "brand": "Northwind Home",
        "mpn": "NWH-71811",
    }


# --- the CLI --------------------------------------------------------------------------------


def test_cli_sets_exceptions_and_attributes(settings, db, capsys) -> None:
    with_sandbox_attributes()
    code, out, err = cli(
        settings, capsys, SKU,
        "--shipping-level", "Standard", "--shipping-override", "Additional charge",
        "--shipping-amount", "2.50", "--shipping-type", "restricted",
        "--returns-days", "25", "--returns-locations", "loc-1",
        "--returns-methods", "FedEx Ground,UPS Ground",
        "--attribute", "Color=Blue", "--attribute", "capacity=1.5 l", "--json",
    )  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    assert doc["payload"]["attributes_node_specific"] == [
        {"attribute_id": 1, "attribute_value": "Blue"},
        {"attribute_id": 14, "attribute_value": "1.5", "attribute_value_unit": "l"},
    ]
    assert doc["shipping_exception"]["fulfillment_nodes"][0]["shipping_exceptions"] == [
        {
            "service_level": "Standard",
            "override_type": "Additional charge",
            "shipping_charge_amount": 2.5,
            "shipping_exception_type": "restricted",
        }
    ]
    assert doc["returns_exception"] == {
        "time_to_return": 25,
        "return_location_ids": ["loc-1"],
        "return_shipping_methods": ["FedEx Ground", "UPS Ground"],
    }
    # only the amount changes: the rest of the stored exception stays
    code, _, err = cli(settings, capsys, SKU, "--shipping-amount", "3")
    assert code == 0, err
    item = jet_products()[SKU].overrides["shipping_exceptions"][0]
    assert item["shipping_charge_amount"] == 3.0 and item["override_type"] == "Additional charge"

    code, _, err = cli(settings, capsys, SKU, "--shipping-amount", "-1", "--attribute", "Hue=x")
    assert code == 2
    lines = [line for line in err.splitlines() if line.startswith(f"{SKU}: ")]
    assert len(lines) == 3 and lines[-1] == f"{SKU}: nothing saved"
    assert "'-1' is not an amount" in lines[0] and "'Hue': not an attribute" in lines[1]
    assert jet_products()[SKU].overrides["shipping_exceptions"][0]["shipping_charge_amount"] == 3

    code, _, err = cli(
        settings, capsys, SKU, "--no-shipping", "--no-returns", "--attribute", "Color="
    )
    assert code == 0, err
    overrides = jet_products()[SKU].overrides
    assert "shipping_exceptions" not in overrides and "returns_exceptions" not in overrides
    assert overrides["attributes"] == [
        {"attribute_id": 14, "attribute_value": "1.5", "attribute_value_unit": "l"}
    ]


def test_cli_option_attribute(settings, db, capsys) -> None:
    with_sandbox_attributes()
    code, _, err = cli(settings, capsys, PARENT, "--option-attribute", "Bed Size=Capacity")
    assert code == 0, err
    assert jet_products()[PARENT].overrides["option_attributes"] == {"4": 14}
    code, _, err = cli(settings, capsys, PARENT, "--option-attribute", "Colour=Color")
    assert code == 2 and "'Colour': not an option of the product (Bed Size)" in err
    code, _, err = cli(settings, capsys, PARENT, "--option-attribute", "4=auto")
    assert code == 0, err
    assert "option_attributes" not in jet_products()[PARENT].overrides


# --- the screen -----------------------------------------------------------------------------


async def open_edit(pilot: Any, product_id: int) -> Any:
    """The products panel, the cursor on ``product_id``, then ``e``."""
    from jettui.tui.screens.product_edit import ProductEditScreen
    from tests.pilot_support import settle

    await pilot.app.run_action("goto('products')")
    await settle(pilot)
    screen = ProductEditScreen(product_id)
    await pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


async def test_pilot_fill_save_and_reload(settings, db) -> None:
    from textual.widgets import Input, Select

    from jettui.tui.app import JettuiApp
    from tests.pilot_support import settle

    with_sandbox_attributes()
    app = JettuiApp(settings, environ={"COLORTERM": "truecolor"})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_edit(pilot, 5)
        assert screen.focused is not None and screen.focused.id == "edit-code"
        assert screen.query_one("#edit-brand", Input).placeholder == "store: Northwind Home"
        assert screen.query_one("#edit-mpn", Input).placeholder == "store: NWH-71811"
        # keyboard only: type the return days, pick a service level from its list
        screen.query_one("#edit-return-days", Input).focus()
        await pilot.press(*"21")
        screen.query_one("#edit-ship-level", Select).focus()
        await pilot.press("enter", "down", "down", "down", "down", "down", "enter")
        await settle(pilot)
        assert screen.query_one("#edit-ship-level", Select).value == "Standard"
        screen.query_one("#edit-ship-type", Select).value = "exclusive"
        screen.query_one("#edit-ship-override", Select).value = "Additional charge"
        screen.query_one("#edit-ship-amount", Input).value = "1.25"
        screen.query_one("#attr-1", Select).value = "Green"  # Color: pick one of Jet's values
        screen.query_one("#attr-14", Input).value = "3"  # Capacity: a number and a unit
        screen.query_one("#attr-unit-14", Select).value = "cups"
        screen.query_one("#opt-4", Select).value = 14  # Bed Size → Capacity
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert str(screen.query_one("#edit-problems").render()) == ""
        overrides = jet_products()[PARENT].overrides
        assert overrides["returns_exceptions"] == {"time_to_return": 21}
        assert overrides["shipping_exceptions"] == [
            {
                "service_level": "Standard",
                "override_type": "Additional charge",
                "shipping_charge_amount": 1.25,
                "shipping_exception_type": "exclusive",
            }
        ]
        assert overrides["attributes"] == [
            {"attribute_id": 1, "attribute_value": "Green"},
            {"attribute_id": 14, "attribute_value": "3", "attribute_value_unit": "cups"},
        ]
        assert overrides["option_attributes"] == {"4": 14}
        assert "variation refined by: Capacity" in str(screen.query_one("#edit-sends").render())
        await pilot.press("escape")  # saved: leaves at once
        await settle(pilot)

        screen = await open_edit(pilot, 5)  # a fresh screen shows what was saved
        assert screen.query_one("#edit-return-days", Input).value == "21"
        assert screen.query_one("#edit-ship-level", Select).value == "Standard"
        assert screen.query_one("#edit-ship-amount", Input).value == "1.25"
        assert screen.query_one("#attr-1", Select).value == "Green"
        assert screen.query_one("#attr-unit-14", Select).value == "cups"
        assert screen.query_one("#opt-4", Select).value == 14
        assert not screen.unsaved_changes()


async def test_pilot_bad_amount_one_line_nothing_saved(settings, db) -> None:
    from textual.widgets import Input, Select

    from jettui.tui.app import JettuiApp
    from tests.pilot_support import settle

    with_sandbox_attributes()
    app = JettuiApp(settings, environ={"COLORTERM": "truecolor"})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_edit(pilot, 2)
        screen.query_one("#edit-brand", Input).value = "New Brand"
        screen.query_one("#edit-ship-level", Select).value = "Standard"
        screen.query_one("#edit-ship-type", Select).value = "exclusive"
        screen.query_one("#edit-ship-override", Select).value = "Override charge"
        screen.query_one("#edit-ship-amount", Input).value = "four"
        await pilot.press("ctrl+s")
        await settle(pilot)
        problems = str(screen.query_one("#edit-problems").render()).splitlines()
        assert problems == [
            "shipping amount: 'four' is not an amount such as 4.99 (0 or more, 2 decimals)",
            "Nothing saved.",
        ]
        assert jet_products() == {}  # not even the brand
        assert screen.unsaved_changes()


async def test_taxonomy_picker_shows_the_highlighted_nodes_values(settings, db) -> None:
    from jettui.tui.app import JettuiApp
    from jettui.tui.screens.taxonomy import TaxonomyPicker
    from tests.pilot_support import settle

    with_sandbox_attributes()
    app = JettuiApp(settings, environ={"COLORTERM": "truecolor"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(TaxonomyPicker("Map to"))
        await settle(pilot)
        await pilot.press(*str(JET_NODE))
        await pilot.pause(0.5)
        await settle(pilot)
        shown = str(app.screen.query_one("#taxonomy-attributes").render()).splitlines()
        assert shown == [
            "1 Color (variant): Black, White, Red, Blue, Green, Gray, Silver, Pink",
            "2 Material: Cotton, Polyester, Leather, Stainless Steel, Plastic, Wood or free text",
            "14 Capacity (variant): a number in qt / cups / l",
        ]
