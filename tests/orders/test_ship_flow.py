"""Ship and cancel end to end, on SQLite and on MariaDB with OpenCart 3.0.3.8's demo data:
products uploaded to the embedded sandbox, orders generated there, fetched, acknowledged,
then shipped partially and fully, a line cancelled, Jet's directed cancel sent as a cancel-only
message; the OpenCart rows (status, history, order_shipment, lines, totals, stock of product
and option value) asserted after each step."""

from __future__ import annotations

import pytest

from jettui.jet.connect import open_jet_client
from jettui.services.orders.queries import order_detail
from jettui.services.orders.shipping import (
    ShipLine,
    ShipmentForm,
    ShipmentRefused,
    default_form,
    form_from_options,
    order_view,
    ship_order,
)
from jettui.services.results import Outcome
from jettui.store.jet_tables import JetOrder
from jettui.store.oc_orders import add_order_history, shop_context
from jettui.store.oc_shipments import has_shipment_tables, order_shipments
from tests.orders.ship_support import (
    generate,
    history,
    import_and_acknowledge,
    line_quantities,
    oc_status,
    stock,
    totals,
)
from tests.shop_support import CANON, IPHONE, oc_order_id, upload_products

PROCESSING, SHIPPED, COMPLETE, CANCELED = 2, 3, 5, 7  # the demo's ids = the default mapping


async def jet_status(settings, merchant_order_id: str) -> str:
    async with open_jet_client(settings) as jet:
        return (await jet.get_order(merchant_order_id))["status"]


async def test_ship_partially_then_fully_and_cancel_a_line(oc_settings, oc_db) -> None:
    skus = await upload_products(oc_settings, oc_db)
    iphone, blue = skus["iphone"], skus["canon_blue"]
    before = stock()
    a = await generate(oc_settings, [(iphone, 3, 0)])
    b = await generate(oc_settings, [(blue, 2, 0), (iphone, 1, 0)])
    await import_and_acknowledge(oc_settings, oc_db, [a, b])
    imported = stock()
    assert imported == {"canon": before["canon"] - 2, "canon_blue": before["canon_blue"] - 2,
                        "iphone": before["iphone"] - 4}  # fmt: skip
    order_a, order_b = oc_order_id(a), oc_order_id(b)

    # A: one unit of three, then the rest
    view = await order_view(oc_db, a)
    form = form_from_options(view, oc_settings, carrier="UPS", method="UPS Ground",
                             tracking="1Z0000000000000001", zip="84047", ship={iphone: 1})  # fmt: skip
    result = await ship_order(oc_settings, oc_db, a, form)
    assert result.outcome == Outcome.SUCCEEDED, result.reason
    assert result.detail["status_id"] == SHIPPED and result.detail["open_units"] == 2
    assert oc_status(order_a) == SHIPPED
    status, comment = history(order_a)[-1]
    assert status == SHIPPED
    assert "shipped 1 × product 11" in comment
    assert "Carrier: UPS, method: UPS Ground, tracking number: 1Z0000000000000001" in comment
    # MariaDB holds OpenCart 3.0.3.8's install SQL (order_shipment, couriers dhl/fedex/ups/usps...);
    # the SQLite store is built from jettui's models, which leave those tables out
    assert has_shipment_tables() == (not oc_settings.store.is_sqlite)
    if has_shipment_tables():
        assert [(s["courier"], s["tracking_number"]) for s in order_shipments(order_a)] == [
            ("UPS", "1Z0000000000000001")
        ]
    assert await jet_status(oc_settings, a) == "inprogress"
    assert stock() == imported  # shipping moves no stock

    form = default_form(await order_view(oc_db, a), oc_settings)
    form.tracking_number = "1Z0000000000000002"
    assert [(x.merchant_sku, x.ship, x.cancel) for x in form.lines] == [(iphone, 2, 0)]
    result = await ship_order(oc_settings, oc_db, a, form)
    assert result.outcome == Outcome.SUCCEEDED, result.reason
    assert oc_status(order_a) == COMPLETE and history(order_a)[-1][0] == COMPLETE
    assert await jet_status(oc_settings, a) == "complete"
    assert JetOrder.get(JetOrder.merchant_order_id == a).status == "complete"
    if has_shipment_tables():
        assert len(order_shipments(order_a)) == 2
    with pytest.raises(ShipmentRefused, match="order: is complete on Jet"):
        await ship_order(oc_settings, oc_db, a, form)

    # B: the Canon line cancelled, the iPhone shipped by USPS
    totals_before = totals(order_b)
    form = form_from_options(await order_view(oc_db, b), oc_settings, carrier="USPS",
                             method="USPS Priority Mail", tracking="9400100000000000000001",
                             zip="84047", cancel={blue: 2})  # fmt: skip
    assert [(x.merchant_sku, x.ship, x.cancel) for x in form.lines] == [
        (blue, 0, 2),
        (iphone, 1, 0),
    ]
    result = await ship_order(oc_settings, oc_db, b, form)
    assert result.outcome == Outcome.SUCCEEDED, result.reason
    assert oc_status(order_b) == COMPLETE
    assert "cancelled 2 × " + blue in history(order_b)[-1][1]
    assert line_quantities(order_b) == {CANON: 0, IPHONE: 1}
    assert stock() == {"canon": before["canon"], "canon_blue": before["canon_blue"],
                       "iphone": before["iphone"] - 4}  # fmt: skip
    canon_total = totals_before["sub_total"] - totals(order_b)["sub_total"]
    assert canon_total > 0
    after = totals(order_b)
    assert after["total"] == pytest.approx(totals_before["total"] - canon_total)
    assert after["order"] == pytest.approx(after["total"])
    if has_shipment_tables():
        assert [s["courier"] for s in order_shipments(order_b)] == ["United States Postal Service"]

    detail = order_detail(oc_db, b, settings=oc_settings)
    by_sku = {line.line.merchant_sku: line.line for line in detail.lines}
    assert (by_sku[blue].cancelled, by_sku[blue].open) == (2, 0)
    assert (by_sku[iphone].shipped, by_sku[iphone].open) == (1, 0)
    assert [s.state for s in detail.shipments] == ["applied"]
    assert detail.oc_status == "Complete"


