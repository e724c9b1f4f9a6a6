"""send_once, the one helper for writes Jet cannot take twice: sent, looked up after an
uncertain outcome, resent only when Jet shows it was not applied."""

from __future__ import annotations

from typing import Any

from jettui.jet.errors import JetServerError, JetUnreachable, JetValidationError
from jettui.jet.once import ANSWER_LOST, Looked, send_once


class FakeWrite:
    """A write whose outcomes are scripted: "ok", "lost" (applied, answer lost), "500"
    (not applied, may have been), "400" (refused); lookups answer from what was applied."""

    def __init__(self, *outcomes: str, lookup_fails: bool = False) -> None:
        self.outcomes = list(outcomes)
        self.applied = 0
        self.sends = 0
        self.lookups = 0
        self.lookup_fails = lookup_fails

    async def send(self) -> Any:
        self.sends += 1
        outcome = self.outcomes.pop(0)
        if outcome in ("ok", "lost"):
            self.applied += 1
        if outcome == "lost":
            raise JetServerError(status=504, may_have_applied=True)
        if outcome == "500":
            raise JetServerError(status=500, may_have_applied=True)
        if outcome == "400":
            raise JetValidationError(status=400, messages=["no"])
        return {"id": "x"}

    async def lookup(self) -> Looked:
        self.lookups += 1
        if self.lookup_fails:
            raise JetUnreachable("down")
        return Looked(self.applied > 0, "found" if self.applied else None)


async def test_a_plain_success_is_not_looked_up() -> None:
    w = FakeWrite("ok")
    once = await send_once(w.send, w.lookup, resends=4)
    assert (once.state, once.value, once.note, w.lookups) == ("applied", {"id": "x"}, "", 0)


async def test_an_answer_lost_after_jet_applied_it_is_found_not_resent() -> None:
    w = FakeWrite("lost", "ok")
    once = await send_once(w.send, w.lookup, resends=4)
    assert once.applied and once.by_lookup and once.note == ANSWER_LOST
    assert (w.sends, w.applied, once.value) == (1, 1, "found")


async def test_a_write_jet_did_not_apply_is_resent_after_the_lookup() -> None:
    w = FakeWrite("500", "500", "ok")
    once = await send_once(w.send, w.lookup, resends=4)
    assert once.applied and not once.by_lookup and (w.sends, w.applied, w.lookups) == (3, 1, 2)
    w = FakeWrite("500", "500", "ok")
    once = await send_once(w.send, w.lookup, resends=1)  # out of resends: not applied, said so
    assert once.state == "not_applied" and w.applied == 0 and "not applied" in once.note


async def test_a_refusal_is_final_and_a_failed_lookup_leaves_it_uncertain() -> None:
    w = FakeWrite("400")
    once = await send_once(w.send, w.lookup, resends=4)
    assert once.state == "refused" and w.lookups == 0
    w = FakeWrite("lost", lookup_fails=True)
    once = await send_once(w.send, w.lookup, resends=4)
    assert once.state == "uncertain" and w.sends == 1 and "looked up" in once.note


async def test_a_write_recorded_by_an_earlier_run_is_looked_up_first() -> None:
    w = FakeWrite("ok")
    w.applied = 1  # the earlier run's send arrived
    once = await send_once(w.send, w.lookup, look_first=True)
    assert once.applied and once.by_lookup and w.sends == 0
    w = FakeWrite("ok")
    once = await send_once(w.send, w.lookup, look_first=True)
    assert once.applied and not once.by_lookup and w.sends == 1
    once = await send_once(None, FakeWrite().lookup, look_first=True)  # only look
    assert once.state == "not_applied"
