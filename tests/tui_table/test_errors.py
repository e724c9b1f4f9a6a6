"""A failing query is an answer: one line naming the store and what was being done, and the
grid stays usable."""

from __future__ import annotations

from dataclasses import replace

from jettui.config import Settings
from jettui.services.listing import ProductSource
from jettui.store import db as store_db
from jettui.store.demo import build_demo_store

from .host import TableApp, settle


async def test_a_broken_store_gives_one_line_naming_it_and_the_step(tmp_path) -> None:
    path = tmp_path / "store.db"
    url = f"sqlite:///{path}"
    build_demo_store(url, products=30)
    settings = Settings()
    database = store_db.connect(replace(settings, store=replace(settings.store, database=url)))
    try:
        database.execute_sql("DROP TABLE oc_product_description")  # an admin's accident
        app = TableApp(ProductSource(database, 1, 0))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            status = app.table.status_text
            assert status == (
                f"reading rows failed on store {path}: "
                "OperationalError: no such table: oc_product_description"
            )
            assert "\n" not in status and "Traceback" not in status
            await pilot.press("s", "down", "slash", "x", "enter")  # still answers keys
            await settle(pilot)
            assert app.is_running and app.table.status_text.startswith("reading rows failed")
    finally:
        database.close()
