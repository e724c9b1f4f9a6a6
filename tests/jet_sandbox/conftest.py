from __future__ import annotations

import copy
import zlib
from dataclasses import replace
from typing import Any

import httpx
import pytest

from jettui.config import Settings
from jettui.jet.sandbox import create_app
from jettui.jet.sandbox.cases import VALID

BASE = "http://sandbox.jettui/api"


def make_settings(state_file: str = ":memory:", **sandbox: Any) -> Settings:
    s = Settings()
    return replace(s, sandbox=replace(s.sandbox, state_file=state_file, **sandbox))


class Jet:
    """A logged-in httpx client on an in-process sandbox, with a few shortcuts."""

    def __init__(self, client: httpx.AsyncClient, app: Any) -> None:
        self.c = client
        self.app = app

    @property
    def sandbox(self) -> Any:
        return self.app.state.lazy.get()

    def advance(self, seconds: float) -> float:
        """Move the sandbox's clock on and stop it there (time-based states, no sleeping)."""
        now = self.sandbox.clock() + seconds
        self.sandbox.clock = lambda: now
        return now

    async def login(self) -> None:
        r = await self.c.post("/token", json={"user": "jetuser", "pass": "jetsecret"})
        assert r.status_code == 200, r.text
        self.c.headers["Authorization"] = f"Bearer {r.json()['id_token']}"

    async def product(self, sku: str = "test_product", qty: int = 20, **fields: Any) -> None:
        """A complete listing for ``sku`` with a UPC of its own (Jet flags a code two SKUs
        share), priced and stocked."""
        body = {
            **VALID["validate_merchant_sku"],
            "standard_product_codes": [own_upc(sku)],
            **fields,
        }
        assert (await self.c.put(f"/merchant-skus/{sku}", json=body)).status_code == 201
        r = await self.c.put(f"/merchant-skus/{sku}/price", json={"price": 38.0})
        assert r.status_code == 201
        inv = {"fulfillment_nodes": [{"fulfillment_node_id": "node-1", "quantity": qty}]}
        assert (await self.c.put(f"/merchant-skus/{sku}/inventory", json=inv)).status_code == 201

    async def order(self, qty: int = 2, cancel: int = 0, sku: str = "test_product") -> dict:
        body = {
            "fulfillment_node": "node-1",
            "items": [{"sku": sku, "order_quantity": qty, "order_cancel_quantity": cancel}],
        }
        r = await self.c.post("/orders/generate/1", json=body)
        assert r.status_code == 200, r.text
        order_id = r.json()["order_urls"][0].split("/")[3]
        return (await self.c.get(f"/orders/withoutShipmentDetail/{order_id}")).json()

    async def ack(self, order: dict, status: str = "accepted") -> httpx.Response:
        items = [
            {
                "order_item_id": i["order_item_id"],
                "order_item_acknowledgement_status": "fulfillable",
            }
            for i in order["order_items"]
        ]
        return await self.c.put(
            f"/orders/{order['merchant_order_id']}/acknowledge",
            json={"acknowledgement_status": status, "order_items": items},
        )


def own_upc(sku: str) -> dict[str, str]:
    """A valid UPC made from ``sku`` (the same SKU, the same code)."""
    from stdnum import ean

    body = f"{zlib.crc32(sku.encode()) % 10**11:011d}"
    return {"standard_product_code": body + ean.calc_check_digit(body),
            "standard_product_code_type": "UPC"}  # fmt: skip


def shipped_body(order: dict, units: dict[str, int] | None = None) -> dict:
    """A shipped message for ``order``: ``units`` shipped per SKU (default: every unit not
    under a directed cancel), the directed cancels cancelled."""
    body = copy.deepcopy(VALID["validate_shipped"])
    template = body["shipments"][0]["shipment_items"][0]
    lines = []
    for i in order["order_items"]:
        wanted = i["request_order_quantity"] - i["request_order_cancel_qty"]
        lines.append({**template, "merchant_sku": i["merchant_sku"],
                      "response_shipment_sku_quantity": (units or {}).get(i["merchant_sku"], wanted),
                      "response_shipment_cancel_qty": i["request_order_cancel_qty"] if units is None else 0})  # fmt: skip
    body["shipments"][0]["shipment_items"] = lines
    return body


def jet_for(settings: Settings) -> Jet:
    app = create_app(settings)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE)
    return Jet(client, app)


@pytest.fixture
async def jet():
    j = jet_for(make_settings())
    await j.login()
    yield j
    await j.c.aclose()
