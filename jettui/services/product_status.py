"""Job ``product-status``: every JetProduct's status as Jet has it now.

Every row (archived ones too) is looked up with GET merchant-skus/{sku}, ``jet.concurrency``
at a time; its status, sub-statuses and archive flag are stored with ``status_checked_at``.
A SKU Jet does not know (404) is stored as "Not on Jet" with Jet's words in ``last_error``
and counts as a failed item; other refusals are failed items and leave the row as it was.
Jet unreachable or refusing the credentials ends the job (the runner reports it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jettui.jet.errors import JetAuthError, JetError, JetNotFound, JetUnreachable

if TYPE_CHECKING:
    from jettui.services.jobs import JobContext, JobReport

NOT_ON_JET = "Not on Jet"
PROGRESS_EVERY = 50  # SKUs between progress lines

Row = tuple[int, str, str]  # JetProduct id, merchant_sku, status before the check
Change = tuple[int, dict[str, Any]]  # JetProduct id, new values


async def run(ctx: JobContext) -> JobReport:
    rows: list[Row] = await ctx.store.run(_products)
    report = ctx.report
    total = len(rows)
    ctx.say(f"checking {total} SKU(s) on Jet")
    changes = ctx.batch(_write)

    async def check(row: Row) -> None:
        row_id, sku, before = row
        try:
            product = await ctx.jet.get_sku(sku)
        except JetNotFound as exc:
            report.failed(sku, f"not on Jet: {exc}")
            await changes.add((row_id, _not_on_jet(str(exc))))
        except (JetUnreachable, JetAuthError):
            raise  # no point asking about the other SKUs
        except JetError as exc:
            report.failed(sku, str(exc))
        else:
            report.succeeded()
            await changes.add((row_id, _known(product, before)))
        done = report.ok + len(report.failures)
        if done % PROGRESS_EVERY == 0 or done == total:
            ctx.say(f"{done}/{total} checked")

    try:
        await ctx.each(rows, check)
    finally:
        await changes.flush()  # what was learnt before an abort is kept
    report.message = f"{total} checked, {len(report.failures)} failed"
    return report


def _known(product: dict[str, Any], before: str) -> dict[str, Any]:
    from jettui.store.text import utcnow

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
    from jettui.store.text import utcnow

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
    from jettui.store.jet_tables import JetProduct

    query = JetProduct.select(JetProduct.id, JetProduct.merchant_sku, JetProduct.status)
    return list(query.order_by(JetProduct.id).tuples())


def _write(changes: list[Change]) -> None:
    from jettui.store.base import database_proxy
    from jettui.store.jet_tables import JetProduct

    with database_proxy.atomic():
        for row_id, values in changes:
            JetProduct.update(**values).where(JetProduct.id == row_id).execute()
