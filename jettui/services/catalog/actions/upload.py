"""The upload action: MerchantSKUs, then Price and Inventory, Variation, exceptions; every file
written to the ledger before Jet hears of it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from jettui.errors import Unreachable
from jettui.services.catalog import exceptions as exception_bodies
from jettui.services.catalog import ledger
from jettui.services.catalog.actions import link_rows
from jettui.services.catalog.actions.bulk_files import BulkFiles
from jettui.services.catalog.actions.exception_files import EXCEPTION_FILES, ExceptionFiles
from jettui.services.catalog.actions.renames import Renames
from jettui.services.catalog.actions.report import (
    EXCEPTIONS,
    MERCHANT_SKUS,
    PRICE_AND_INVENTORY,
    VARIATIONS,
    Progress,
    stop_reason,
)
from jettui.services.catalog.payload import Listing, ProductCheck
from jettui.services.results import Outcome
from jettui.services.runtime import settle


class Upload(BulkFiles, Renames, ExceptionFiles):
    async def upload(self) -> None:
        self._invalid()
        self._renames()
        listings = list(self.listings.values())
        owners = {x.sku: (x.product_id, x.option_value_id, x.parent_sku) for x in listings}

        async def before_register(intent: ledger.FileIntent) -> None:
            # Written before Jet hears of the file: a crash from here on leaves a trail.
            await settle(self.store.run(ledger.record_intent, intent, owners))
            if intent.file_type == "MerchantSKUs":
                self.intended.update(intent.payload)

        assert self.jet is not None
        self.jet = ledger.RecordingClient(self.jet, before_register)  # type: ignore[assignment]
        await self._upload(listings)
        await self._archive_retired()

    async def _upload(self, listings: list[Listing]) -> None:
        """Send the part's files in order and report every SKU once: what got through, or,
        when Jet goes away part-way, per SKU how far it got (then the outage is raised)."""
        sending = _Sending.of(listings, self.checks)
        try:
            await self._send_files(sending)
        except Unreachable as exc:
            await self._report_outage(sending, stop_reason(exc))
            raise
        await self._report_sent(sending)

    async def _send_files(self, sending: _Sending) -> None:
        """MerchantSKUs, then Price and Inventory, Variation, the exceptions: each file of the
        SKUs every earlier one accepted."""
        listings = sending.listings

        async def step(done: int, _total: int) -> None:
            await self._progress(sending.base + done, sending.total)

        await self._stage(MERCHANT_SKUS)
        products = {x.sku: x.product for x in listings}
        sent = await self._bulk("MerchantSKUs", products, step, sending.errors)
        sending.sent = sent
        sending.finished.add("MerchantSKUs")
        sending.on_jet = set(sent)
        # Recorded at once: an outage or a crash later must not lose that they are on Jet.
        await self.store.run(
            link_rows.record_upload, listings, sending.on_jet, sending.offered, sending.errors
        )
        sending.base += len(listings)
        await self._stage(PRICE_AND_INVENTORY)
        sent &= await self._price_and_inventory(
            listings, sent, sending.base, sending.total, sending.errors
        )
        sending.finished.update(("Price", "Inventory"))
        sending.base += 2 * len(listings)
        sending.offered = set(sent)
        if sending.variations:
            await self._send_variations(sending, step)
        # The SKUs are on Jet now: a refused exception fails the SKU but keeps it uploaded.
        if sending.extra:
            await self._stage(EXCEPTIONS)
        for file_type, attr in EXCEPTION_FILES:
            bodies = {x.sku: getattr(x, attr) for x in listings if x.sku in sent}
            bodies = {sku: body for sku, body in bodies.items() if body is not None}
            await self._bulk(file_type, bodies, step, sending.refused)
            sending.finished.add(file_type)
            sending.base += len(bodies)

    async def _send_variations(self, sending: _Sending, step: Progress) -> None:
        """The Variation file of the parents Jet took with all their children; a parent whose
        Variation Jet refused is no longer sent."""
        await self._stage(VARIATIONS)
        sent = sending.sent
        ready = {
            parent: body
            for parent, body in sending.variations.items()
            if parent in sent and all(c in sent for c in body["children_skus"])
        }
        ok = await self._bulk("Variation", ready, step, sending.errors)
        sending.finished.add("Variation")
        for parent in ready:
            if parent not in ok:
                sent.discard(parent)
        sending.base += len(ready)

    async def _report_outage(self, sending: _Sending, outage: str) -> None:
        """Jet went away part-way: say per SKU what got through, and record it."""
        errors, refused, on_jet = sending.errors, sending.refused, sending.on_jet
        for listing in sending.listings:
            sku = listing.sku
            if sku in refused or sku in errors:
                self.report.add(sku, Outcome.FAILED, refused.get(sku) or errors[sku])
            elif sku not in on_jet:
                self.report.add(sku, Outcome.NOT_ATTEMPTED, outage)
            elif sending.complete(sku):
                self.report.add(sku, Outcome.SUCCEEDED)
            else:
                self.report.add(sku, Outcome.FAILED, outage)
        done = {sku for sku in on_jet if sending.complete(sku)}
        reasons = {s: outage for s in on_jet - done} | errors | refused
        await self.store.run(
            link_rows.record_upload,
            sending.listings,
            on_jet,
            sending.offered,
            reasons,
            self._jet_refused(),
        )

    async def _report_sent(self, sending: _Sending) -> None:
        """Every file ran to its end: each SKU's outcome, its rows, the exceptions Jet took."""
        errors, refused, sent = sending.errors, sending.refused, sending.sent
        for listing in sending.listings:
            if listing.sku in refused:
                self.report.add(listing.sku, Outcome.FAILED, refused[listing.sku])
            elif listing.sku in sent:
                self.report.add(listing.sku, Outcome.SUCCEEDED)
            else:
                outcome = Outcome.NOT_ATTEMPTED if listing.sku not in errors else Outcome.FAILED
                self.report.add(listing.sku, outcome, errors.get(listing.sku, "not sent"))
        await self.store.run(
            link_rows.record_upload,
            sending.listings,
            sending.on_jet,
            sending.offered,
            errors | refused,
            self._jet_refused(),
        )
        accepted = {
            x.sku: exception_bodies.sent_hash(x.shipping_exception, x.returns_exception)
            for x in sending.listings
            if x.sku in sent and x.sku not in refused
        }
        await self.store.run(exception_bodies.record_sent, accepted)

    async def _price_and_inventory(
        self, listings: list[Listing], sent: set[str], base: int, total: int, errors: dict[str, str]
    ) -> set[str]:
        """The Price and Inventory files of the SKUs Jet took, sent together; the SKUs both
        accepted. Both files run to their end; then an outage in either is raised."""
        done = {"Price": 0, "Inventory": 0}

        def step_of(file_type: str) -> Progress:
            async def step(count: int, _total: int) -> None:
                done[file_type] = count
                await self._progress(base + sum(done.values()), total)

            return step

        files = [
            self._bulk(
                file_type,
                {x.sku: getattr(x, attr) for x in listings if x.sku in sent},
                step_of(file_type),
                errors,
            )
            for file_type, attr in (("Price", "price"), ("Inventory", "inventory"))
        ]
        price, inventory = await asyncio.gather(*files, return_exceptions=True)
        for outcome in (price, inventory):
            if isinstance(outcome, BaseException):
                raise outcome
        assert isinstance(price, set) and isinstance(inventory, set)
        return price & inventory

    def _jet_refused(self) -> set[str]:
        """SKUs Jet refused in (or that never made it into) a MerchantSKUs file: not on Jet."""
        result = self.results.get("MerchantSKUs")
        if result is None:
            return set()
        return set(result.failed) | (set(result.not_sent) - self.intended)


