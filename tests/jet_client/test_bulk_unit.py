"""Bulk files against a scripted fake Jet: split, gzip, upload flow, polling, per-SKU errors."""

from __future__ import annotations

import gzip
import json
from typing import Any

import httpx
import pytest

from jettui.jet.bulk import parse_error_excerpt, split_files, upload_bulk
from jettui.jet.errors import JetServerError

from . import payloads
from .fakes import BASE, FakeJet, jet_settings


def prices(n: int) -> dict[str, dict[str, Any]]:
    return {f"sku-{i:04d}": payloads.price(10 + i) for i in range(n)}


def test_split_by_sku_count_keeps_every_sku_once() -> None:
    entries = prices(25)
    files = split_files(entries, max_skus=10, max_bytes=10**9)
    assert [len(skus) for skus, _ in files] == [10, 10, 5]
    merged: dict[str, Any] = {}
    for skus, raw in files:
        content = json.loads(raw)
        assert list(content) == skus
        merged |= content
    assert merged == entries


def test_split_by_bytes() -> None:
    entries = prices(40)
    one = len(json.dumps({"sku-0000": entries["sku-0000"]}, separators=(",", ":")))
    files = split_files(entries, max_skus=1000, max_bytes=one * 5)
    assert len(files) >= 8
    assert all(len(raw) <= one * 5 for _, raw in files)
    assert [s for skus, _ in files for s in skus] == list(entries)


def test_an_oversized_sku_travels_alone() -> None:
    entries = {"small": {"a": 1}, "huge": {"a": "x" * 500}, "small2": {"a": 2}}
    files = split_files(entries, max_skus=10, max_bytes=100)
    assert [skus for skus, _ in files] == [["small"], ["huge"], ["small2"]]


@pytest.mark.parametrize(
    "line",
    [
        "SKU 'sku-1': product_title must be between 5 and 500 characters",
        'SKU "sku-1": bad',
        "sku-1: price must be greater than 0",
        "Row 3 (merchant sku 'sku-1') - invalid",
    ],
)
def test_error_excerpt_lines_are_attributed_to_skus(line: str) -> None:
    per_sku, other = parse_error_excerpt([line, "file is too large"], ["sku-1", "sku-2"])
    assert per_sku == {"sku-1": [line]}
    assert other == ["file is too large"]


