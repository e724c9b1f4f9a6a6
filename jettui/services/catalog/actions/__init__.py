"""Bulk product actions on Jet: upload, archive, unarchive, sync (price + inventory), status.

Every action runs under the lock ``products`` (:func:`~jettui.services.runtime.held_lock`,
refreshed while the action runs) and reports every item (a Jet SKU) once, as an
:class:`~jettui.services.results.ItemResult`: succeeded, failed (with Jet's words) or not
attempted (with the reason). Per-SKU calls fan out with :func:`~jettui.services.runtime.fan_out`:
a Jet outage stops every worker before the report is finished. ``dry_run`` validates and lists
what would be sent; it opens no Jet client.

Where things live (one module per stage):

- ``run``: ``run_action`` / ``sync_job``, the lock, the parts streamed one after another
- ``selection``: which products and SKUs (``resolve_products``, ``children_named``)
- ``checking``: a part's products checked against Jet's rules
- ``part``: one part as the actions see it (listings, targets, not attempted)
- ``upload``, ``sync``, ``per_sku`` (archive, unarchive, status), ``dry_run``: the actions
- ``bulk_files``: one bulk file type sent and recorded
- ``exception_files``: shipping/returns exceptions
- ``renames``: SKUs renamed in OpenCart (links moved, old SKUs archived)
- ``link_rows``: the JetProduct / JetFile rows written (store thread)
- ``memory``: glibc ``malloc_trim`` between parts
- ``report``: ``ActionReport``, the stages, the status words
- ``stop``: ``StopToken`` (asked between parts), the run's start/end events `status` reads
"""

from jettui.services.catalog.actions.report import (
    ACTIONS,
    NOT_ON_JET,
    NOT_ON_JET_YET,
    UNCONFIRMED,
    UPLOADED,
    ActionReport,
)
from jettui.services.catalog.actions.run import run_action, sync_job
from jettui.services.catalog.actions.selection import children_named, resolve_products
from jettui.services.results import ItemResult

__all__ = [
    "ACTIONS",
    "NOT_ON_JET",
    "NOT_ON_JET_YET",
    "UNCONFIRMED",
    "UPLOADED",
    "ActionReport",
    "ItemResult",
    "children_named",
    "resolve_products",
    "run_action",
    "sync_job",
]
