"""jettui's JetProduct rows of the products acted on (store thread): read, updated, recorded after
a file."""

from __future__ import annotations

import json
from typing import Any

from jettui.jet import bulk
from jettui.services.catalog.actions.report import NOT_ON_JET, UNCONFIRMED, UPLOADED
from jettui.services.catalog.payload import (
    Listing,
)
from jettui.store.base import database_proxy, insert_rows, tuple_rows, update_many
from jettui.store.jet_tables import JetFile, JetProduct
from jettui.store.text import utcnow


def uploaded_product_ids() -> list[int]:
    rows = (
        JetProduct.select(JetProduct.product_id)
        .where(JetProduct.sent_at.is_null(False))
        .distinct()
        .order_by(JetProduct.product_id)
    )
    return [pid for (pid,) in tuple_rows(rows)]


def uploaded_links(product_ids: list[int]) -> dict[str, dict[str, Any]]:
    if not product_ids:
        return {}
    # A row that was never sent (an edit saved before the first upload, a failed upload) is
    # not on Jet: archive, status and sync must not treat it as uploaded.
    rows = JetProduct.select().where(
        JetProduct.product_id.in_(product_ids)
        & JetProduct.sent_at.is_null(False)
        & (JetProduct.product_option_value_id >= 0)  # retired (renamed) SKUs: upload's business
    )
    return {
        r.merchant_sku: {
            "sent_hash": r.sent_hash,
            "exceptions_hash": r.exceptions_hash,
            "is_archived": r.is_archived,
            "status": r.status,
            "slot": (r.product_id, r.product_option_value_id),
        }
        for r in rows.order_by(JetProduct.id)
    }


def update_link(sku: str, values: dict[str, Any]) -> None:
    JetProduct.update(**values, updated_at=utcnow()).where(JetProduct.merchant_sku == sku).execute()


def record_files(result: bulk.BulkResult) -> None:
    """The files' JetFile rows: the row written before registering (ledger) is completed; a
    file whose registration failed keeps that row open for :func:`ledger.reconcile` (Jet may
    have it even so: an answer lost)."""
    now = utcnow()
    names = [f.file_name for f in result.files]
    recorded = {r.file_name: r for r in JetFile.select().where(JetFile.file_name.in_(names))}
    with database_proxy.atomic():
        for f in result.files:
            row = recorded.get(f.file_name)
            if row is not None and not f.registered:
                continue  # files/uploaded was tried: its fate is reconcile's to learn
            values = {
                "jet_file_id": f.jet_file_id if f.registered else None,
                "file_type": result.file_type,
                "status": (f.status or ("uploaded" if f.registered else "failed"))[:64],
                "sku_count": len(f.skus),
                "error_count": f.error_count,
                "error_excerpt": f.sku_errors or None,
                "uploaded_at": now if f.registered else None,
                "processed_at": now if f.processed else None,
            }
            if row is None:
                payload = json.loads(f.content) if f.content else None
                JetFile.create(file_name=f.file_name, payload=payload, **values)
            else:
                JetFile.update(**values, updated_at=now).where(JetFile.id == row.id).execute()


def record_upload(
    listings: list[Listing],
    on_jet: set[str],
    offered: set[str],
    errors: dict[str, str],
    refused: set[str] | None = None,
) -> None:
    """JetProduct rows: ``on_jet`` SKUs (MerchantSKUs accepted) are uploaded; ``sent_hash`` is
    set only for SKUs whose price and inventory Jet accepted, so sync resends the others.
    A SKU recorded as sent-unconfirmed that Jet ``refused`` is back to never uploaded; one
    whose fate is still unknown stays unconfirmed (reconciled by the next run)."""
    now = utcnow()
    skus = [x.sku for x in listings]
    # Read before the transaction: on SQLite (WAL) a transaction that reads and then writes
    # fails at once with "database is locked" when another connection wrote meanwhile.
    before: dict[str, str] = dict(
        tuple_rows(
            JetProduct.select(JetProduct.merchant_sku, JetProduct.status).where(
                JetProduct.merchant_sku.in_(skus)
            )
        )
    )
    updates: list[tuple[str, dict[str, Any]]] = []
    inserts: list[dict[str, Any]] = []
    for x in listings:
        values: dict[str, Any] = {
            "product_id": x.product_id,
            "product_option_value_id": x.option_value_id,
            "parent_sku": x.parent_sku,
            "updated_at": now,
        }
        if x.sku in on_jet:
            values.update(sent_at=now, last_error=errors.get(x.sku))
            if x.sku in offered:
                values["sent_hash"] = x.offer_hash
            if before.get(x.sku) in (None, "", "Not Uploaded", NOT_ON_JET, UNCONFIRMED):
                values["status"] = UPLOADED
        else:
            values["last_error"] = errors.get(x.sku, "not sent")
            if before.get(x.sku) == UNCONFIRMED and x.sku in (refused or ()):
                values.update(status="Not Uploaded", sent_at=None)
        if x.sku in before:
            updates.append((x.sku, values))
        else:
            inserts.append({"merchant_sku": x.sku, **values})
    with database_proxy.atomic():
        update_many(JetProduct, "merchant_sku", updates)
        insert_rows(JetProduct, inserts)


def record_sync(listings: list[Listing], ok: set[str], errors: dict[str, str]) -> None:

    now = utcnow()
    rows = [
        (x.sku, {"sent_hash": x.offer_hash, "sent_at": now, "last_error": None, "updated_at": now})
        if x.sku in ok
        else (x.sku, {"last_error": errors.get(x.sku, "not confirmed"), "updated_at": now})
        for x in listings
    ]
    with database_proxy.atomic():
        update_many(JetProduct, "merchant_sku", rows)
