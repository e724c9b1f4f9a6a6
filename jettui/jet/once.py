"""The one way to send a write to Jet that is NOT safe to repeat.

Jet's writes are of two kinds (see :mod:`jettui.jet.client`):

- safe to repeat by value (price, inventory, archive, exceptions, SKU data, the order tag): the
  client retries them itself after a timeout or a 5xx;
- not safe to repeat (acknowledge, shipped, returns complete, refunds, files/uploaded): a repeat
  would ship twice, or Jet refuses it and the caller would wrongly believe nothing happened.

For the second kind the caller first records the write in its own ledger (a shipment record
``sending``, a return ``completing``, a refund ``intent``, a file ``registering``, an order's
acknowledgement ``sending``), then calls :func:`send_once` with two coroutines: ``send`` (the
client call, never retried blindly by the client) and ``lookup`` (asks Jet whether that very
write is there: the order's shipments by ``alt_shipment_id``, its acknowledgement status, the
return's state, the refund by ``alt_refund_id``, the file by its ``jet_file_id``).

After an uncertain outcome (timeout, 5xx, connection lost, a 4xx on a retry:
``JetError.may_have_applied``) the write is looked up before anything else and is resent only
when Jet shows it was not applied. A write found on Jet is reported
:data:`ANSWER_LOST` ("applied (answer lost, confirmed by lookup)"). When the lookup itself
fails the outcome stays ``uncertain``: the record stays as it is and the next run (cron, the
next command on that order, the dashboard's timer) calls :func:`send_once` again with
``look_first=True``, which looks up before sending.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from jettui.jet.errors import JetError

ANSWER_LOST = "applied (answer lost, confirmed by lookup)"

#: applied: Jet has it (answered, or found by the lookup); refused: Jet answered no (nothing
#: applied); not_applied: the answer was lost and the lookup shows Jet does not have it (no
#: resend left, or ``send`` is None); uncertain: the lookup could not tell (Jet unreachable).
OnceState = Literal["applied", "refused", "not_applied", "uncertain"]


@dataclass
class Looked:
    """What a lookup found: ``applied`` and, when applied, the value Jet holds (e.g. the
    refund_authorization_id of the refund found by its alt_refund_id)."""

    applied: bool
    value: Any = None


@dataclass
class Once:
    state: OnceState
    value: Any = None  # Jet's answer to the send, or what the lookup found
    by_lookup: bool = False  # applied, and known only from the lookup (the answer was lost)
    error: JetError | None = None  # why it is not applied, or the lost answer's error
    sends: int = 0  # requests that left (each possibly applied, exactly one applied at most)

    @property
    def applied(self) -> bool:
        return self.state == "applied"

    @property
    def note(self) -> str:
        """What the report says about how it ended ("" for a plain success)."""
        if self.state == "applied":
            return ANSWER_LOST if self.by_lookup else ""
        if self.state == "uncertain":
            return f"not confirmed by Jet ({self.error}); it is looked up before anything else"
        if self.state == "not_applied":
            return f"not applied on Jet (the answer was lost: {self.error}; Jet does not have it)"
        return str(self.error)


async def send_once(
    send: Callable[[], Awaitable[Any]] | None,
    lookup: Callable[[], Awaitable[Looked]],
    *,
    resends: int = 0,
    look_first: bool = False,
) -> Once:
    """Send a recorded write that is not safe to repeat, exactly once (module docstring).

    ``resends``: how many more times it may be sent after Jet showed the earlier send was not
    applied (the client's ``max_retries``). ``look_first``: the write was recorded by an earlier
    run whose outcome is unknown: look it up before sending (``send`` None: only look).
    Never raises a JetError: a refusal, or an outage before anything was sent, is ``refused``
    with the error (callers re-raise outages they must not swallow)."""
    sends = 0
    error: JetError | None = None
    if look_first:
        found = await _look(lookup)
        if isinstance(found, JetError):
            return Once("uncertain", error=found, sends=0)
        if found.applied:
            return Once("applied", found.value, by_lookup=True)
        if send is None:
            return Once("not_applied", sends=0)
    assert send is not None
    while True:
        sends += 1
        try:
            value = await send()
        except JetError as exc:
            if not exc.may_have_applied:
                return Once("refused", error=exc, sends=sends)
            error = exc
        else:
            return Once("applied", value, sends=sends)
        found = await _look(lookup)
        if isinstance(found, JetError):
            return Once("uncertain", error=error, sends=sends)
        if found.applied:
            return Once("applied", found.value, by_lookup=True, error=error, sends=sends)
        if sends > resends:
            return Once("not_applied", error=error, sends=sends)


async def _look(lookup: Callable[[], Awaitable[Looked]]) -> Looked | JetError:
    try:
        return await lookup()
    except JetError as exc:
        return exc  # Jet could not tell: unknown until the next run looks again
