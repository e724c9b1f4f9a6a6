"""Bulk files recorded before Jet is told about them, and the reconciliation of what a crash
left unconfirmed.

A MerchantSKUs file Jet registers is processed whether or not jettui lives to read the answer.
So before ``files/uploaded`` registers a file, :class:`RecordingClient` writes its JetFile row
(status :data:`REGISTERING`, Jet's file id from the upload token, the payload) and marks the
file's SKUs that were never on Jet :data:`UNCONFIRMED` ("sent, unconfirmed": ``sent_at`` set, so
status and archive treat them as on Jet). A SIGKILL after that leaves a trail:
:func:`reconcile` (at the start of every product action and of the sync job) asks Jet about the
files still open and then about each unconfirmed SKU, and settles both. Because the file row
has its Jet id, ``fetch-errors`` also follows it, and its errors reach Rejected files.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from jettui.errors import Unreachable
from jettui.jet.bulk import PROCESSED_OK, PROCESSED_WITH_ERRORS, parse_error_excerpt
from jettui.jet.client import JetClient
from jettui.jet.errors import JetError, JetNotFound
from jettui.services.jet_session import StoreThread
from jettui.services.runtime import fan_out
from jettui.store.base import database_proxy, insert_rows, tuple_rows, update_many
from jettui.store.text import utcnow

REGISTERING = "registering"  # recorded, files/uploaded sent or about to be: outcome unknown
NOT_REGISTERED = "not registered"  # Jet never got the file (found out by reconcile)
UNCONFIRMED = "Sent, unconfirmed"  # JetProduct.status of a SKU in a file of unknown fate
NOT_UPLOADED = "Not Uploaded"
IN_CHUNK = 900  # SKUs per IN (...) read
UPLOADED = "Uploaded"
FINAL = (PROCESSED_OK, PROCESSED_WITH_ERRORS)
WAIT_SECONDS = 120.0  # how long reconcile waits for a MerchantSKUs file Jet is processing


@dataclass(frozen=True)
class FileIntent:
    """A file about to be registered with Jet."""

    file_type: str
    file_name: str
    jet_file_id: str | None
    payload: dict[str, Any]


class RecordingClient:
    """A :class:`JetClient` that calls ``before_register(intent)`` before each
    ``files/uploaded``; every other attribute is the wrapped client's."""

    def __init__(
        self, jet: JetClient, before_register: Callable[[FileIntent], Awaitable[None]]
    ) -> None:
        self._jet = jet
        self._before_register = before_register
        self._ids: dict[str, str | None] = {}  # upload URL → Jet's file id from the token
        self._blobs: dict[str, bytes] = {}  # upload URL → the gzipped file

    def __getattr__(self, name: str) -> Any:
        return getattr(self._jet, name)

    async def get_upload_token(self) -> dict[str, Any]:
        grant = await self._jet.get_upload_token()
        self._ids[str(grant["url"])] = str(grant.get("jet_file_id") or "") or None
        return grant

    async def upload_blob(self, url: str, gzipped: bytes) -> None:
        await self._jet.upload_blob(url, gzipped)
        self._blobs[url] = gzipped

    async def notify_uploaded(self, url: str, file_type: str, file_name: str) -> dict[str, Any]:
        if url in self._blobs:  # recorded once: a resend (Jet showed it was not applied) is not
            payload = json.loads(gzip.decompress(self._blobs.pop(url)) or b"{}")
            intent = FileIntent(file_type, file_name, self._ids.get(url), payload)
            await self._before_register(intent)
        return await self._jet.notify_uploaded(url, file_type, file_name)


# --- store side (store thread) ----------------------------------------------------------------


def record_intent(intent: FileIntent, skus: dict[str, tuple[int, int, str | None]]) -> None:
    """The file's JetFile row, and for a MerchantSKUs file its never-sent SKUs as unconfirmed.
    ``skus``: merchant SKU → (product id, option value id, parent SKU) of the run's listings."""
    from jettui.store.jet_tables import JetFile, JetProduct

    now = utcnow()
    with database_proxy.atomic():
        JetFile.create(
            jet_file_id=intent.jet_file_id,
            file_type=intent.file_type,
            file_name=intent.file_name,
            status=REGISTERING,
            sku_count=len(intent.payload),
            payload=intent.payload,
            uploaded_at=now,
        )
        if intent.file_type != "MerchantSKUs":
            return
        skus_sent = list(intent.payload)
        known: dict[str, bool] = {}  # merchant SKU → sent before
        for start in range(0, len(skus_sent), IN_CHUNK):
            rows = JetProduct.select(JetProduct.merchant_sku, JetProduct.sent_at).where(
                JetProduct.merchant_sku.in_(skus_sent[start : start + IN_CHUNK])
            )
            known.update((sku, sent_at is not None) for sku, sent_at in tuple_rows(rows))
        values = {"status": UNCONFIRMED, "sent_at": now, "updated_at": now}
        update_many(
            JetProduct, "merchant_sku", [(s, values) for s in skus_sent if known.get(s) is False]
        )
        inserts = []
        for sku in skus_sent:
            if sku not in known and sku in skus:
                product_id, option_value_id, parent = skus[sku]
                inserts.append(
                    {
                        "merchant_sku": sku,
                        "product_id": product_id,
                        "product_option_value_id": option_value_id,
                        "parent_sku": parent,
                        **values,
                    }
                )
        insert_rows(JetProduct, inserts)


