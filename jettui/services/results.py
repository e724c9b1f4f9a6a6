"""One item-result type and one outcome vocabulary for every bulk action and job: product
actions, jobs, orders, returns and refunds all report each item as an :class:`ItemResult`."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # with Jet's (or the store's) words
    NOT_ATTEMPTED = "not attempted"  # with the reason (an outage, a failed check...)
    UNCHANGED = "unchanged"  # nothing to send
    WOULD_SEND = "would send"  # dry run
    SKIPPED = "skipped"  # not this run's business (e.g. not on Jet yet): not a failure


#: outcomes that make a run "done, but some items failed" (exit 1)
PROBLEMS = frozenset({Outcome.FAILED, Outcome.NOT_ATTEMPTED})


@dataclass(slots=True)  # 200,000 of them in a 100,000-product run: no __dict__ each
class ItemResult:
    item: str  # a SKU, a Jet order id, a file id...
    outcome: Outcome
    reason: str = ""  # one line
    error: BaseException | None = field(default=None, repr=False, compare=False)
    detail: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        self.outcome = Outcome(self.outcome)
        # Interned: a run repeats a few reasons over thousands of items.
        self.reason = sys.intern(" ".join(str(self.reason).split()))

    @property
    def is_problem(self) -> bool:
        return self.outcome in PROBLEMS

    @property
    def line(self) -> str:
        return f"{self.item}: {self.outcome}" + (f" - {self.reason}" if self.reason else "")

    def as_dict(self, key: str = "item") -> dict[str, Any]:
        out: dict[str, Any] = {key: self.item, "outcome": str(self.outcome), "reason": self.reason}
        if self.detail:
            out.update(self.detail)
        return out


def count(items: Iterable[ItemResult], outcome: Outcome) -> int:
    return sum(1 for i in items if i.outcome == outcome)


def summary(items: Iterable[ItemResult]) -> str:
    """``3 succeeded, 1 failed`` (outcomes in Outcome order; "nothing to do" when empty)."""
    items = list(items)
    parts = [f"{n} {o}" for o in Outcome if (n := count(items, o))]
    return ", ".join(parts) or "nothing to do"
