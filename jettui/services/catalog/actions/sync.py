"""The sync action: changed exceptions (PUT), then the Price and Inventory files of the SKUs whose
offer changed."""

from __future__ import annotations

from jettui.services.catalog.actions import link_rows
from jettui.services.catalog.actions.bulk_files import BulkFiles
from jettui.services.catalog.actions.exception_files import ExceptionFiles
from jettui.services.catalog.actions.report import (
    PRICE_AND_INVENTORY,
)
from jettui.services.results import Outcome


class Sync(BulkFiles, ExceptionFiles):
    async def sync(self) -> None:
        self._invalid()
        targets = self._targets()
        due = [self.listings[s] for s in targets if self._exceptions_due(s)]
        # Sent first: a SKU's outcome is known before it is reported (an outage here leaves
        # every SKU not attempted, which is true: nothing was sent).
        refused = await self._send_exceptions(due) if due else {}
        exceptions_only = {x.sku for x in due}
        changed = []
        for sku in targets:
            if not self._unchanged(sku):
                changed.append(self.listings[sku])
                exceptions_only.discard(sku)
            elif sku not in exceptions_only:
                self.report.add(sku, Outcome.UNCHANGED, "price and inventory as last sent")
        for sku in sorted(exceptions_only):
            if sku in refused:
                self.report.add(sku, Outcome.FAILED, refused[sku])
            else:
                self.report.add(sku, Outcome.SUCCEEDED, "shipping/returns exceptions sent")
        errors: dict[str, str] = dict(refused)
        total = len(changed) * 2
        base = 0
        await self._stage(PRICE_AND_INVENTORY)

        async def step(done: int, _total: int) -> None:
            await self._progress(base + done, total)

        ok = await self._bulk("Price", {x.sku: x.price for x in changed}, step, errors)
        base = len(changed)
        ok &= await self._bulk("Inventory", {x.sku: x.inventory for x in changed}, step, errors)
        for listing in changed:
            if listing.sku in ok and listing.sku not in refused:
                self.report.add(listing.sku, Outcome.SUCCEEDED)
            else:
                self.report.add(
                    listing.sku, Outcome.FAILED, errors.get(listing.sku, "not confirmed")
                )
        await self.store.run(link_rows.record_sync, changed, ok, errors)