def _open_files() -> list[tuple[int, str, str, list[str]]]:
    """(row id, Jet id, file type, SKUs) of files registered or being registered that Jet
    has not finished: every file still :data:`REGISTERING`, and unprocessed MerchantSKUs."""
    from jettui.store.jet_tables import JetFile

    rows = JetFile.select().where(
        JetFile.jet_file_id.is_null(False)
        & (
            (JetFile.status == REGISTERING)
            | ((JetFile.file_type == "MerchantSKUs") & JetFile.status.not_in(FINAL))
        )
    )
    return [
        (r.id, str(r.jet_file_id), r.file_type, list(r.payload or {}))
        for r in rows.order_by(JetFile.id)
    ]


def _unconfirmed_skus() -> list[str]:
    from jettui.store.jet_tables import JetProduct

    rows = JetProduct.select(JetProduct.merchant_sku).where(JetProduct.status == UNCONFIRMED)
    return [sku for (sku,) in tuple_rows(rows)]


def has_open_work() -> bool:
    """Anything for :func:`reconcile` to settle (a cheap check before opening Jet)."""
    return bool(_open_files() or _unconfirmed_skus())


def _update_file(row_id: int, values: dict[str, Any]) -> None:
    from jettui.store.jet_tables import JetFile

    JetFile.update(**values, updated_at=utcnow()).where(JetFile.id == row_id).execute()


def _settle_sku(sku: str, values: dict[str, Any]) -> None:
    from jettui.store.jet_tables import JetProduct

    JetProduct.update(**values, updated_at=utcnow()).where(
        (JetProduct.merchant_sku == sku) & (JetProduct.status == UNCONFIRMED)
    ).execute()


# --- reconciliation ---------------------------------------------------------------------------


async def reconcile(
    jet: JetClient,
    store: StoreThread,
    concurrency: int = 4,
    *,
    poll_interval: float = 2.0,
    wait_seconds: float = WAIT_SECONDS,
) -> int:
    """Settle what a crashed run left open; returns how many SKUs were settled.

    Files: Jet's answer is stored, after waiting up to ``wait_seconds`` for a MerchantSKUs
    file Jet is processing (a file Jet does not know was never registered: its row loses the
    Jet id so nobody follows it). SKUs: those of files Jet is still processing wait;
    the others are on Jet (``Uploaded``) if Jet has them, else back to ``Not Uploaded`` with
    Jet's words when its file named them. An outage raises (Unreachable): nothing is lost."""
    files = await store.run(_open_files)
    processing: set[str] = set()
    refused: dict[str, list[str]] = {}

    async def check_file(file: tuple[int, str, str, list[str]]) -> None:
        row_id, jet_file_id, file_type, skus = file
        deadline = time.monotonic() + (wait_seconds if file_type == "MerchantSKUs" else 0)
        try:
            answer = await jet.get_file(jet_file_id)
            while str(answer.get("status")) not in FINAL and time.monotonic() < deadline:
                await asyncio.sleep(poll_interval)
                answer = await jet.get_file(jet_file_id)
        except JetNotFound:
            await store.run(_update_file, row_id, {"jet_file_id": None, "status": NOT_REGISTERED})
            return
        status = str(answer.get("status") or "unknown")[:64]
        values: dict[str, Any] = {"status": status}
        if status in FINAL:
            excerpt = answer.get("error_excerpt") or []
            lines = [str(x) for x in excerpt] if isinstance(excerpt, list) else [str(excerpt)]
            per_sku, _other = parse_error_excerpt(lines, skus)
            refused.update(per_sku if file_type == "MerchantSKUs" else {})
            values.update(
                error_count=int(answer.get("error_count") or 0),
                error_excerpt=lines,
                processed_at=utcnow(),
            )
        elif file_type == "MerchantSKUs":
            processing.update(skus)
        await store.run(_update_file, row_id, values)

    await fan_out(files, check_file, concurrency=concurrency)
    skus = [s for s in await store.run(_unconfirmed_skus) if s not in processing]
    settled = 0

    async def check_sku(sku: str) -> None:
        nonlocal settled
        try:
            await jet.get_sku(sku)
        except JetNotFound:
            words = "; ".join(refused.get(sku, [])) or "its MerchantSKUs file never reached Jet"
            values = {"status": NOT_UPLOADED, "sent_at": None, "last_error": words}
        except Unreachable:
            raise
        except JetError:
            return  # Jet could not say: still unconfirmed, the next run asks again
        else:
            values = {"status": UPLOADED, "last_error": None}
        await store.run(_settle_sku, sku, values)
        settled += 1

    await fan_out(skus, check_sku, concurrency=concurrency)
    return settled