async def test_directed_cancel_cancel_only_and_full_cancel_restock_exactly(
    oc_settings, oc_db
) -> None:
    skus = await upload_products(oc_settings, oc_db)
    iphone, blue = skus["iphone"], skus["canon_blue"]
    before = stock()
    c = await generate(oc_settings, [(iphone, 2, 1)])  # Jet asks to cancel 1 of 3
    d = await generate(oc_settings, [(blue, 1, 0), (iphone, 1, 0)])
    await import_and_acknowledge(oc_settings, oc_db, [c, d])
    order_c, order_d = oc_order_id(c), oc_order_id(d)
    assert stock()["iphone"] == before["iphone"] - 4

    # C: the form pre-fills Jet's cancel; sent alone, as a cancel-only message
    view = await order_view(oc_db, c)
    assert [(x.merchant_sku, x.ship, x.cancel) for x in default_form(view, oc_settings).lines] == [
        (iphone, 2, 1)
    ]
    with pytest.raises(ShipmentRefused, match=r"lines\[product 11\]\.ship: Jet asked to cancel 1"):
        await ship_order(oc_settings, oc_db, c, ShipmentForm(
            lines=[ShipLine(iphone, ship=3)], tracking_number="1Z9000000000000000", carrier="UPS",
            method="UPS Ground", zip="84047", shipment_date="2026-11-29",
            carrier_pick_up_date="2026-11-29", expected_delivery_date="2026-12-02"))  # fmt: skip
    result = await ship_order(
        oc_settings, oc_db, c, ShipmentForm(lines=[ShipLine(iphone, cancel=1)])
    )
    assert result.outcome == Outcome.SUCCEEDED, result.reason
    assert oc_status(order_c) == PROCESSING  # nothing shipped yet: the status stays
    assert history(order_c)[-1] == (PROCESSING, f"Jet shipment {result.detail['alt_shipment_id']}: "
                                    "cancelled 1 × product 11.")  # fmt: skip
    assert line_quantities(order_c) == {IPHONE: 2}
    assert stock()["iphone"] == before["iphone"] - 3
    # the merchant now cancels the order in OpenCart's admin: exactly what is left comes back
    add_order_history(order_c, CANCELED, "cancelled in the admin", shop=shop_context(oc_settings))
    assert stock()["iphone"] == before["iphone"] - 1

    # D: every unit cancelled → the cancelled status, OpenCart's own full restock
    form = ShipmentForm(lines=[ShipLine(blue, cancel=1), ShipLine(iphone, cancel=1)])
    result = await ship_order(oc_settings, oc_db, d, form)
    assert result.outcome == Outcome.SUCCEEDED, result.reason
    assert oc_status(order_d) == CANCELED
    assert line_quantities(order_d) == {
        CANON: 1,
        IPHONE: 1,
    }  # the order still shows what was bought
    assert stock() == before
    assert await jet_status(oc_settings, d) == "complete"

    # E: one unit cancelled, later the other: the second message cancels the order, and
    # OpenCart's full restock puts back only what the first one left on the line
    e = await generate(oc_settings, [(blue, 2, 0)])
    await import_and_acknowledge(oc_settings, oc_db, [e])
    order_e = oc_order_id(e)
    assert stock()["canon_blue"] == before["canon_blue"] - 2
    for step in (1, 2):
        form = ShipmentForm(lines=[ShipLine(blue, cancel=1)])
        result = await ship_order(oc_settings, oc_db, e, form)
        assert result.outcome == Outcome.SUCCEEDED, result.reason
        assert stock()["canon_blue"] == before["canon_blue"] - 2 + step
    assert oc_status(order_e) == CANCELED
    assert line_quantities(order_e) == {CANON: 1}
    assert stock() == before


