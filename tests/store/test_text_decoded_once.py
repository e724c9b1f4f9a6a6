"""Text read from OpenCart is decoded exactly once: in the grids and in what goes to Jet.

OpenCart stores ``htmlspecialchars`` of what the merchant typed; the store's fields undo that
once. Decoding a second time changes what the merchant wrote.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import peewee as pw
import pytest

from jettui.services.catalog.payload import plain_description
from jettui.services.listing import ProductSource

# A description typed in OpenCart's admin (the editor's HTML, escaped by the request cleaning)
# exactly as it lands in oc_product_description.description.
ADMIN_ENCODED = (
    "&lt;p&gt;Press the &amp;lt;Enter&amp;gt; key. Size: a &amp;lt; b "
    "&amp;amp;&amp;amp; b &amp;gt; c.&lt;/p&gt;&lt;p&gt;Works with &lt;b&gt;R&amp;amp;D"
    "&lt;/b&gt; kits.&lt;/p&gt;"
)
ON_JET = "Press the <Enter> key. Size: a < b && b > c. Works with R&D kits."


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[pw.Database]:
    from dataclasses import replace

    from jettui.config import Settings
    from jettui.store import db as store_db
    from jettui.store.demo import build_demo_store

    url = f"sqlite:///{Path(tmp_path_factory.mktemp('store')) / 'demo.db'}"
    build_demo_store(url, products=5)
    settings = Settings()
    database = store_db.connect(replace(settings, store=replace(settings.store, database=url)))
    yield database
    database.close()


def test_grid_shows_a_stored_entity_as_the_merchant_typed_it(demo_db: pw.Database) -> None:
    from jettui.store.opencart import CategoryDescription, ProductDescription, ProductToCategory

    # The merchant typed the literal text "Fish &amp; Chips" (say, explaining HTML).
    ProductDescription.update(name="Fish &amp; Chips").where(
        ProductDescription.product_id == 1
    ).execute()
    categories = ProductToCategory.select(ProductToCategory.category_id).where(
        ProductToCategory.product_id == 1
    )
    CategoryDescription.update(name="Salt &amp; Vinegar").where(
        CategoryDescription.category_id.in_(categories)
    ).execute()
    stored = demo_db.execute_sql(
        "SELECT name FROM oc_product_description WHERE product_id = 1"
    ).fetchone()[0]
    assert stored == "Fish &amp;amp; Chips"  # what OpenCart itself would hold

    rows = dict(ProductSource(demo_db, language_id=1, store_id=0).fetch("", None, False, 0, 50))
    cells = rows[1]
    assert cells[2] == "Fish &amp; Chips"
    assert cells[6] == "Salt &amp; Vinegar"


def test_description_reaches_jet_decoded_exactly_once(demo_db: pw.Database) -> None:
    from jettui.store.opencart import ProductDescription

    demo_db.execute_sql(
        "UPDATE oc_product_description SET description = ? WHERE product_id = 2",
        (ADMIN_ENCODED,),
    )
    row = ProductDescription.get(ProductDescription.product_id == 2)
    assert plain_description(row.description) == ON_JET


def test_html_to_text_keeps_words_apart_and_drops_scripts() -> None:
    from jettui.store.text import html_to_text

    assert html_to_text("<p>one</p><p>two<br>three</p>") == "one two three"
    assert html_to_text("a<script>alert(1)</script>b") == "a b"
    assert html_to_text("plain   text\n") == "plain text"
    assert html_to_text("&amp;lt;") == "&lt;"  # one decoding, never two
