"""Job ``fetch-errors``: the status of every bulk file Jet has not finished with.

Each JetFile with a Jet id whose status is not final ("Processed successfully" / "Processed
with errors") is looked up with GET files/{id}; status, error_count, error_excerpt and
processed_at are stored. Once a file is processed, its excerpt is split per SKU with the bulk
module's own parser (:func:`jettui.jet.bulk.parse_error_excerpt`): each named SKU's errors go
to its JetProduct's ``last_error``. When the file's SKUs are known (its payload is kept) and
Jet named every error, the file's other SKUs were accepted: their ``last_error`` is cleared.
A file Jet cannot answer for is a failed item, in Jet's words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from jettui.errors import Unreachable
from jettui.jet.bulk import PROCESSED_OK, PROCESSED_WITH_ERRORS, BulkFileResult, parse_error_excerpt
from jettui.jet.dates import parse_jet_date
from jettui.jet.errors import JetError
from jettui.services.jobs.context import JobContext, JobReport
from jettui.store.base import database_proxy, tuple_rows
from jettui.store.jet_tables import JetFile, JetProduct
from jettui.store.text import utcnow

FINAL = (PROCESSED_OK, PROCESSED_WITH_ERRORS)
IN_CHUNK = 500  # SKUs per "IN (...)" (SQLite limits bound variables)


@dataclass(frozen=True)
class PendingFile:
    row_id: int
    jet_file_id: str
    file_name: str
    skus: list[str] | None  # from the payload as sent; None when it was not kept


@dataclass
class FileUpdate:
    row_id: int
    values: dict[str, Any]
    sku_errors: dict[str, list[str]]
    accepted: list[str]  # SKUs of the file Jet accepted (their old error is over)


async def run(ctx: JobContext) -> JobReport:
    files: list[PendingFile] = await ctx.store.run(_pending_files)
    known: list[str] = await ctx.store.run(_known_skus) if files else []
    report = ctx.report
    total = len(files)
    processed = sku_errors = 0
    ctx.say(f"checking {total} bulk file(s) on Jet")
    updates = ctx.batch(_write)

    async def check(file: PendingFile) -> None:
        nonlocal processed, sku_errors
        try:
            answer = await ctx.jet.get_file(file.jet_file_id)
        except Unreachable:
            raise
        except JetError as exc:
            report.failed(file.jet_file_id, str(exc), exc)
            return
        update = _update(file, answer, known)
        report.succeeded(file.jet_file_id, str(update.values["status"]))
        if update.values["status"] in FINAL:
            processed += 1
            sku_errors += sum(len(v) for v in update.sku_errors.values())
        await updates.add(update)
        ctx.say(f"{file.file_name or file.jet_file_id}: {update.values['status']}")

    try:
        await ctx.each(files, check)
    finally:
        await updates.flush()
    report.message = (
        f"{total} checked, {len(report.failures)} failed; "
        f"{processed} processed, {sku_errors} SKU error(s)"
    )
    return report


def _update(file: PendingFile, answer: dict[str, Any], known: list[str]) -> FileUpdate:
    """What to store for one file, from Jet's answer to GET files/{id}."""
    now = utcnow()
    excerpt = answer.get("error_excerpt") or []
    lines = [str(x) for x in excerpt] if isinstance(excerpt, list) else [str(excerpt)]
    # A SKU is recognised among the file's own and every SKU jettui knows (the payload's
    # shape is the uploader's business; the excerpt names SKUs either way).
    result = BulkFileResult(
        file_name=file.file_name,
        skus=list(dict.fromkeys([*(file.skus or []), *known])),
        status=str(answer.get("status") or "unknown")[:64],
        error_count=int(answer.get("error_count") or 0),
    )
    values: dict[str, Any] = {"status": result.status, "updated_at": now}
    accepted: list[str] = []
    if result.processed:
        result.sku_errors, result.other_errors = parse_error_excerpt(lines, result.skus)
        values.update(
            error_count=result.error_count,
            error_excerpt=lines,
            processed_at=_processing_end(answer) or now,
        )
        if file.skus is not None and (result.status == PROCESSED_OK or result.complete_excerpt):
            accepted = [sku for sku in file.skus if sku not in result.sku_errors]
    return FileUpdate(file.row_id, values, result.sku_errors, accepted)


def _processing_end(answer: dict[str, Any]) -> datetime | None:
    try:
        end = parse_jet_date(str(answer.get("processing_end") or ""))
    except ValueError:
        return None
    return end.astimezone(UTC).replace(tzinfo=None, microsecond=0)


# --- store side (on the store thread) --------------------------------------------------------


def _pending_files() -> list[PendingFile]:
    query = (
        JetFile.select()
        .where(JetFile.jet_file_id.is_null(False) & JetFile.status.not_in(FINAL))
        .order_by(JetFile.id)
    )
    return [
        PendingFile(
            row.id,
            str(row.jet_file_id),  # selected non-null
            row.file_name,
            list(row.payload) if isinstance(row.payload, dict) else None,
        )
        for row in query
    ]


def _known_skus() -> list[str]:
    return [sku for (sku,) in tuple_rows(JetProduct.select(JetProduct.merchant_sku))]


def _write(updates: list[FileUpdate]) -> None:
    now = utcnow()
    with database_proxy.atomic():
        for update in updates:
            JetFile.update(**update.values).where(JetFile.id == update.row_id).execute()
            for sku, errors in update.sku_errors.items():
                JetProduct.update(last_error="; ".join(errors), updated_at=now).where(
                    JetProduct.merchant_sku == sku
                ).execute()
            for start in range(0, len(update.accepted), IN_CHUNK):
                chunk = update.accepted[start : start + IN_CHUNK]
                JetProduct.update(last_error=None, updated_at=now).where(
                    JetProduct.merchant_sku.in_(chunk) & JetProduct.last_error.is_null(False)
                ).execute()
