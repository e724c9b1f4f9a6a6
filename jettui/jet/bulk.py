"""Bulk files (docs/jet-api.md 2.2): validate, split, gzip, upload, register, poll.

``await upload_bulk(client, "MerchantSKUs", {sku: product, ...})`` reports every SKU: sent and
accepted, refused by Jet with its words, not sent (invalid here, or the file never reached Jet),
or unconfirmed (Jet named only its first errors, or processing outlasted the timeout).
"""

from __future__ import annotations

import asyncio
import gzip
import inspect
import json
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from jettui.jet import models
from jettui.jet.client import JetClient, jet_json
from jettui.jet.errors import JetError, JetNotFound, JetProtocolError
from jettui.jet.once import Looked, send_once

PROCESSED_OK = "Processed successfully"
PROCESSED_WITH_ERRORS = "Processed with errors"
POLL_INTERVAL_SECONDS = 2.0
POLL_TIMEOUT_SECONDS = 900.0

Progress = Callable[[int, int], Awaitable[None] | None]

# The per-SKU validator for each file type; its bodies are the per-SKU endpoint's bodies.
VALIDATORS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "MerchantSKUs": models.validate_merchant_sku,
    "Price": models.validate_price,
    "Inventory": models.validate_inventory,
    "Variation": models.validate_variation,
    "ShippingException": models.validate_shipping_exception,
    "ReturnsException": models.validate_returns_exception,
    "Archive": models.validate_archive,
}


@dataclass
class BulkFileResult:
    """One uploaded file and what Jet made of it."""

    file_name: str
    skus: list[str]
    content: bytes = field(default=b"", repr=False)  # the JSON file as sent, uncompressed
    jet_file_id: str | None = None
    status: str | None = None  # Jet's file status, last seen
    error_count: int = 0
    sku_errors: dict[str, list[str]] = field(default_factory=dict)  # parsed from error_excerpt
    other_errors: list[str] = field(default_factory=list)  # excerpt lines naming no SKU of the file
    registered: bool = False  # files/uploaded accepted: Jet has the file
    note: str = ""  # how the registration ended when not plainly (e.g. its answer was lost)
    maybe_registered: bool = False  # its files/uploaded answer was lost and the lookup failed
    failure: str | None = None  # why the upload or the polling stopped (one line)
    error: JetError | None = field(default=None, repr=False)  # the Jet error that stopped it

    @property
    def processed(self) -> bool:
        return self.status in (PROCESSED_OK, PROCESSED_WITH_ERRORS)

    @property
    def complete_excerpt(self) -> bool:
        """Every error Jet counted is named in the excerpt (Jet sends the first 20 only)."""
        named = sum(len(v) for v in self.sku_errors.values()) + len(self.other_errors)
        return self.error_count <= named and not self.other_errors


@dataclass
class BulkResult:
    file_type: str
    files: list[BulkFileResult] = field(default_factory=list)
    invalid: dict[str, list[str]] = field(default_factory=dict)  # caught here, never sent

    @property
    def succeeded(self) -> list[str]:
        return [
            sku
            for f in self.files
            if f.processed and (f.status == PROCESSED_OK or f.complete_excerpt)
            for sku in f.skus
            if sku not in f.sku_errors
        ]

    @property
    def failed(self) -> dict[str, list[str]]:
        """SKUs Jet refused, with Jet's words."""
        return {sku: errs for f in self.files for sku, errs in f.sku_errors.items()}

    @property
    def not_sent(self) -> dict[str, list[str]]:
        """Invalid SKUs and SKUs whose file never reached Jet, with the reason."""
        out = dict(self.invalid)
        for f in self.files:
            if not f.registered and not f.maybe_registered:
                out.update({sku: [f.failure or "not sent"] for sku in f.skus})
        return out

    @property
    def unconfirmed(self) -> list[str]:
        """Sent, but Jet's outcome is unknown: fetch the SKUs' status to learn it."""
        done = set(self.succeeded) | set(self.failed)
        return [
            s
            for f in self.files
            if f.registered or f.maybe_registered
            for s in f.skus
            if s not in done
        ]


def split_files(
    entries: Mapping[str, Any], max_skus: int, max_bytes: int
) -> list[tuple[list[str], bytes]]:
    """Group entries into JSON files of at most ``max_skus`` SKUs and ``max_bytes`` bytes
    (uncompressed). A single SKU larger than ``max_bytes`` travels alone."""
    files: list[tuple[list[str], bytes]] = []
    skus: list[str] = []
    parts: list[bytes] = []
    size = 2  # the braces

    def flush() -> None:
        nonlocal skus, parts, size
        if skus:
            files.append((skus, b"{" + b",".join(parts) + b"}"))
        skus, parts, size = [], [], 2

    for sku, body in entries.items():
        part = json.dumps(sku).encode() + b":" + jet_json(body)
        extra = len(part) + (1 if parts else 0)
        if skus and (len(skus) >= max_skus or size + extra > max_bytes):
            flush()
            extra = len(part)
        skus.append(sku)
        parts.append(part)
        size += extra
    flush()
    return files


_QUOTED = re.compile(r"'([^']+)'|\"([^\"]+)\"")


