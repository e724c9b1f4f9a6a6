"""One part's products as an action sees them: the listings it may send, the SKUs it targets, those
it reports not attempted, and the per-SKU fan-out. The actions are mixins over :class:`PartWork`
(upload.py, sync.py, per_sku.py, dry_run.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from jettui.config import Settings
from jettui.jet import bulk
from jettui.jet.client import JetClient
from jettui.services.catalog import links as link_plans
from jettui.services.catalog.actions.report import (
    ACTION_STAGES,
    NOT_ON_JET_YET,
    ActionReport,
    Progress,
    Stage,
    call,
)
from jettui.services.catalog.payload import (
    ProductCheck,
)
from jettui.services.jet_session import StoreThread
from jettui.services.results import Outcome
from jettui.services.runtime import fan_out


class PartWork:
    def __init__(
        self,
        settings: Settings,
        store: StoreThread,
        report: ActionReport,
        checks: list[ProductCheck],
        links: dict[str, dict[str, Any]],
        progress: Progress | None,
        plan: link_plans.LinkPlan | None = None,
        stage: Stage | None = None,
    ) -> None:
        self.settings = settings
        self.stage = stage
        self.store = store
        self.report = report
        self.checks = checks
        self.links = links  # merchant_sku → JetProduct values of the products
        self.progress = progress
        self.jet: JetClient | None = None
        self.plan = plan or link_plans.LinkPlan()
        refused = self.plan.refused
        # A product one of whose SKUs is refused (linked to another product) is not sent.
        blocked = {c.product_id for c in checks for x in c.listings if x.sku in refused}
        self.listings = {
            x.sku: x for c in checks if c.ok and c.product_id not in blocked for x in c.listings
        }
        self.blocked = blocked
        self.results: dict[str, bulk.BulkResult] = {}  # file type → the last bulk result
        self.intended: set[str] = set()  # SKUs of MerchantSKUs files Jet was told about
        self.left_alone: set[str] = set()  # see leave_alone

    def leave_alone(self, skus: set[str]) -> None:
        """SKUs of the products acted on that this run does not touch (the children not
        selected when only some are)."""
        self.left_alone = set(skus)
        self.listings = {s: x for s, x in self.listings.items() if s not in skus}

    def all_skus(self) -> list[str]:
        skus = [s for c in self.checks for s in c.skus]
        renamed = [r.old for r in self.plan.moved] + self.plan.to_archive
        every = dict.fromkeys(skus + list(self.links) + renamed)
        return [s for s in every if s not in self.left_alone]

    async def _progress(self, done: int, total: int) -> None:
        await call(self.progress, done, total)

    async def _stage(self, text: str) -> None:
        await call(self.stage, text)

    def _invalid(self) -> None:
        for check in self.checks:
            skus = [s for s in check.skus if s not in self.left_alone]
            if not check.ok:
                for sku in skus:
                    self.report.add(sku, Outcome.NOT_ATTEMPTED, "; ".join(check.errors))
            elif check.product_id in self.blocked:
                reasons = [self.plan.refused[s] for s in check.skus if s in self.plan.refused]
                for sku in skus:
                    self.report.add(sku, Outcome.NOT_ATTEMPTED, "; ".join(reasons))

    def _targets(self) -> list[str]:
        """SKUs the action applies to (others were reported as not attempted)."""
        if self.report.action == "upload":
            return list(self.listings)
        linked = [s for s in self.all_skus() if s in self.links]
        for sku in self.all_skus():
            if sku not in self.links and (self.report.action != "sync" or sku in self.listings):
                self.report.add(sku, *self._never_uploaded(sku))
        if self.report.action == "sync":
            return [s for s in linked if s in self.listings and not self.links[s]["is_archived"]]
        return linked

    def _never_uploaded(self, sku: str) -> tuple[Outcome, str]:
        """Why ``sku`` is not acted on: renamed since its upload (not attempted: the merchant
        has to upload it), or never uploaded. A status or sync of a SKU not on Jet yet has
        nothing to do (skipped, not a failure: a cron run stays green); archiving one that
        was asked for is not attempted."""
        listing = self.listings.get(sku)
        if listing is not None:
            slot = (listing.product_id, listing.option_value_id)
            old = next((s for s, v in self.links.items() if v.get("slot") == slot), None)
            if old is not None:
                why = f"renamed from '{old}' in OpenCart: upload it (products upload)"
                return Outcome.NOT_ATTEMPTED, why
        if self.report.action in ("status", "sync"):
            return Outcome.SKIPPED, NOT_ON_JET_YET
        return Outcome.NOT_ATTEMPTED, "never uploaded to Jet"

    def _unchanged(self, sku: str) -> bool:
        return self.links.get(sku, {}).get("sent_hash") == self.listings[sku].offer_hash

    async def _each(self, skus: list[str], work: Callable[[str], Awaitable[None]]) -> None:
        """``work(sku)`` ``jet.concurrency`` at a time; an outage stops every worker."""
        total, done = len(skus), 0
        await self._stage(ACTION_STAGES[self.report.action])
        await self._progress(0, total)

        async def one(sku: str) -> None:
            nonlocal done
            await work(sku)
            done += 1
            await self._progress(done, total)

        await fan_out(skus, one, concurrency=self.settings.jet.concurrency)
