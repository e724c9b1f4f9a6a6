"""One item-result type and one outcome vocabulary for every bulk action and job: product
actions, jobs, orders, returns and refunds all report each item as an :class:`ItemResult`.

:class:`RunReport` is the one report of a run of the order side (fetch, acknowledge, retry,
reject, fetch returns): its items, plus ``locked`` / ``unreachable`` when the run did not
happen or stopped. Its exit code, summary line and JSON are written here once.

The one rule for "Jet refused this item": a Jet 4xx (or a store rule) about one item is that
item's :class:`ItemResult` with ``Outcome.FAILED`` and Jet's words, never raised and never an
outage; Jet or the store unreachable (``errors.is_unreachable``) is raised by a one-item
command and is ``report.unreachable`` in a run (:func:`jettui.services.jet_session.run_with_jet`).
Bad input found before anything is sent is raised (``FormRefused``, exit 2)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

from jettui.errors import ExitCode

if TYPE_CHECKING:
    from jettui.services.jobs import JobReport


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


@dataclass(kw_only=True)
class RunReport:
    """Per-item results of one run; ``locked`` (exit 75: another run holds the lock, nothing
    done) or ``unreachable`` (exit 3: Jet or the store went away, the run stopped) say why a
    run did not finish. Subclasses name the item key of their JSON and may add a title."""

    items: list[ItemResult] = field(default_factory=list)
    unreachable: str | None = None
    locked: str | None = None

    item_key: ClassVar[str] = "item"
    #: what a job counts as done (:meth:`fill`): by default every item that is not a problem
    job_done: ClassVar[frozenset[Outcome]] = frozenset(Outcome) - PROBLEMS

    def add(self, item: str, outcome: Outcome, reason: str = "", **detail: Any) -> ItemResult:
        result = ItemResult(item, outcome, reason, detail=detail)
        self.items.append(result)
        return result

    @property
    def problems(self) -> list[ItemResult]:
        return [i for i in self.items if i.is_problem]

    @property
    def exit_code(self) -> ExitCode:
        if self.locked:
            return ExitCode.LOCKED
        if self.unreachable:
            return ExitCode.UNREACHABLE
        return ExitCode.PARTIAL if self.problems else ExitCode.OK

    @property
    def title(self) -> str:
        """What the summary starts with (``fetch-orders: ``); none by default."""
        return ""

    def notes(self) -> list[str]:
        """Extra parts of the summary line after the counts."""
        return []

    @property
    def summary(self) -> str:
        if self.locked:
            return f"{self.title}{self.locked}; nothing done"
        text = "; ".join([f"{self.title}{summary(self.items)}", *self.notes()])
        return text + (f"; stopped: {self.unreachable}" if self.unreachable else "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.exit_code == ExitCode.OK,
            "exit_code": int(self.exit_code),
            "summary": self.summary,
            "items": [i.as_dict(self.item_key) for i in self.items],
        }

    def fill(
        self,
        job_report: JobReport,
        *,
        also: Iterable[ItemResult] = (),
        message: str | None = None,
    ) -> JobReport:
        """Copy into the job runner's report: problems as failed items, ``job_done`` outcomes
        as succeeded ones (the rest are left out); ``also``, items of the same job kept
        outside this report, by the same rule. The message is ``message``, else the summary
        without its title."""
        for item in [*self.items, *also]:
            if item.is_problem:
                job_report.failed(item.item, item.reason or str(item.outcome))
            elif item.outcome in self.job_done:
                job_report.succeeded()
        job_report.message = self.summary.split(": ", 1)[-1] if message is None else message
        return job_report
