"""Shipping and returns exceptions: which a SKU needs sent (upload or sync) and the PUTs a sync
sends."""

from __future__ import annotations

from jettui.errors import Unreachable
from jettui.jet.errors import JetError
from jettui.services.catalog import exceptions as exception_bodies
from jettui.services.catalog.actions.part import PartWork
from jettui.services.catalog.actions.report import (
    EXCEPTIONS,
)
from jettui.services.catalog.payload import (
    Listing,
)
from jettui.services.runtime import fan_out, settle

# Sent after the MerchantSKUs file, for the SKUs whose Jet data has them: (file type, Listing attr)
EXCEPTION_FILES = (
    ("ShippingException", "shipping_exception"),
    ("ReturnsException", "returns_exception"),
)


class ExceptionFiles(PartWork):
    def _extra_files(self, sku: str) -> str:
        """The exception files an upload also sends for ``sku`` (a sync: the exceptions changed
        since Jet last accepted them, sent with PUT)."""
        listing = self.listings.get(sku)
        if listing is None or self.report.action not in ("upload", "sync"):
            return ""
        if self.report.action == "sync" and not self._exceptions_due(sku):
            return ""
        files = [
            file_type for file_type, attr in EXCEPTION_FILES if getattr(listing, attr) is not None
        ]
        return "".join(f", {f}" for f in files)

    def _exceptions_due(self, sku: str) -> bool:
        """The SKU has shipping/returns exceptions other than those Jet last accepted."""
        listing = self.listings[sku]
        wanted = exception_bodies.sent_hash(listing.shipping_exception, listing.returns_exception)
        return wanted is not None and wanted != self.links[sku].get("exceptions_hash")

    async def _send_exceptions(self, listings: list[Listing]) -> dict[str, str]:
        """PUT each SKU's changed exceptions (``/merchant-skus/{sku}/shippingexception`` and
        ``/returnsexception``); Jet's words per refused SKU. An outage is raised."""
        await self._stage(EXCEPTIONS)
        refused: dict[str, str] = {}
        accepted: dict[str, str | None] = {}

        async def one(listing: Listing) -> None:
            assert self.jet is not None
            try:
                if listing.shipping_exception:
                    await self.jet.put_shipping_exception(listing.sku, listing.shipping_exception)
                if listing.returns_exception:
                    await self.jet.put_returns_exception(listing.sku, listing.returns_exception)
            except Unreachable:
                raise
            except JetError as exc:
                refused[listing.sku] = f"exceptions: {exc}"
                return
            accepted[listing.sku] = exception_bodies.sent_hash(
                listing.shipping_exception, listing.returns_exception
            )

        try:
            await fan_out(listings, one, concurrency=self.settings.jet.concurrency)
        finally:
            await settle(self.store.run(exception_bodies.record_sent, accepted))
        return refused