class LostAnswer:
    """A Jet client whose ship call loses its answer: after Jet took it (``reached``) or
    before it left (not reached); with ``blind`` the lookup fails too (Jet unreachable)."""

    def __init__(self, jet, *, reached: bool, blind: bool = False) -> None:
        self.jet, self.reached, self.blind = jet, reached, blind

    def __getattr__(self, name):
        return getattr(self.jet, name)

    async def ship(self, merchant_order_id, body):
        from jettui.jet.errors import JetServerError

        if self.reached:
            await self.jet.ship(merchant_order_id, body)
        raise JetServerError(status=504, method="PUT", path="/orders/x/shipped",
                             may_have_applied=True)  # fmt: skip

    async def get_order(self, merchant_order_id):
        from jettui.jet.errors import JetUnreachable

        if self.blind:
            raise JetUnreachable("Jet unreachable (ReadTimeout)", method="GET", path="/orders")
        return await self.jet.get_order(merchant_order_id)


@pytest.mark.parametrize("reached", [True, False], ids=["reached-jet", "never-sent"])
async def test_a_lost_answer_is_looked_up_on_jet_never_sent_twice(
    oc_settings, oc_db, reached
) -> None:
    from jettui.jet.once import ANSWER_LOST

    skus = await upload_products(oc_settings, oc_db)
    iphone = skus["iphone"]
    e = await generate(oc_settings, [(iphone, 3, 0)])
    await import_and_acknowledge(oc_settings, oc_db, [e])
    order_e = oc_order_id(e)

    def form(qty: int, tracking: str) -> ShipmentForm:
        return form_from_options(view, oc_settings, carrier="UPS", method="UPS Ground",
                                 tracking=tracking, zip="84047", ship={iphone: qty})  # fmt: skip

    view = await order_view(oc_db, e)
    async with open_jet_client(oc_settings) as jet:
        result = await ship_order(
            oc_settings,
            oc_db,
            e,
            form(2, "1ZLOST000000000000"),
            jet=LostAnswer(jet, reached=reached),
        )
    comments = [c for _, c in history(order_e)]
    if reached:  # looked up at once: Jet has it, applied to OpenCart once, nothing re-sent
        assert result.outcome == Outcome.SUCCEEDED, result.reason
        assert ANSWER_LOST in result.reason
        assert sum("1ZLOST000000000000" in c for c in comments) == 1
        assert oc_status(order_e) == SHIPPED
    else:  # looked up at once: Jet never saw it; dropped, said so, its units open again
        assert result.outcome == Outcome.FAILED
        assert "not applied on Jet" in result.reason
        assert not any("1ZLOST000000000000" in c for c in comments)
        assert (await order_view(oc_db, e)).line(iphone).open == 3
    assert len(await jet_order_raw(oc_settings, e)) == (1 if reached else 0)  # never twice


