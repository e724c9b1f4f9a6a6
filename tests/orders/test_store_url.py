"""``order.store_url`` as OpenCart's checkout writes it: the default store's URL is config.php's
HTTP_SERVER, which is not in the database, so an imported Jet order takes ``store.url`` (ending
in "/") when the shop has no ``config_url``; a ``config_url`` in the database wins. Without
either the admin's order info had no link to the shop. SQLite and MariaDB."""

from __future__ import annotations

from pathlib import Path

import pytest

from jettui.config import load_settings
from jettui.services.orders.importer import fetch_orders
from jettui.store.opencart import Order, Setting
from tests.shop_support import link_skus, list_on_jet, oc_order_id, place_order, settings_yaml


def settings_with_url(folder: Path, database: str, url: str):
    text = settings_yaml(database).replace(
        f"store:\n  database: {database}\n", f"store:\n  database: {database}\n  url: {url}\n"
    )
    assert f"url: {url}" in text
    path = folder / "settings.yaml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return load_settings(path)


@pytest.mark.parametrize(
    ("config_url", "expected"),
    [(None, "https://shop.example.com/"), ("https://db.example.com/", "https://db.example.com/")],
)
async def test_an_imported_order_carries_the_shops_url(
    oc_database, tmp_path, oc_db, config_url: str | None, expected: str
) -> None:
    settings = settings_with_url(tmp_path, oc_database, "https://shop.example.com")
    assert not Setting.select().where(Setting.key == "config_url").exists()  # as installed
    if config_url:
        Setting.insert(store_id=0, code="config", key="config_url", value=config_url,
                       serialized=0).execute()  # fmt: skip
    link_skus()
    await list_on_jet(settings, {"product 11": 101.0})
    [mid] = await place_order(settings, [("product 11", 1, 0)])
    assert (await fetch_orders(settings, oc_db)).exit_code == 0
    assert Order.get_by_id(oc_order_id(mid)).store_url == expected
