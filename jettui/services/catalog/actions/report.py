"""What an action reports: its items, its stages for a progress bar, and why it stopped."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from jettui.errors import ExitCode
from jettui.jet.errors import JetError
from jettui.services.catalog import ledger
from jettui.services.catalog.payload import (
    ProductCheck,
)
from jettui.services.results import PROBLEMS, ItemResult, Outcome, count, summary
from jettui.services.runtime import outage_reason

ACTIONS = ("upload", "archive", "unarchive", "sync", "status")
UPLOADED = "Uploaded"  # jettui's status until Jet's own is fetched
UNCONFIRMED = ledger.UNCONFIRMED  # in a MerchantSKUs file whose outcome is not known yet
NOT_ON_JET = "Not on Jet"
NOT_ON_JET_YET = "not on Jet yet"  # never uploaded: a status or sync skips it


Progress = Callable[[int, int], Awaitable[None] | None]
Stage = Callable[[str], Awaitable[None] | None]  # what the run is doing now, for a progress bar
Emit = Callable[[list[ItemResult]], Awaitable[None] | None]  # a part's items, once it is done
# The stages a run reports (the TUI's progress bar shows them above the bar).
CHECKING = "checking"
MERCHANT_SKUS = "MerchantSKUs file sent, Jet processing"
PRICE_AND_INVENTORY = "Price and Inventory"
VARIATIONS = "Variation file (option children)"
EXCEPTIONS = "shipping and returns exceptions"
ACTION_STAGES = {
    "archive": "archiving",
    "unarchive": "unarchiving",
    "status": "fetching Jet status",
    "sync": PRICE_AND_INVENTORY,
}
#: what a stage's done/total counts: products while checking, SKUs for the per-SKU actions,
#: rows of Jet's bulk files (one SKU in one file: an upload sends each SKU in 3 or more files)
FILE_ROWS = "SKU rows in Jet files"
STAGE_UNITS = {
    CHECKING: "products checked",
    MERCHANT_SKUS: FILE_ROWS,
    PRICE_AND_INVENTORY: FILE_ROWS,
    VARIATIONS: FILE_ROWS,
    EXCEPTIONS: FILE_ROWS,
    **{text: "SKUs" for action, text in ACTION_STAGES.items() if action != "sync"},
}


def progress_count(stage: str, done: int, total: int) -> str:
    """``12/194 SKUs``: the numbers with what they count in ``stage`` (a stage's text, maybe
    with its " (part 2 of 3)")."""
    unit = next((u for text, u in STAGE_UNITS.items() if stage.startswith(text)), "")
    return f"{done}/{total} {unit}".rstrip()


@dataclass
class ActionReport:
    action: str
    dry_run: bool = False
    items: list[ItemResult] = field(default_factory=list)
    checks: list[ProductCheck] = field(default_factory=list)
    unreachable: str | None = None  # Jet (or the store) could not be reached: the run stopped
    left_out: int = 0  # disabled products left out of --all (see --include-disabled)
    stopped: str | None = None  # asked to stop between parts: "stopped: 300 of 1,194 SKUs..."

    def add(
        self, sku: str, outcome: Outcome, reason: str = "", error: BaseException | None = None
    ) -> None:
        self.items.append(ItemResult(sku, outcome, reason, error))

    def count(self, outcome: Outcome) -> int:
        return count(self.items, outcome)

    @property
    def problems(self) -> list[ItemResult]:
        return [i for i in self.items if i.outcome in PROBLEMS]

    @property
    def exit_code(self) -> int:
        if self.unreachable:
            return int(ExitCode.UNREACHABLE)
        return int(ExitCode.PARTIAL if self.problems else ExitCode.OK)

    @property
    def summary(self) -> str:
        head = f"{self.action}{' (dry run)' if self.dry_run else ''}: {summary(self.items)}"
        if self.left_out:
            head += f"; {self.left_out} disabled product(s) left out (--include-disabled)"
        if self.stopped:
            head += f"; {self.stopped}"
        return head + (f"; stopped: {self.unreachable}" if self.unreachable else "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.exit_code == 0,
            "action": self.action,
            "dry_run": self.dry_run,
            "exit_code": self.exit_code,
            "summary": self.summary,
            "disabled_left_out": self.left_out,
            "stopped": self.stopped,
            "items": [i.as_dict(key="sku") for i in self.items],
            "warnings": [line for c in self.checks for line in c.lines() if ": warning: " in line],
        }


async def call(callback: Callable[..., Awaitable[None] | None] | None, *args: Any) -> None:
    if callback is not None:
        outcome = callback(*args)
        if inspect.isawaitable(outcome):
            await outcome


def stop_reason(exc: BaseException) -> str:
    """``Jet unreachable: ...`` or ``store unreachable: ...``: why the rest was not done."""
    if isinstance(exc, JetError):
        return f"Jet unreachable: {exc}"
    return outage_reason(exc)