@pytest.mark.parametrize("reached", [True, False], ids=["reached-jet", "never-sent"])
async def test_an_unconfirmed_shipment_never_blocks_the_order(oc_settings, oc_db, reached) -> None:
    """Jet took (or not) the message, and could not be asked: the record stays "sending", its
    units are not counted as sent, and the next command on the order settles it first."""
    from jettui.services.orders.shipping import ship_headless

    skus = await upload_products(oc_settings, oc_db)
    iphone = skus["iphone"]
    e = await generate(oc_settings, [(iphone, 3, 0)])
    await import_and_acknowledge(oc_settings, oc_db, [e])
    order_e = oc_order_id(e)
    view = await order_view(oc_db, e)
    lost = form_from_options(view, oc_settings, carrier="UPS", method="UPS Ground",
                             tracking="1ZLOST000000000000", zip="84047", ship={iphone: 3})  # fmt: skip
    async with open_jet_client(oc_settings) as jet:
        result = await ship_order(
            oc_settings, oc_db, e, lost, jet=LostAnswer(jet, reached=reached, blind=True)
        )
    assert result.outcome == Outcome.FAILED
    assert "Jet did not confirm shipment" in result.reason
    assert (await order_view(oc_db, e)).line(iphone).open == 3  # not blocked meanwhile
    assert oc_status(order_e) == PROCESSING

    # the same command again (headless, as a merchant would): settled before it counts
    again = ship_headless(oc_settings, oc_db, e, carrier="UPS", method="UPS Ground",
                          tracking="1ZNEXT000000000000", zip="84047")  # fmt: skip
    if reached:  # Jet has it: finished in OpenCart once; nothing left to ship
        with pytest.raises(ShipmentRefused):
            await again
        assert oc_status(order_e) == COMPLETE
        assert sum("1ZLOST000000000000" in c for _, c in history(order_e)) == 1
        assert await jet_status(oc_settings, e) == "complete"
    else:  # Jet never saw it: dropped, shipped now
        result = await again
        assert result.outcome == Outcome.SUCCEEDED, result.reason
        assert not any("1ZLOST000000000000" in c for _, c in history(order_e))
        assert oc_status(order_e) == COMPLETE
    assert all(
        r["state"] == "applied" for r in JetOrder.get(JetOrder.merchant_order_id == e).shipments
    )


async def jet_order_raw(settings, merchant_order_id: str) -> list:
    async with open_jet_client(settings) as jet:
        return (await jet.get_order(merchant_order_id)).get("shipments") or []


