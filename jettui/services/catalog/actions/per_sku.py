"""The per-SKU actions: archive, unarchive (and resend inventory) and status, one Jet call per SKU,
each recorded with its report line."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from jettui.errors import Unreachable
from jettui.jet.errors import JetError, JetNotFound
from jettui.services.catalog.actions import link_rows
from jettui.services.catalog.actions.part import PartWork
from jettui.services.catalog.actions.report import (
    NOT_ON_JET,
)
from jettui.services.results import Outcome
from jettui.services.runtime import settle
from jettui.store.text import utcnow


class PerSku(PartWork):
    async def archive(self) -> None:
        await self._each(self._targets(), self._archive_one(True))

    async def unarchive(self) -> None:
        await self._each(self._targets(), self._archive_one(False))

    def _archive_one(self, archived: bool) -> Callable[[str], Awaitable[None]]:
        async def one(sku: str) -> None:
            assert self.jet is not None
            try:
                await self.jet.archive(sku, archived)
            except Unreachable:
                raise
            except JetError as exc:
                await self._record(sku, Outcome.FAILED, {"last_error": str(exc)}, str(exc), exc)
                return
            values: dict[str, Any] = {"is_archived": archived, "last_error": None}
            if not archived:
                listing = self.listings.get(sku)
                if listing is None:
                    reason = "unarchived, inventory not resent: the product does not validate"
                    await self._record(sku, Outcome.FAILED, values | {"last_error": reason}, reason)
                    return
                try:
                    await self.jet.put_inventory(sku, listing.inventory)
                except JetError as exc:
                    reason = f"unarchived, inventory refused: {exc}"
                    await self._record(
                        sku, Outcome.FAILED, values | {"last_error": reason}, reason, exc
                    )
                    if isinstance(exc, Unreachable):
                        raise  # recorded as unarchived first: Jet did that much
                    return
            await self._record(sku, Outcome.SUCCEEDED, values)

        return one

    async def _record(
        self,
        sku: str,
        outcome: Outcome,
        values: dict[str, Any],
        reason: str = "",
        error: BaseException | None = None,
    ) -> None:
        """Report ``sku`` and write its row as one step: an outage cancelling the worker
        meanwhile cannot leave the report and the store telling different stories."""

        async def record() -> None:
            self.report.add(sku, outcome, reason, error)
            await self.store.run(link_rows.update_link, sku, values)

        await settle(record())

    async def status(self) -> None:
        async def one(sku: str) -> None:
            assert self.jet is not None
            try:
                product = await self.jet.get_sku(sku)
            except JetNotFound as exc:
                values: dict[str, Any] = {
                    "status": NOT_ON_JET,
                    "sub_statuses": [],
                    "last_error": str(exc),
                }
                await self._record(sku, Outcome.FAILED, values, f"not on Jet: {exc}", exc)
                return
            except Unreachable:
                raise
            except JetError as exc:
                self.report.add(sku, Outcome.FAILED, str(exc), exc)
                return
            values = {
                "status": str(product.get("status") or "unknown")[:64],
                "sub_statuses": [str(s) for s in product.get("sub_status") or []],
                "is_archived": bool(product.get("is_archived")),
                "status_checked_at": utcnow(),
            }
            await self._record(sku, Outcome.SUCCEEDED, values, str(product.get("status") or ""))

        await self._each(self._targets(), one)
