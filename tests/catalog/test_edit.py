"""Editing one product's Jet data: validation, what the upload then sends, the CLI, the screen."""

from __future__ import annotations

import json

from textual.widgets import Input

from jettui.cli import main
from jettui.services.catalog import get_jet_data, save_jet_data
from jettui.tui.app import JettuiApp
from jettui.tui.screens.product_edit import ProductEditScreen
from jettui.tui.screens.products import ProductsScreen
from tests.catalog.conftest import SECRET, jet_products, map_all_categories
from tests.pilot_support import settle

SKU = "ACM-WB00002"  # product 2 of the demo store
GOOD_EAN = "4006381333931"


def cli(settings, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--config", str(settings.path), "products", "edit", *args])
    out = capsys.readouterr()
    assert SECRET not in out.out + out.err
    return code, out.out, out.err


def test_bad_upc_check_digit_refused_nothing_saved(settings, db) -> None:
    problems = save_jet_data(settings, 2, {"standard_code": "036000291453", "brand": "Acme X"})
    assert len(problems) == 1
    assert "check digit" in problems[0]
    assert jet_products() == {}  # not even the brand was saved


def test_valid_ean_override_changes_the_dry_run_payload(settings, db, capsys) -> None:
    map_all_categories()
    assert save_jet_data(settings, 2, {"standard_code": GOOD_EAN, "standard_code_type": ""}) == []
    assert jet_products()[SKU].overrides == {
        "standard_code": GOOD_EAN,
        "standard_code_type": "EAN",
    }
    data = get_jet_data(settings, 2)
    assert data["payload"]["standard_product_codes"] == [
        {"standard_product_code": GOOD_EAN, "standard_product_code_type": "EAN"}
    ]
    code = main(["--config", str(settings.path), "products", "upload", SKU, "--dry-run"])
    assert code == 0
    assert f"{SKU}: would send" in capsys.readouterr().err


def test_brand_override_and_validation(settings, db) -> None:
    map_all_categories()
    assert save_jet_data(settings, 2, {"brand": "Jet Brand Co"}) == []
    assert get_jet_data(settings, 2)["payload"]["brand"] == "Jet Brand Co"
    problems = save_jet_data(
        settings,
        2,
        {"brand": "B" * 51, "asin": "B00-BAD", "returns_exceptions": {"time_to_return": 45}},
    )
    assert len(problems) == 3
    assert get_jet_data(settings, 2)["overrides"] == {"brand": "Jet Brand Co"}
    assert save_jet_data(settings, 2, {"brand": ""}) == []  # clearing falls back to the maker
    assert get_jet_data(settings, 2)["payload"]["brand"] != "Jet Brand Co"


def test_attributes_and_exceptions_validated(settings, db) -> None:
    bad = save_jet_data(
        settings,
        2,
        {
            "attributes": [{"attribute_id": "x"}],
            "shipping_exceptions": [{"shipping_exception_type": "include"}],
        },
    )
    assert any(p.startswith("attributes") for p in bad)
    assert any("include" in p for p in bad)
    good = {
        "attributes": [{"attribute_id": 50, "attribute_value": "Red"}],
        "shipping_exceptions": [
            {"service_level": "Standard", "shipping_exception_type": "exclusive"}
        ],
        "returns_exceptions": {"time_to_return": 14},
    }
    assert save_jet_data(settings, 2, good) == []
    assert get_jet_data(settings, 2)["overrides"]["returns_exceptions"] == {"time_to_return": 14}


def test_cli_exit_codes(settings, db, capsys) -> None:
    map_all_categories()
    code, out, err = cli(settings, capsys, SKU, "--ean", GOOD_EAN, "--brand", "Cli Brand", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["overrides"]["brand"] == "Cli Brand"
    assert doc["payload"]["standard_product_codes"][0]["standard_product_code"] == GOOD_EAN

    code, _, err = cli(settings, capsys, SKU, "--upc", "036000291453", "--mpn", "M" * 51)
    assert code == 2
    assert len([line for line in err.splitlines() if line.startswith(f"{SKU}: ")]) == 3
    assert jet_products()[SKU].overrides["brand"] == "Cli Brand"

    code, _, err = cli(settings, capsys, "NO-SUCH-SKU", "--brand", "X")
    assert code == 2 and "NO-SUCH-SKU" in err

    code, out, err = cli(settings, capsys, SKU, "--show")
    assert code == 0, err
    assert "not on Jet yet" in out  # the result on stdout (issue 19: it was on stderr only)


def test_cli_show_jet_unreachable_exit_3(make_settings, capsys) -> None:
    from jettui.config import load_settings

    settings = make_settings()
    text = settings.path.read_text().replace("api_url: sandbox", "api_url: http://127.0.0.1:9")
    settings.path.write_text(text)
    settings = load_settings(settings.path)
    code, _, err = cli(settings, capsys, SKU, "--show")
    assert code == 3 and "unreachable" in err.lower()


async def test_pilot_edit_brand_and_save(settings, db) -> None:
    map_all_categories()
    app = JettuiApp(settings, environ={"COLORTERM": "truecolor"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.run_action("goto('products')")
        await settle(pilot)
        assert isinstance(app.screen, ProductsScreen)
        await pilot.press("e")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProductEditScreen)
        assert "not on Jet yet" in str(screen.query_one("#edit-jet").render())
        brand = screen.query_one("#edit-brand", Input)
        brand.focus()
        brand.value = ""
        await pilot.press(*"Pilot Brand")
        await pilot.press("ctrl+s")
        await settle(pilot)
        stored = {p.product_id: p.overrides for p in jet_products().values()}
        assert stored[screen.product_id]["brand"] == "Pilot Brand"

        screen.query_one("#edit-code", Input).value = "036000291453"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "check digit" in str(screen.query_one("#edit-problems").render())
        stored = {p.product_id: p.overrides for p in jet_products().values()}
        assert "standard_code" not in stored[screen.product_id]
        await pilot.press("escape")  # the refused code is unsaved: leaving asks first
        await settle(pilot)
        await pilot.press("d")  # leave without saving
        await settle(pilot)
        assert isinstance(app.screen, ProductsScreen)


async def test_an_edit_before_the_first_upload_is_not_taken_for_an_upload(settings, db) -> None:
    from jettui.services.catalog import run_action

    map_all_categories()
    assert save_jet_data(settings, 2, {"brand": "Jet Brand Co"}) == []  # creates the link row
    report = await run_action(settings, db, "archive", [2])
    outcomes = {item.item: (item.outcome, item.reason) for item in report.items}
    assert outcomes[SKU] == ("not attempted", "never uploaded to Jet")