async def test_jet_status_changes_are_mirrored_once(oc_settings, oc_db) -> None:
    from jettui.services.orders.status import mirror_statuses

    skus = await upload_products(oc_settings, oc_db)
    iphone = skus["iphone"]
    before = stock()
    f = await generate(oc_settings, [(iphone, 2, 0)])
    g = await generate(oc_settings, [(iphone, 1, 0)])
    await import_and_acknowledge(oc_settings, oc_db, [f, g])
    order_f, order_g = oc_order_id(f), oc_order_id(g)

    # F shipped on Jet by another tool; the fetch job reads Jet's status again
    body = {"shipments": [{"alt_shipment_id": "other-tool-1", "shipment_tracking_number": "X1",
            "response_shipment_date": "2026-11-29T10:00:00.0000000Z", "response_shipment_method": "UPS Ground",
            "expected_delivery_date": "2026-12-02T10:00:00.0000000Z", "ship_from_zip_code": "84047",
            "carrier_pick_up_date": "2026-11-29T10:00:00.0000000Z", "carrier": "UPS",
            "shipment_items": [{"merchant_sku": iphone, "response_shipment_sku_quantity": 2}]}]}  # fmt: skip
    async with open_jet_client(oc_settings) as jet:
        await jet.ship(f, body)
        raw_f = await jet.get_order(f)
    row = JetOrder.get(JetOrder.merchant_order_id == f)
    row.status, row.raw = raw_f["status"], raw_f
    row.save()
    # G cancelled by Jet (manual cancel to complete): nothing was shipped
    row = JetOrder.get(JetOrder.merchant_order_id == g)
    row.status = "complete"
    row.raw = {**row.raw, "status": "complete",
               "exception_state": "exception - jet manual canceled to complete state"}  # fmt: skip
    row.save()

    mirrored = mirror_statuses(oc_settings)
    assert {(m.merchant_order_id, m.jet_status, m.status_id) for m in mirrored} == {
        (f, "complete", COMPLETE),
        (g, "cancelled", CANCELED),
    }
    assert history(order_f)[-1] == (COMPLETE, "Jet status: complete (jettui)")
    assert oc_status(order_g) == CANCELED
    assert stock()["iphone"] == before["iphone"] - 2  # G's unit back, F's shipped
    assert mirror_statuses(oc_settings) == []  # once
    add_order_history(
        order_f, PROCESSING, "set back by the merchant", shop=shop_context(oc_settings)
    )
    assert mirror_statuses(oc_settings) == []  # the merchant's choice stays
    assert oc_status(order_f) == PROCESSING


async def test_a_run_killed_after_jet_took_the_message_is_finished_once(
    oc_settings, oc_db, monkeypatch
) -> None:
    from jettui.services.orders import ship_apply
    from jettui.services.orders.status import mirror_statuses

    skus = await upload_products(oc_settings, oc_db)
    iphone = skus["iphone"]
    h = await generate(oc_settings, [(iphone, 3, 0)])
    await import_and_acknowledge(oc_settings, oc_db, [h])
    order_h = oc_order_id(h)
    imported, totals_before = stock(), totals(order_h)

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the run dies after the partial cancel's restock and totals

    monkeypatch.setattr(ship_apply, "add_order_history", killed)
    form = form_from_options(await order_view(oc_db, h), oc_settings, carrier="FedEx",
                             method="FedEx Ground", tracking="770000000001", zip="84047",
                             ship={iphone: 1}, cancel={iphone: 1})  # fmt: skip
    with pytest.raises(KeyboardInterrupt):
        await ship_order(oc_settings, oc_db, h, form)
    monkeypatch.undo()
    [record] = JetOrder.get(JetOrder.merchant_order_id == h).shipments
    assert record["state"] == "sent" and record["oc"]["done"] == ["lines", "totals"]
    assert stock()["iphone"] == imported["iphone"] + 1 and oc_status(order_h) == PROCESSING

    # the fetch job's status step finishes it: history and status once, no second restock
    mirror_statuses(oc_settings)
    mirror_statuses(oc_settings)
    assert oc_status(order_h) == SHIPPED
    assert sum("tracking number: 7700" in c for _, c in history(order_h)) == 1
    assert stock()["iphone"] == imported["iphone"] + 1
    assert line_quantities(order_h) == {IPHONE: 2}
    unit = totals_before["sub_total"] / 3
    assert totals(order_h)["sub_total"] == pytest.approx(totals_before["sub_total"] - unit)
    assert JetOrder.get(JetOrder.merchant_order_id == h).shipments[0]["state"] == "applied"


