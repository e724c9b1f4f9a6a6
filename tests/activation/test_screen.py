"""The activation screen: p runs the product step in a worker; the table then says when it was
done. Against a real Jet the order step asks first."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import Static

from jettui.tui.app import JettuiApp
from jettui.tui.screens.activation import ActivationScreen, ConfirmLive
from tests.service_support import events

from .conftest import SECRET


def screen_text(app: JettuiApp) -> str:
    """What the screen's texts and steps table say (as plain text, 78 columns)."""
    console = Console(width=78, record=True, file=io.StringIO())
    for widget in app.screen.query(Static):
        console.print(widget.content)
    return console.export_text()


async def settle(pilot) -> None:
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def test_pressing_p_runs_the_product_step(settings) -> None:
    app = JettuiApp(settings, environ={"COLORTERM": "truecolor"})
    async with app.run_test(size=(80, 24)) as pilot:
        await app.run_action("goto('activation')")
        await settle(pilot)
        assert isinstance(app.screen, ActivationScreen)
        before = screen_text(app)
        assert before.count("not run") == 3

        await pilot.press("p")
        await settle(pilot)

        text = screen_text(app)
        product_row = next(line for line in text.splitlines() if "Product API" in line)
        assert "done at " in product_row
        assert text.count("not run") == 2
        assert any("Product API: done." in n.message for n in app._notifications)
        assert SECRET not in text
    assert [e.ref for e in events("activation")] == ["product"]


async def test_live_jet_asks_before_the_order_step(make_settings) -> None:
    settings = make_settings(jet="  api_url: http://127.0.0.1:9/api\n")
    app = JettuiApp(settings, environ={"COLORTERM": "truecolor"})
    async with app.run_test(size=(80, 24)) as pilot:
        await app.run_action("goto('activation')")
        await settle(pilot)
        assert "really cancels" in screen_text(app)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmLive)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ActivationScreen)
        assert screen_text(app).count("not run") == 3
    assert events("activation") == []