def parse_error_excerpt(
    lines: list[str], skus: list[str]
) -> tuple[dict[str, list[str]], list[str]]:
    """Split Jet's ``error_excerpt`` into per-SKU messages; lines naming no SKU of the file are
    returned apart. A SKU is recognised quoted anywhere ("SKU 'abc': ...") or as a leading
    ``abc:``/``abc -`` label."""
    known = set(skus)
    per_sku: dict[str, list[str]] = {}
    other: list[str] = []
    for line in lines:
        text = str(line)
        found = next(
            (q for m in _QUOTED.finditer(text) if (q := m.group(1) or m.group(2)) in known), None
        )
        if found is None:
            head = re.split(r"\s*[:\-]\s", text, maxsplit=1)[0].strip()
            head = head.removeprefix("SKU ").removeprefix("sku ").strip("'\" ")
            found = head if head in known else None
        if found is None:
            other.append(text)
        else:
            per_sku.setdefault(found, []).append(text)
    return per_sku, other


async def upload_bulk(
    client: JetClient,
    file_type: str,
    entries: Mapping[str, Mapping[str, Any]],
    *,
    progress: Progress | None = None,
    poll_interval: float = POLL_INTERVAL_SECONDS,
    timeout: float = POLL_TIMEOUT_SECONDS,
    checked: bool = False,
) -> BulkResult:
    """Upload ``{sku: body}`` as one or more ``file_type`` bulk files and wait for Jet's verdict.

    ``checked``: the bodies are plain JSON values (no dates to convert) that the caller has
    already validated with the same rules: they are not copied and checked again (a catalog
    run builds and validates every body once, in :mod:`jettui.services.catalog.payload`).

    ``progress(done, total)`` counts SKUs (invalid ones count as done at once). Never raises for
    a Jet failure: each file's ``failure`` says what went wrong.
    """
    if file_type not in VALIDATORS:
        raise ValueError(f"unknown bulk file type '{file_type}' (one of {', '.join(VALIDATORS)})")
    result = BulkResult(file_type)
    valid: Mapping[str, Any]
    if checked:
        valid = entries
    else:
        valid = {}
        for sku, body in entries.items():
            plain = json.loads(jet_json(body))  # what the file will hold: dates in Jet's ISO form
            problems = models.validate_merchant_sku_id(sku) + VALIDATORS[file_type](plain)
            if problems:
                result.invalid[sku] = problems
            else:
                valid[sku] = plain
    total = len(entries)
    done = len(result.invalid)
    await _report(progress, done, total)

    settings = client.settings
    chunks = split_files(valid, settings.bulk_max_skus, settings.bulk_max_bytes)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    tag = models.new_jet_id()[:6]
    for i, (skus, raw) in enumerate(chunks, 1):
        name = f"{file_type}-{stamp}-{tag}-{i}of{len(chunks)}.json.gz"
        result.files.append(BulkFileResult(file_name=name, skus=skus, content=raw))

    async def one(file: BulkFileResult) -> None:
        nonlocal done
        await _send_file(client, file_type, file, poll_interval, timeout)
        done += len(file.skus)
        await _report(progress, done, total)

    await asyncio.gather(*(one(f) for f in result.files))
    return result


async def _send_file(
    client: JetClient,
    file_type: str,
    file: BulkFileResult,
    poll_interval: float,
    timeout: float,
) -> None:
    try:
        grant = await client.get_upload_token()
        url = str(grant["url"])
        file.jet_file_id = str(grant.get("jet_file_id") or "") or None
        await client.upload_blob(url, gzip.compress(file.content, compresslevel=6))
        once = await send_once(
            lambda: client.notify_uploaded(url, file_type, file.file_name),
            lambda: _file_on_jet(client, file.jet_file_id),
            resends=client.max_retries,
        )
        if once.state == "uncertain":  # Jet may have it: the ledger's reconcile looks again
            file.maybe_registered = True
            file.failure = file.note = once.note
            return
        if not once.applied:
            assert once.error is not None
            raise once.error  # refused, or not known to Jet: the file is not registered
        file.registered = True
        file.note = once.note
        registered = once.value if isinstance(once.value, dict) else {}
        file.jet_file_id = str(registered.get("jet_file_id") or file.jet_file_id or "") or None
        if not file.jet_file_id:
            file.failure = "Jet gave no jet_file_id to follow the file"
            return
        deadline = time.monotonic() + timeout
        while True:
            status = await client.get_file(file.jet_file_id)
            file.status = str(status.get("status") or "")
            if file.processed:
                file.error_count = int(status.get("error_count") or 0)
                excerpt = status.get("error_excerpt") or []
                lines = [str(x) for x in excerpt] if isinstance(excerpt, list) else [str(excerpt)]
                file.sku_errors, file.other_errors = parse_error_excerpt(lines, file.skus)
                return
            if time.monotonic() + poll_interval > deadline:
                file.failure = f"still '{file.status}' after {timeout:g} s"
                return
            await asyncio.sleep(poll_interval)
    except JetError as exc:
        # The exception itself is kept: callers classify it by type (an outage stops a run).
        file.error = exc
        file.failure = str(exc)


async def _file_on_jet(client: JetClient, jet_file_id: str | None) -> Looked:
    """Whether Jet registered the file whose files/uploaded answer was lost: GET files/{id}
    answers 404 for an upload URL never registered."""
    if not jet_file_id:
        raise JetProtocolError("no jet_file_id to look the file up by", path="files/uploaded")
    try:
        status = await client.get_file(jet_file_id)
    except JetNotFound:
        return Looked(False)
    return Looked(True, status)


async def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is None:
        return
    outcome = progress(done, total)
    if inspect.isawaitable(outcome):
        await outcome
