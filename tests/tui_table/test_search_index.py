"""The in-memory search index answers as a plain substring search would: typed a character at a
time (narrowing from the previous filter) or fresh, for any text, in any order, and after a
product is renamed in the store."""

from __future__ import annotations

import random
import time
from array import array

from jettui.services.listing import ProductSource
from jettui.services.search_index import SearchIndex, row_text
from jettui.store.opencart import Product, ProductDescription

WORDS = ["cast", "iron", "Crème", "brûlée", "STRASSE", "Straße", "mug", "oven", "ΣΊΣΥΦΟΣ", "日本"]


def _catalog(rows: int, seed: int = 3) -> list[tuple[int, str]]:
    rng = random.Random(seed)
    return [
        (
            10 + 3 * number,  # ids with gaps, ascending
            row_text(
                (
                    " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))),
                    f"M-{number:05d}",
                    f"{rng.randint(0, 10**12):012d}",
                )
            ),
        )
        for number in range(rows)
    ]


def _plain(catalog: list[tuple[int, str]], typed: str) -> list[int]:
    """What `needle in text` finds, row by row: the reference."""
    needle = typed.strip().casefold()
    return [number for number, (_id, text) in enumerate(catalog) if needle in text]


FILTERS = [
    "c",
    "ca",
    "cas",
    "cast",
    "cast ",
    "cast i",
    "cast iron",
    "ÈM",
    "straße",
    "ss",
    "日",
    "Σ",
]


def test_typing_a_filter_a_character_at_a_time_finds_what_a_fresh_search_finds() -> None:
    catalog = _catalog(4000)
    typed = SearchIndex.of(catalog)
    typed.count_short_filters()
    for text in FILTERS:
        fresh = SearchIndex.of(catalog)  # nothing to narrow from
        expected = _plain(catalog, text)
        assert typed.count(text) == fresh.count(text) == len(expected), text
        assert list(typed.positions(text) or ()) == list(fresh.positions(text) or ()) == expected
        assert typed.matching_ids(text).tolist() == [catalog[n][0] for n in expected]


def test_non_ascii_text_is_found_case_insensitively_and_never_across_fields() -> None:
    index = SearchIndex.of(
        [(1, row_text(["Crème Brûlée Torch", "CB-1"])), (2, row_text(["ΣΊΣΥΦΟΣ mug", "SM-2"]))]
    )
    assert index.matching_ids("BRÛLÉE").tolist() == [1]
    assert index.matching_ids("σίσυφος").tolist() == [2]
    assert index.count("torch cb") == 0  # "Torch" and "CB-1" are two fields
    assert index.count("torch\x1fcb-1") == 0  # the separator itself is never matched


def test_pages_in_any_order_are_the_matching_rows_in_that_order() -> None:
    catalog = _catalog(3000, seed=8)
    index = SearchIndex.of(catalog)
    index.count_short_filters()  # short filters: counted, pages searched lazily
    shuffled = array("i", random.Random(1).sample(range(len(catalog)), len(catalog)))
    for text in ("a", "ca", "iron", "zzz"):
        expected = _plain(catalog, text)
        in_order = [row for row in shuffled if row in set(expected)]
        for descending in (False, True):
            rows = in_order[::-1] if descending else in_order
            for offset in (0, 7, len(rows) // 2, max(len(rows) - 3, 0)):
                page = index.page(text, shuffled, "shuffled", descending, offset, 25)
                assert page == rows[offset : offset + 25], (text, descending, offset)
            by_id = index.page(text, None, "id", descending, 3, 40)
            assert by_id == (expected[::-1] if descending else expected)[3:43]


def test_a_product_renamed_after_the_load_is_found_by_its_new_name(demo_db) -> None:
    source = ProductSource(demo_db, 1, 0)
    source.count("")  # starts the load
    deadline = time.monotonic() + 30
    while not source.index_ready():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert source.count("Zanzibar Teapot") == 0
    ProductDescription.update(name="Zanzibar Teapot").where(
        (ProductDescription.product_id == 7) & (ProductDescription.language_id == 1)
    ).execute()
    newest = Product.select(Product.date_modified).order_by(Product.date_modified.desc()).scalar()
    Product.update(date_modified=newest.replace(year=newest.year + 1)).where(
        Product.product_id == 7
    ).execute()  # what OpenCart's admin does on every edit
    source.CHECK_SECONDS = 0.0  # the next question checks the data mark
    deadline = time.monotonic() + 30
    while source.count("zanzibar teapot") != 1:  # the database answers while it reloads
        assert time.monotonic() < deadline, "the renamed product was never found"
        time.sleep(0.05)
    while not source.index_ready():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert source.ids("zanzibar teapot") == [7]
    assert source.index_ready() and source.count("Zanzibar Teapot") == 1
