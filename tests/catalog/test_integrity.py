"""Catalog integrity (issue 7): renamed SKUs, SKU collisions, prices below a cent, control
characters, disabled products, unreadable store numbers, files recorded before registering.

Each runs on the SQLite demo store and on OpenCart 3.0.3.8's own install data in MariaDB."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import peewee as pw
import pytest

from jettui.cli import main
from jettui.config import Settings
from jettui.jet.connect import open_jet_client
from jettui.jet.errors import JetNotFound
from jettui.services.catalog import run_action, validate_products
from tests.catalog.conftest import SECRET, jet_products, map_all_categories


@dataclass
class Env:
    backend: str
    settings: Settings
    db: pw.Database
    simple: list[int]  # valid products without options
    optioned: int  # a valid product whose select option gives variation children


def upc(seed: int) -> str:
    """A valid UPC-A code (check digit computed)."""
    body = f"{seed:011d}"
    odd = sum(int(d) for d in body[0::2])
    even = sum(int(d) for d in body[1::2])
    return body + str((10 - (odd * 3 + even) % 10) % 10)


def _settings(make_settings: Any, database: str, extra: str) -> Settings:
    return (
        make_settings(database=database, pricing=extra)
        if database
        else make_settings(pricing=extra)
    )


@pytest.fixture(params=["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)])
def env_factory(request, make_settings) -> Iterator[Any]:
    """``make(extra_yaml="")`` → :class:`Env` on the parametrised store, every category mapped."""
    from jettui.store.db import connect, ensure_jet_tables
    from jettui.store.opencart import Product

    opened: list[pw.Database] = []

    def make(extra: str = "") -> Env:
        url = request.getfixturevalue("mariadb_url") if request.param == "mariadb" else ""
        settings = _settings(make_settings, url, extra)
        db = connect(settings)
        opened.append(db)
        ensure_jet_tables(db)
        map_all_categories()
        if request.param == "sqlite":
            return Env("sqlite", settings, db, [2, 3], 5)
        # OpenCart's demo: 40 iPhone and 41 iMac (simple), 30 Canon EOS 5D (a Select option)
        for i, pid in enumerate((40, 41, 30)):
            Product.update(upc=upc(3600029140 + i)).where(Product.product_id == pid).execute()
        return Env("mariadb", settings, db, [40, 41], 30)

    yield make
    for db in opened:
        db.close()


@pytest.fixture
def env(env_factory) -> Env:
    return env_factory()


def _set(product_id: int, **values: Any) -> None:
    from jettui.store.opencart import Product

    Product.update(**values).where(Product.product_id == product_id).execute()


def _sku(env: Env, product_id: int) -> str:
    (check,) = validate_products(env.settings, [product_id])
    return check.sku


async def _on_jet(settings: Settings, sku: str) -> dict[str, Any] | None:
    async with open_jet_client(settings) as jet:
        try:
            return await jet.get_sku(sku)
        except JetNotFound:
            return None


def _outcomes(report: Any) -> dict[str, tuple[str, str]]:
    return {i.item: (str(i.outcome), i.reason) for i in report.items}


# --- 1. a SKU renamed in OpenCart after upload -------------------------------------------------


async def test_renamed_sku_is_uploaded_and_the_old_one_archived(env) -> None:
    pid = env.simple[0]
    old = _sku(env, pid)
    first = await run_action(env.settings, env.db, "upload", [pid])
    assert first.exit_code == 0, first.summary
    _set(pid, sku="RENAMED-0010")

    report = await run_action(env.settings, env.db, "upload", [pid])
    assert report.exit_code == 0, report.summary  # was: IntegrityError, exit 1, every run
    outcomes = _outcomes(report)
    assert outcomes["RENAMED-0010"][0] == "succeeded"
    assert outcomes[old][0] == "succeeded"
    assert "archived on Jet" in outcomes[old][1] and "RENAMED-0010" in outcomes[old][1]
    assert (await _on_jet(env.settings, old))["is_archived"] is True
    assert (await _on_jet(env.settings, "RENAMED-0010"))["is_archived"] is False
    rows = jet_products()
    assert rows["RENAMED-0010"].sent_at is not None and rows["RENAMED-0010"].product_id == pid
    assert rows[old].is_archived

    # Not wedged: later uploads and syncs go through, the old SKU is not reported again.
    _set(pid, price=Decimal("77"))
    again = await run_action(env.settings, env.db, "upload", [pid])
    assert again.exit_code == 0 and set(_outcomes(again)) == {"RENAMED-0010"}
    assert (await _on_jet(env.settings, "RENAMED-0010"))["price"] == 77.0


async def test_sync_before_the_next_upload_names_the_rename(env) -> None:
    pid = env.simple[0]
    old = _sku(env, pid)
    await run_action(env.settings, env.db, "upload", [pid])
    _set(pid, sku="RENAMED-SYNC")
    report = await run_action(env.settings, env.db, "sync", [pid])
    assert _outcomes(report)["RENAMED-SYNC"] == (
        "not attempted",
        f"renamed from '{old}' in OpenCart: upload it (products upload)",
    )


async def test_renamed_sku_moves_the_link_when_the_merchant_says_so(env_factory) -> None:
    env = env_factory("catalog:\n  renamed_sku: move\n")
    pid = env.simple[0]
    old = _sku(env, pid)
    await run_action(env.settings, env.db, "upload", [pid])
    _set(pid, sku="MOVED-0010")
    report = await run_action(env.settings, env.db, "upload", [pid])
    assert report.exit_code == 0, report.summary
    outcomes = _outcomes(report)
    assert outcomes["MOVED-0010"][0] == "succeeded"
    assert "link moved" in outcomes[old][1] and "left on Jet" in outcomes[old][1]
    assert (await _on_jet(env.settings, old))["is_archived"] is False  # left as it was
    rows = jet_products()
    assert old not in rows and rows["MOVED-0010"].sent_at is not None


def test_renamed_option_value_through_the_cli(env, capsys) -> None:
    from jettui.store.opencart import OptionValueDescription, ProductOptionValue

    first = asyncio.run(run_action(env.settings, env.db, "upload", [env.optioned]))
    assert first.exit_code == 0, first.summary
    child = next(r for r in jet_products().values() if r.product_option_value_id > 0)
    value = ProductOptionValue.get_by_id(child.product_option_value_id)
    # a name the variant attribute allows (OpenCart's "Select" is refined by Jet's Color)
    OptionValueDescription.update(name="Silver").where(
        OptionValueDescription.option_value_id == value.option_value_id
    ).execute()
    renamed = f"{child.parent_sku}-silver"

    code = main(["--config", str(env.settings.path), "products", "upload", child.parent_sku,
                 "--json"])  # fmt: skip
    out = capsys.readouterr()
    assert SECRET not in out.out + out.err
    doc = json.loads(out.out)
    assert code == 0, doc
    items = {i["sku"]: i for i in doc["items"]}
    assert items[renamed]["outcome"] == "succeeded"
    assert items[child.merchant_sku]["outcome"] == "succeeded"
    assert "archived on Jet" in items[child.merchant_sku]["reason"]

    async def group() -> dict[str, Any]:
        async with open_jet_client(env.settings) as jet:
            return await jet.get_variation(child.parent_sku)

    children = [
        c["merchant_sku"] if isinstance(c, dict) else c
        for c in asyncio.run(group())["children_skus"]
    ]
    assert renamed in children and child.merchant_sku not in children


async def test_dry_run_reports_the_rename_and_changes_nothing(env) -> None:
    pid = env.simple[0]
    old = _sku(env, pid)
    await run_action(env.settings, env.db, "upload", [pid])
    before = {sku: (r.product_option_value_id, r.sent_at) for sku, r in jet_products().items()}
    _set(pid, sku="RENAMED-DRY")
    report = await run_action(env.settings, env.db, "upload", [pid], dry_run=True)
    outcomes = _outcomes(report)
    assert outcomes[old] == ("would send", "archive: renamed to 'RENAMED-DRY' in OpenCart")
    assert outcomes["RENAMED-DRY"][0] == "would send"
    after = {sku: (r.product_option_value_id, r.sent_at) for sku, r in jet_products().items()}
    assert after == before


# --- 2. a product SKU equal to another product's generated child SKU ---------------------------


async def test_sku_equal_to_another_products_child_is_refused_for_both(env) -> None:
    (parent,) = validate_products(env.settings, [env.optioned])
    child_sku = parent.listings[1].sku
    other = env.simple[0]
    _set(other, sku=child_sku)
    checks = {c.product_id: c for c in validate_products(env.settings, [env.optioned, other])}
    assert any(str(other) in e and child_sku in e for e in checks[env.optioned].errors)
    assert any(str(env.optioned) in e and "variation child" in e for e in checks[other].errors)

    report = await run_action(env.settings, env.db, "upload", [env.optioned, other])
    outcomes = _outcomes(report)
    assert {o for o, _ in outcomes.values()} == {"not attempted"}
    assert child_sku in outcomes and parent.sku in outcomes
    assert await _on_jet(env.settings, child_sku) is None
    assert jet_products() == {}


# --- 3. prices that cannot be listed ----------------------------------------------------------


@pytest.mark.parametrize(
    ("price", "increment", "words"),
    [
        ("0", "", "store price is 0"),
        ("-5", "", "store price is -5"),
        ("0.001", "", "gives 0: Jet needs at least 0.01"),
        ("20", "pricing:\n  increment_type: fixed\n  increment_amount: -500\n", "gives -480"),
    ],
)
async def test_price_below_a_cent_is_refused_with_the_reason(
    env_factory, price, increment, words
) -> None:
    env = env_factory(increment)
    pid = env.simple[0]
    sku = _sku(env, pid)
    _set(pid, price=Decimal(price))
    (check,) = validate_products(env.settings, [pid])
    assert not check.ok and any(words in e for e in check.errors), check.errors
    dry = await run_action(env.settings, env.db, "upload", [pid], dry_run=True)
    assert _outcomes(dry)[sku][0] == "not attempted" and words in _outcomes(dry)[sku][1]
    report = await run_action(env.settings, env.db, "upload", [pid])
    assert _outcomes(report)[sku][0] == "not attempted" and report.exit_code == 1
    assert await _on_jet(env.settings, sku) is None  # never listed at one cent


def test_option_value_price_below_a_cent_refuses_the_product(env) -> None:
    from jettui.store.opencart import ProductOption, ProductOptionValue

    options = ProductOption.select(ProductOption.product_option_id).where(
        ProductOption.product_id == env.optioned
    )
    value = (
        ProductOptionValue.select().where(ProductOptionValue.product_option_id.in_(options)).first()
    )
    ProductOptionValue.update(price=Decimal("100000"), price_prefix="-").where(
        ProductOptionValue.product_option_value_id == value.product_option_value_id
    ).execute()
    (check,) = validate_products(env.settings, [env.optioned])
    assert not check.ok
    assert any("store price is -" in e for e in check.errors), check.errors


# --- 9. control characters, disabled products -------------------------------------------------


async def test_control_characters_are_stripped_from_the_title(env) -> None:
    from jettui.store.opencart import ProductDescription

    pid = env.simple[0]
    ProductDescription.update(name="Water\tBottle\r\nBlue\x07\x00 Steel").where(
        ProductDescription.product_id == pid
    ).execute()
    (check,) = validate_products(env.settings, [pid])
    assert check.ok, check.errors
    assert check.listings[0].product["product_title"] == "Water Bottle Blue Steel"
    assert "control characters removed from the name" in check.warnings
    report = await run_action(env.settings, env.db, "upload", [pid])
    assert report.exit_code == 0
    assert (await _on_jet(env.settings, check.sku))["product_title"] == "Water Bottle Blue Steel"


def test_disabled_products_are_left_out_of_all_unless_asked(env, capsys) -> None:
    disabled = env.simple[1]
    sku = _sku(env, disabled)
    _set(disabled, status=0)

    def dry_run(*flags: str) -> dict[str, Any]:
        args = ["--config", str(env.settings.path), "products", "upload", "--all", "--dry-run"]
        main([*args, *flags, "--json"])
        return json.loads(capsys.readouterr().out)

    doc = dry_run()
    assert sku not in {i["sku"] for i in doc["items"]}
    assert doc["disabled_left_out"] >= 1
    assert "disabled product(s) left out (--include-disabled)" in doc["summary"]
    doc = dry_run("--include-disabled")
    assert sku in {i["sku"] for i in doc["items"]} and doc["disabled_left_out"] == 0


# --- 12. a store number that is not a number --------------------------------------------------


@pytest.mark.parametrize(
    ("column", "raw"),
    [("price", "abc"), ("price", "1e400"), ("quantity", "1e400"), ("weight", "heavy")],
)
async def test_unreadable_store_number_refuses_that_product_only(settings, db, column, raw) -> None:
    """SQLite keeps any text in a DECIMAL/INT column (MariaDB cannot hold these)."""
    map_all_categories()
    db.execute_sql(f"UPDATE oc_product SET {column} = ? WHERE product_id = 2", (raw,))
    report = await run_action(settings, db, "upload", [2, 3])
    outcomes = _outcomes(report)
    assert outcomes["ACM-WB00002"][0] == "not attempted"
    assert column in outcomes["ACM-WB00002"][1]
    assert outcomes["BRW-CK00003"][0] == "succeeded"  # the batch goes on
    assert report.exit_code == 1


async def test_unreadable_option_value_refuses_that_product_only(settings, db) -> None:
    map_all_categories()
    db.execute_sql("UPDATE oc_product_option_value SET quantity = 'lots'")
    report = await run_action(settings, db, "upload", [3, 5])
    outcomes = _outcomes(report)
    assert outcomes["BRW-CK00003"][0] == "succeeded"
    assert outcomes["NWH-DCS00005"][0] == "not attempted"
    assert "unreadable store value" in outcomes["NWH-DCS00005"][1]
