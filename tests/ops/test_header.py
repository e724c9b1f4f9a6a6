"""The dashboard header keeps the state that must stay visible on every screen at 80 columns:
orders waiting for acknowledgement with the nearest deadline, a failing job, the next fetch.
Snapshots at 80x24 in both themes (clock frozen, so the times in the header never move)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets._header import HeaderTitle

from jettui.services import status
from jettui.services.status import HeaderState
from jettui.store.jet_tables import JetEvent
from jettui.tui.app import JettuiApp
from jettui.tui.screens.detail import RowDetailScreen

from .conftest import T0, minutes, order, run

TRUECOLOUR = {"COLORTERM": "truecolor", "TERM": "xterm-256color"}
PANELS = ("products", "orders", "rejected_orders", "cron", "logs", "activation")


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch) -> None:
    monkeypatch.setattr(status, "clock", lambda: T0)


@pytest.fixture
def busy_store(settings, db) -> None:
    """Two orders to acknowledge (the nearest in 3 minutes), sync failing, fetch-orders 4
    minutes ago (every 10: next in 6), and a few log rows at fixed times."""
    order("JET-1001", T0 - minutes(12))  # deadline 12:03
    order("JET-1002", T0 - minutes(2))  # deadline 12:13
    run("fetch-orders", "ok", T0 - minutes(4))
    run("sync", "failed", T0 - minutes(30), message="Jet answered 400")
    for n, (level, message) in enumerate(
        [
            ("info", "POST /token → 200 in 12 ms"),
            ("info", "GET /orders/ready → 200 in 20 ms"),
            ("error", "sync: failed, Jet answered 400"),
        ]
    ):
        JetEvent.create(time=T0 - minutes(5 - n), level=level, kind="api", ref="", message=message)
    db.close()


def make_app(settings, theme: str | None = None) -> JettuiApp:
    app = JettuiApp(settings, environ=TRUECOLOUR)
    app.show_state = True
    if theme:
        app.theme = theme
    return app


async def settle(pilot: Pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def header_text(app: JettuiApp) -> str:
    return str(app.screen.query_one(HeaderTitle).render())


def test_state_line_fits_and_drops_the_least_urgent_first() -> None:
    state = HeaderState(
        unacknowledged=2,
        next_deadline=T0 + minutes(3),
        next_fetch=T0 + minutes(6),
        failing=("sync",),
    )
    assert state.text(T0, 80) == "⚠ 2 to ack in 3m · ✗ sync failing · fetch in 6m"
    assert state.text(T0, 40) == "⚠ 2 to ack in 3m · ✗ sync failing"
    assert state.urgent(T0)
    late = HeaderState(unacknowledged=1, next_deadline=T0 - minutes(7))
    assert late.text(T0, 80) == "⚠ 1 to ack, 7m late"
    held = HeaderState(unacknowledged=3, held=1, next_deadline=T0 + minutes(9))
    assert held.text(T0, 80) == "3 to ack in 9m (1 held)"
    calm = HeaderState(next_fetch=T0 - minutes(1))
    assert calm.text(T0, 80) == "0 to ack · fetch now" and not calm.urgent(T0)


async def test_header_shows_the_state_on_every_screen_at_80_columns(settings, busy_store) -> None:
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for panel in PANELS:
            await app.run_action(f"goto('{panel}')")
            await settle(pilot)
            text = header_text(app)
            assert "⚠ 2 to ack in 3m · ✗ sync failing · fetch in 6m" in text, (panel, text)
            assert len(text) <= 80 - 5


async def test_header_says_when_the_store_cannot_be_read(make_settings, tmp_path) -> None:
    settings = make_settings()
    (tmp_path / "demo-store.db").unlink()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "⚠ store: " in header_text(app)


async def test_logs_row_detail_shows_the_bodies(settings, db) -> None:
    from jettui.store.jet_tables import log_event

    log_event(
        "api",
        "POST /token → 200 in 3 ms",
        ref="/token",
        detail={
            "method": "POST",
            "path": "/token",
            "status": 200,
            "duration_ms": 3.0,
            "attempt": 1,
            "request_body": '{"user":"jetuser","pass":"***"}',
            "response_bytes": 90,
        },
    )
    db.close()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.run_action("goto('logs')")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RowDetailScreen)
        shown = dict(app.screen.rows)
        assert shown["Request"] == '{"user":"jetuser","pass":"***"}'
        assert shown["Response"] == "(90 bytes, not kept)"
        assert shown["Call"] == "POST /token → 200 in 3.0 ms, attempt 1"
        assert shown["Message"] == "POST /token → 200 in 3 ms"
        assert len(app.screen_stack) == 2  # one detail screen, not the grid's as well


async def test_logs_filter_line(settings, busy_store) -> None:
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.run_action("goto('logs')")
        await settle(pilot)
        await pilot.press("f")
        await pilot.press(*"level:error", "enter")
        await settle(pilot)
        table = app.screen.query_one("BulkTable")
        assert table.source.count("") == 1
        await pilot.press("f", "ctrl+a", "ctrl+k", *"sku:NOPE", "enter")
        await settle(pilot)
        assert "No log rows match sku:NOPE." in str(app.screen.query_one("#empty").render())


@pytest.mark.parametrize("theme", ("jettui", "jettui-16"))
def test_header_snapshot(snap_compare, settings, busy_store, theme: str) -> None:
    async def open_logs(pilot: Pilot) -> None:
        await pilot.app.run_action("goto('logs')")
        await settle(pilot)

    assert snap_compare(make_app(settings, theme), run_before=open_logs, terminal_size=(80, 24))


async def test_header_says_which_orders_to_ack_are_held_on_rejected_orders(settings, db) -> None:
    """A held order still needs an answer (Jet waits), but it is on Rejected orders, not on
    Orders: the header counts it and says how many of the count are held."""
    from jettui.store.jet_tables import JetOrder

    order("JET-2001", T0 - minutes(2))
    order("JET-2002", T0 - minutes(4))
    order("JET-2003", T0 - minutes(1))
    JetOrder.update(state="held").where(JetOrder.merchant_order_id == "JET-2003").execute()
    db.close()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "3 to ack in 11m (1 held)" in header_text(app)
