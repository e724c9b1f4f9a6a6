"""The sandbox over real HTTP: uvicorn on a free loopback port, plain httpx."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time

import httpx
import pytest
import uvicorn

from jettui.jet.sandbox import create_app
from jettui.jet.sandbox.cases import VALID

from .conftest import make_settings


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    state = str(tmp_path_factory.mktemp("sandbox") / "state.db")
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(make_settings(state)), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(5)


async def test_http_round_trip(base_url):
    async with httpx.AsyncClient(base_url=f"{base_url}/api") as c:
        r = await c.post("/token", json={"user": "jetuser", "pass": "jetsecret"})
        c.headers["Authorization"] = f"Bearer {r.json()['id_token']}"
        assert (await c.get("/authcheck")).json() == "This message is authorized."
        # bulk upload: the blob URL points back at this server
        tok = (await c.get("/files/uploadToken")).json()
        assert tok["url"].startswith(f"{base_url}/blob/")
        blob = gzip.compress(json.dumps({"h-1": VALID["validate_merchant_sku"]}).encode())
        async with httpx.AsyncClient() as plain:  # no Authorization on the blob PUT
            r = await plain.put(tok["url"], content=blob, headers={"X-MS-Blob-Type": "BlockBlob"})
        assert r.status_code == 201
        await c.post(
            "/files/uploaded",
            json={"url": tok["url"], "file_type": "MerchantSKUs", "file_name": "p.json.gz"},
        )
        for _ in range(3):
            status = (await c.get(f"/files/{tok['jet_file_id']}")).json()["status"]
        assert status == "Processed successfully"
        await c.put("/merchant-skus/h-1/price", json={"price": 12.5})
        r = await c.post(
            "/orders/generate/1",
            json={"fulfillment_node": "node-1", "items": [{"sku": "h-1", "order_quantity": 1}]},
        )
        order_url = r.json()["order_urls"][0]
        order = (await c.get(order_url)).json()
        assert order["order_items"][0]["item_price"]["base_price"] == 12.5
        r = await c.put(
            "/merchant-skus/h-1", json={**VALID["validate_merchant_sku"], "product_title": "abc"}
        )
        assert r.status_code == 400 and r.json()["errors"][0].startswith("product_title:")
        # no SKU, or a SKU split by an encoded '/': no resource, the usual errors body
        for path in ("/merchant-skus/", "/merchant-skus/a%2Fb"):
            r = await c.put(path, json=VALID["validate_merchant_sku"])
            assert r.status_code == 404, (path, r.text)
            assert r.json()["errors"] == [
                f"No HTTP resource was found that matches the request URI '/api{path}'."
            ]
