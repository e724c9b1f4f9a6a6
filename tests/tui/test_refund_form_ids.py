"""Issue 19 item 10 at 80x24: the refund form picks the order from a list of orders with units
to refund (or takes its id, reference id or an unambiguous prefix), shows what is refundable
per line, takes an amount per line (the CLI's QTY:AMOUNT rule: above what is refundable is
refused by the line's field, nothing sent), and never shows "unexpected error: LookupError"."""

from __future__ import annotations

from textual.widgets import Input, Select

from jettui.config import Settings
from jettui.tui.app import JettuiApp
from jettui.tui.screens.refunds import RefundFormScreen
from tests.pilot_support import grid_rows, settle

from .test_returns_panels import shipped_orders


def _text(form: RefundFormScreen, selector: str) -> str:
    return str(form.query_one(selector).render())


async def _open_form(app: JettuiApp, pilot) -> RefundFormScreen:  # type: ignore[no-untyped-def]
    await app.run_action("goto('refunds')")
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)
    form = app.screen
    assert isinstance(form, RefundFormScreen)
    return form


async def test_pick_an_order_see_refundable_lines_and_refund_an_amount(shop: Settings) -> None:
    first, second = await shipped_orders(shop, 2)
    app = JettuiApp(shop, environ={"COLORTERM": "truecolor"})
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_form(app, pilot)
        assert form.choices == [second, first]  # newest first, both with shipped units
        await pilot.press("tab", "enter")  # to the picker, open it
        await settle(pilot)
        await pilot.press("down", "enter")  # the first order listed
        await settle(pilot)
        assert form.merchant_order_id == second
        assert form.query_one("#rfd-order", Input).value == second
        assert [line.refundable for line in form.lines] == [2, 1]
        label = str(form.query_one(".line-row Label").render())
        assert label.endswith(" · 2/2 refundable, 131.98 left")

        form.query_one("#rfd-qty-0", Input).value = "1"
        form.query_one("#rfd-amount-0", Input).value = "999"
        form.query_one("#rfd-reason", Select).value = "Unwanted gift"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # refused by its line's field, nothing sent
        error = _text(form, "#rfd-err-line-0")
        assert error.startswith("items[HRT-SWL00001].refund_amount.principal: 999.00 is more than")
        assert "Not sent: 1 problem(s)" in _text(form, "#rfd-problems")

        form.query_one("#rfd-amount-0", Input).value = "12.5"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form, _text(form, "#rfd-problems")
        [row] = grid_rows(app)
        assert (row[0], row[1], row[2]) == (second, "HRT-SWL00001×1", "12.50")


async def test_a_typed_prefix_or_reference_id_and_one_line_errors(shop: Settings) -> None:
    from jettui.store.db import connect
    from jettui.store.jet_tables import JetOrder

    [jet_id] = await shipped_orders(shop, 1)
    db = connect(shop)
    reference = JetOrder.get(JetOrder.merchant_order_id == jet_id).reference_order_id
    for n in (1, 2):  # two ids starting alike, never imported
        JetOrder.create(merchant_order_id=f"abcabc{n}", reference_order_id=f"99{n}")
    db.close()
    app = JettuiApp(shop, environ={"COLORTERM": "truecolor"})
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_form(app, pilot)
        for typed, error in (
            ("zzz", "order: no Jet order 'zzz' in jettui: fetch orders first"),
            (
                "abcabc",
                "order: 'abcabc' is the start of 2 Jet order ids (abcabc1, abcabc2): "
                "give more of it",
            ),  # fmt: skip
        ):
            form.query_one("#rfd-order", Input).value = ""
            await pilot.press(*typed, "enter")
            await settle(pilot)
            assert _text(form, "#rfd-err-order") == error
            assert form.lines == []
        for typed in (jet_id[:9], reference):  # what the grid shows, and Jet's reference id
            form.query_one("#rfd-order", Input).value = ""
            await pilot.press(*typed, "enter")
            await settle(pilot)
            assert form.merchant_order_id == jet_id, _text(form, "#rfd-err-order")
            assert form.query_one("#rfd-pick", Select).value == jet_id  # the picker agrees
            assert [line.sku for line in form.lines] == ["HRT-SWL00001", "HRT-TM00002"]
            assert "unexpected error" not in _text(form, "#rfd-err-order")
