"""Jet requires a refund_feedback on every refund item (docs/jet-api.md 2.6) and the sandbox
refuses a refund without one: a refund given only a reason sends the feedback the reason implies
(return_rules.FEEDBACK_BY_REASON), records it, and says it came from the reason; a given one is
sent as given. On SQLite and MariaDB."""

from __future__ import annotations

import pytest

from jettui.jet.enums import MERCHANT_REFUND_FEEDBACK, REFUND_REASONS
from jettui.services.refunds import create_refund
from jettui.services.return_rules import FEEDBACK_BY_REASON, refund_feedback
from jettui.store.jet_tables import JetRefund
from tests.returns.support import shipped_order
from tests.shop_support import upload_products


def test_every_jet_refund_reason_implies_one_of_jets_feedbacks() -> None:
    assert set(FEEDBACK_BY_REASON) == set(REFUND_REASONS)
    assert set(FEEDBACK_BY_REASON.values()) <= set(MERCHANT_REFUND_FEEDBACK)
    assert refund_feedback("Package never arrived", None) == (
        "Items not received",
        "from the reason",
    )
    assert refund_feedback("Package never arrived", "Rerouting fee") == ("Rerouting fee", "given")


@pytest.mark.parametrize(
    ("reason", "given", "sent", "source"),
    [
        ("No longer want this item", None, "Refunded minus shipping cost", "from the reason"),
        ("Received the wrong item", None, "Wrong item", "from the reason"),
        ("No longer want this item", "Restocking fee", "Restocking fee", "given"),
    ],
)
async def test_the_refund_carries_a_feedback_and_says_where_it_came_from(
    oc_settings, oc_db, reason: str, given: str | None, sent: str, source: str
) -> None:
    from jettui.jet.connect import open_jet_client

    skus = await upload_products(oc_settings, oc_db)
    mid = await shipped_order(oc_settings, oc_db, {skus["iphone"]: 1})
    result = await create_refund(oc_settings, oc_db, mid, {skus["iphone"]: 1}, reason, given)
    assert result.outcome == "succeeded", result.reason
    assert f"feedback '{sent}' ({source})" in result.line
    assert (result.detail["feedback"], result.detail["feedback_source"]) == (sent, source)
    assert JetRefund.get(JetRefund.merchant_order_id == mid).feedback == sent
    async with open_jet_client(oc_settings) as jet:
        on_jet = await jet.get_refund(result.detail["refund_authorization_id"])
    assert [item["refund_feedback"] for item in on_jet["items"]] == [sent]
