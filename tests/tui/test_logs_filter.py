"""Issue 19 item 15 at 80x24: the Logs panel's filter line and its rows never disagree. A
filter that cannot be applied (``foo:bar``) shows no rows and its one-line error (a reload
too) until the line is fixed; ``order:`` takes the order's reference id or a prefix; text
from Jet is shown inert."""

from __future__ import annotations

from jettui.config import Settings
from jettui.store.jet_tables import JetOrder, log_event
from jettui.tui.screens.base import GridTable

from .conftest import make_app, settle

ORDER = "5e1f0c2a9b7d4c11a0e2f3b4c5d6e7f8"


def _fill() -> None:
    JetOrder.create(merchant_order_id=ORDER, reference_order_id="123456789012", state="done")
    JetOrder.create(merchant_order_id="5e1f0c2aZZ", reference_order_id="999", state="done")
    log_event("order", f"order {ORDER} imported", ref=ORDER)
    log_event("api", f"PUT /orders/{ORDER}/acknowledge → 204", ref=f"/orders/{ORDER}/acknowledge")
    log_event("job", "sync: failed \x1b[2J\x1b]0;PWNED\x07", ref="sync", level="error")


def _messages(app) -> list[str]:  # type: ignore[no-untyped-def]
    table = app.screen.query_one(GridTable)
    assert table.display
    return sorted(row[-1] for _, row in table.source.fetch("", None, False, 0, 50))


def _empty_text(app) -> str:  # type: ignore[no-untyped-def]
    empty = app.screen.query_one("#empty")
    return str(empty.render()) if empty.display else ""


async def test_an_invalid_filter_shows_no_rows_of_the_old_one(demo_settings: Settings) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _fill()
        await app.run_action("goto('logs')")
        await settle(pilot)
        assert len(_messages(app)) == 3
        assert "sync: failed \\x1b[2J\\x1b]0;PWNED\\x07" in _messages(app)  # inert

        await pilot.press("f", *"order:12345678", "enter")  # the reference id's start
        await settle(pilot)
        assert _messages(app) == [f"PUT /orders/{ORDER}/acknowledge → 204",
                                  f"order {ORDER} imported"]  # fmt: skip

        line = app.screen.query_one("#log-filter")
        line.focus()
        line.value = ""
        await pilot.press(*"foo:bar", "enter")
        await settle(pilot)
        assert not app.screen.query_one(GridTable).display  # no rows of the old filter
        assert _empty_text(app).startswith("Filter not applied: 'foo:bar': use sku:...")
        await pilot.press("ctrl+r")  # a reload keeps saying it
        await settle(pilot)
        assert not app.screen.query_one(GridTable).display
        assert _empty_text(app).startswith("Filter not applied: 'foo:bar'")

        line.focus()
        line.value = ""
        await pilot.press(*"order:5e1f0c2a", "enter")  # two orders start so
        await settle(pilot)
        assert not app.screen.query_one(GridTable).display
        assert _empty_text(app) == (
            f"Filter not applied: '5e1f0c2a' is the start of 2 Jet order ids ({ORDER}, "
            "5e1f0c2aZZ): give more of it"
        )

        line.focus()
        line.value = ""
        await pilot.press(*"level:error", "enter")
        await settle(pilot)
        assert _messages(app) == ["sync: failed \\x1b[2J\\x1b]0;PWNED\\x07"]