class BulkJet(FakeJet):
    """Fake bulk endpoints: keeps uploaded files, answers files/{id} from ``verdicts``."""

    def __init__(self, polls_before_done: int = 1) -> None:
        super().__init__()
        self.blobs: dict[str, bytes] = {}
        self.registered: list[dict[str, Any]] = []
        self.polls: dict[str, int] = {}
        self.polls_before_done = polls_before_done
        self.bad_skus: dict[str, str] = {}
        self.routes[("GET", "files/uploadToken")] = self._token
        self.routes[("POST", "files/uploaded")] = self._uploaded

    def _token(self, request: httpx.Request) -> httpx.Response:
        file_id = f"f{len(self.blobs) + len(self.polls) + 1:031d}"
        self.routes[("PUT", f"/blob/{file_id}")] = self._blob(file_id)
        self.routes[("GET", f"files/{file_id}")] = self._status(file_id)
        url = f"http://blob.test/blob/{file_id}?sv=1&sig=SAS"
        self.polls[file_id] = 0
        return httpx.Response(
            200, json={"url": url, "jet_file_id": file_id, "expires_in_seconds": 600}
        )

    def _blob(self, file_id: str):
        def put(request: httpx.Request) -> httpx.Response:
            assert request.headers["x-ms-blob-type"] == "BlockBlob"
            assert "authorization" not in request.headers
            self.blobs[file_id] = gzip.decompress(request.content)
            return httpx.Response(201)

        return put

    def _uploaded(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.registered.append(body)
        file_id = body["url"].split("/blob/")[1].split("?")[0]
        return httpx.Response(200, json={"jet_file_id": file_id, "status": "Acknowledged"})

    def _status(self, file_id: str):
        def get(request: httpx.Request) -> httpx.Response:
            self.polls[file_id] += 1
            if self.polls[file_id] <= self.polls_before_done:
                return httpx.Response(200, json={"jet_file_id": file_id, "status": "Processing"})
            skus = json.loads(self.blobs[file_id])
            errors = [f"SKU '{s}': {m}" for s, m in self.bad_skus.items() if s in skus]
            return httpx.Response(
                200,
                json={
                    "jet_file_id": file_id,
                    "status": "Processed with errors" if errors else "Processed successfully",
                    "error_count": len(errors),
                    "error_excerpt": errors,
                },
            )

        return get


async def test_upload_bulk_end_to_end_with_invalid_and_refused_skus() -> None:
    fake = BulkJet()
    entries = prices(23)
    entries["neg"] = payloads.price(-3)  # caught here
    entries["bad/sku"] = payloads.price(3)  # caught here
    fake.bad_skus = {"sku-0004": "price too low", "sku-0017": "unknown node"}
    seen: list[tuple[int, int]] = []
    async with fake.client(jet_settings(api_url=BASE, bulk_max_skus=10)) as jet:
        result = await upload_bulk(
            jet, "Price", entries, progress=lambda d, t: seen.append((d, t)), poll_interval=0.001
        )
    assert sorted(result.invalid) == ["bad/sku", "neg"]
    assert any("price" in m for m in result.invalid["neg"])
    assert [len(f.skus) for f in result.files] == [10, 10, 3]
    assert result.failed == {
        "sku-0004": ["SKU 'sku-0004': price too low"],
        "sku-0017": ["SKU 'sku-0017': unknown node"],
    }
    assert sorted(result.succeeded) == sorted(set(prices(23)) - {"sku-0004", "sku-0017"})
    assert result.unconfirmed == [] and sorted(result.not_sent) == ["bad/sku", "neg"]
    # what reached Jet: the valid SKUs exactly, gzipped JSON keyed by SKU, registered by name
    sent = {k: v for raw in fake.blobs.values() for k, v in json.loads(raw).items()}
    assert sent == prices(23)
    assert sorted(fake.blobs.values()) == sorted(f.content for f in result.files)
    assert {r["file_type"] for r in fake.registered} == {"Price"}
    assert {r["file_name"] for r in fake.registered} == {f.file_name for f in result.files}
    assert all(r["file_name"].endswith(".json.gz") for r in fake.registered)
    assert seen[0] == (2, 25) and seen[-1] == (25, 25) and len(seen) == 4


async def test_truncated_excerpt_leaves_other_skus_unconfirmed() -> None:
    fake = BulkJet(polls_before_done=0)
    fake.bad_skus = {"sku-0001": "bad"}
    original = fake._status

    def lying_status(file_id: str):
        inner = original(file_id)

        def get(request: httpx.Request) -> httpx.Response:
            body = json.loads(inner(request).content)
            body["error_count"] = 30  # more errors than the excerpt names
            return httpx.Response(200, json=body)

        return get

    fake._status = lying_status  # type: ignore[method-assign]
    async with fake.client() as jet:
        result = await upload_bulk(jet, "Price", prices(5), poll_interval=0.001)
    assert list(result.failed) == ["sku-0001"]
    assert result.succeeded == []
    assert sorted(result.unconfirmed) == ["sku-0000", "sku-0002", "sku-0003", "sku-0004"]


async def test_polling_gives_up_after_the_timeout() -> None:
    fake = BulkJet(polls_before_done=10**6)
    async with fake.client() as jet:
        result = await upload_bulk(jet, "Price", prices(3), poll_interval=0.01, timeout=0.05)
    [file] = result.files
    assert file.status == "Processing" and "after 0.05 s" in (file.failure or "")
    assert result.unconfirmed == list(prices(3)) and result.succeeded == []


async def test_a_failed_upload_reports_skus_as_not_sent() -> None:
    fake = BulkJet()
    fake.routes[("GET", "files/uploadToken")] = httpx.Response(500, json={"errors": ["down"]})
    async with fake.client() as jet:
        result = await upload_bulk(jet, "Inventory", {"a": payloads.inventory()}, poll_interval=0)
    assert result.not_sent == {"a": [result.files[0].failure]}
    assert "down" in (result.files[0].failure or "")
    # The exception itself is kept, so callers classify the failure by type, not by its text.
    assert isinstance(result.files[0].error, JetServerError)
    assert result.files[0].error.messages == ["down"]


async def test_unknown_file_type_is_refused() -> None:
    async with FakeJet().client() as jet:
        with pytest.raises(ValueError, match="Shipments"):
            await upload_bulk(jet, "Shipments", {})
