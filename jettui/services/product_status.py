"""Job ``product-status``: every JetProduct's status as Jet has it now.

Every uploaded row (archived ones too) is looked up with GET merchant-skus/{sku},
``jet.concurrency`` at a time; its status, sub-statuses and archive flag are stored with
``status_checked_at``. A SKU Jet does not know (404) is stored as "Not on Jet" with Jet's words
in ``last_error`` and counts as a failed item; other refusals are failed items and leave the
row as it was. Rows never uploaded (e.g. Jet data saved with `products edit` before the first
upload) are not Jet's business yet: skipped, not failed. Jet unreachable or refusing the
credentials ends the job (the runner reports it).
"""

from __future__ import annotations

from typing import Any

from jettui.errors import Unreachable
from jettui.jet.errors import JetError, JetNotFound
from jettui.services.jobs.context import JobContext, JobReport
from jettui.store.base import database_proxy, tuple_rows
from jettui.store.jet_tables import JetProduct
from jettui.store.text import utcnow

NOT_ON_JET = "Not on Jet"
PROGRESS_EVERY = 50  # SKUs between progress lines

NEVER_UPLOADED = "never uploaded to Jet"

Row = tuple[int, str, str, bool]  # JetProduct id, merchant_sku, status before, ever sent
Change = tuple[int, dict[str, Any]]  # JetProduct id, new values


async def run(ctx: JobContext) -> JobReport:
    rows: list[Row] = await ctx.store.run(_products)
    report = ctx.report
    never = [sku for _, sku, _, sent in rows if not sent]
    for sku in never:
        report.skipped(sku, NEVER_UPLOADED)
    rows = [row for row in rows if row[3]]
    total = len(rows)
    ctx.say(f"checking {total} SKU(s) on Jet")
    changes = ctx.batch(_write)
    done = 0

    async def check(row: Row) -> None:
        nonlocal done
        row_id, sku, before, _ = row
        try:
            product = await ctx.jet.get_sku(sku)
        except JetNotFound as exc:
            report.failed(sku, f"not on Jet: {exc}", exc)
            await changes.add((row_id, _not_on_jet(str(exc))))
        except Unreachable:
            raise  # no point asking about the other SKUs
        except JetError as exc:
            report.failed(sku, str(exc), exc)
        else:
            report.succeeded(sku, str(product.get("status") or ""))
            await changes.add((row_id, _known(product, before)))
        done += 1
        if done % PROGRESS_EVERY == 0 or done == total:
            ctx.say(f"{done}/{total} checked")

    try:
        await ctx.each(rows, check)
    finally:
        await changes.flush()  # what was learnt before an abort is kept
    report.message = f"{total} checked, {len(report.failures)} failed"
    if never:
        report.message += f"; {len(never)} never uploaded, skipped"
    return report


def _known(product: dict[str, Any], before: str) -> dict[str, Any]:
    now = utcnow()
    values: dict[str, Any] = {
        "status": str(product.get("status") or "unknown")[:64],
        "sub_statuses": [str(s) for s in product.get("sub_status") or []],
        "is_archived": bool(product.get("is_archived")),
        "status_checked_at": now,
        "updated_at": now,
    }
    if before == NOT_ON_JET:
        values["last_error"] = None  # the error this job wrote is over: Jet knows the SKU now
    return values


def _not_on_jet(reason: str) -> dict[str, Any]:
    now = utcnow()
    return {
        "status": NOT_ON_JET,
        "sub_statuses": [],
        "last_error": reason,
        "status_checked_at": now,
        "updated_at": now,
    }


# --- store side (on the store thread) --------------------------------------------------------


def _products() -> list[Row]:
    query = JetProduct.select(
        JetProduct.id,
        JetProduct.merchant_sku,
        JetProduct.status,
        JetProduct.sent_at.is_null(False),
    )
    return [
        (i, sku, status, bool(sent))
        for i, sku, status, sent in tuple_rows(query.order_by(JetProduct.id))
    ]


def _write(changes: list[Change]) -> None:
    with database_proxy.atomic():
        for row_id, values in changes:
            JetProduct.update(**values).where(JetProduct.id == row_id).execute()
