"""After the API activation, the first `cron fetch-orders` is clean (issue 19 item 17): the
sandbox's demo buyers order the merchant's own SKUs, never the activation's test_product
(on Jet that SKU lives in the test-mode account the Runway checklist runs in, jet-api.md §2.9)."""

from __future__ import annotations

import json

from jettui.cli import main
from jettui.jet.sandbox import orders as sandbox_orders
from jettui.jet.sandbox.orders import RUNWAY_TEST_SKU, Sandbox
from jettui.services.activation import TEST_SKU


def _cli(settings, capsys, *args: str) -> tuple[int, dict]:
    code = main(["--config", str(settings.path), *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_first_fetch_after_activation_rejects_nothing(make_settings, capsys, monkeypatch) -> None:
    # demo buyers on, and looking for a SKU for sale on every request
    settings = make_settings(sandbox="  order_every_seconds: 300\n  review_delay_seconds: 0\n")
    monkeypatch.setattr(sandbox_orders, "FIRST_ORDER_LOOK_SECONDS", 0.0)

    code, doc = _cli(settings, capsys, "activate", "all")
    assert code == 0 and doc["ok"] is True
    code, fetched = _cli(settings, capsys, "cron", "fetch-orders")

    assert code == 0, fetched
    assert "rejected" not in json.dumps(fetched)
    ordered = {
        item["merchant_sku"]
        for order in Sandbox(settings).db.all("order")
        for item in order["order_items"]
    }
    assert ordered == {TEST_SKU}  # only the activation's own (generated) orders
    assert len(Sandbox(settings).db.all("order")) == 2  # the cancel test and the shipped one


def test_the_sandbox_knows_the_activation_test_sku() -> None:
    assert RUNWAY_TEST_SKU == TEST_SKU
