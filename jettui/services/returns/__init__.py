"""Jet returns: fetched and mirrored into OpenCart's returns, completed or rejected on Jet.

- :func:`fetch_returns` (and the job body :func:`fetch_returns_job`, which also polls refund
  states): every ``created`` Jet return, every ``inprogress`` one jettui never saw, and every
  one jettui has not finished mirroring is read in full and mirrored exactly once: one OpenCart
  ``return`` per returned line and a ``return_history`` row naming the Jet return
  authorization id (:mod:`jettui.store.oc_returns`).
- :func:`complete_return`: refund units and amounts per line checked against the order's line
  accounts (what is left to refund of what the buyer paid, :mod:`.orders.account`) and what the
  return requested (:mod:`.return_rules`); units already refunded (a merchant refund) are
  completed with 0 and a feedback. Counted on the accounts when recorded, sent to Jet, then the
  OpenCart returns move to Complete with ``returns.return_action_id`` and a history comment
  with the amounts; with ``returns.restock`` on, returned units (not those of a
  ``refund_without_return`` return: the buyer keeps them) go back in stock once, by bringing
  their order lines down (:func:`.orders.account.settle_lines`).
- :func:`reject_return`: Jet has no reject call; a return is rejected by completing it with
  nothing refunded and a feedback saying why (optionally disputing the return charge). The
  OpenCart returns move to the status "Rejected" (created if the shop lacks it).
- :mod:`.queries`: the read models (the Returns panel's grid, ``jettui returns list``, the
  completion form), re-exported here.

Crash safety: the ``jet_return`` ledger row is written before anything else. Every id Jet
lists is recorded (``intent``) before its detail is read, because Jet moves a return on from
``created`` once it has been read: a run killed after reading it still finds it next time. A
return of an order jettui never imported is ``waiting`` (listed with the reason, retried on the
next fetch). A completion is recorded (``completing``) before it is sent, in the same
transaction that counts its refunds on the line accounts; a re-run after a crash or an outage
asks Jet whether it arrived before sending it again (and, when it did not, takes the count
back before checking again). Once Jet has it, the accounts count the units back (flag
``accounted``, same transaction), then the lines are brought down (one guarded statement each:
a re-run finds them at their target), then OpenCart's returns move to Complete. SIGKILL trials:
tests/returns/test_account_crash.py.

All store work runs on a :class:`StoreThread`; one lock (``returns``) keeps a fetch, the
job and a completion from working on the same return at once.
"""

from __future__ import annotations

from jettui.services.returns.completion import (
    complete_return,
    completion_on_jet,
    reject_return,
    settle_completion,
)
from jettui.services.returns.fetch import complete_refunded, fetch_returns, fetch_returns_job
from jettui.services.returns.mirror import reason_map
from jettui.services.returns.queries import ReturnNotFound, completion_form_view, list_returns
from jettui.services.returns.report import LOCK_NAME, ReturnsReport

__all__ = [
    "LOCK_NAME",
    "ReturnNotFound",
    "ReturnsReport",
    "complete_refunded",
    "complete_return",
    "completion_form_view",
    "completion_on_jet",
    "fetch_returns",
    "fetch_returns_job",
    "list_returns",
    "reason_map",
    "reject_return",
    "settle_completion",
]