@dataclass
class _Sending:
    """One part's upload as it goes: what each SKU needs, what got through so far."""

    listings: list[Listing]
    variations: dict[str, dict[str, Any]]  # parent SKU -> its Variation body
    needs: dict[str, list[str]]  # SKU -> the file types it is in
    extra: int  # exception bodies to send
    total: int  # progress steps: every SKU in every file
    base: int = 0  # progress steps of the files done
    errors: dict[str, str] = field(default_factory=dict)  # SKU -> why a file failed it
    refused: dict[str, str] = field(default_factory=dict)  # ... an exception file refused it
    finished: set[str] = field(default_factory=set)  # file types whose outcome is known
    sent: set[str] = field(default_factory=set)  # SKUs every file so far accepted
    on_jet: set[str] = field(default_factory=set)  # SKUs whose MerchantSKUs Jet accepted
    offered: set[str] = field(default_factory=set)  # ... and their Price and Inventory too

    @classmethod
    def of(cls, listings: list[Listing], checks: Iterable[ProductCheck]) -> _Sending:
        variations = {c.sku: c.variation for c in checks if c.ok and c.variation}
        extra = sum(getattr(x, attr) is not None for x in listings for _, attr in EXCEPTION_FILES)
        needs = {x.sku: ["MerchantSKUs", "Price", "Inventory"] for x in listings}
        for parent in variations:
            needs[parent].append("Variation")
        for x in listings:
            needs[x.sku] += [f for f, attr in EXCEPTION_FILES if getattr(x, attr) is not None]
        total = len(listings) * 3 + len(variations) + extra
        return cls(listings, variations, needs, extra, total)

    def complete(self, sku: str) -> bool:
        """Every file `sku` is in has a known outcome."""
        return all(f in self.finished for f in self.needs[sku])
