"""Bulk files sent to Jet (MerchantSKUs, Price, Inventory, Variation, exceptions): one file type
uploaded, its JetFile rows recorded, Jet's words per SKU."""

from __future__ import annotations

from typing import Any

from jettui.errors import Unreachable, is_unreachable
from jettui.jet import bulk
from jettui.jet.errors import JetServerError, JetUnreachable
from jettui.services.catalog.actions import link_rows
from jettui.services.catalog.actions.part import PartWork
from jettui.services.catalog.actions.report import (
    Progress,
)

POLL_INTERVAL = bulk.POLL_INTERVAL_SECONDS
# Bodies the Checker built and validated with Jet's rules (payload.py): not checked twice.
CHECKED_FILES = frozenset({"MerchantSKUs", "Price", "Inventory", "Variation"})


def is_outage(error: BaseException | None) -> bool:
    """A file's error says Jet is down: unreachable, credentials refused, 5xx after retries."""
    return error is not None and (is_unreachable(error) or isinstance(error, JetServerError))


class BulkFiles(PartWork):
    async def _bulk(
        self,
        file_type: str,
        bodies: dict[str, dict[str, Any]],
        progress: Progress,
        errors: dict[str, str],
    ) -> set[str]:
        """Upload one file type; record the files; return the SKUs Jet accepted. Jet's words
        for the others go into ``errors`` (first problem wins)."""
        if not bodies:
            return set()
        assert self.jet is not None
        result = await bulk.upload_bulk(
            self.jet,
            file_type,
            bodies,
            progress=progress,
            poll_interval=POLL_INTERVAL,
            checked=file_type in CHECKED_FILES,
        )
        self.results[file_type] = result
        await self.store.run(link_rows.record_files, result)
        for f in result.files:  # recorded (JetFile.payload): the part need not hold it too
            f.content = b""
        outages = [f.error for f in result.files if not f.registered and is_outage(f.error)]
        if outages and not result.succeeded:
            # No file reached Jet: stop; the caller reports the SKUs as cut off by the outage.
            for sku, words in result.invalid.items():
                errors.setdefault(sku, f"{file_type} not sent: " + "; ".join(words))
            first = outages[0]
            if isinstance(first, Unreachable):
                raise first
            raise JetUnreachable(str(first)) from first  # 5xx after every retry: Jet is down
        for sku, words in result.failed.items():
            errors.setdefault(sku, f"{file_type}: " + "; ".join(words))
        for sku, words in result.not_sent.items():
            errors.setdefault(sku, f"{file_type} not sent: " + "; ".join(words))
        for sku in result.unconfirmed:
            errors.setdefault(sku, f"{file_type}: sent, Jet has not confirmed it (fetch status)")
        return set(result.succeeded)
