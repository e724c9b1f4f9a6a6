"""SKUs renamed in OpenCart since their upload (catalog.renamed_sku): the links moved and the old
SKUs archived on Jet."""

from __future__ import annotations

from jettui.errors import Unreachable
from jettui.jet.errors import JetError, JetNotFound
from jettui.services.catalog import links as link_plans
from jettui.services.catalog.actions.part import PartWork
from jettui.services.results import Outcome
from jettui.services.runtime import fan_out, settle


class Renames(PartWork):
    def _renames(self) -> None:
        """One line per link moved to a renamed SKU (the old SKU left on Jet as it is)."""
        for r in self.plan.moved:
            self.report.add(
                r.old,
                Outcome.SUCCEEDED,
                f"renamed to '{r.new}' in OpenCart: jettui's link moved to '{r.new}'; "
                f"'{r.old}' left on Jet as it is (catalog.renamed_sku: move)",
            )

    def _renamed_to(self, old: str) -> str:
        new = next((r.new for r in self.plan.retired if r.old == old), "")
        return f"renamed to '{new}' in OpenCart" if new else "renamed in OpenCart"

    async def _archive_retired(self) -> None:
        """Archive on Jet the SKUs renamed in OpenCart (catalog.renamed_sku: archive), each
        reported: succeeded, or failed in Jet's words (retried by the next upload)."""

        async def one(sku: str) -> None:
            assert self.jet is not None
            why = self._renamed_to(sku)
            try:
                await self.jet.archive(sku, True)
            except JetNotFound:
                await self._settled(sku, Outcome.SUCCEEDED, None, f"{why}; not on Jet")
                return
            except Unreachable:
                raise
            except JetError as exc:
                await self._settled(sku, Outcome.FAILED, f"archive refused: {exc}", why, exc)
                return
            await self._settled(sku, Outcome.SUCCEEDED, None, f"archived on Jet: {why}")

        await fan_out(self.plan.to_archive, one, concurrency=self.settings.jet.concurrency)

    async def _settled(
        self,
        sku: str,
        outcome: Outcome,
        error: str | None,
        reason: str,
        exc: BaseException | None = None,
    ) -> None:
        async def record() -> None:
            self.report.add(sku, outcome, f"{reason}: {error}" if error else reason, exc)
            await self.store.run(link_plans.record_archived, sku, error)

        await settle(record())
