"""Every panel reached by its key, by the go menu and by the command palette; help; header."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from textual.command import CommandPalette
from textual.widgets import Static

from jettui.config import Settings
from jettui.tui.app import JettuiApp
from jettui.tui.panels import PANELS
from jettui.tui.screens import SCREENS_BY_PANEL
from jettui.tui.screens.go import GoScreen
from jettui.tui.screens.help import HelpScreen

from .conftest import make_app, settle

# A text each panel shows on an empty (demo) store: what the user sees first.
EXPECTED_TEXT = {
    "orders": "No Jet orders yet — press f to fetch them",
    "rejected_orders": "No rejected orders",
    "returns": "No Jet returns yet",
    "refunds": "No refunds yet",
    "rejected_files": "No rejected files",
    "logs": "No log entries yet",
}


def _screen_text(app) -> str:
    """The text of every Static on the current screen, Rich tables rendered as a user sees them."""
    console = Console(width=80, color_system=None)
    with console.capture() as capture:
        for widget in app.screen.query(Static):
            console.print(widget.content)
    return capture.get()


async def test_every_panel_by_its_key(demo_settings: Settings) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.current_mode == "products"
        for panel in PANELS:
            if panel.key:
                await pilot.press(panel.key)
            else:
                await pilot.press("ctrl+g", panel.go_key)
            await settle(pilot)
            assert app.current_mode == panel.id
            assert isinstance(app.screen, SCREENS_BY_PANEL[panel.id])
            assert panel.title in app.screen.title
            if panel.id in EXPECTED_TEXT:
                assert EXPECTED_TEXT[panel.id] in _screen_text(app)


# What a user would type in the palette to reach each panel (the top hit must be "Go to ...").
PALETTE_QUERY = {
    "products": "go produc",  # plain "produc" also matches "API activation: Product API"
    "categories": "categ",
    "orders": "orders",
    "rejected_orders": "rej ord",
    "returns": "return",
    "refunds": "refund",
    "rejected_files": "rej fil",
    "cron": "cron",
    "logs": "logs",
    "configuration": "config",
    "activation": "activ",
}


async def test_every_panel_by_the_palette(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        for panel in (*PANELS[1:], PANELS[0]):
            await pilot.press("ctrl+p")
            await pilot.pause()
            assert isinstance(app.screen, CommandPalette)
            await pilot.press(*PALETTE_QUERY[panel.id])
            await pilot.pause(0.2)  # the palette searches in a worker
            await pilot.press("enter")
            await pilot.pause()
            assert app.current_mode == panel.id, panel.title


async def test_palette_orders_then_enter_opens_orders(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"orders")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "orders"


async def test_palette_lists_the_screens_actions(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "ctrl+p", *"ship")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("No order to ship" in m for m in messages), messages


async def test_help_lists_keys_of_the_screen_and_closes(demo_settings: Settings) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = _screen_text(app)
        for words in ("Upload", "Select", "All", "Invert", "Filter", "Go to", "Quit", "Orders"):
            assert words in text, words
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("3", "question_mark")
        await pilot.pause()
        text = _screen_text(app)
        assert "Fetch orders" in text and "Upload" not in text


async def test_orders_fetch_key_runs_the_fetch_job(demo_settings: Settings) -> None:
    app = make_app(demo_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3", "f")  # orders: the fetch-orders job, as cron runs it
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("fetch-orders: ok") for m in messages), messages


async def test_header_names_store_and_jet_without_secrets(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=(80, 24)):
        assert app.sub_title == "store sqlite demo-store.db · Jet sandbox"
        assert "jetsecret" not in app.sub_title


def test_ctrl_q_quits_and_every_binding_has_an_id() -> None:
    from jettui.tui.app import JettuiApp
    from jettui.tui.screens.go import GoScreen

    classes = [JettuiApp, HelpScreen, GoScreen, *SCREENS_BY_PANEL.values()]
    for cls in classes:
        for binding in cls.BINDINGS:
            assert binding.id, f"{cls.__name__}: {binding.key} has no id"
    assert any(b.key == "ctrl+q" and b.action == "quit" for b in JettuiApp.BINDINGS)


async def test_sidebar_only_on_wide_terminals(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        assert not app.screen.query_one("#nav").display
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        nav = app.screen.query_one("#nav")
        assert nav.display
        nav.focus()
        await pilot.press("down", "down", "enter")  # products → categories → orders
        await pilot.pause()
        assert app.current_mode == "orders"


async def test_16_colour_terminal_starts_with_jettui16(settings: Settings) -> None:
    app = JettuiApp(settings, environ={"TERM": "xterm"})
    async with app.run_test(size=(80, 24)):
        assert app.theme == "jettui-16"


def test_snapshots_never_show_the_secret() -> None:
    folder = Path(__file__).parent / "__snapshots__"
    svgs = list(folder.rglob("*.svg"))
    assert svgs
    for svg in svgs:
        assert "jetsecret" not in svg.read_text(encoding="utf-8"), svg.name


async def test_go_menu_by_arrows_and_enter(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+g", "down", "down", "enter")  # products → categories → orders
        await pilot.pause()
        assert app.current_mode == "orders"
        assert not isinstance(app.screen, GoScreen)
        await pilot.press("ctrl+g", "escape")
        await pilot.pause()
        assert app.current_mode == "orders" and not isinstance(app.screen, GoScreen)
