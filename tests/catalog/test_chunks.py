"""The catalog streamed in chunks (rows read per chunk, parts checked, sent and recorded one
after the other) sends exactly what one chunk would, and bad data refuses its product alone."""

from __future__ import annotations

from typing import Any

import pytest

from jettui.config import Settings
from jettui.services.catalog import payload, run_action
from jettui.services.catalog.actions import checking, run
from jettui.services.catalog.payload import Checker, ProductCheck
from tests.catalog.conftest import map_all_categories


def _ids() -> list[int]:
    from jettui.store.opencart import Product

    return [p.product_id for p in Product.select(Product.product_id).order_by(Product.product_id)]


def _seen(checks: list[ProductCheck]) -> list[tuple[Any, ...]]:
    """All a check says: errors, warnings, every SKU's preview with its exact bodies."""
    return [
        (c.product_id, c.sku, c.errors, c.warnings, [x.preview() for x in c.listings], c.variation)
        for c in checks
    ]


def _chunked(settings: Settings, ids: list[int], size: int, monkeypatch: Any) -> list[Any]:
    monkeypatch.setattr(payload, "BATCH_PRODUCTS", size)
    return _seen(Checker(settings).check_many(ids))


def _one_by_one(settings: Settings, ids: list[int]) -> list[Any]:
    """Each product read on its own (no chunk rows): the reference."""
    checker = Checker(settings)
    return _seen([checker.check(pid) for pid in ids])


def test_chunks_of_three_check_like_one_chunk_and_like_one_by_one(
    settings, db, monkeypatch
) -> None:
    map_all_categories()
    ids = _ids()[:10]
    one_chunk = _chunked(settings, ids, 1000, monkeypatch)
    assert one_chunk == _chunked(settings, ids, 3, monkeypatch)
    assert one_chunk == _one_by_one(settings, ids)
    assert sum(len(c[4]) for c in one_chunk) > len(ids)  # option children are part of it


def _set(product_id: int, **values: Any) -> None:
    from jettui.store.opencart import Product

    Product.update(**values).where(Product.product_id == product_id).execute()


@pytest.mark.parametrize("bad", ["code", "price", "option price"])
def test_bad_product_in_the_middle_of_a_chunk_is_refused_alone(
    settings, db, monkeypatch, bad
) -> None:
    """SQLite keeps any text in a number column: reading such a row fails for its chunk, the
    chunk's products are then read one by one; a bad code is a plain check error."""
    from jettui.store.opencart import ProductOptionValue

    map_all_categories()
    ids = _ids()[:9]
    before = _chunked(settings, ids, 3, monkeypatch)
    optioned = [pid for pid, *_rest, listings, _v in before if len(listings) > 1]
    middle = optioned[0] if bad == "option price" else ids[4]
    if bad == "code":
        _set(middle, upc="123456789990", ean="", isbn="")  # a wrong check digit
    elif bad == "price":
        db.execute_sql("UPDATE oc_product SET price = 'abc' WHERE product_id = ?", (middle,))
    else:
        value = ProductOptionValue.select().where(ProductOptionValue.product_id == middle).first()
        db.execute_sql(
            "UPDATE oc_product_option_value SET price = 'abc' WHERE product_option_value_id = ?",
            (value.product_option_value_id,),
        )
    after = _chunked(settings, ids, 3, monkeypatch)
    refused = [c for c in after if c[2]]
    assert [c[0] for c in refused] == [middle]
    assert refused[0][4] == [] or bad == "code"
    assert [c for c in after if c[0] != middle] == [c for c in before if c[0] != middle]


async def test_upload_in_parts_of_three_sends_the_bodies_of_one_part(
    settings, db, monkeypatch
) -> None:
    """Parts of 3 products (checked, sent, recorded one after the other): the files sent hold
    exactly the bodies a one-part dry run shows, and every SKU is reported once."""
    from jettui.store.jet_tables import JetFile, JetProduct

    map_all_categories()
    ids = _ids()[:10]
    preview = await run_action(settings, db, "upload", ids, dry_run=True)
    expected: dict[str, dict[str, Any]] = {"MerchantSKUs": {}, "Price": {}, "Inventory": {}}
    for item in preview.items:
        bodies = item.detail["preview"]["bodies"]
        for file_type, sent in expected.items():
            sent[item.item] = bodies[file_type]

    monkeypatch.setattr(run, "STREAM_PRODUCTS", 3)
    monkeypatch.setattr(checking, "CHECK_CHUNK", 2)
    monkeypatch.setattr(payload, "BATCH_PRODUCTS", 3)
    report = await run_action(settings, db, "upload", ids)
    assert report.exit_code == 0, report.summary
    assert sorted(i.item for i in report.items) == sorted(expected["MerchantSKUs"])
    sent: dict[str, dict[str, Any]] = {t: {} for t in expected}
    parts_sent = 0
    for row in JetFile.select().where(JetFile.file_type.in_(list(expected))):
        sent[row.file_type].update(row.payload)
        parts_sent += row.file_type == "MerchantSKUs"
    assert sent == expected
    assert parts_sent == 4  # 10 products in parts of 3
    hashes = {r.merchant_sku: r.sent_hash for r in JetProduct.select()}
    assert all(hashes[sku] for sku in expected["Price"])  # price + inventory recorded as sent

    # A sync in parts finds every SKU as last sent.
    synced = await run_action(settings, db, "sync", ids)
    assert {str(i.outcome) for i in synced.items} == {"unchanged"}
    assert len(synced.items) == len(expected["Price"])


async def test_dry_run_streams_previews_part_by_part_without_keeping_them(
    settings, db, monkeypatch
) -> None:
    """With ``emit`` (the CLI's text output), each part's items and previews go out when the
    part is done and the report keeps no body; without it the report has them all."""
    map_all_categories()
    ids = _ids()[:10]
    kept = await run_action(settings, db, "upload", ids, dry_run=True)
    monkeypatch.setattr(run, "STREAM_PRODUCTS", 3)
    parts: list[list[tuple[str, dict[str, Any]]]] = []

    def emit(items: list[Any]) -> None:
        parts.append([(i.item, i.detail["preview"]) for i in items])

    streamed = await run_action(settings, db, "upload", ids, dry_run=True, emit=emit)
    assert len(parts) == 4  # one per part of 3 products
    assert [x for part in parts for x in part] == [
        (i.item, i.detail["preview"]) for i in kept.items
    ]
    assert [i.item for i in streamed.items] == [i.item for i in kept.items]
    assert not any("preview" in i.detail for i in streamed.items)
    assert streamed.summary == kept.summary
