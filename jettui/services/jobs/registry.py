"""Every job: its CLI name, the cron setting giving its interval, and where its body lives.

The only module that knows job bodies, and it names them as ``"module:function"`` strings
imported when the job actually runs: `jettui cron due` with nothing due imports no catalog,
validator or Jet code. Registering a job body is one line below; the body's signature is
``async def body(ctx: JobContext) -> JobReport`` (see :mod:`jettui.services.jobs.context`).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import cast

from jettui.config import Settings
from jettui.services.jobs.context import Body

NOT_AVAILABLE = "not available yet"


@dataclass(frozen=True)
class Job:
    name: str  # as in the CLI
    setting: str | None  # CronSettings field giving its interval; None = by hand only
    target: str | None = None  # "package.module:function" of the body; None: not available yet

    @property
    def available(self) -> bool:
        return self.target is not None

    def body(self) -> Body:
        """The job's body, imported now (raises LookupError for a job not available yet)."""
        if self.target is None:
            raise LookupError(f"job '{self.name}' is {NOT_AVAILABLE}")
        module, _, function = self.target.partition(":")
        return cast(Body, getattr(importlib.import_module(module), function))

    def interval(self, settings: Settings) -> int:
        """Minutes between runs (0 = off)."""
        return int(getattr(settings.cron, self.setting, 0) or 0) if self.setting else 0


#: every job, in the CLI's order
JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job("fetch-orders", "fetch_orders", "jettui.services.orders.importer:fetch_orders_job"),
        Job("acknowledge", "acknowledge", "jettui.services.orders.acknowledge:acknowledge_job"),
        Job("fetch-errors", "fetch_errors", "jettui.services.file_status:run"),
        Job("fetch-returns", "fetch_returns", "jettui.services.returns:fetch_returns_job"),
        Job("product-status", "product_status", "jettui.services.product_status:run"),
        Job("sync", "sync", "jettui.services.catalog.actions:sync_job"),
    )
}
