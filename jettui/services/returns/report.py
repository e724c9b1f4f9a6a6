"""What a returns run reports, and the lock every returns run holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from jettui.services.results import Outcome, RunReport

LOCK_NAME = "returns"


Progress = Callable[[str], Any]


class ReturnsReport(RunReport):
    """One item per Jet return; ``unreachable`` set when an outage stopped the run."""

    item_key: ClassVar[str] = "return_id"
    #: a job counts the returns mirrored or completed and the refunds that moved on; a return
    #: already mirrored or a refund unchanged on Jet is no work done
    job_done: ClassVar[frozenset[Outcome]] = frozenset({Outcome.SUCCEEDED})
