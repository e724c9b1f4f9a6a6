"""A dry run: what each action would send, with the exact bodies for an upload; no Jet client."""

from __future__ import annotations

from jettui.services.catalog.actions.exception_files import ExceptionFiles
from jettui.services.catalog.actions.renames import Renames
from jettui.services.catalog.preview import previews
from jettui.services.results import Outcome


class DryRun(Renames, ExceptionFiles):
    def dry_run(self) -> None:
        action = self.report.action
        if action in ("upload", "sync"):
            self._invalid()
        for r in self.plan.moved:
            self.report.add(r.old, Outcome.WOULD_SEND, f"move the link to '{r.new}' (renamed)")
        for old in self.plan.to_archive:
            self.report.add(old, Outcome.WOULD_SEND, f"archive: {self._renamed_to(old)}")
        shown = previews(self.checks) if action == "upload" else {}
        for sku in self._targets():
            unchanged = action == "sync" and self._unchanged(sku)
            if unchanged and self._exceptions_due(sku):
                self.report.add(sku, Outcome.WOULD_SEND, self._extra_files(sku)[2:])
            elif unchanged:
                self.report.add(sku, Outcome.UNCHANGED, "price and inventory as last sent")
            else:
                self.report.add(
                    sku, Outcome.WOULD_SEND, self._what(action) + self._extra_files(sku)
                )
            if sku in shown:  # what would be sent, with the exact bodies (--json)
                self.report.items[-1].detail["preview"] = shown[sku]

    def _what(self, action: str) -> str:
        return {
            "upload": "MerchantSKUs, Price, Inventory",
            "archive": "archive",
            "unarchive": "unarchive + Inventory",
            "sync": "Price, Inventory",
            "status": "GET merchant-skus",
        }[action]