async def test_headless_ship_command_defaults_to_every_open_unit(oc_settings, oc_db) -> None:
    from jettui.errors import ExitCode, UsageError, exit_code_for
    from jettui.services.orders.shipping import ship_headless

    skus = await upload_products(oc_settings, oc_db)
    iphone, blue = skus["iphone"], skus["canon_blue"]
    k = await generate(oc_settings, [(iphone, 2, 0), (blue, 1, 1)])  # Jet asks 1 Canon cancelled
    await import_and_acknowledge(oc_settings, oc_db, [k])
    with pytest.raises(UsageError, match="^--ship: 'product 11' must be SKU=QUANTITY"):
        await ship_headless(oc_settings, oc_db, k, ship=["product 11"])
    with pytest.raises(ShipmentRefused) as refused:
        await ship_headless(oc_settings, oc_db, k, carrier="UPS", method="UPS Ground",
                            tracking="1ZCLI0000000000000", zip="8404")  # fmt: skip
    assert refused.value.problems == ["zip: must be exactly 5 digits, e.g. 84047 (got '8404')"]
    assert exit_code_for(refused.value) == ExitCode.USAGE

    result = await ship_headless(oc_settings, oc_db, k, carrier="UPS", method="UPS Ground",
                                 tracking="1ZCLI0000000000000", zip="84047")  # fmt: skip
    assert result.outcome == Outcome.SUCCEEDED, result.reason
    assert result.reason == "3 unit(s) shipped (UPS, 1ZCLI0000000000000), 1 cancelled; nothing open"
    detail = order_detail(oc_db, k, settings=oc_settings)
    assert {(x.line.merchant_sku, x.line.shipped, x.line.cancelled) for x in detail.lines} == {
        (iphone, 2, 0),
        (blue, 1, 1),
    }
    assert oc_status(oc_order_id(k)) == COMPLETE


@pytest.mark.parametrize("reached", [True, False], ids=["reached-jet", "never-sent"])
async def test_the_next_cron_run_settles_an_unconfirmed_shipment(
    oc_settings, oc_db, reached
) -> None:
    """Case 4 of issue 16: the shipment stayed "sending" (Jet unreachable for the lookup);
    the next cron job looks it up before anything else: when Jet applied it, OpenCart gets
    the shipped status and history once; when not, the record is dropped with a warning."""
    from jettui.services.jobs import run_job
    from jettui.store.jet_tables import JetEvent

    skus = await upload_products(oc_settings, oc_db)
    iphone = skus["iphone"]
    e = await generate(oc_settings, [(iphone, 2, 0)])
    await import_and_acknowledge(oc_settings, oc_db, [e])
    order_e = oc_order_id(e)
    view = await order_view(oc_db, e)
    lost = form_from_options(view, oc_settings, carrier="UPS", method="UPS Ground",
                             tracking="1ZCRON000000000000", zip="84047", ship={iphone: 2})  # fmt: skip
    async with open_jet_client(oc_settings) as jet:
        result = await ship_order(
            oc_settings, oc_db, e, lost, jet=LostAnswer(jet, reached=reached, blind=True)
        )
    assert result.outcome == Outcome.FAILED and oc_status(order_e) == PROCESSING

    outcome = await run_job(oc_settings, oc_db, "acknowledge", trigger="cron")
    assert outcome.result == "ok", outcome.message
    records = JetOrder.get(JetOrder.merchant_order_id == e).shipments
    if reached:
        assert [r["state"] for r in records] == ["applied"]
        assert oc_status(order_e) == COMPLETE
        assert sum("1ZCRON000000000000" in c for _, c in history(order_e)) == 1
    else:
        assert records == [] and oc_status(order_e) == PROCESSING
        assert (await order_view(oc_db, e)).line(iphone).open == 2
        warned = [ev.message for ev in JetEvent.select() if "was not applied on Jet" in ev.message]
        assert warned, "the merchant is told the shipment did not happen"
    assert len(await jet_order_raw(oc_settings, e)) == (1 if reached else 0)
